import Foundation
import Testing

@testable import GovWatchStore

/// The operator's one-line error when a database cannot be opened says why in Chinese,
/// from the driver's real error.
@Suite("Database errors in the operator's words")
struct DatabaseErrorTextTests {
    @Test("nothing listening on the PostgreSQL port: the connection was refused")
    func refused() async throws {
        // Port 1 on loopback: nothing listens there (tcpmux is never run).
        let location = DatabaseLocation.postgres(url: "postgres://govwatch:secret@127.0.0.1:1/govwatch")
        let error = try await #require(throws: (any Error).self) { _ = try await Store.open(location) }
        let text = DatabaseErrorText.openFailure(error, location: location)
        #expect(text.hasPrefix("无法打开数据库 postgres://govwatch:***@127.0.0.1:1/govwatch：连接被拒绝"))
        #expect(!text.contains("secret"))
    }

    @Test("a database that does not exist on the server")
    func missingDatabase() async throws {
        // A fresh database on the test server (skipped with the reason without one), renamed.
        guard case .postgres(let url) = try await TestDatabases.fresh(.postgres) else { return }
        var components = try #require(URLComponents(string: url))
        components.path = "/gw_no_such_database_\(UUID().uuidString.prefix(8).lowercased())"
        let location = DatabaseLocation.postgres(url: components.string!)
        let error = try await #require(throws: (any Error).self) { _ = try await Store.open(location) }
        #expect(DatabaseErrorText.cause(of: error) == "数据库不存在（先用 createdb 创建）")
    }

    @Test("an SQLite file whose folder cannot be made")
    func sqliteFolder() async throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-blocker-\(UUID().uuidString)")
        try Data("a file, not a folder".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let location = DatabaseLocation.sqlite(path: blocker.appendingPathComponent("sub/db.sqlite").path)
        let error = try await #require(throws: (any Error).self) { _ = try await Store.open(location) }
        #expect(DatabaseErrorText.cause(of: error).contains("无法创建"))
    }
}
