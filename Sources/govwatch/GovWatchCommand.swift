import ArgumentParser

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
            ScanCommand.self,
            ExtractCommand.self,
            DemoCommand.self,
        ]
    )
}
