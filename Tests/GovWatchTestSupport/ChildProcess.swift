import Foundation

/// What a child process left behind: how it ended and everything it wrote.
public struct ProcessOutput: Sendable, CustomStringConvertible {
    /// The exit status, or the signal's number when `reason` is `.uncaughtSignal`.
    public var status: Int32
    public var reason: Process.TerminationReason
    public var stdoutData: Data
    /// Empty when standard error went into standard output (`stderrIntoStdout`).
    public var stderrData: Data

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    public var description: String { "status \(status) (\(reason)), stdout: \(stdout.suffix(2_000)), stderr: \(stderr.suffix(2_000))" }
}

/// Runs child processes from async tests without holding a thread of Swift's cooperative
/// pool: `swift test` runs every test in one process on that pool, which has as many threads
/// as the machine has cores (2 here), so a test blocked in `waitUntilExit()` or
/// `readDataToEndOfFile()` for a minute-long `govwatch inspect` froze every other test.
/// The end of a process is awaited through its `terminationHandler`; its pipes are read on
/// plain threads of their own, both at once, so a child that fills one pipe while the test
/// reads the other cannot deadlock.
public enum ChildProcess {
    /// Runs `executable` with `arguments` to its end and returns what it wrote. `environment`
    /// nil: the test runner's own; `input` nil: standard input is /dev/null.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        input: Data? = nil, stderrIntoStdout: Bool = false
    ) async throws -> ProcessOutput {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        return try await process.runToEnd(input: input, stderrIntoStdout: stderrIntoStdout)
    }

    /// Runs the program `name` found on PATH (through `/usr/bin/env`) to its end.
    public static func program(
        _ name: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        input: Data? = nil, stderrIntoStdout: Bool = false
    ) async throws -> ProcessOutput {
        try await run(
            URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, in: directory, environment: environment, input: input,
            stderrIntoStdout: stderrIntoStdout)
    }

    /// Runs `body` on a plain thread of its own and awaits its result: for a blocking call
    /// (a `waitpid`, a read) that must not hold a thread of the pool.
    public static func onThread<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await Delivery.fromThread(body).wait()
    }
}

extension Process {
    /// Starts this configured process, writes `input` (if any) to its standard input on a
    /// thread of its own and closes it, reads standard output and error to their ends, each on
    /// a thread of its own, and awaits the process's end. Standard input is left as configured
    /// when `input` is nil.
    public func runToEnd(input: Data? = nil, stderrIntoStdout: Bool = false) async throws -> ProcessOutput {
        let out = Pipe()
        let err = Pipe()
        standardOutput = out
        standardError = stderrIntoStdout ? out : err
        let inputPipe = input == nil ? nil : Pipe()
        if let inputPipe { standardInput = inputPipe }
        try run()
        let stdout = out.fileHandleForReading.readToEndOnThread()
        let stderr = stderrIntoStdout ? nil : err.fileHandleForReading.readToEndOnThread()
        if let input, let writer = inputPipe?.fileHandleForWriting {
            Thread.detachNewThread {
                writer.write(input)
                try? writer.close()
            }
        }
        await exited()
        return ProcessOutput(
            status: terminationStatus, reason: terminationReason, stdoutData: await stdout.wait(),
            stderrData: await stderr?.wait() ?? Data())
    }

    /// Waits until this started process has ended, holding no thread meanwhile: the
    /// `terminationHandler` (kept, and called first, when one was set) resumes the wait.
    /// Afterwards `terminationStatus` and `terminationReason` are readable.
    public func exited() async {
        let ended = Delivery<Bool>()
        let previous = terminationHandler
        terminationHandler = { process in
            previous?(process)
            ended.deliver(true)
        }
        // Foundation clears `isRunning` before it reads the handler: if the process ended
        // before the handler above was set, this sees it.
        if !isRunning { ended.deliver(true) }
        _ = await ended.wait()
    }
}

extension FileHandle {
    /// Starts reading this handle to its end on a thread of its own.
    func readToEndOnThread() -> Delivery<Data> {
        Delivery.fromThread { [self] in readDataToEndOfFile() }
    }

    /// What a child writes to this pipe, chunk by chunk as it comes, read on a thread of its
    /// own until the end of the output (the stream then finishes). The thread reads on after
    /// the caller stops listening, so the child never blocks on a full pipe.
    public func chunks() -> AsyncStream<Data> {
        let (stream, continuation) = AsyncStream.makeStream(of: Data.self)
        Thread.detachNewThread { [self] in
            while true {
                let chunk = availableData
                if chunk.isEmpty { break }
                continuation.yield(chunk)
            }
            continuation.finish()
        }
        return stream
    }
}

/// A value a plain thread delivers once and any number of tasks await, suspended (holding
/// no thread) until it is there.
final class Delivery<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private var waiting: [CheckedContinuation<Value, Never>] = []

    /// Runs `body` on a new thread and delivers its result.
    static func fromThread(_ body: @escaping @Sendable () -> Value) -> Delivery<Value> {
        let delivery = Delivery()
        Thread.detachNewThread { delivery.deliver(body()) }
        return delivery
    }

    /// The first delivery counts; later ones are ignored.
    func deliver(_ delivered: Value) {
        lock.lock()
        guard value == nil else {
            lock.unlock()
            return
        }
        value = delivered
        let waiters = waiting
        waiting = []
        lock.unlock()
        for waiter in waiters { waiter.resume(returning: delivered) }
    }

    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let value {
                lock.unlock()
                continuation.resume(returning: value)
            } else {
                waiting.append(continuation)
                lock.unlock()
            }
        }
    }
}
