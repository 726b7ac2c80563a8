import FluentKit
import SQLKit

/// An index for reading a crawl session back in id order (`Store.crawlRows`: the resume's
/// rebuild and the evidence build). Without it SQLite answered `session_id = ? AND id > ?
/// ORDER BY id` through the (session_id, url) unique index and sorted every row of the
/// session (records included) once per slice: reading a crawl back grew quadratically.
struct AddCrawlOrderIndex: AsyncMigration {
    var name: String { "007_AddCrawlOrderIndex" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "crawl_urls_session_order").on("crawl_urls").column("session_id").column("id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "crawl_urls_session_order").run()
    }
}
