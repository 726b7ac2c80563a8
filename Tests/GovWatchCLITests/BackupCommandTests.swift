import Foundation
import GovWatchTestSupport
import Testing

/// `govwatch backup`, `restore` and `migrate` on the sample city's database (the one `govwatch
/// demo` builds, with a user, a stored setting and a ticket attachment added), as an operator
/// runs them: the real binary, a real PostgreSQL (the server of `scripts/test.sh`), and real
/// writer processes while a backup is taken.
@Suite struct BackupCommandTests {
    static func govwatch(_ arguments: [String], in directory: URL) async throws -> ProcessOutput {
        try await ImportCommandTests.govwatch(arguments, in: directory)
    }

    /// The demo's database, built once for the suite (~1 min in a debug build).
    static let sampleCity = Task<URL, any Error> {
        let directory = try ImportCommandTests.scratch()
        let demo = try await govwatch(["demo", "--no-serve", "--output", directory.appendingPathComponent("demo").path], in: directory)
        guard demo.status == 0 else { throw Failure("demo failed: \(demo.stderr)") }
        let database = directory.appendingPathComponent("demo/govwatch.sqlite")
        let db = "sqlite://\(database.path)"
        let open = try await govwatch(["tickets", "list", "--state", "open", "--format", "json", "--db", db], in: directory)
        let tickets = try JSONSerialization.jsonObject(with: Data(open.stdout.utf8)) as? [String: [[String: Any]]]
        guard let code = tickets?["tickets"]?.first?["id"] as? String else { throw Failure("no open ticket: \(open.stderr)") }
        let letter = directory.appendingPathComponent("整改说明.pdf")
        try Data("%PDF-1.4 盖章的整改说明".utf8).write(to: letter)
        for arguments in [
            ["tickets", "feedback", code, "--text", "已整改", "--attach", letter.path, "--actor", "单位管理员"],
            ["users", "add", "admin", "--role", "admin"],
            ["prune", "--set-keep-runs", "6", "--dry-run"],
        ] {
            let result = try await govwatch(arguments + ["--db", db], in: directory)
            guard result.status == 0 else { throw Failure("\(arguments) failed: \(result.stderr)") }
        }
        return database
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A copy of the sample city's database in a fresh folder.
    static func copyOfSampleCity() async throws -> (directory: URL, db: String) {
        let source = try await sampleCity.value
        let directory = try ImportCommandTests.scratch()
        let copy = directory.appendingPathComponent("city.sqlite")
        try FileManager.default.copyItem(at: source, to: copy)
        return (directory, "sqlite://\(copy.path)")
    }

    /// A fresh database on the PostgreSQL server of `scripts/test.sh`.
    static func freshPostgres() async throws -> String {
        let base = try #require(ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"])
        var components = try #require(URLComponents(string: base))
        let name = "gw_backup_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let created = try await shell("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-d", base, "-c", "CREATE DATABASE \(name)"])
        #expect(created.status == 0, "\(created.stderr)")
        components.path = "/\(name)"
        return components.string!
    }

    static func shell(_ program: String, _ arguments: [String]) async throws -> ProcessOutput {
        try await ChildProcess.program(program, arguments)
    }

    /// What the product shows of the tickets: the list and every history with its attachments.
    static func ticketViews(_ db: String, in directory: URL) async throws -> [String] {
        let list = try await govwatch(["tickets", "list", "--format", "json", "--as-of", "2022-04-05", "--db", db], in: directory)
        #expect(list.status == 0, "\(list.stderr)")
        var views = [list.stdout]
        for code in ["T-000001", "T-000022", "T-000094"] {
            views.append(try await govwatch(["tickets", "history", code, "--db", db], in: directory).stdout)
        }
        return views
    }

    /// The per-table lines (`表 源行数 目标行数 …`) of a restore or migrate report.
    static func tableRows(_ output: String) -> [String: (Int, Int)] {
        var rows: [String: (Int, Int)] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 6, let left = Int(fields[1]), let right = Int(fields[2]) { rows[String(fields[0])] = (left, right) }
        }
        return rows
    }

    @Test func sqliteBackupRestoresWithIdenticalChecksumsAndRefusesANonEmptyDatabase() async throws {
        let (directory, db) = try await Self.copyOfSampleCity()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backup = try await Self.govwatch(["backup", "--to", "city-backup.zip", "--db", db], in: directory)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.hasPrefix("备份完成：") && backup.stdout.contains("SQLite 在线快照"))

