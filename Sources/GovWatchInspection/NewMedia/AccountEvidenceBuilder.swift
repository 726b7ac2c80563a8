import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchStore
import NIOCore

/// Gathers the evidence of new-media accounts: polls their feeds, checks whether stopped
/// apps can still be downloaded, and reads every known post from the store.
public struct AccountEvidenceBuilder: Sendable {
    public var http: SimpleHTTP

    public init(http: SimpleHTTP) {
        self.http = http
    }

    public func evidence(for accounts: [AccountRecord], store: Store, asOf: Date, now: @escaping @Sendable () -> Date = { Date() })
        async throws -> [AccountEvidence]
    {
        let outcomes = try await FeedPoller(http: http).poll(accounts, store: store, now: now)
        let problems = Dictionary(outcomes.map { ("\($0.account.platform.rawValue) \($0.account.id)", $0.problem) }) { a, _ in a }
        var evidence: [AccountEvidence] = []
        for account in accounts {
            var downloadable: Bool? = nil
            if account.platform == .app, account.status != .active, let url = account.downloadURL {
                downloadable = await stillAnswers(url)
            }
            evidence.append(
                AccountEvidence(
                    account: account, asOf: asOf, posts: try await store.posts(platform: account.platform, account: account.id),
                    downloadStillAnswers: downloadable, feedProblem: problems["\(account.platform.rawValue) \(account.id)"] ?? nil))
        }
        return evidence
    }

    /// Whether `url` still serves something (2xx after up to 5 redirects) within 15 s.
    func stillAnswers(_ url: String) async -> Bool {
        let prober = Prober(http: http)
        let probe = await prober.probe(siteCode: "", url: url, at: Date(timeIntervalSince1970: 0))
        return probe.ok && (200..<300).contains(probe.status ?? 0)
    }
}
