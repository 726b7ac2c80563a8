import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

/// Two `govwatch schedule run` *processes* on one PostgreSQL database (issue 6): after a
/// downtime each missed job runs once, and no job slot ever runs twice, whichever process
/// claims it. Both processes read one simulated clock (`--clock-start`, `--clock-speed`
/// and a shared `--clock-anchor`), so four hours of scheduling take 24 seconds.
@Suite(.serialized) struct ScheduleProcessesTests {
    /// A line the scheduler prints per run: start, kind, job, `（计划 slot）`, message.
    struct RunLine: Hashable {
        var job: String
        var due: String
        var process: String
    }

    static func runLines(_ output: String, process: String) -> [RunLine] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.components(separatedBy: "  ")
            guard fields.count >= 4, fields[3].hasPrefix("（计划 ") else { return nil }
            return RunLine(job: fields[2], due: String(fields[3].dropFirst(4).dropLast()), process: process)
        }
    }

    /// Creates an empty database on the test PostgreSQL server (the tests using it carry
    /// `.requires(ToolAvailability.postgres)`).
    static func freshPostgresDatabase() async throws -> String {
        try ToolAvailability.require(ToolAvailability.postgres)
        let base = try #require(ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"])
        var components = try #require(URLComponents(string: base))
        let name = "gw_sched_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        _ = try await psql(base, "CREATE DATABASE \(name)")
        components.path = "/\(name)"
        return components.string!
    }

    /// Runs one SQL statement with psql against `url`'s server and returns its unaligned output.
    static func psql(_ url: String, _ statement: String, database: String? = nil) async throws -> String {
        let components = URLComponents(string: url)!
        let result = try await ChildProcess.program("psql", [
            "-q", "-At", "-h", components.host ?? "127.0.0.1", "-p", String(components.port ?? 5432), "-U",
            components.user ?? "postgres", "-d", database ?? "postgres", "-v", "ON_ERROR_STOP=1", "-c", statement,
        ])
        try #require(result.status == 0, "psql failed: \(statement)\n\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.requires(ToolAvailability.postgres)) func twoSchedulerProcessesCatchUpOnceAndNeverRunAJobTwice() async throws {
        let database = try await Self.freshPostgresDatabase()
        let databaseName = String(URLComponents(string: database)!.path.dropFirst())
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let directory = try ImportCommandTests.scratch()
        for kind in RegistryFile.allCases {
            try city.registryCSVData(kind).write(to: directory.appendingPathComponent("\(kind.rawValue).csv"))
            let result = try await ImportCommandTests.govwatch(["import", kind.rawValue, "\(kind.rawValue).csv", "--db", database], in: directory)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let common = ["schedule", "run", "--kinds", "probe,feeds", "--proxy", server.proxyURL, "--db", database]

        // 2022-04-01 00:30: the jobs are created, first due within the hour; nothing runs yet.
        let setup = try await ImportCommandTests.govwatch(common + ["--once", "--clock-start", "2022-04-01T00:30:00"], in: directory)
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(Self.runLines(setup.stdout, process: "setup").isEmpty)
        let jobNames = Set(try await Self.psql(database, "SELECT name FROM scheduled_jobs", database: databaseName).split(separator: "\n").map(String.init))
        let siteCount = city.sites.count
        #expect(jobNames.count == siteCount + 1, "a probe job per site and one feeds job: \(jobNames.sorted())")

        // Down until 2022-04-03 12:00; then two processes run four simulated hours side by
        // side (1 s = 2 min), on one clock: the anchor is a moment both have started by. Slow
        // enough that a process starved for a minute by the rest of the suite (CI runs every
        // test at once on 2 cores; at 10 min a second, one started after its `--until` once
        // and ran nothing) still has hours of simulated time to work in.
        let anchor = Date().timeIntervalSince1970 + 3.0
        let simulated = common + [
            "--clock-start", "2022-04-03T12:00:00", "--clock-speed", "120", "--clock-anchor", String(anchor),
            "--until", "2022-04-03T16:00:00", "--concurrency", "4",
        ]
        async let first = ImportCommandTests.govwatch(simulated, in: directory)
        async let second = ImportCommandTests.govwatch(simulated, in: directory)
        let (a, b) = try await (first, second)
        try await server.shutdown()
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        let runs = Self.runLines(a.stdout, process: "A") + Self.runLines(b.stdout, process: "B")

        // No slot of any job ran twice, whichever process ran it.
        let slots = runs.map { "\($0.job)@\($0.due)" }
        let doubled = Dictionary(grouping: slots, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(doubled.isEmpty, "ran twice: \(doubled)")
        // Both processes did work: they really competed for the jobs.
        #expect(runs.contains { $0.process == "A" } && runs.contains { $0.process == "B" })
        // Catch-up: each job ran exactly once for all the slots missed during the downtime
        // (its stored slot of 2022-04-01), then once per slot of the four hours.
        #expect(Set(runs.map(\.job)) == jobNames)
        for job in jobNames {
            let dues = runs.filter { $0.job == job }.map(\.due).sorted()
            #expect(dues.filter { $0 < "2022-04-03" }.count == 1, "\(job): \(dues)")
            #expect(dues.filter { $0.hasPrefix("2022-04-02") }.isEmpty, "\(job): \(dues)")
            // 5 on an idle machine. The simulated clock does not wait for a starved process, and
            // missed slots collapse: a loaded CI machine once ran only the catch-up and the last.
            #expect(dues.count >= 2, "\(job): \(dues)")
        }
        // What the database holds agrees with what the processes said they ran.
        let probeRuns = runs.filter { $0.job.hasPrefix("probe:") }.count
        #expect(try await Self.psql(database, "SELECT count(*) FROM probes", database: databaseName) == String(probeRuns))
        #expect(try await Self.psql(database, "SELECT sum(runs) FROM scheduled_jobs", database: databaseName) == String(runs.count))
        #expect(try await Self.psql(database, "SELECT count(*) FROM scheduled_jobs WHERE lease_owner IS NOT NULL", database: databaseName) == "0")
    }

    @Test func badKindsAndClockAreUsageErrors() async throws {
        let directory = try ImportCommandTests.scratch()
        let kinds = try await ImportCommandTests.govwatch(["schedule", "run", "--once", "--kinds", "probe,weekly"], in: directory)
        #expect(kinds.status == 2)
        #expect(kinds.stderr.contains("--kinds 中的“weekly”无效"))
        let clock = try await ImportCommandTests.govwatch(["schedule", "run", "--once", "--clock-start", "yesterday"], in: directory)
        #expect(clock.status == 2)
        #expect(clock.stderr.contains("--clock-start"))
    }
}
