import Foundation

/// Decides whether a page was really read, or is something a crawler cannot read:
///
/// - **a bot challenge / WAF page** (`challenge`): HTTP 200 with a tiny body whose script
///   sets a cookie and reloads, or computes a token — 瑞数 (Rivers Security) `$_ts` pages,
///   加速乐/知道创宇 `__jsl_clearance`, 阿里云盾 `acw_sc__v2`, 网站卫士 `wzwschallenge`, 云锁
///   `security_verify_data`, and obfuscated loaders like www.lottery.gov.cn's. Nothing of
///   such a page is the site's content;
/// - **a page that draws its content with JavaScript** (`javascript`): an empty shell
///   (title and scripts, no text or links), or a list container left empty for a script
///   that fills it from a data endpoint (`$.ajax`, `$.getJSON`, `fetch`, `XMLHttpRequest`).
///   When the script names its endpoint plainly (a URL string), that endpoint is a *data
///   source* to read instead, and the page is not unreadable.
///
/// Every rule asks for a small page or an empty container as well as the script: real
/// pages carry the same protection scripts (瑞数 injects `$_ts` into every page it guards)
/// and jQuery calls around full content.
public struct PageReadability: Sendable, Hashable {
    /// `challenge` or `javascript` (the raw values of the core's `UnreadablePart.Reason`),
    /// nil for a page that was read.
    public var unreadable: String?
    /// Data endpoints the page's scripts load its list from (absolute URLs).
    public var dataSources: [String]

    public init(unreadable: String? = nil, dataSources: [String] = []) {
        self.unreadable = unreadable
        self.dataSources = dataSources
    }

    /// Signatures of challenge scripts of the WAFs Chinese government sites use.
    static let challengeSignatures = [
        "$_ts", "__jsl_clearance", "jsl_clearance_s", "acw_sc__v2", "wzwschallenge", "WZWSREL", "wzwstemplate",
        "security_verify_data", "yunsuo_session_verify", "safedog", "_waf_", "__tst_status", "EO_Bot_Ssid",
        "jschl_vc", "jschl-answer", "cf_chl_", "challenge-platform", "cf-browser-verification",
    ]
    /// Script calls that load data into the page.
    static let loaderCalls = [
        "$.ajax", "jQuery.ajax", "$.get(", "$.getJSON", "$.post(", "fetch(", "XMLHttpRequest", "axios", ".load(",
        "$.when(",
    ]
    /// Class or id words of a list container.
    static let containerWords = ["list", "news", "content", "article", "info", "data", "item", "lb", "tbody", "result"]

    /// A page at most this many visible characters long (without the title) is small.
    static let smallText = 200
    /// A page with at most this many links to pages is small.
    static let fewLinks = 3

    /// Assesses a parsed page.
    ///
    /// - Parameters:
    ///   - visibleText: the page's visible text without attributes.
    ///   - title: the page's title (not counted as content).
    ///   - links: the page's links (see `LinkCollector`).
    ///   - listed: whether the page lists anything (dated or undated items).
    ///   - published: whether the page has its own publish date (an article that was read).
    ///   - base: what references resolve against.
    static func assess(
        document: HTMLDocument, visibleText: String, title: String?, links: [PageLink], listed: Bool, published: Bool,
        base: NormalizedURL?
    ) -> PageReadability {
        var scripts: [HTMLElement] = []
        for script in document.elements(named: "script") { scripts.append(script) }
        guard !scripts.isEmpty else { return PageReadability() }
        // Small: few characters besides the title (counted only when few bytes could be), few links.
        var small = visibleText.utf8.count - (title?.utf8.count ?? 0) <= 4 * smallText
        if small {
            var contentLength = visibleText.count
            if let title, visibleText.contains(title) { contentLength -= title.count }
            small = contentLength <= smallText && links.lazy.filter { $0.kind == .page && !$0.hidden }.count <= fewLinks
        }
        // Most pages are articles that were read: nothing more to ask of them.
        guard small || !published else { return PageReadability() }
        var inline = ""
        for script in scripts {
            let type = (script["type"] ?? "").lowercased()
            // Hanweb datastores and templates are data, not code.
            guard script["src"] == nil, type.isEmpty || type.contains("javascript") || type.contains("ecmascript") else { continue }
            if inline.utf8.count < 512 * 1024 { inline += script.textContent + "\n" }
        }
        if small, isChallenge(inline) || isChallengeForm(document) { return PageReadability(unreadable: "challenge") }
        if isRedirect(document: document, scripts: inline, small: small) { return PageReadability() }
        if !small {
            let loads = loaderCalls.contains { contains(inline, $0) }
            guard loads, hasEmptyListContainer(document) else { return PageReadability() }
        }
        let sources = dataSources(in: inline, base: base)
        if !sources.isEmpty { return PageReadability(dataSources: sources) }
        if small || !listed { return PageReadability(unreadable: "javascript") }
        return PageReadability()
    }

    /// Whether `text` holds `word`, by a byte search (script texts run to hundreds of KB).
    static func contains(_ text: String, _ word: String) -> Bool {
        var text = text
        return text.withUTF8 { haystack in UTF8Search.firstOffset(of: word, in: haystack) != nil }
    }

