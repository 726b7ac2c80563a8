import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchStore
import NIOCore
import NIOHTTP1

/// Polls accounts' feeds (RSS 2.0, Atom, JSON Feed) and stores new posts.
///
/// Conditional requests (ETag / Last-Modified) make an unchanged feed cost one 304. A
/// malformed, empty, huge or slow feed is recorded as the account's feed problem and the
/// other accounts go on.
public struct FeedPoller: Sendable {
    public var http: SimpleHTTP
    /// Whole-response deadline of one feed.
    public var timeout: TimeAmount = .seconds(30)
    /// A bigger feed is refused (a bridge gives tens of items, not megabytes).
    public var maxBytes = 5 << 20

    public init(http: SimpleHTTP) {
        self.http = http
    }

    /// What one poll of one account did.
    public struct Outcome: Sendable {
        public var account: AccountRecord
        public var newPosts: Int
        public var notModified: Bool
        public var problem: String?
    }

    /// Polls every account with a feed among `accounts`, `concurrency` at a time.
    public func poll(_ accounts: [AccountRecord], store: Store, concurrency: Int = 4, now: @escaping @Sendable () -> Date = { Date() })
        async throws -> [Outcome]
    {
        let withFeeds = accounts.filter { $0.feed != nil }
        var outcomes: [Outcome] = []
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            var pending = withFeeds.makeIterator()
            func startNext() {
                guard let account = pending.next() else { return }
                group.addTask { try await poll(account, store: store, now: now()) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                startNext()
            }
        }
        return outcomes.sorted { ($0.account.platform.rawValue, $0.account.id) < ($1.account.platform.rawValue, $1.account.id) }
    }

    /// Polls one account's feed and stores what it brought.
    public func poll(_ account: AccountRecord, store: Store, now: Date) async throws -> Outcome {
        guard let feed = account.feed else {
            return Outcome(account: account, newPosts: 0, notModified: false, problem: nil)
        }
        let previous = try await store.feedState(platform: account.platform, account: account.id)
        let validators = previous?.feedURL == feed ? previous : nil
        do {
            let fetched = try await fetch(feed, etag: validators?.etag, lastModified: validators?.lastModified)
            guard let body = fetched.body else {
                // 304: nothing new; keep the validators.
                try await store.recordFeedPoll(
                    platform: account.platform, account: account.id,
                    state: FeedState(feedURL: feed, etag: validators?.etag, lastModified: validators?.lastModified, polledAt: now),
                    posts: [])
                return Outcome(account: account, newPosts: 0, notModified: true, problem: nil)
            }
            let (_, items) = try FeedParser.parse(body)
            let posts = items.compactMap { Self.post(from: $0, account: account) }
            let added = try await store.recordFeedPoll(
                platform: account.platform, account: account.id,
                state: FeedState(feedURL: feed, etag: fetched.etag, lastModified: fetched.lastModified, polledAt: now),
                posts: posts)
            return Outcome(account: account, newPosts: added, notModified: false, problem: items.isEmpty ? "数据源中没有任何信息" : nil)
        } catch let error as FeedError {
            // A parse error may quote the feed: reported and logged masked.
            let reason = PersonalInfoRedaction.masked(error.reason)
            try await recordProblem(reason, account: account, feed: feed, now: now, store: store)
            return Outcome(account: account, newPosts: 0, notModified: false, problem: reason)
        } catch let error as FetchProblem {
            try await recordProblem(error.reason, account: account, feed: feed, now: now, store: store)
            return Outcome(account: account, newPosts: 0, notModified: false, problem: error.reason)
        } catch {
            let reason = PersonalInfoRedaction.masked(Prober.describe(error))
            try await recordProblem(reason, account: account, feed: feed, now: now, store: store)
            return Outcome(account: account, newPosts: 0, notModified: false, problem: reason)
        }
    }

    private func recordProblem(_ reason: String, account: AccountRecord, feed: String, now: Date, store: Store) async throws {
        try await store.recordFeedPoll(
            platform: account.platform, account: account.id, state: FeedState(feedURL: feed, polledAt: now, problem: reason), posts: [])
    }

    struct FetchProblem: Error {
        var reason: String
    }

    struct Fetched {
        var body: Data?
        var etag: String?
        var lastModified: String?
    }

    /// GET with validators; follows redirects as the fetch policy says; refuses bodies over `maxBytes`.
    func fetch(_ url: String, etag: String?, lastModified: String?) async throws -> Fetched {
        let deadline = NIODeadline.now() + timeout
        var current = url
        for _ in 0...http.policy.maximumRedirects {
            var headers = http.policy.headers(accept: FetchPolicy.acceptFeeds, compressed: false)
            if let etag { headers.add(name: "If-None-Match", value: etag) }
            if let lastModified { headers.add(name: "If-Modified-Since", value: lastModified) }
            let response: SimpleHTTP.Response
            do {
                response = try await http.get(current, headers: headers, deadline: deadline, maxBytes: maxBytes)
            } catch let error as SimpleHTTP.TooLarge {
                throw FetchProblem(reason: "数据源过大（超过 \(error.limit / 1024) KB）")
            }
            let status = response.status
            let verdict = FetchPolicy.classify(status: status)
            if verdict == .notModified { return Fetched(body: nil, etag: etag, lastModified: lastModified) }
            if verdict == .redirect, let location = response.headers.first(name: "Location"),
                let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString
            {
                current = next
                continue
            }
            guard verdict == .loaded else { throw FetchProblem(reason: "数据源返回 HTTP \(status)") }
            return Fetched(
                body: response.body, etag: response.headers.first(name: "ETag"), lastModified: response.headers.first(name: "Last-Modified"))
        }
        throw FetchProblem(reason: "数据源重定向次数过多")
    }

    /// A post from a feed item: HTML reduced to its visible text; items without a date are
    /// skipped (a post with no time cannot show the account is updated).
    static func post(from item: FeedItem, account: AccountRecord) -> PostRecord? {
        guard let published = item.published else { return nil }
        let text = item.contentIsHTML ? HTMLDocument(html: item.content).visibleText(includeAttributes: false).string : item.content
        return PostRecord(
            platform: account.platform, account: account.id, published: published, title: item.title,
            url: item.link, text: text, guid: item.link == nil ? item.guid : nil)
    }
}
