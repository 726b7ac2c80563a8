import ArgumentParser
import Foundation

/// `govwatch`: the command line of the spec (`../shared/spec/interfaces.md`).
///
/// Every subcommand only parses its arguments and calls the libraries; errors a user can
/// act on are printed in Chinese on one line and exit 2 (`ExitCode.validationFailure`).
@main
struct GovWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "govwatch",
        abstract: "GovWatch 政府网站与政务新媒体监管平台",
        subcommands: [
            ImportCommand.self,
            ListCommand.self,
            InspectCommand.self,
            IndicatorsCommand.self,
            ProbeCommand.self,
            FindingsCommand.self,
            ScorecardCommand.self,
            BonusCommand.self,
            ReportCommand.self,
            ScanCommand.self,
            ExtractCommand.self,
            DemoCommand.self,
            TicketsCommand.self,
            ScheduleCommand.self,
            WorkerCommand.self,
            ServeCommand.self,
            UsersCommand.self,
            ConfigCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            MigrateCommand.self,
            PruneCommand.self,
            SampleCityCommand.self,
        ]
    )

    /// Runs the command, mapping ArgumentParser's usage errors (exit 64) to the spec's exit
    /// 2 with a one-line message.
    static func main() async {
        do {
            var command = try parseAsRoot()
            // Every command reads the configuration file: a bad one stops any command before
            // it does anything (one line naming the file, the key and the reason; exit 2).
            if case .failure(let problem) = GovWatchConfiguration.preflight(arguments: Array(CommandLine.arguments.dropFirst())) {
                FileHandle.standardError.write(Data("govwatch: \(problem.description)\n".utf8))
                Foundation.exit(2)
            }
            ProcessObservability.bootstrap(arguments: Array(CommandLine.arguments.dropFirst()))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = UsageMessage.chinese(Self.message(for: error)).replacingOccurrences(of: "\n", with: " ")
                FileHandle.standardError.write(Data("govwatch: \(message)（用法见 govwatch --help）\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// ArgumentParser's usage errors, in Chinese for the people who use GovWatch.
enum UsageMessage {
    /// Translates the messages ArgumentParser produces for common mistakes; anything else
    /// is kept as it is.
    static func chinese(_ message: String) -> String {
        let rules: [(pattern: String, template: String)] = [
            (#"^The value '(.*)' is invalid for '(.*)'\. Please provide one of the following:(.*)$"#, "参数 $2 的取值“$1”无效，可选值：$3"),
            (#"^The value '(.*)' is invalid for '(.*)'\. Please provide one of (.*)\.$"#, "参数 $2 的取值“$1”无效，可选值：$3"),
            (#"^The value '(.*)' is invalid for '(.*)'.*$"#, "参数 $2 的取值“$1”无效"),
            (#"^Missing expected argument '(.*)'$"#, "缺少参数 $1"),
            (#"^Unknown option '(.*)'.*$"#, "未知选项 $1"),
            (#"^Unexpected argument '(.*)'$"#, "多余的参数 $1"),
            (#"^Missing value for '(.*)'$"#, "选项 $1 缺少取值"),
        ]
        let flat = message.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        for rule in rules {
            guard let regex = try? NSRegularExpression(pattern: rule.pattern, options: [.dotMatchesLineSeparators]) else { continue }
            let range = NSRange(flat.startIndex..., in: flat)
            if regex.firstMatch(in: flat, range: range) != nil {
                return regex.stringByReplacingMatches(in: flat, range: range, withTemplate: rule.template)
                    .replacingOccurrences(of: "   - ", with: " ").replacingOccurrences(of: "  ", with: " ")
                    .replacingOccurrences(of: "' or '", with: "、").replacingOccurrences(of: "', '", with: "、")
                    .replacingOccurrences(of: "'", with: "")
            }
        }
        return message
    }
}
