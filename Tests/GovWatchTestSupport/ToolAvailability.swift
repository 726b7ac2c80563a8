import Foundation
import Testing

/// What a test needs that a machine may lack (a program, a Python module, a server, a folder
/// beside the clone). A test that needs it carries `.requires(…)`: locally its absence skips
/// the test — Swift Testing reports it skipped, with the reason; in CI (`CI` set) it fails
/// the test, saying what is missing. Never a pass. One copy for every test target.
public enum ToolAvailability {
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// For a helper that needs the tool: throws, naming what is missing, when it is. A test
    /// reaching it carries the trait, so this fails only in CI.
    public static func require(_ missing: String?) throws {
        if let missing { throw Missing(reason: missing) }
    }

    public static var pdftotext: String? { program("pdftotext", package: "poppler-utils") }

    /// The sqlite3 shell, for dumping a database as text.
    public static var sqlite3: String? { program("sqlite3", package: "sqlite3") }

    /// pg_dump (and the test server), for dumping a PostgreSQL database as text.
    public static var pgDump: String? { postgres ?? program("pg_dump", package: "postgresql-client") }

    /// Nil when the PostgreSQL server of `scripts/test.sh` is there to test on, else why not.
    public static var postgres: String? {
        guard ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"] != nil else {
            return "GOVWATCH_TEST_POSTGRES_URL is not set (scripts/test.sh starts a throwaway PostgreSQL and sets it)"
        }
        return program("psql", package: "postgresql-client")
    }

    /// The newest `/usr/lib/postgresql/N/bin` with initdb and pg_ctl.
    public static var postgresBinaries: URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return versions.sorted { $0.compare($1, options: .numeric) == .orderedAscending }.reversed()
            .map { root.appendingPathComponent($0).appendingPathComponent("bin") }
            .first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) }
    }

    /// Nil when a PostgreSQL server can be started by a test itself (`initdb`, `pg_ctl` of
    /// the Debian package, and `psql`), else why not: the worker outage test stops and starts
    /// a cluster of its own, never the shared one of `scripts/test.sh`.
    public static var postgresServer: String? {
        guard postgresBinaries != nil else {
            return "initdb/pg_ctl are not installed (Debian package postgresql; scripts/test.sh installs it as root)"
        }
        return program("psql", package: "postgresql-client")
    }

    /// Nil when `systemd-analyze` is there to verify the deploy/ units, else why not.
    public static var systemdAnalyze: String? { program("systemd-analyze", package: "systemd") }

    /// The webhook tests' receiver is Python's http.server.
    public static var python3: String? { program("python3", package: "python3") }

    /// Nil when python3 can import pytest, python-docx and openpyxl (the notice files' check).
    /// Computed once, when Swift Testing reads the test's traits, before any test runs: the
    /// one synchronous wait for a child left in the tests.
    public static let pythonReportModules: String? = {
        if let missing = program("python3", package: "python3") { return missing }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import pytest, docx, openpyxl"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "python3 cannot be started" }
        process.waitUntilExit()
        return process.terminationStatus == 0
            ? nil : "python3 lacks pytest, python-docx or openpyxl (pip install pytest python-docx openpyxl; scripts/test.sh does it as root)"
    }()

    public struct Missing: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { "cannot run: \(reason)" }
        public init(reason: String) { self.reason = reason }
    }

    /// Nil when `name` is an executable on PATH, else why not.
    public static func program(_ name: String, package: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        return found ? nil : "\(name) is not installed (Debian package \(package); scripts/test.sh installs it as root)"
    }
}

extension Trait where Self == ConditionTrait {
    /// `@Test(.requires(ToolAvailability.pdftotext))`: skipped with the reason when missing,
    /// failed with it in CI.
    public static func requires(_ missing: String?) -> Self {
        .enabled(Comment(rawValue: missing ?? "")) {
            if let missing, ToolAvailability.inCI { throw ToolAvailability.Missing(reason: missing) }
            return missing == nil
        }
    }
}
