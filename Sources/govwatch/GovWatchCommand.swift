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
            ReportCommand.self,
            ScanCommand.self,
            ExtractCommand.self,
            DemoCommand.self,
            TicketsCommand.self,
            ScheduleCommand.self,
        ]
    )

    /// Runs the command, mapping ArgumentParser's usage errors (exit 64) to the spec's exit
    /// 2 with a one-line message.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = Self.message(for: error).replacingOccurrences(of: "\n", with: " ")
                FileHandle.standardError.write(Data("govwatch: \(message)（用法见 govwatch --help）\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
