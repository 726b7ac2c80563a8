import Foundation
import GovWatchStore
import GovWatchTestSupport
import Testing

/// The databases every store test runs against: a fresh SQLite file, and a fresh database
/// on the PostgreSQL server that `scripts/test.sh` starts (`GOVWATCH_TEST_POSTGRES_URL`).
enum TestDatabases {
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// The backends a store test runs on: SQLite always; PostgreSQL when its server is there,
    /// and always in CI (where its absence fails the test). Locally without it, the PostgreSQL
    /// cases are left out and `PostgreSQLStoreTests` is reported skipped with the reason.
    static var backends: [Backend] { ToolAvailability.postgres == nil || ToolAvailability.inCI ? Backend.allCases : [.sqlite] }

    /// A fresh, empty database of `backend` (PostgreSQL on the server of `scripts/test.sh`).
    static func fresh(_ backend: Backend) async throws -> DatabaseLocation {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-tests-\(UUID().uuidString)")
            return .sqlite(path: directory.appendingPathComponent("test.sqlite").path)
        case .postgres:
            try ToolAvailability.require(ToolAvailability.postgres)
            let base = try #require(ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"])
            var components = try #require(URLComponents(string: base))
            let name = "gw_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try await runPSQL(components, "CREATE DATABASE \(name)")
            components.path = "/\(name)"
            return .postgres(url: components.string!)
        }
    }

    static func runPSQL(_ server: URLComponents, _ sql: String) async throws {
        let result = try await ChildProcess.program("psql", [
            "-q", "-h", server.host ?? "127.0.0.1", "-p", String(server.port ?? 5432),
            "-U", server.user ?? "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql,
        ])
        guard result.status == 0 else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "psql failed: \(sql)\n\(result.stderr)"])
        }
    }

    /// Opens a fresh store of `backend` for the body, then closes it.
    static func withStore(_ backend: Backend, _ body: (Store) async throws -> Void) async throws {
        let location = try await fresh(backend)
        let store = try await Store.open(location)
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// Says, through Swift Testing, whether the store tests also ran on PostgreSQL: skipped with
/// the reason when its server is not there (failed in CI), else it checks the server answers.
@Suite struct PostgreSQLStoreTests {
    @Test(.requires(ToolAvailability.postgres)) func theServerOfTheTestScriptAnswers() async throws {
        let base = try #require(ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"])
        try await TestDatabases.runPSQL(try #require(URLComponents(string: base)), "SELECT 1")
    }
}
