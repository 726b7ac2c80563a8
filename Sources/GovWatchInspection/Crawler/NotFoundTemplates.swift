import Foundation
import GovWatchPage

/// What each host of a site answers for a URL that cannot exist, asked once per host when
/// its first page is read: a host that answers such a URL with 200 has a soft-404 template,
/// and a later page of that host matching it is a broken link (`site.links.broken`).
///
/// A host answering 404 (or anything but a 200 page) has no template to compare with; a
/// host that answers every unknown URL with its homepage has none either (the homepage is
/// not a not-found page, and a link that lands there is not reported on that ground).
final class NotFoundTemplates: @unchecked Sendable {
    private let lock = NSLock()
    /// By `scheme://authority`; guarded by `lock`.
    private var probing: [String: Task<NotFoundPage.Fingerprint?, Never>] = [:]
    /// Answers known, by the same key: asked for every page, answered without a suspension.
    private var known: [String: NotFoundPage.Fingerprint?] = [:]
    private let fetcher: CrawlFetcher
    private let analyzer: PageAnalyzer
    private let homepage: NormalizedURL

    init(fetcher: CrawlFetcher, analyzer: PageAnalyzer, homepage: NormalizedURL) {
        self.fetcher = fetcher
        self.analyzer = analyzer
        self.homepage = homepage
    }

    /// A path no site has: a random folder and file name.
    static func impossiblePath() -> String {
        let token = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 36) }.joined()
        return "/govwatch-\(token)/\(token.prefix(8)).html"
    }

    /// The template of `url`'s host, asked for once (concurrent askers share one fetch).
    func template(for url: NormalizedURL) async -> NotFoundPage.Fingerprint? {
        let key = url.scheme + "://" + url.authority
        if let answer = lock.withLock({ known[key] }) { return answer }
        let task = lock.withLock { () -> Task<NotFoundPage.Fingerprint?, Never> in
            if let task = probing[key] { return task }
            let fetcher = self.fetcher
            let analyzer = self.analyzer
            let homepage = self.homepage
            let task = Task<NotFoundPage.Fingerprint?, Never> {
                guard let probe = NormalizedURL(key + Self.impossiblePath()),
                    let result = try? await fetcher.get(probe, bodyLimit: fetcher.configuration.maximumPageBytes),
                    case .success(let response) = result, response.status == 200, !response.body.isEmpty,
                    CrawlEngine.isHTML(response),
                    // Sent to the homepage: no template, only a catch-all.
                    response.finalURL != homepage, response.finalURL.path != "/", response.finalURL.path != ""
                else { return nil }
                let record = analyzer.analyze(body: response.body, contentType: response.contentType, url: response.finalURL)
                return NotFoundPage.Fingerprint(title: record.title, text: record.text ?? "")
            }
            probing[key] = task
            return task
        }
        let answer = await task.value
        lock.withLock { known[key] = .some(answer) }
        return answer
    }
}
