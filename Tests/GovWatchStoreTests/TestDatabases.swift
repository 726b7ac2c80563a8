import Foundation
import GovWatchStore
import Testing

/// The databases every store test runs against: a fresh SQLite file, and a fresh database
/// on the PostgreSQL server that `scripts/test.sh` starts (`GOVWATCH_TEST_POSTGRES_URL`).
enum TestDatabases {
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// Why PostgreSQL tests cannot run here, or nil when they can. In CI its absence is a failure.
    static var postgresUnavailable: String? {
        ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"] == nil
            ? "GOVWATCH_TEST_POSTGRES_URL is not set (run the tests with scripts/test.sh)" : nil
    }

    /// A fresh, empty database of `backend`, or nil (with the reason printed) when
    /// PostgreSQL is not available outside CI.
    static func fresh(_ backend: Backend) throws -> DatabaseLocation? {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-tests-\(UUID().uuidString)")
            return .sqlite(path: directory.appendingPathComponent("test.sqlite").path)
        case .postgres:
            guard let base = ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"],
                var components = URLComponents(string: base)
            else {
                if ProcessInfo.processInfo.environment["CI"] != nil {
                    Issue.record("PostgreSQL is required in CI: \(postgresUnavailable ?? "")")
                } else {
                    print("SKIPPED PostgreSQL store test: \(postgresUnavailable ?? "")")
                }
                return nil
            }
            let name = "gw_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try runPSQL(components, "CREATE DATABASE \(name)")
            components.path = "/\(name)"
            return .postgres(url: components.string!)
        }
    }

    static func runPSQL(_ server: URLComponents, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "psql", "-q", "-h", server.host ?? "127.0.0.1", "-p", String(server.port ?? 5432),
            "-U", server.user ?? "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "psql failed: \(sql)"])
        }
    }

    /// Opens a fresh store of `backend` for the body, then closes it.
    static func withStore(_ backend: Backend, _ body: (Store) async throws -> Void) async throws {
        guard let location = try fresh(backend) else { return }
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
