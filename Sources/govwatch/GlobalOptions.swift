import ArgumentParser
import Foundation
import GovWatchStore

/// Options every command that touches the database takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "数据库地址：sqlite://PATH（默认 sqlite://govwatch.sqlite，或配置文件的 database.url、环境变量 GOVWATCH_DB）或 postgres://user:pass@host:port/db")
    var db: String?

    @OptionGroup var logging: LoggingOptions

    @Option(
        name: .customLong("config"),
        help: "配置文件（YAML）；默认依次为环境变量 GOVWATCH_CONFIG、./govwatch.yaml、/etc/govwatch/govwatch.yaml")
    var configFile: String?

    /// The effective configuration with `--db` applied; a bad file or value has been
    /// reported on stderr and ends the command with exit 2.
    func configuration() throws -> GovWatchConfiguration {
        try loadConfiguration(explicitPath: configFile) { configuration throws(ConfigurationError) in
            try configuration.override("database.url", flag: "--db", with: db)
        }
    }

    /// Opens the store named by `--db` / `GOVWATCH_DB` / the file's `database.url`, or fails with exit 2.
    func openStore() async throws -> Store {
        try await openStore(configuration())
    }

    func openStore(_ configuration: GovWatchConfiguration) async throws -> Store {
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation.parse(configuration.string("database.url") ?? DatabaseLocation.defaultURL)
        } catch {
            throw CLIError.usage("\(error)")
        }
        do {
            return try await Store.open(location)
        } catch {
            throw CLIError.usage(DatabaseErrorText.openFailure(error, location: location))
        }
    }
}

/// Loads the configuration (`--config` path or the default lookup), applies a command's
/// flags with `flags`, and turns a bad value into the one-line message and exit 2.
func loadConfiguration(
    explicitPath: String?, flags: (inout GovWatchConfiguration) throws(ConfigurationError) -> Void = { _ in }
) throws -> GovWatchConfiguration {
    do {
        var configuration = try GovWatchConfiguration.load(explicitPath: explicitPath)
        try flags(&configuration)
        return configuration
    } catch let error as ConfigurationError {
        throw reportFailure(error.description)
    }
}

/// Errors the CLI reports on one line of stderr with the spec's exit codes.
enum CLIError: Error {
    /// Bad usage or bad input: exit 2.
    case usage(String)
}

/// Prints a one-line error to stderr and returns the exit code to throw.
func reportFailure(_ message: String, code: Int32 = 2) -> ExitCode {
    let line = message.replacingOccurrences(of: "\n", with: " ")
    FileHandle.standardError.write(Data(("govwatch: " + line + "\n").utf8))
    return ExitCode(code)
}

/// Runs `body` with an open store, closing it afterwards and mapping errors to exit codes.
func withStore<T>(_ options: GlobalOptions, _ body: (Store) async throws -> T) async throws -> T {
    try await withStore(options, configuration: options.configuration(), body)
}

/// Runs `body` with the store of `configuration` (a command that has already resolved its flags).
func withStore<T>(_ options: GlobalOptions, configuration: GovWatchConfiguration, _ body: (Store) async throws -> T) async throws -> T {
    let store: Store
    do {
        store = try await options.openStore(configuration)
    } catch CLIError.usage(let message) {
        throw reportFailure(message)
    }
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

/// Writes text to standard output without Swift's `print` buffering surprises in pipes.
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// `--format` values.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}
