import Foundation
import GovWatchPage

/// The rules of one robots.txt (RFC 9309) for our user agent: the group naming `govwatch`
/// if there is one, else the `*` group; the longest matching `Allow`/`Disallow` wins
/// (`Allow` on a tie), with `*` and `$` wildcards. Also the group's `Crawl-delay`.
struct RobotsRules: Sendable, Hashable {
    struct Rule: Sendable, Hashable {
        var allow: Bool
        var pattern: String
    }

    var rules: [Rule]
    var crawlDelay: Duration?

    /// Allows everything (no robots.txt, or one that could not be read).
    static let allowAll = RobotsRules(rules: [], crawlDelay: nil)

    /// Parses robots.txt for the agent token `agent` (lower case, e.g. `govwatch`).
    init(parsing text: String, agent: String = "govwatch") {
        struct Group {
            var agents: [String] = []
            var rules: [Rule] = []
            var delay: Duration?
        }
        var groups: [Group] = []
        var current = Group()
        var lastWasAgent = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch field {
            case "user-agent":
                if !lastWasAgent, !current.agents.isEmpty {
                    groups.append(current)
                    current = Group()
                }
                current.agents.append(value.lowercased())
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                // An empty Disallow allows everything: no rule.
                if !value.isEmpty { current.rules.append(Rule(allow: field == "allow", pattern: value)) }
            case "crawl-delay":
                lastWasAgent = false
                if let seconds = Double(value), seconds >= 0 { current.delay = .milliseconds(Int(seconds * 1000)) }
            default:
                lastWasAgent = false
            }
        }
        if !current.agents.isEmpty { groups.append(current) }
        let mine = groups.filter { group in group.agents.contains { $0 != "*" && agent.hasPrefix($0) || $0.hasPrefix(agent) } }
        let chosen = mine.isEmpty ? groups.filter { $0.agents.contains("*") } : mine
        rules = chosen.flatMap(\.rules)
        crawlDelay = chosen.compactMap(\.delay).max()
    }

    private init(rules: [Rule], crawlDelay: Duration?) {
        self.rules = rules
        self.crawlDelay = crawlDelay
    }

    /// Whether `url` (its path and query) may be fetched.
    func allows(_ url: NormalizedURL) -> Bool {
        guard !rules.isEmpty else { return true }
        let target = url.query.map { url.path + "?" + $0 } ?? url.path
        if target == "/robots.txt" { return true }
        var best: (length: Int, allow: Bool)?
        for rule in rules where Self.matches(pattern: rule.pattern, target) {
            let length = rule.pattern.utf8.count
            if best == nil || length > best!.length || (length == best!.length && rule.allow) {
                best = (length, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    /// `*` matches any run of characters; a final `$` anchors the end.
    static func matches(pattern: String, _ target: String) -> Bool {
        var pattern = Array(pattern.utf8)
        let anchored = pattern.last == UInt8(ascii: "$")
        if anchored { pattern.removeLast() }
        let text = Array(target.utf8)
        // Iterative wildcard match with backtracking to the last star.
        var p = 0, t = 0
        var star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = t
                p += 1
            } else if p < pattern.count, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p == pattern.count, !anchored {
                return true
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}

/// robots.txt per host, fetched once per crawl (concurrent askers share one fetch).
///
/// A lock rather than an actor: every URL asks, and once a host's rules are known the answer
/// is a dictionary lookup that should not cost an executor hop.
final class RobotsCache: @unchecked Sendable {
    private let lock = NSLock()
    /// Rules being fetched, and rules known, by `scheme://authority`; guarded by `lock`.
    private var fetching: [String: Task<RobotsRules, Never>] = [:]
    private var known: [String: RobotsRules] = [:]
    private let fetcher: CrawlFetcher

    init(fetcher: CrawlFetcher) {
        self.fetcher = fetcher
    }

    /// The rules for `url`'s host. A missing or unreadable robots.txt allows everything
    /// (RFC 9309 §2.3.1.3 for 4xx; for 5xx and network failures an inspection must still
    /// happen, so they also allow).
    func rules(for url: NormalizedURL) async -> RobotsRules {
        let key = url.scheme + "://" + url.authority
        let (rules, task, isFetcher) = lock.withLock { () -> (RobotsRules?, Task<RobotsRules, Never>?, Bool) in
            if let rules = known[key] { return (rules, nil, false) }
            if let task = fetching[key] { return (nil, task, false) }
            let fetcher = self.fetcher
            let host = url.authority
            let task = Task<RobotsRules, Never> {
                guard let robotsURL = NormalizedURL(key + "/robots.txt"),
                    let result = try? await fetcher.get(robotsURL, bodyLimit: 512 * 1024),
                    case .success(let response) = result, response.status == 200
                else { return .allowAll }
                let text = CharsetDetector.decode(response.body, contentType: response.contentType).text
                let rules = RobotsRules(parsing: text)
                if let delay = rules.crawlDelay {
                    // Honour Crawl-delay up to 10 s: beyond that a 5,000-page crawl would take a day.
                    // Set before anyone learns the rules, so no request to the host starts sooner.
                    fetcher.gate.setDelay(min(delay, .seconds(10)), for: host)
                }
                return rules
            }
            fetching[key] = task
            return (nil, task, true)
        }
        if let rules { return rules }
        let value = await task!.value
        if isFetcher {
            lock.withLock {
                known[key] = value
                fetching[key] = nil
            }
        }
        return value
    }
}
