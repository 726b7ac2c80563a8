import ArgumentParser
import Foundation
import GovWatchInspection
import GovWatchObservability
import Logging

/// `--log-format` and `--log-level`, on every command that takes `--db`.
///
/// The values are read before the command runs (``ProcessObservability/bootstrap(arguments:)``:
/// logging is set up before the first logger exists); declaring them here validates them and
/// shows them in `--help`.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "日志格式：text（默认）或 json（每行一个 JSON 对象，写到标准错误）；也可用配置项 log.format")
    var logFormat: LogFormatArgument?

    @Option(name: .customLong("log-level"), help: "日志级别：trace、debug、info、notice、warning、error、critical（默认 serve、worker、schedule 为 info，其他命令为 notice）；也可用配置项 log.level")
    var logLevel: LogLevelArgument?
}

struct LogFormatArgument: ExpressibleByArgument {
    var format: LogFormat
    init?(argument: String) {
        guard let format = LogFormat(rawValue: argument) else { return nil }
        self.format = format
    }
    static var allValueStrings: [String] { LogFormat.allCases.map(\.rawValue) }
}

struct LogLevelArgument: ExpressibleByArgument {
    var level: Logger.Level
    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument) else { return nil }
        self.level = level
    }
    static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}

/// Logging and metrics of the process, set up once before the command runs.
enum ProcessObservability {
    /// Bootstraps swift-metrics with the Prometheus registry (`/metrics`) and swift-log with the
    /// format and level of the flags, else the configuration's `log.format`/`log.level`, else
    /// text at ``defaultLevel(_:)``; every line written during an inspection carries its run, site and
    /// task (`InspectionLogContext`).
    static func bootstrap(arguments: [String]) {
        ProcessMetrics.bootstrap()
        let configured: GovWatchConfiguration? =
            if case .success(let configuration) = GovWatchConfiguration.preflight(arguments: arguments) { configuration } else { nil }
        let format =
            flag("--log-format", in: arguments).flatMap(LogFormat.init(rawValue:))
            ?? configured?.string("log.format").flatMap(LogFormat.init(rawValue:)) ?? .text
        let configuredLevel = configured.flatMap { $0.source("log.level") == .builtIn ? nil : $0.string("log.level") }
        let level =
            (flag("--log-level", in: arguments) ?? configuredLevel).flatMap(Logger.Level.init(rawValue:))
            ?? defaultLevel(arguments)
        ProcessLogging.bootstrap(format: format, level: level, metadataProvider: InspectionLogContext.metadataProvider)
    }

    /// Info for the services an operator runs and watches (`serve`, `worker`, `schedule`);
    /// notice for the commands a person runs at a terminal (`inspect`, `demo`, …), whose own
    /// output already says what happens — their per-site log lines would only interleave with it.
    static func defaultLevel(_ arguments: [String]) -> Logger.Level {
        let command = arguments.first { !$0.hasPrefix("-") }
        return ["serve", "worker", "schedule"].contains(command ?? "") ? .info : .notice
    }

    /// The value of `--name VALUE` or `--name=VALUE` before a `--`.
    static func flag(_ name: String, in arguments: [String]) -> String? {
        var index = arguments.startIndex
        while index < arguments.endIndex, arguments[index] != "--" {
            if arguments[index] == name, index + 1 < arguments.endIndex { return arguments[index + 1] }
            if arguments[index].hasPrefix(name + "=") { return String(arguments[index].dropFirst(name.count + 1)) }
            index += 1
        }
        return nil
    }

    /// The logger of the long-running commands' progress lines in JSON mode.
    static let progressLogger = Logger(label: "govwatch")

    /// A progress line of `worker` or `schedule run`: on standard output as it always was, or,
    /// with `--log-format json`, as a log record (with the inspection's metadata when written
    /// from inside one), so a log collector sees one JSON object per line and nothing else.
    static func progress(_ line: String) {
        if ProcessLogging.format == .json {
            progressLogger.info("\(line)")
        } else {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    /// Runs `body` with `GET /metrics` served on 127.0.0.1:`port` (`--metrics-port`; nil: no endpoint).
    static func withMetricsEndpoint<T: Sendable>(port: Int?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let port else { return try await body() }
        guard (0...65535).contains(port) else { throw reportFailure("--metrics-port：端口必须在 0–65535 之间") }
        var logger = Logger(label: "govwatch.metrics")
        logger.logLevel = .warning
        do {
            return try await MetricsEndpoint.serving(
                port: port, logger: logger, onListening: { bound in progress("指标地址：http://127.0.0.1:\(bound)/metrics") }, body)
        } catch let failure as MetricsEndpoint.ListenFailure {
            throw reportFailure("--metrics-port \(port)：无法监听（\(failure.underlying)）")
        }
    }
}
