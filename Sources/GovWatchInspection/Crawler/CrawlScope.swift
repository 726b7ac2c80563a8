import Foundation
import GovWatchCore
import GovWatchPage

/// The hosts that make up a site: the homepage's host (and where it redirects), with and
/// without `www.`; everything else is external and only checked.
struct SiteScope: Sendable {
    private(set) var hosts: Set<String> = []

    init(homepage: NormalizedURL?) {
        if let homepage { add(homepage) }
    }

    mutating func add(_ url: NormalizedURL) {
        hosts.insert(Self.key(url))
    }

    func contains(_ url: NormalizedURL) -> Bool { hosts.contains(Self.key(url)) }

    /// host[:port] without a leading `www.`.
    static func key(_ url: NormalizedURL) -> String {
        let authority = url.authority
        return authority.hasPrefix("www.") ? String(authority.dropFirst(4)) : authority
    }
}

/// Spider-trap guards: URLs that generate pages without end (repeating path segments,
/// exploding query parameters, endless query variants of one path, a folder with more
/// pages than any real column) are not followed.
struct SpiderTrapGuard: Sendable {
    let configuration: CrawlConfiguration
    private var variants: [String: Int] = [:]
    private var prefixes: [String: Int] = [:]

    init(configuration: CrawlConfiguration) {
        self.configuration = configuration
    }

    /// Why `url` is not followed, or nil when it is (and then it is counted).
    mutating func admit(_ url: NormalizedURL) -> String? {
        if let reason = Self.shapeProblem(url, configuration) { return reason }
        let pathKey = url.authority + url.path
        if url.query != nil, variants[pathKey, default: 0] >= configuration.maximumVariantsPerPath {
            return "同一路径的查询变体过多（疑似无限链接）"
        }
        let prefixKey = Self.prefix(url)
        if prefixes[prefixKey, default: 0] >= configuration.maximumPagesPerPathPrefix {
            return "同一目录下页面过多（疑似无限链接）"
        }
        record(url)
        return nil
    }

    /// Counts an already admitted URL (rebuilding the counters of a resumed crawl).
    mutating func record(_ url: NormalizedURL) {
        if url.query != nil { variants[url.authority + url.path, default: 0] += 1 }
        prefixes[Self.prefix(url), default: 0] += 1
    }

    static func shapeProblem(_ url: NormalizedURL, _ configuration: CrawlConfiguration) -> String? {
        if url.description.utf8.count > configuration.maximumURLLength { return "网址过长（疑似无限链接）" }
        if let query = url.query {
            let parameters = query.split(separator: "&").count
            if parameters > configuration.maximumQueryParameters { return "查询参数过多（疑似无限链接）" }
        }
        var counts: [Substring: Int] = [:]
        for segment in url.path.split(separator: "/") where !segment.isEmpty {
            counts[segment, default: 0] += 1
            if counts[segment]! >= configuration.maximumRepeatedSegments { return "路径段重复（疑似无限链接）" }
        }
        return nil
    }

    /// The host and first folder: `/a/b/c.html` → `host/a/`; `/x.html` → `host/`.
    static func prefix(_ url: NormalizedURL) -> String {
        let segments = url.path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count > 1 else { return url.authority + "/" }
        return url.authority + "/" + segments[0] + "/"
    }
}

/// Consultation channels (领导信箱, 咨询, 12345 …) that live on another host, often the
/// province's or city's unified platform (`www.hunan.gov.cn/…`, `zwfw.…`, `12345.…`): they
/// are the site's own channels, so they are read — the linked page, its list paging and the
/// letters it lists — but the other host is not crawled (`CrawlRole.channel`).
enum ChannelScope {
    /// Words of a link text that names a consultation channel.
    static let words = [
        "信箱", "咨询", "建言", "留言", "投诉", "12345", "互动交流", "政民互动", "我要写信", "网上信访", "问政",
    ]

    /// Pages read on other hosts per site (channel pages, their paging and letters): a
    /// unified platform lists thousands of letters, and the crawl is the site's, not the platform's.
    static let maximumPages = 400

    /// Pinyin words of channel hosts and folders (`liuyan.www.gov.cn`, `tousu.…`,
    /// `12345.….gov.cn`, `wlwz.…` 网络问政, `/ldxx/` 领导信箱, `/szxx/` 市长信箱 …): a page often
    /// links its channel first by a picture or a teaser, and names it only further down.
    static let urlWords: Set<String> = [
        "liuyan", "tousu", "12345", "xinfang", "wsxf", "zmhd", "hdjl", "wlwz", "ldxx", "szxx", "xzxx", "qzxx", "sjxx",
        "jzxx", "zrxx", "sfxx", "tzxx",
    ]

    /// Whether a link text names a consultation channel.
    static func isChannelLink(text: String) -> Bool {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 20 else { return false }
        return words.contains { text.contains($0) }
    }

    /// Whether a link to `url` with `text` leads to a consultation channel: its text names one,
    /// or its host or a folder is one of the channel words.
    static func isChannelLink(text: String, url: NormalizedURL) -> Bool {
        if isChannelLink(text: text) { return true }
        let host = url.authority.split(separator: ":").first ?? ""
        if host.split(separator: ".").contains(where: { urlWords.contains(String($0)) }) { return true }
        return url.path.split(separator: "/").dropLast().contains { urlWords.contains($0.lowercased()) }
    }

    /// The name a channel found by its link is proposed under: the link text when it is a
    /// name, else what its address says.
    static func name(text: String, url: NormalizedURL) -> String {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty, text.count <= 20 { return text }
        return "互动交流（\(url.authority)）"
    }

    /// What a channel page leads to that is still the channel: the further pages of its
    /// message list and the letters it lists (where the reply dates often are). Nothing when
    /// the page lists no messages: it is then only the channel's entry (a form, a notice).
    static func follow(_ record: PageRecord) -> [PageRecord.Link] {
        guard !record.messages.isEmpty else { return [] }
        var urls = record.nextPages
        urls += record.messages.map(\.url).filter { !$0.isEmpty }
        var seen: Set<String> = []
        return urls.filter { seen.insert($0).inserted }.map { PageRecord.Link(u: $0, k: LinkEvidence.Kind.page.rawValue) }
    }
}
