import FluentKit
import Foundation

/// One crawl of one site (see `CreateCrawlState`): `running` until every admitted URL is
/// done, then `finished`. A running session is what a rerun after a crash resumes.
public final class CrawlSessionRow: Model, @unchecked Sendable {
    public static let schema = "crawl_sessions"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    /// Chosen by the caller (e.g. run code + site code): the same key resumes the same crawl.
    @Field(key: "session_key") public var key: String
    @Field(key: "site_code") public var siteCode: String
    @Field(key: "as_of") public var asOf: Date
    /// `running` or `finished`.
    @Field(key: "status") public var status: String
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// The crawl limits in effect, as text, so a resumed crawl can be told apart from a different one.
    @Field(key: "settings") public var settings: String
    public init() {}
}

/// One URL of a crawl session: its frontier entry and, once fetched, its result.
public final class CrawlURLRow: Model, @unchecked Sendable {
    public static let schema = "crawl_urls"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "session_id") public var sessionID: Int
    /// The normalised URL.
    @Field(key: "url") public var url: String
    /// Link distance from the homepage (imported columns count as depth 1).
    @Field(key: "depth") public var depth: Int
    /// `page` (fetched and parsed), `attachment` (fetched, text extracted) or `check` (status only).
    @Field(key: "role") public var role: String
    /// The link kind it was found as: `page`, `image`, `attachment`, `script`, `style`, `frame`.
    @Field(key: "kind") public var kind: String
    /// `queued`, `done` or `skipped`.
    @Field(key: "state") public var state: String
    @OptionalField(key: "status") public var status: Int?
    /// Why it failed, in Chinese.
    @OptionalField(key: "error") public var error: String?
    @OptionalField(key: "final_url") public var finalURL: String?
    @OptionalField(key: "content_hash") public var contentHash: String?
    @OptionalField(key: "etag") public var etag: String?
    @OptionalField(key: "last_modified") public var lastModified: String?
    /// The server answered 304 to a conditional request; `record` was carried over.
    @Field(key: "not_modified") public var notModified: Bool
    /// What was extracted from the page or attachment (JSON written by the crawler).
    @OptionalField(key: "record") public var record: String?
    public init() {}
}
