import Foundation

/// A page whose only job is to send the visitor elsewhere: many government homepages
/// answer `/` with `<meta http-equiv="refresh" content="0;url=/col/index.html">` or a tiny
/// page whose script sets `location.href`, and the real homepage is behind it.
///
/// Only literal targets are followed (a quoted URL, not an expression), only from a page
/// with next to no text of its own (a real page with a "jump to mobile site" script is a
/// real page), and never a page that sends the visitor back to itself (a bot challenge
/// reloads the same URL after setting a cookie: that is `ChallengePage`'s business).
public enum RedirectPage {
    /// Visible characters (outside scripts) a redirect page may carry: "正在跳转，请稍候…",
    /// a title, a "如未跳转请点击这里" link.
    static let maximumText = 200
    /// A meta refresh waiting longer than this is a page meant to be read first.
    static let maximumRefreshSeconds = 10.0

    /// Where the page at `url` sends its visitor, or nil when it is a page in its own right.
    public static func target(of document: HTMLDocument, url: NormalizedURL) -> NormalizedURL? {
        let base = document.baseHref.flatMap { url.resolve($0) } ?? url
        var candidate: String?
        for meta in document.elements(named: "meta") where meta["http-equiv"]?.lowercased() == "refresh" {
            if let content = meta["content"], let target = refreshTarget(content) {
                candidate = target
                break
            }
        }
        if candidate == nil {
            // A script redirect counts only on a page with next to no text of its own.
            let text = document.visibleText(includeAttributes: false).string
            guard text.unicodeScalars.lazy.filter({ !$0.properties.isWhitespace }).count <= maximumText else { return nil }
            for script in document.elements(named: "script") {
                if let target = scriptTarget(script.textContent) {
                    candidate = target
                    break
                }
            }
        }
        guard let candidate, let target = base.resolve(candidate), target != url else { return nil }
        guard target.scheme == "http" || target.scheme == "https" else { return nil }
        return target
    }

    /// Where the page in `bytes` sends its visitor; looks only at small pages (a redirect
    /// page is a few hundred bytes, and a large page is not parsed for it).
    public static func target(bytes: [UInt8], contentType: String?, url: NormalizedURL) -> NormalizedURL? {
        guard bytes.count <= 64 * 1024 else { return nil }
        return target(of: HTMLDocument(bytes: bytes, contentType: contentType), url: url)
    }

    /// The URL of a `refresh` content: `0;url=…`, `0; URL='…'`, `1,url=…`.
    static func refreshTarget(_ content: String) -> String? {
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let seconds = Double(digits.isEmpty ? "0" : String(digits)), seconds <= maximumRefreshSeconds else { return nil }
        var rest = trimmed.dropFirst(digits.count).drop { $0 == ";" || $0 == "," || $0.isWhitespace }
        guard rest.lowercased().hasPrefix("url") else { return nil }
        rest = rest.dropFirst(3).drop { $0.isWhitespace }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0.isWhitespace }
        var value = String(rest).trimmingCharacters(in: .whitespacesAndNewlines)
        if let quote = value.first, quote == "'" || quote == "\"" {
            value.removeFirst()
            if let end = value.firstIndex(of: quote) { value = String(value[..<end]) }
        }
        return value.isEmpty ? nil : value
    }

    /// `location.href = "…"`, `window.location = '…'`, `top.location.href="…"`,
    /// `location.replace("…")`, `location.assign('…')`, `document.location.href = "…"`.
    static let scriptPattern = try! NSRegularExpression(
        pattern: #"(?:\b(?:window|self|top|parent|document)\s*\.\s*)?\blocation(?:\s*\.\s*href)?\s*(?:=(?!=)\s*|\.\s*(?:replace|assign)\s*\(\s*)(["'])([^"'\\\r\n]+)\1"#)

    /// The first literal redirect target of a script.
    static func scriptTarget(_ script: String) -> String? {
        let range = NSRange(script.startIndex..., in: script)
        guard let match = scriptPattern.firstMatch(in: script, range: range), let target = Range(match.range(at: 2), in: script)
        else { return nil }
        let value = script[target].trimmingCharacters(in: .whitespaces)
        if value.lowercased().hasPrefix("javascript:") || value.hasPrefix("#") { return nil }
        return value
    }
}
