import FluentKit
import Foundation
import GovWatchCore

/// The validators and outcome of an account's last feed poll.
public struct FeedState: Sendable, Hashable {
    public var feedURL: String
    public var etag: String?
    public var lastModified: String?
    public var polledAt: Date
    /// Why the last poll failed, in Chinese; nil when it succeeded.
    public var problem: String?

    public init(feedURL: String, etag: String? = nil, lastModified: String? = nil, polledAt: Date, problem: String? = nil) {
        self.feedURL = feedURL
        self.etag = etag
        self.lastModified = lastModified
        self.polledAt = polledAt
        self.problem = problem
    }
}

public final class FeedStateRow: Model, @unchecked Sendable {
    public static let schema = "feed_states"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "account_ref") public var accountRef: Int
    @Field(key: "feed_url") public var feedURL: String
    @OptionalField(key: "etag") public var etag: String?
    @OptionalField(key: "last_modified") public var lastModified: String?
    @Field(key: "polled_at") public var polledAt: Date
    @OptionalField(key: "problem") public var problem: String?
    public init() {}
}

/// Feed polling: validators per account and incremental storage of posts.
extension Store {
    func accountRow(platform: Platform, id: String, on db: any Database) async throws -> AccountRow {
        guard
            let row = try await AccountRow.query(on: db).filter(\.$platform == platform.rawValue)
                .filter(\.$accountID == id).first()
        else { throw UnknownAccount(platform: platform, id: id) }
        return row
    }

    public struct UnknownAccount: Error, CustomStringConvertible {
        public var platform: Platform
        public var id: String
        public var description: String { "\(platform.chineseName)账号“\(id)”未登记" }
    }

    public func feedState(platform: Platform, account id: String) async throws -> FeedState? {
        let account = try await accountRow(platform: platform, id: id, on: database)
        guard let row = try await FeedStateRow.query(on: database).filter(\.$accountRef == account.requireID()).first() else {
            return nil
        }
        return FeedState(feedURL: row.feedURL, etag: row.etag, lastModified: row.lastModified, polledAt: row.polledAt, problem: row.problem)
    }

    /// Stores a poll's outcome and the posts it brought; posts already known (same URL or
    /// feed id) are updated in place, so polling again adds only new posts.
    ///
    /// A feed lists an account's latest posts: a post taken from the feed earlier, as recent as
    /// the oldest one the feed lists now yet missing from it, was withdrawn by the unit (the
    /// usual fix of a post with personal information) and is removed, so the next inspection
    /// no longer finds its problems and closes their tickets. Older posts, which merely fell
    /// out of the feed's window, and posts from an import stay.
    /// Returns how many posts were new.
    @discardableResult
    ///
    /// Posts are stored masked (`PostRecord.masked()`), with marks of where their personal
    /// information was; the poll's problem is masked too (it may quote the feed).
    public func recordFeedPoll(platform: Platform, account id: String, state: FeedState, posts: [PostRecord]) async throws -> Int {
        let posts = posts.map { $0.masked() }
        let state = FeedState(
            feedURL: state.feedURL, etag: state.etag, lastModified: state.lastModified, polledAt: state.polledAt,
            problem: state.problem.map(PersonalInfoRedaction.masked))
        return try await database.transaction { db in
            let account = try await self.accountRow(platform: platform, id: id, on: db)
            let accountRef = try account.requireID()
            let row = try await FeedStateRow.query(on: db).filter(\.$accountRef == accountRef).first() ?? FeedStateRow()
            row.accountRef = accountRef
            row.feedURL = state.feedURL
            // A failed poll keeps the validators of the last good one.
            if state.problem == nil {
                row.etag = state.etag
                row.lastModified = state.lastModified
            }
            row.polledAt = state.polledAt
            row.problem = state.problem
            try await row.save(on: db)

            let keys = Set(posts.map(\.key))
            let existing = try await PostRow.query(on: db).filter(\.$accountRef == accountRef)
                .filter(\.$key ~~ Array(keys)).all().keyed(by: \.key)
            var fresh: [PostRow] = []
            var seen: Set<String> = []
            for post in posts where seen.insert(post.key).inserted {
                if let current = existing[post.key] {
                    if !current.matches(post, accountRef: accountRef, source: current.source) {
                        current.assign(post, accountRef: accountRef, source: current.source)
                        try await current.update(on: db)
                    }
                } else {
                    let row = PostRow()
                    row.assign(post, accountRef: accountRef, source: "feed")
                    fresh.append(row)
                }
            }
            var start = 0
            while start < fresh.count {
                let end = min(start + Self.insertBatchSize, fresh.count)
                try await Array(fresh[start..<end]).create(on: db)
                start = end
            }
            if let windowStart = posts.map(\.published).min() {
                try await PostRow.query(on: db).filter(\.$accountRef == accountRef).filter(\.$source == "feed")
                    .filter(\.$published >= windowStart).filter(\.$key !~ Array(keys)).delete()
            }
            return fresh.count
        }
    }

    /// The posts of one account, oldest first.
    public func posts(platform: Platform, account id: String) async throws -> [PostRecord] {
        let account = try await accountRow(platform: platform, id: id, on: database)
        return try await PostRow.query(on: database).filter(\.$accountRef == account.requireID()).sort(\.$published).all()
            .map {
                PostRecord(platform: platform, account: id, published: $0.published, title: $0.title, url: $0.url, text: $0.text,
                           guid: $0.key.hasPrefix("guid:") ? String($0.key.dropFirst(5)) : nil,
                           personalInformation: PersonalInfoMark.marks(json: $0.personalInfo))
            }
    }
}