        let restored = "sqlite://restored.sqlite"
        let restore = try await Self.govwatch(["restore", "--from", "city-backup.zip", "--db", restored], in: directory)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains("行数和校验和与备份一致") && !restore.stdout.contains("不一致"))
        let rows = Self.tableRows(restore.stdout)
        #expect(rows["tickets"]?.0 == 94 && rows["ticket_attachments"]?.0 == 1 && rows["users"]?.0 == 1 && rows["settings"]?.0 == 1)
        #expect(rows.allSatisfy { $0.value.0 == $0.value.1 })
        #expect(try await Self.ticketViews(restored, in: directory) == Self.ticketViews(db, in: directory))

        // The restored database is not empty any more: a second restore is refused, changing nothing.
        let again = try await Self.govwatch(["restore", "--from", "city-backup.zip", "--db", restored], in: directory)
        #expect(again.status == 1 && again.stderr.contains("已有数据，未恢复") && again.stderr.contains("--force"))
        let forced = try await Self.govwatch(["restore", "--from", "city-backup.zip", "--db", restored, "--force"], in: directory)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try await Self.ticketViews(restored, in: directory) == Self.ticketViews(db, in: directory))

        let notABackup = try await Self.govwatch(["restore", "--from", "nothing.zip", "--db", "sqlite://other.sqlite"], in: directory)
        #expect(notABackup.status == 1 && notABackup.stderr.contains("不存在"))
    }

    @Test(.requires(ToolAvailability.postgres)) func migrateToPostgreSQLAndBackKeepsEveryChecksumAndTheProductWorks() async throws {
        let (directory, db) = try await Self.copyOfSampleCity()
        defer { try? FileManager.default.removeItem(at: directory) }
        let postgres = try await Self.freshPostgres()
        let migrated = try await Self.govwatch(["migrate", "--to", postgres, "--db", db], in: directory)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("行数和校验和全部一致") && !migrated.stdout.contains("不一致"))
        let rows = Self.tableRows(migrated.stdout)
        #expect(rows["crawl_urls"].map { $0.0 > 0 && $0.0 == $0.1 } == true && rows["ticket_attachments"]?.1 == 1)
        #expect(try await Self.ticketViews(postgres, in: directory) == Self.ticketViews(db, in: directory))

        // The copied ids left PostgreSQL's sequences behind them: new rows get fresh ids.
        let added = try await Self.govwatch(["users", "add", "inspector", "--role", "inspector", "--db", postgres], in: directory)
        #expect(added.status == 0, "\(added.stderr)")
        let refused = try await Self.govwatch(["migrate", "--to", postgres, "--db", db], in: directory)
        #expect(refused.status == 1 && refused.stderr.contains("已有数据"))

        let back = try await Self.govwatch(["migrate", "--to", "sqlite://back.sqlite", "--db", postgres], in: directory)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try await Self.ticketViews("sqlite://back.sqlite", in: directory) == Self.ticketViews(db, in: directory))
        #expect(Self.tableRows(back.stdout)["users"]?.1 == 2)
    }

    @Test(.requires(ToolAvailability.postgres)) func postgresBackupThroughPgDumpAndALogicalExportRestore() async throws {
        let (directory, db) = try await Self.copyOfSampleCity()
        defer { try? FileManager.default.removeItem(at: directory) }
        let postgres = try await Self.freshPostgres()
        #expect(try await Self.govwatch(["migrate", "--to", postgres, "--db", db], in: directory).status == 0)

        let dump = try await Self.govwatch(["backup", "--to", "pg.zip", "--db", postgres], in: directory)
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains("pg_dump"))
        let target = try await Self.freshPostgres()
        let restored = try await Self.govwatch(["restore", "--from", "pg.zip", "--db", target], in: directory)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try await Self.ticketViews(target, in: directory) == Self.ticketViews(db, in: directory))
        let intoSQLite = try await Self.govwatch(["restore", "--from", "pg.zip", "--db", "sqlite://no.sqlite"], in: directory)
        #expect(intoSQLite.status == 1 && intoSQLite.stderr.contains("--logical"))

        let logical = try await Self.govwatch(["backup", "--logical", "--to", "logical.zip", "--db", postgres], in: directory)
        #expect(logical.status == 0, "\(logical.stderr)")
        let fromLogical = try await Self.govwatch(["restore", "--from", "logical.zip", "--db", "sqlite://logical.sqlite"], in: directory)
        #expect(fromLogical.status == 0, "\(fromLogical.stderr)")
        #expect(try await Self.ticketViews("sqlite://logical.sqlite", in: directory) == Self.ticketViews(db, in: directory))
    }

    /// Starts a shell loop writing pairs of rows, each pair in one transaction, until
    /// `stop` exists; returns once the first pairs are in.
    static func startPairWriter(_ command: String, count: String, stop: URL) async throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            "-c",
            "i=0; while [ ! -e '\(stop.path)' ]; do \(command.replacingOccurrences(of: "$N", with: "$i")) >/dev/null || exit 1; i=$((i+1)); done",
        ]
        try process.run()
        while true {
            let counted = try await shell("bash", ["-c", count])
            if let rows = Int(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), rows >= 4 { break }
            guard process.isRunning else { throw Failure("the writer stopped: \(counted.stderr)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process
    }

    /// Two failed sign-ins of one writer in one transaction (the table is empty in the sample city).
    static func pairSQL(postgres: Bool) -> String {
        let (at, no) = postgres ? ("to_timestamp(1700000000)", "false") : ("1700000000", "0")
        let row = "INSERT INTO login_attempts (username, address, at, succeeded) VALUES ('writer$N', '127.0.0.1', \(at), \(no));"
        return "BEGIN; \(row) \(row) COMMIT;"
    }

    /// Backs up twice while the writer runs; each backup restores with the checksums of its
    /// manifest, and holds whole pairs only.
    static func checkBackupsUnderWrites(db: String, target: () async throws -> String, in directory: URL) async throws {
        for index in 0..<2 {
            let backup = try await govwatch(["backup", "--to", "live-\(index).zip", "--db", db], in: directory)
            #expect(backup.status == 0, "\(backup.stderr)")
            let restore = try await govwatch(["restore", "--from", "live-\(index).zip", "--db", try await target()], in: directory)
            #expect(restore.status == 0, "\(restore.stderr)")
            let audit = try #require(tableRows(restore.stdout)["login_attempts"])
            #expect(audit.0 == audit.1 && audit.0 >= 4 && audit.0 % 2 == 0, "a pair torn apart: \(audit)")
        }
    }

    @Test(.requires(ToolAvailability.sqlite3)) func anSQLiteBackupWhileAnotherProcessWritesIsConsistent() async throws {
        let (directory, db) = try await Self.copyOfSampleCity()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = String(db.dropFirst("sqlite://".count))
        let stop = directory.appendingPathComponent("stop")
        let writer = try await Self.startPairWriter(
            "sqlite3 -cmd '.timeout 10000' '\(path)' \"\(Self.pairSQL(postgres: false))\"",
            count: "sqlite3 -cmd '.timeout 10000' '\(path)' 'SELECT count(*) FROM login_attempts'", stop: stop)
        var restores = 0
        do {
            try await Self.checkBackupsUnderWrites(
                db: db, target: { restores += 1; return "sqlite://restored-\(restores).sqlite" }, in: directory)
        } catch {
            FileManager.default.createFile(atPath: stop.path, contents: nil)
            await writer.exited()
            throw error
        }
        FileManager.default.createFile(atPath: stop.path, contents: nil)
        await writer.exited()
        #expect(writer.terminationStatus == 0)
    }

    @Test(.requires(ToolAvailability.postgres)) func aPgDumpBackupWhileAnotherProcessWritesIsConsistent() async throws {
        let (directory, db) = try await Self.copyOfSampleCity()
        defer { try? FileManager.default.removeItem(at: directory) }
        let postgres = try await Self.freshPostgres()
        #expect(try await Self.govwatch(["migrate", "--to", postgres, "--db", db], in: directory).status == 0)
        let stop = directory.appendingPathComponent("stop")
        let sql = Self.pairSQL(postgres: true)
        let writer = try await Self.startPairWriter(
            "psql -q -v ON_ERROR_STOP=1 -d '\(postgres)' -c \"\(sql)\"",
            count: "psql -At -d '\(postgres)' -c 'SELECT count(*) FROM login_attempts'", stop: stop)
        do {
            try await Self.checkBackupsUnderWrites(db: postgres, target: { try await Self.freshPostgres() }, in: directory)
        } catch {
            FileManager.default.createFile(atPath: stop.path, contents: nil)
            await writer.exited()
            throw error
        }
        FileManager.default.createFile(atPath: stop.path, contents: nil)
        await writer.exited()
        #expect(writer.terminationStatus == 0)
    }
}
