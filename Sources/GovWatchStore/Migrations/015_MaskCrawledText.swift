import FluentKit
import Foundation
import GovWatchCore
import SQLKit

/// Masks the personal information earlier versions stored in clear: the page records of
/// crawls (`crawl_urls.record`: page text, attachment sections, titles, list items, link and
/// message titles), crawl and feed errors, and feed or imported posts (`posts`, which get a
/// `personal_info` column for the marks). Texts kept for the content checks get the marks
/// (`PersonalInfoMark`) that let the checks find the same problems, with the same
/// fingerprints, in the masked text — the same masking the crawler and the poller now apply
/// before storing (`PersonalInfoRedaction`).
///
/// The registry's `people` table (responsible people's phone numbers, entered by the office
/// for notifications) is left as it is.
struct MaskCrawledText: AsyncMigration {
    var name: String { "015_MaskCrawledText" }

    /// Rows read and rewritten per statement: memory stays flat on a large crawl.
    private static let batchSize = 500

    func prepare(on database: any Database) async throws {
        try await database.schema("posts").field("personal_info", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await Self.maskCrawlRecords(on: sql)
        try await Self.maskPosts(on: sql)
        try await Self.maskColumn("problem", of: "feed_states", on: sql)
    }

    func revert(on database: any Database) async throws {
        // What was masked stays masked: the clear text is gone, by design.
        try await database.schema("posts").deleteField("personal_info").update()
    }

    // MARK: Crawl rows

    private static func maskCrawlRecords(on sql: any SQLDatabase) async throws {
        var lastID = 0
        while true {
            let rows = try await sql.select().column("id").column("record").column("error").from("crawl_urls")
                .where(SQLIdentifier("id"), .greaterThan, SQLBind(lastID))
                .orderBy("id").limit(batchSize).all()
            guard let last = rows.last else { return }
            lastID = try last.decode(column: "id", as: Int.self)
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                let record = try row.decode(column: "record", as: String?.self)
                let error = try row.decode(column: "error", as: String?.self)
                let maskedRecord = record.flatMap(Self.maskedRecord)
                let maskedError = error.map(PersonalInfoRedaction.masked)
                guard maskedRecord != nil || maskedError != error else { continue }
                var update = sql.update("crawl_urls").where(SQLIdentifier("id"), .equal, SQLBind(id))
                if let maskedRecord { update = update.set("record", to: SQLBind(maskedRecord)) }
                if maskedError != error { update = update.set("error", to: SQLBind(maskedError)) }
                try await update.run()
            }
        }
    }

    /// The page record JSON with its texts masked, nil when nothing changes (or it is not a
    /// record). A text already carrying marks (`privacy`) was masked when stored.
    static func maskedRecord(_ json: String) -> String? {
        guard case .object(var record)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else { return nil }
        var changed = false
        func masked(_ value: JSONValue?) -> JSONValue? {
            guard case .string(let text)? = value else { return value }
            let result = PersonalInfoRedaction.masked(text)
            if result != text { changed = true }
            return .string(result)
        }
        /// `object["text"]` masked and its marks under `privacy`.
        func redactText(_ object: inout [String: JSONValue]) {
            guard case .string(let text)? = object["text"], object["privacy"] == nil || object["privacy"] == .null else { return }
            let redacted = PersonalInfoRedaction.redact(text)
            object["text"] = .string(redacted.text)
            object["privacy"] = .array(redacted.marks.map { .string($0.encoded) })
            changed = true
        }
        func maskedMembers(_ value: JSONValue?, key: String) -> JSONValue? {
            guard case .array(let elements)? = value else { return value }
            return .array(elements.map { element in
                guard case .object(var object) = element, object[key] != nil else { return element }
                object[key] = masked(object[key])
                return .object(object)
            })
        }
        if record["title"] != nil { record["title"] = masked(record["title"]) }
        record["items"] = maskedMembers(record["items"], key: "title")
        record["links"] = maskedMembers(record["links"], key: "t")
        record["messages"] = maskedMembers(record["messages"], key: "title")
        redactText(&record)
        if case .array(let sections)? = record["sections"] {
            record["sections"] = .array(sections.map { section in
                guard case .object(var object) = section else { return section }
                redactText(&object)
                return .object(object)
            })
        }
        guard changed else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(JSONValue.object(record)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Posts

    private static func maskPosts(on sql: any SQLDatabase) async throws {
        var lastID = 0
        while true {
            let rows = try await sql.select().columns("id", "account_ref", "post_key", "title", "body").from("posts")
                .where(SQLIdentifier("id"), .greaterThan, SQLBind(lastID))
                .orderBy("id").limit(batchSize).all()
            guard let last = rows.last else { return }
            lastID = try last.decode(column: "id", as: Int.self)
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                let accountRef = try row.decode(column: "account_ref", as: Int.self)
                let key = try row.decode(column: "post_key", as: String.self)
                let post = PostRecord(
                    platform: .other, account: "", published: Date(timeIntervalSince1970: 0),
                    title: try row.decode(column: "title", as: String.self), text: try row.decode(column: "body", as: String.self)
                ).masked()
                let maskedKey = PersonalInfoRedaction.masked(key)
                if maskedKey != key {
                    // Two posts whose keys differ only in a masked number are one post now.
                    let taken = try await sql.select().column("id").from("posts")
                        .where(SQLIdentifier("account_ref"), .equal, SQLBind(accountRef))
                        .where(SQLIdentifier("post_key"), .equal, SQLBind(maskedKey)).first()
                    if taken != nil {
                        try await sql.delete(from: "posts").where(SQLIdentifier("id"), .equal, SQLBind(id)).run()
                        continue
                    }
                }
                try await sql.update("posts").where(SQLIdentifier("id"), .equal, SQLBind(id))
                    .set("post_key", to: SQLBind(maskedKey)).set("title", to: SQLBind(post.title))
                    .set("body", to: SQLBind(post.text))
                    .set("personal_info", to: SQLBind(PersonalInfoMark.json(post.personalInformation ?? [])))
                    .run()
            }
        }
    }

    // MARK: Other texts

    private static func maskColumn(_ column: String, of table: String, on sql: any SQLDatabase) async throws {
        var lastID = 0
        while true {
            let rows = try await sql.select().column("id").column(SQLIdentifier(column)).from(table)
                .where(SQLIdentifier("id"), .greaterThan, SQLBind(lastID))
                .orderBy("id").limit(batchSize).all()
            guard let last = rows.last else { return }
            lastID = try last.decode(column: "id", as: Int.self)
            for row in rows {
                guard let text = try row.decode(column: column, as: String?.self) else { continue }
                let masked = PersonalInfoRedaction.masked(text)
                guard masked != text else { continue }
                try await sql.update(table).where(SQLIdentifier("id"), .equal, SQLBind(try row.decode(column: "id", as: Int.self)))
                    .set(SQLIdentifier(column), to: SQLBind(masked)).run()
            }
        }
    }
}
