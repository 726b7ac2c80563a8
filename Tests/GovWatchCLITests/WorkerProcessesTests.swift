import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

/// `govwatch inspect --queue` and `govwatch worker` processes on one PostgreSQL database: a
/// worker is killed (SIGKILL) in the middle of a site, two others take its task over once its
/// lease expires and do the rest, and the run's findings equal those of a plain `inspect`.
@Suite(.serialized) struct WorkerProcessesTests {
    @Test(.requires(ToolAvailability.postgres)) func workersShareAQueuedInspectionAndSurviveAKilledOne() async throws {
        let database = try await ScheduleProcessesTests.freshPostgresDatabase()
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
        #expect(queued.stdout.contains("已排队：网站 3 个，政务新媒体账号 2 个"), "\(queued.stdout)")
        let runCode = try #require(queued.stdout.split(separator: " ").dropFirst().first.map(String.init))
        #expect(runCode.hasPrefix("r-20220331-"))
        // A plain `inspect` of the same run would race the workers: refused.
        let racing = try await ImportCommandTests.govwatch(["inspect", "--as-of", "2022-03-31", "--proxy", server.proxyURL] + targets + db, in: directory)
        #expect(racing.status == 2 && racing.stderr.contains("检查批次 \(runCode) 已排队"), "\(racing.stderr)")

        // Short leases, so the killed worker's task is free again within seconds.
        let worker = ["worker", "--proxy", server.proxyURL, "--exit-when-idle", "--lease-seconds", "2", "--poll-seconds", "0.2"] + db
        let doomed = Process()
        doomed.executableURL = GovWatchBinary.url
        doomed.arguments = worker + ["--sites-at-once", "1", "--concurrency", "1"]
        doomed.currentDirectoryURL = directory
        let output = Pipe()
        doomed.standardOutput = output
        doomed.standardError = FileHandle.nullDevice
        try doomed.run()
        // Its start line (with its lease owner), then its first finished site; killed while it
        // holds the next task (one request at a time, so that crawl takes a while).
        var chunks = output.fileHandleForReading.chunks().makeAsyncIterator()
        var seen = ""
        while seen.split(separator: "\n").count < 2 {
            guard let chunk = await chunks.next() else { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        let owner = try #require(seen.split(separator: "\n").first?.split(separator: " ").dropFirst().first.map(String.init))
        let databaseName = String(URLComponents(string: database)!.path.dropFirst())
        for _ in 0..<200 {
            let held = try await ScheduleProcessesTests.psql(
                database, "SELECT count(*) FROM inspection_tasks WHERE lease_owner = '\(owner)' AND done_at IS NULL", database: databaseName)
            if held != "0" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(doomed.processIdentifier, SIGKILL)
        await doomed.exited()
        #expect(doomed.terminationReason == .uncaughtSignal, "the worker ended before it could be killed")

        async let first = ImportCommandTests.govwatch(worker, in: directory)
        async let second = ImportCommandTests.govwatch(worker, in: directory)
        let (a, b) = try await (first, second)
        try await server.shutdown()
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        let lines = (seen + a.stdout + b.stdout).split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("检查批次 \(runCode) 完成") }.count == 1, "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("任务失败") }, "\(lines)")
        // Every target was finished by some worker: the killed one's first, the others the rest.
        for code in ["4390000002", "4390000006", "4390000008", "hxjyfb", "hxfgw"] {
            #expect(lines.contains { $0.hasPrefix("\(code)  ") }, "\(code) missing: \(lines)")
        }

        // The killed worker's task was taken over: claimed a second time.
        let takenOver = try await ScheduleProcessesTests.psql(database, "SELECT count(*) FROM inspection_tasks WHERE attempts > 1", database: databaseName)
        #expect(takenOver == "1", "tasks claimed more than once: \(takenOver)")

        let expected = try await InspectResumeTests.findings(in: whole)
        let actual = try await InspectResumeTests.findings(in: directory, database: db)
        #expect(!expected.isEmpty)
        #expect(actual == expected)
        let scorecard = try await ImportCommandTests.govwatch(["scorecard", "--format", "csv"] + db, in: directory)
        #expect(scorecard.stdout.split(separator: "\n").count == 1 + 5, "\(scorecard.stdout)")
        // The worker that finished the run opened the same tickets as `inspect` does.
        let queuedTickets = try await Self.tickets(db, in: directory)
        #expect(!queuedTickets.isEmpty)
        #expect(queuedTickets == (try await Self.tickets([], in: whole)))
    }

    /// Fingerprint, indicator and state of every ticket.
    static func tickets(_ database: [String], in directory: URL) async throws -> [String] {
        let result = try await ImportCommandTests.govwatch(["tickets", "--format", "json"] + database, in: directory)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let tickets = json?["tickets"] as? [[String: Any]] ?? []
        return tickets.map { "\($0["fingerprint"] ?? "") \($0["indicator"] ?? "") \($0["state"] ?? "")" }.sorted()
    }
}
