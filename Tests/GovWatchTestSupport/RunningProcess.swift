import Foundation
import Synchronization
import Testing

/// A `govwatch` process left running (a server, a worker), its output read line by line as it
/// comes, on threads of its own.
public final class RunningProcess: Sendable {
    private let process: Process
    private let output = Mutex<(stdout: String, stderr: String, stdoutClosed: Bool, stderrClosed: Bool)>(("", "", false, false))

    private init(process: Process) { self.process = process }

    /// Starts `govwatch arguments` in `directory`, with the runner's environment less `GOVWATCH_DB`.
    public static func start(_ arguments: [String], in directory: URL) throws -> RunningProcess {
        let process = Process()
        process.executableURL = GovWatchBinary.url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = GovWatchBinary.environmentWithoutDatabase
        let running = RunningProcess(process: process)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        for (pipe, isStdout) in [(out, true), (err, false)] {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread {
                while true {
                    let chunk = handle.availableData
                    running.output.withLock { output in
                        if chunk.isEmpty {
                            if isStdout { output.stdoutClosed = true } else { output.stderrClosed = true }
                        } else if isStdout {
                            output.stdout += String(decoding: chunk, as: UTF8.self)
                        } else {
                            output.stderr += String(decoding: chunk, as: UTF8.self)
                        }
                    }
                    if chunk.isEmpty { return }
                }
            }
        }
        return running
    }

    public var stdoutLines: [String] { output.withLock { $0.stdout }.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    public var stderrLines: [String] { output.withLock { $0.stderr }.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The first complete line of standard output matching `predicate`; nil when the process
    /// ended without writing one.
    public func waitForStdout(_ predicate: (String) -> Bool) async throws -> String? { try await wait(stdout: true, predicate) }
    public func waitForStderr(_ predicate: (String) -> Bool) async throws -> String? { try await wait(stdout: false, predicate) }

    private func wait(stdout: Bool, _ predicate: (String) -> Bool) async throws -> String? {
        while true {
            let (text, closed) = output.withLock { stdout ? ($0.stdout, $0.stdoutClosed) : ($0.stderr, $0.stderrClosed) }
            // Only complete lines: the last element after a newline is the line being written.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = lines.first(where: { predicate(String($0)) }) { return String(line) }
            if closed { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    public var diagnostics: Comment {
        let (out, err) = output.withLock { ($0.stdout, $0.stderr) }
        return "stdout: \(out.suffix(2_000))\nstderr: \(err.suffix(4_000))"
    }

    /// SIGTERM, then waits for the process to end.
    public func stop() async {
        terminate()
        await process.exited()
    }

    /// SIGTERM without waiting (for a `defer`, which cannot await): Foundation reaps the
    /// process when it ends.
    public func terminate() {
        if process.isRunning { process.terminate() }
    }
}
