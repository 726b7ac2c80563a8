import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Synchronization
import Testing

/// A `govwatch worker` outlives a restart of its PostgreSQL server: the server is stopped
/// (`pg_ctl stop -m fast`, as an operator restarting it) while the worker is in the middle of
/// a site's crawl, and started again on the same port; the worker waits for it, keeps its task
/// (its lease is still its own), resumes the crawl from the stored frontier and finishes the
/// run, whose findings and tickets equal those of a plain `inspect` of the same targets.
@Suite(.serialized) struct WorkerOutageTests {
    @Test(.requires(ToolAvailability.postgresServer)) func aWorkerFinishesItsRunAcrossADatabaseRestart() async throws {
        let cluster = try await OwnPostgresCluster()
        defer { cluster.destroy() }
        let name = "gw_outage"
        _ = try await ScheduleProcessesTests.psql(cluster.url, "CREATE DATABASE \(name)")
        var components = try #require(URLComponents(string: cluster.url))
        components.path = "/\(name)"
        let database = try #require(components.string)
        let db = ["--db", database]
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let targets = InspectResumeTests.targets

        // The reference: the same targets inspected by one `inspect` process (SQLite).
        let whole = try ImportCommandTests.scratch()
        try await InspectResumeTests.prepare(city, in: whole)
        let plain = try await ImportCommandTests.govwatch(["inspect", "--as-of", "2022-03-31", "--proxy", server.proxyURL] + targets, in: whole)
        #expect(plain.status == 0, "\(plain.stderr)")

        let directory = try ImportCommandTests.scratch()
        for kind in RegistryFile.allCases {
            try city.registryCSVData(kind).write(to: directory.appendingPathComponent("\(kind.rawValue).csv"))
            let result = try await ImportCommandTests.govwatch(["import", kind.rawValue, "\(kind.rawValue).csv"] + db, in: directory)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let queued = try await ImportCommandTests.govwatch(["inspect", "--as-of", "2022-03-31", "--queue"] + targets + db, in: directory)
        #expect(queued.status == 0, "\(queued.stderr)")

        // One request at a time, so the worker is inside its first site's crawl when the
        // fixture server holds the 30th request; the database goes down right then.
        server.holdRequests(after: 30)
        let worker = Process()
        worker.executableURL = GovWatchBinary.url
        worker.arguments = ["worker", "--proxy", server.proxyURL, "--exit-when-idle", "--poll-seconds", "0.2", "--sites-at-once", "1", "--concurrency", "1"] + db
        worker.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GOVWATCH_DB"] = nil
        worker.environment = environment
        let output = OutputLines()
        let stdout = Pipe()
        worker.standardOutput = stdout
        let stderrFile = directory.appendingPathComponent("worker.stderr")
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        worker.standardError = try FileHandle(forWritingTo: stderrFile)
        try worker.run()
        output.collect(from: stdout.fileHandleForReading)

        await server.waitForHeldRequest()
        try await cluster.stop()
        server.releaseHeldRequests()
        // The worker saw the outage (its next store of a page failed) before the server returns.
        let noticed = await output.waitFor { $0.contains { $0.hasPrefix("数据库连接中断") } }
        try await cluster.start()
        await output.waitForEnd()
        await worker.exited()
        try await server.shutdown()
        let lines = output.lines
        let stderr = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
        #expect(noticed, "the worker never reported the outage: \(lines)")
        #expect(worker.terminationReason == .exit && worker.terminationStatus == 0, "\(lines)\n\(stderr)")
        #expect(lines.contains("数据库连接已恢复"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("数据库已恢复，继续任务：") }, "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("任务失败") }, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("检查批次 ") && $0.contains(" 完成：") }.count == 1, "\(lines)")

        // No task was tried twice: the outage was waited out, not counted as a failure.
        let tasks = try await ScheduleProcessesTests.psql(
            database, "SELECT count(*) || ' ' || max(attempts) || ' ' || count(last_error) FROM inspection_tasks", database: name)
        #expect(tasks.hasSuffix(" 1 0"), "tasks, most attempts, errors: \(tasks)")

        let expected = try await InspectResumeTests.findings(in: whole)
        let actual = try await InspectResumeTests.findings(in: directory, database: db)
        #expect(!expected.isEmpty)
        #expect(actual == expected)
        let queuedTickets = try await WorkerProcessesTests.tickets(db, in: directory)
        #expect(queuedTickets == (try await WorkerProcessesTests.tickets([], in: whole)))
    }

    /// A child's output lines, read on a thread of their own as they come.
    final class OutputLines: Sendable {
        private let state = Mutex<(text: String, ended: Bool)>(("", false))

        func collect(from handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    state.withLock { $0.text += String(decoding: chunk, as: UTF8.self) }
                }
                state.withLock { $0.ended = true }
            }
        }

        var lines: [String] { state.withLock { $0.text }.split(separator: "\n").map(String.init) }

        /// Waits until `condition` holds for the lines so far (true) or the output ends without it (false).
        func waitFor(_ condition: ([String]) -> Bool) async -> Bool {
            while true {
                let ended = state.withLock { $0.ended }
                if condition(lines) { return true }
                if ended { return false }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }

        func waitForEnd() async {
            _ = await waitFor { _ in false }
        }
    }
}