    /// Whether inline scripts are a challenge: a known WAF's signature, a script that sets
    /// a cookie and reloads or navigates, or an obfuscated token computation.
    static func isChallenge(_ scripts: String) -> Bool {
        guard !scripts.isEmpty else { return false }
        func has(_ word: String) -> Bool { contains(scripts, word) }
        if challengeSignatures.contains(where: has) { return true }
        if has("cookie") && (has("location") || has("reload")) { return true }
        // Computed property names and character codes: a token computed by obfuscated code.
        let obfuscated = has("String.fromCharCode") && (has("document[") || has("location["))
        return obfuscated && (has("atob") || has("charCodeAt") || has("eval("))
    }

    /// A challenge form (Cloudflare's `challenge-form` with `jschl_vc`, posted by a timer).
    static func isChallengeForm(_ document: HTMLDocument) -> Bool {
        for form in document.elements(named: "form") {
            let markers = (form["id"] ?? "") + " " + (form["action"] ?? "") + " "
                + form.descendants(named: "input").compactMap { $0["name"] }.joined(separator: " ")
            if challengeSignatures.contains(where: { markers.contains($0) }) || markers.contains("challenge-form") { return true }
        }
        return false
    }

    /// A redirect page (a meta refresh, or a small page whose script sets the location):
    /// followed by the crawler, not a page of its own.
    static func isRedirect(document: HTMLDocument, scripts: String, small: Bool) -> Bool {
        if document.metaContent("refresh").map({ $0.lowercased().contains("url") }) == true { return true }
        guard small else { return false }
        return ["location.href=", "location.href =", "location.replace(", "location=", "location =", "location.assign("]
            .contains { scripts.contains($0) }
    }

    /// An element named like a list (`<ul id="list">`, `<div class="news-list">`,
    /// `<tbody id="dataTable">`) with neither text nor child elements: a script fills it.
    static func hasEmptyListContainer(_ document: HTMLDocument) -> Bool {
        for element in document.elements where ["ul", "ol", "div", "tbody", "table", "dl", "section"].contains(element.name) {
            let words = ((element["id"] ?? "") + " " + (element["class"] ?? "")).lowercased()
            guard words.count > 1, containerWords.contains(where: { words.contains($0) }) else { continue }
            guard element.children.isEmpty, element.normalizedText.isEmpty else { continue }
            return true
        }
        return false
    }

    /// Paths of the scripts' string literals that a loader call gets, or that name a JSON
    /// file: `url: "/api/list.json"`, `$.getJSON('data/news.json', …)`, `fetch("/open/list?
    /// page=1")`. A literal joined to other strings (`"…" + id`) is no plain URL.
    static func dataSources(in scripts: String, base: NormalizedURL?) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        let bytes = Array(scripts.utf8)
        var index = 0
        while index < bytes.count {
            let quote = bytes[index]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, bytes[end] != quote, bytes[end] != 0x0A, end - index < 400 {
                if bytes[end] == UInt8(ascii: "\\") { end += 1 }
                end += 1
            }
            guard end < bytes.count, bytes[end] == quote else {
                index = end + 1
                continue
            }
            let literal = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            let before = precedingCode(bytes, before: index)
            let after = followingCharacter(bytes, after: end + 1)
            index = end + 1
            guard !literal.isEmpty, !literal.contains(" "), after != UInt8(ascii: "+"), !before.hasSuffix("+") else { continue }
            let lowered = literal.lowercased()
            let path = lowered.split(separator: "?", maxSplits: 1).first.map(String.init) ?? lowered
            guard !Self.assetExtensions.contains(where: { path.hasSuffix($0) }) else { continue }
            let inCall = endsWithWord(before, "url:") || before.hasSuffix("\"url\":") || before.hasSuffix("'url':")
                || before.hasSuffix("getjson(") || before.hasSuffix("$.get(") || before.hasSuffix("$.post(")
                || before.hasSuffix("fetch(") || before.hasSuffix("axios.get(") || before.hasSuffix("ajax(")
                || (before.hasSuffix(",") && before.contains(".open("))
            let namesJSON = path.hasSuffix(".json")
            guard inCall || namesJSON else { continue }
            guard lowered.hasPrefix("/") || lowered.hasPrefix("http") || lowered.hasPrefix("./") || lowered.hasPrefix("../")
                || lowered.first.map({ $0.isLetter || $0.isNumber }) == true
            else { continue }
            guard let resolved = base?.resolve(literal) ?? NormalizedURL(literal) else { continue }
            if seen.insert(resolved.description).inserted { result.append(resolved.description) }
        }
        return result
    }

    /// Whether `code` ends with `word` not joined to a longer name (`url:`, not `advUrl:`).
    static func endsWithWord(_ code: String, _ word: String) -> Bool {
        guard code.hasSuffix(word) else { return false }
        let before = code.dropLast(word.count).last
        return before.map { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "$") } ?? true
    }

    static let assetExtensions = [".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".ttf", ".mp4", ".swf"]

    /// Up to 40 bytes of code before `index`, spaces removed and lower-cased.
    private static func precedingCode(_ bytes: [UInt8], before index: Int) -> String {
        let start = max(0, index - 40)
        let slice = bytes[start..<index].filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return String(decoding: slice, as: UTF8.self).lowercased()
    }

    /// The first byte after `index` that is not a space.
    private static func followingCharacter(_ bytes: [UInt8], after index: Int) -> UInt8? {
        var cursor = index
        while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
        return cursor < bytes.count ? bytes[cursor] : nil
    }
}
