import ArgumentParser
import Foundation
import GovWatchStore

/// Options every command that touches the database takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "数据库地址：sqlite://PATH（默认 sqlite://govwatch.sqlite，或环境变量 GOVWATCH_DB）或 postgres://user:pass@host:port/db")
    var db: String?

    /// Opens the store named by `--db` / `GOVWATCH_DB`, or fails with exit 2.
    func openStore() async throws -> Store {
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation.resolve(option: db)
        } catch {
            throw CLIError.usage("\(error)")
        }
        do {
            return try await Store.open(location)
        } catch {
            throw CLIError.usage("无法打开数据库 \(location)：\(String(reflecting: error))")
        }
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
    let store: Store
    do {
        store = try await options.openStore()
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
