import Foundation

// How late a task of the tests' concurrency pool runs while N child processes (`sleep 3`)
// are awaited beside it: with Foundation's blocking `waitUntilExit()` in an async function,
// and with `ChildProcess.run` of Tests/GovWatchTestSupport (compiled in with this file).
// The probe task sleeps 0.3 s and then needs a pool thread for an instant; its lateness is
// what every other test of `swift test` waits.

func blocking() async throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sleep")
    process.arguments = ["3"]
    try process.run()
    process.waitUntilExit()
}

func awaiting() async throws {
    _ = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sleep"), ["3"])
}

func lateness(children: Int, _ child: @escaping @Sendable () async throws -> Void) async throws -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    let probe = Task.detached { () -> Duration in
        try? await Task.sleep(for: .milliseconds(300))
        return clock.now - start - .milliseconds(300)
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<children { group.addTask { try await child() } }
        try await group.waitForAll()
    }
    return await probe.value
}

func seconds(_ duration: Duration) -> String {
    let (whole, attoseconds) = duration.components
    return String(format: "%.3f", Double(whole) + Double(attoseconds) / 1e18)
}

print("| children at once | waitUntilExit(): probe late by (s) | ChildProcess.run: probe late by (s) |")
print("|---|---|---|")
for children in [1, 2, 4, 8] {
    let blocked = try await lateness(children: children, blocking)
    let awaited = try await lateness(children: children, awaiting)
    print("| \(children) | \(seconds(blocked)) | \(seconds(awaited)) |")
}
