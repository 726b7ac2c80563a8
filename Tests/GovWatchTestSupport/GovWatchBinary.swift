import Foundation

/// The `govwatch` command line as a user runs it: the binary built next to the test bundle
/// (`.build/debug/` on Linux), run to its end without holding a thread of the pool.
public enum GovWatchBinary {
    public static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("govwatch")
    }

    /// The runner's environment without `GOVWATCH_DB`, so a test's database is its `--db` or
    /// the default file in its folder, never the runner's; and without a configuration file
    /// (`GOVWATCH_CONFIG=` reads none), so a machine's own /etc/govwatch/govwatch.yaml — an
    /// installed service's database and server — never reaches a test.
    public static var environmentWithoutDatabase: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GOVWATCH_DB"] = nil
        environment["GOVWATCH_CONFIG"] = ""
        return environment
    }

    /// Runs `govwatch arguments` in `directory`. `environment` nil: the runner's own;
    /// `input` nil: standard input is /dev/null.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String]? = nil, input: Data? = nil
    ) async throws -> ProcessOutput {
        try await ChildProcess.run(url, arguments, in: directory, environment: environment, input: input)
    }
}
