import FluentKit
import SQLKit

/// The crawler's persistent state: one session per crawl of a site, and one row per URL
/// the crawl admitted (its place in the frontier, then its result).
///
/// Rows are written as the crawl goes, so a crawl killed at any moment resumes from the
/// database: `queued` rows are the frontier, `done` rows keep what was learned, and the
/// `(session_id, url)` uniqueness makes a rerun unable to duplicate a URL. The newest
/// finished session of a site also serves conditional requests (ETag / Last-Modified)
/// of the next inspection.
struct CreateCrawlState: AsyncMigration {
    var name: String { "004_CreateCrawlState" }

    func prepare(on database: any Database) async throws {
        try await database.schema("crawl_sessions")
            .field(.id, .int, .identifier(auto: true))
            .field("session_key", .string, .required)
            .field("site_code", .string, .required)
            .field("as_of", .datetime, .required)
            .field("status", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("settings", .string, .required)
            .unique(on: "session_key")
            .create()
        try await database.schema("crawl_urls")
            .field(.id, .int, .identifier(auto: true))
            .field("session_id", .int, .required, .references("crawl_sessions", .id, onDelete: .cascade))
            .field("url", .string, .required)
            .field("depth", .int, .required)
            .field("role", .string, .required)
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("status", .int)
            .field("error", .string)
            .field("final_url", .string)
            .field("content_hash", .string)
            .field("etag", .string)
            .field("last_modified", .string)
            .field("not_modified", .bool, .required)
            .field("record", .string)
            .unique(on: "session_id", "url")
            .create()
        // The frontier query: a session's queued rows of one depth, in id order.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "crawl_urls_frontier").on("crawl_urls")
                .column("session_id").column("state").column("depth").column("id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("crawl_urls").delete()
        try await database.schema("crawl_sessions").delete()
    }
}
