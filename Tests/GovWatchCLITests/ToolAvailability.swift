import Foundation
import Testing

/// What a test needs that a machine may lack (a program, a Python module, a server, a folder
/// beside the clone). A test that needs it carries `.requires(…)`: locally its absence skips
/// the test — Swift Testing reports it skipped, with the reason; in CI (`CI` set) it fails
/// the test, saying what is missing. Never a pass. (One copy of this small file per test
/// target: test targets cannot share source.)
enum ToolAvailability {
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// For a helper that needs the tool: throws, naming what is missing, when it is. A test
    /// reaching it carries the trait, so this fails only in CI.
    static func require(_ missing: String?) throws {
        if let missing { throw Missing(reason: missing) }
    }

    static var pdftotext: String? { program("pdftotext", package: "poppler-utils") }

    /// The sqlite3 shell, for dumping a database as text.
    static var sqlite3: String? { program("sqlite3", package: "sqlite3") }

    /// pg_dump (and the test server), for dumping a PostgreSQL database as text.
    static var pgDump: String? { postgres ?? program("pg_dump", package: "postgresql-client") }

    /// Nil when the PostgreSQL server of `scripts/test.sh` is there to test on, else why not.
    static var postgres: String? {
        guard ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"] != nil else {
            return "GOVWATCH_TEST_POSTGRES_URL is not set (scripts/test.sh starts a throwaway PostgreSQL and sets it)"
        }
        return program("psql", package: "postgresql-client")
    }

    /// Nil when a PostgreSQL server can be started by a test itself (`initdb`, `pg_ctl` of
    /// the Debian package, and `psql`), else why not: the worker outage test stops and starts
    /// a cluster of its own, never the shared one of `scripts/test.sh`.
    static var postgresServer: String? {
        guard OwnPostgresCluster.binaries != nil else {
            return "initdb/pg_ctl are not installed (Debian package postgresql; scripts/test.sh installs it as root)"
        }
        return program("psql", package: "postgresql-client")
    }

    /// Nil when `systemd-analyze` is there to verify the deploy/ units, else why not.
    static var systemdAnalyze: String? { program("systemd-analyze", package: "systemd") }

    struct Missing: Error, CustomStringConvertible {
        var reason: String
        var description: String { "cannot run: \(reason)" }
    }

    /// Nil when `name` is an executable on PATH, else why not.
    static func program(_ name: String, package: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        return found ? nil : "\(name) is not installed (Debian package \(package); scripts/test.sh installs it as root)"
    }
}

extension Trait where Self == ConditionTrait {
    /// `@Test(.requires(ToolAvailability.pdftotext))`: skipped with the reason when missing,
    /// failed with it in CI.
    static func requires(_ missing: String?) -> Self {
        .enabled(Comment(rawValue: missing ?? "")) {
            if let missing, ToolAvailability.inCI { throw ToolAvailability.Missing(reason: missing) }
            return missing == nil
        }
    }
}
