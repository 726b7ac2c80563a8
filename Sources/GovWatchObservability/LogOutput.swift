import Foundation
import GovWatchCore
import Logging
import Synchronization

/// How log lines are written (`--log-format`, and the configuration file's `log.format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's plain lines: `2026-12-07T10:00:00+0800 info govwatch.worker : run=… 消息`.
    case text
    /// One JSON object per line: `timestamp`, `level`, `label`, `message`, `metadata`, `source`.
    case json
}

/// The process's logging set-up, done once before the first logger is made.
public enum ProcessLogging {
    private static let bootstrapped = Mutex<LogFormat?>(nil)

    /// The format chosen at bootstrap (nil before it).
    public static var format: LogFormat? { bootstrapped.withLock { $0 } }

    /// Makes every `Logger` of the process write to standard error in `format`, with the
    /// metadata of `metadataProvider` (the inspection's run, site and task) on every line.
    /// Only the first call counts: swift-log allows one bootstrap per process.
    public static func bootstrap(format: LogFormat, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        bootstrapped.withLock { chosen in
            guard chosen == nil else { return }
            chosen = format
            LoggingSystem.bootstrap(
                { label, provider in
                    var handler: any LogHandler
                    switch format {
                    case .text: handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                    case .json: handler = JSONLogHandler(label: label, metadataProvider: provider)
                    }
                    handler.logLevel = level
                    return handler
                }, metadataProvider: metadataProvider)
        }
    }
}

/// A `LogHandler` writing one JSON object per line to standard error, for log collectors
/// (journald with `--output=cat`, Loki, Elasticsearch) that read structured lines.
///
/// Written here because no package of the mirror provides one (swift-log ships only the
/// plain-text `StreamLogHandler`; swift-otel exports over OTLP, not lines).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    private let sink: JSONLineSink

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, sink: JSONLineSink = .standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        sink.write(
            Self.line(
                timestamp: Date(), level: event.level, label: label, message: "\(event.message)", metadata: merged,
                source: event.source))
    }

    /// One log record as a JSON object (no trailing newline); keys in a fixed order so lines
    /// read the same way by eye.
    public static func line(
        timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String
    ) -> String {
        var fields: [(String, String)] = [
            ("timestamp", quoted(timestampFormatter.withLock { $0.string(from: timestamp) })),
            ("level", quoted(level.rawValue)),
            ("label", quoted(label)),
            ("message", quoted(message)),
        ]
        if !metadata.isEmpty { fields.append(("metadata", object(metadata))) }
        fields.append(("source", quoted(source)))
        return "{" + fields.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// RFC 3339 with milliseconds, in China Standard Time like every time GovWatch shows.
    private static let timestampFormatter: Mutex<DateFormatter> = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3_600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX"
        return Mutex(formatter)
    }()

    static func object(_ metadata: Logger.Metadata) -> String {
        "{" + metadata.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + value($0.value) }.joined(separator: ",") + "}"
    }

    static func value(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let items): "[" + items.map { Self.value($0) }.joined(separator: ",") + "]"
        case .dictionary(let dictionary): object(dictionary)
        }
    }

    static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}

/// Where JSON lines go: one `write` per line under a lock, so lines of concurrent tasks never
/// interleave.
public final class JSONLineSink: Sendable {
    private let handle: Mutex<FileHandle>

    public init(_ handle: FileHandle) { self.handle = Mutex(handle) }

    public static let standardError = JSONLineSink(FileHandle.standardError)

    func write(_ line: String) {
        let data = Data((line + "\n").utf8)
        handle.withLock { $0.write(data) }
    }
}
