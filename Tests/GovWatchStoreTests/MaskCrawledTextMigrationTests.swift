import Foundation
import GovWatchCore
@testable import GovWatchStore
import SQLKit
import Testing

/// `015_MaskCrawledText` on a database as the previous version left it: the schema before
/// the migration (the migration reverted and unrecorded), holding a page record, an
/// attachment, a crawl error, a feed problem and a post with ID and mobile numbers in clear.
/// After the migration runs (on the next open), none is left in clear, and the content
/// checks still find the same personal information, with the same masked evidence and
/// fingerprints, in what is stored.
@Suite struct MaskCrawledTextMigrationTests {
    static let idNumber = "11010519491231002X"
    static let mobile = "13912345678"
    static let otherIDNumber = "510402199001011234"
    static let pageText = "关于2022年低保对象的公示\n张三，身份证号：\(idNumber)，联系电话：\(mobile)，住址：鸿溪市青山县。"
    static let sheetText = "序号\t姓名\t身份证号\n1\t李四\t\(otherIDNumber)"
    static let postText = "请王五（电话 \(mobile)）到社区领取补贴。"

    /// A record as the previous version's crawler wrote it (the keys of `PageRecord`).
    static func clearRecord() throws -> String {
        let record: [String: Any] = [
            "title": "低保公示", "items": [[String: Any]](), "placeholder": false, "nextPages": [String](),
            "moreLinks": [String](), "messages": [[String: Any]](), "search": [String](),
            "links": [["u": "http://mzj.hongxi.gov.cn/a.xlsx", "k": "attachment", "t": "咨询\(mobile)"]],
            "text": pageText,
            "sections": [["label": "Sheet1", "text": sheetText]],
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test(arguments: TestDatabases.backends) func clearTextOfThePreviousSchemaIsMaskedWithTheSameFindings(
        _ backend: TestDatabases.Backend
    ) async throws {
        let location = try await TestDatabases.fresh(backend)
        // The previous schema: every migration, then this one reverted and forgotten.
        var store = try await Store.open(location)
        let sql = try #require(store.database as? any SQLDatabase)
        try await MaskCrawledText().revert(on: store.database)
        try await sql.delete(from: "_fluent_migrations").where("name", .equal, SQLBind(MaskCrawledText().name)).run()
        try await Self.insertClearRows(sql)
        await store.close()

        store = try await Store.open(location)
        let migrated = try #require(store.database as? any SQLDatabase)
        let crawl = try await migrated.select().columns("record", "error").from("crawl_urls").all()
        let post = try #require(try await migrated.select().columns("post_key", "title", "body", "personal_info").from("posts").first())
        let problem = try await migrated.select().column("problem").from("feed_states").first()?.decode(column: "problem", as: String?.self)
        var texts: [String?] = [try post.decode(column: "title", as: String.self), try post.decode(column: "body", as: String.self), problem]
        for row in crawl {
            texts += [try row.decode(column: "record", as: String?.self), try row.decode(column: "error", as: String?.self)]
        }
        for text in texts.compactMap({ $0 }) {
            for clear in [Self.idNumber, Self.mobile, Self.otherIDNumber] {
                #expect(!text.contains(clear), "\(clear) left in clear: \(text)")
            }
        }

        // The page and its attachment: the same findings from the masked text and its marks.
        let scanner = try ContentScanner.standard()
        let target = Target(kind: .site, code: "4390000001", name: "鸿溪市民政局")
        let recordJSON = try #require(try crawl.compactMap { try $0.decode(column: "record", as: String?.self) }.first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(recordJSON.utf8)) as? [String: Any])
        let maskedText = try #require(record["text"] as? String)
        let marks = try #require((record["privacy"] as? [String])?.compactMap(PersonalInfoMark.init(encoded:)))
        #expect(maskedText.contains("110105********002X") && maskedText.contains("139****5678"))
        Self.expectSameFindings(
            clear: scanner.scan(Self.pageText).findings(target: target, url: "http://mzj.hongxi.gov.cn/a.html"),
            masked: scanner.scan(maskedText, personalInformation: marks).findings(target: target, url: "http://mzj.hongxi.gov.cn/a.html"))
        let section = try #require((record["sections"] as? [[String: Any]])?.first)
        let sectionMarks = try #require((section["privacy"] as? [String])?.compactMap(PersonalInfoMark.init(encoded:)))
        Self.expectSameFindings(
            clear: scanner.scan(Self.sheetText).findings(target: target, url: "http://mzj.hongxi.gov.cn/a.xlsx#Sheet1"),
            masked: scanner.scan(try #require(section["text"] as? String), personalInformation: sectionMarks)
                .findings(target: target, url: "http://mzj.hongxi.gov.cn/a.xlsx#Sheet1"))
        let links = try #require(record["links"] as? [[String: Any]])
        #expect(links.first?["t"] as? String == "咨询139****5678")

        // The post, as the account checks read it back from the store.
        let posts = try await store.posts(platform: .weibo, account: "hxmz")
        let stored = try #require(posts.first)
        #expect(stored.personalInformation?.count == 1)
        let account = Target(kind: .account, code: "weibo:hxmz", name: "鸿溪民政")
        let clearPost = PostRecord(platform: .weibo, account: "hxmz", published: stored.published, title: "领取通知", text: Self.postText)
        Self.expectSameFindings(
            clear: scanner.scan(clearPost.scannedText).findings(target: account, url: "post-1"),
            masked: scanner.scan(stored.scannedText, personalInformation: stored.personalInformation).findings(target: account, url: "post-1"))
        // Migrated once: opening again changes nothing.
        await store.close()
        store = try await Store.open(location)
        let again = try await store.posts(platform: .weibo, account: "hxmz")
        #expect(again == posts)
        await store.close()
    }

    static func expectSameFindings(clear: [Finding], masked: [Finding]) {
        #expect(!clear.isEmpty)
        #expect(masked.map(\.fingerprint) == clear.map(\.fingerprint))
        #expect(masked.map(\.detail) == clear.map(\.detail))
        #expect(masked.map(\.evidence) == clear.map(\.evidence))
    }

    static func insertClearRows(_ sql: any SQLDatabase) async throws {
        let now = Date(timeIntervalSince1970: 1_648_656_000)
        try await sql.insert(into: "units").columns("name").values(SQLBind("鸿溪市民政局")).run()
        let unit = try #require(try await sql.select().column("id").from("units").first()?.decode(column: "id", as: Int.self))
        try await sql.insert(into: "accounts").columns("platform", "account_id", "name", "unit_id", "is_main", "status")
            .values(SQLBind("weibo"), SQLBind("hxmz"), SQLBind("鸿溪民政"), SQLBind(unit), SQLBind(true), SQLBind("active")).run()
        let account = try #require(try await sql.select().column("id").from("accounts").first()?.decode(column: "id", as: Int.self))
        try await sql.insert(into: "posts").columns("account_ref", "post_key", "published", "title", "url", "body", "source")
            .values(
                SQLBind(account), SQLBind("post-1"), SQLBind(now), SQLBind("领取通知"), SQLBind("post-1"), SQLBind(postText),
                SQLBind("feed")
            ).run()
        try await sql.insert(into: "feed_states").columns("account_ref", "feed_url", "polled_at", "problem")
            .values(SQLBind(account), SQLBind("http://feed.example/hxmz"), SQLBind(now), SQLBind("订阅源内容无法解析：“联系\(mobile)”")).run()
        try await sql.insert(into: "crawl_sessions").columns("session_key", "site_code", "as_of", "status", "started_at", "settings")
            .values(SQLBind("run-1 4390000001"), SQLBind("4390000001"), SQLBind(now), SQLBind("finished"), SQLBind(now), SQLBind("{}"))
            .run()
        let session = try #require(try await sql.select().column("id").from("crawl_sessions").first()?.decode(column: "id", as: Int.self))
        try await sql.insert(into: "crawl_urls")
            .columns("session_id", "url", "depth", "role", "kind", "state", "status", "error", "not_modified", "record")
            .values(
                SQLBind(session), SQLBind("http://mzj.hongxi.gov.cn/a.html"), SQLBind(1), SQLBind("page"), SQLBind("page"),
                SQLBind("done"), SQLBind(200), SQLBind(String?.none), SQLBind(false), SQLBind(try clearRecord())
            )
            .values(
                SQLBind(session), SQLBind("http://mzj.hongxi.gov.cn/b.html"), SQLBind(2), SQLBind("page"), SQLBind("page"),
                SQLBind("done"), SQLBind(Int?.none), SQLBind("无法连接：\(mobile)"), SQLBind(false), SQLBind(String?.none)
            ).run()
    }
}
