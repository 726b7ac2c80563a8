import Foundation

/// Everything an inspection knows about one new-media account or app.
///
/// Platforms offer a city office no open API, so posts arrive from feeds (RSS/Atom/JSON
/// Feed, e.g. from RSSHub) and from platform exports (`import posts`); the inspector records
/// the interaction function; for apps, the download URL is checked over HTTP.
public struct AccountEvidence: Sendable {
    public var account: AccountRecord
    public var asOf: Date
    /// Every known post of the account (any source), any order.
    public var posts: [PostRecord]
    /// For a stopped or closed app with a download URL: whether that URL still answers
    /// (2xx after redirects). Nil when not checked.
    public var downloadStillAnswers: Bool?
    /// Why the account's feed could not be read this time, in Chinese; nil when it was read
    /// or there is none. Reported beside the findings, never a finding by itself.
    public var feedProblem: String?

    public init(account: AccountRecord, asOf: Date, posts: [PostRecord], downloadStillAnswers: Bool? = nil, feedProblem: String? = nil) {
        self.account = account
        self.asOf = asOf
        self.posts = posts
        self.downloadStillAnswers = downloadStillAnswers
        self.feedProblem = feedProblem
    }

    public var target: Target { Target(kind: .account, code: account.id, name: account.name) }

    /// Posts published at or before the as-of time, newest first.
    public var postsUpToAsOf: [PostRecord] {
        posts.filter { $0.published <= asOf }.sorted { $0.published > $1.published }
    }

    /// Whether the account is still supposed to publish.
    public var isPublishing: Bool { account.status == .active }
}
