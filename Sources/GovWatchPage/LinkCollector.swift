import Foundation

/// Collects every reference of a page — links, images, scripts, stylesheets, frames —
/// with its kind and whether inline markup hides it.
struct LinkCollector {
    let document: HTMLDocument
    let base: NormalizedURL?

    /// Path extensions of documents published as attachments (附件).
    static let attachmentExtensions: Set<String> = [
        "pdf", "doc", "docx", "xls", "xlsx", "zip", "rar", "wps", "et", "ofd", "txt",
        "ppt", "pptx", "7z", "csv", "dps", "ceb", "caj",
    ]

    func links() -> [PageLink] {
        var result: [PageLink] = []
        let storage = document.storage
        for element in document.elements {
            let reference: String?
            var kind: PageLink.Kind
            switch element.name {
            case "a", "area":
                reference = element["href"]
                kind = .page
            case "img":
                reference = element["src"]
                kind = .image
            case "input":
                guard element["type"]?.lowercased() == "image" else { continue }
                reference = element["src"]
                kind = .image
            case "script":
                reference = element["src"]
                kind = .script
            case "link":
                let rel = (element["rel"] ?? "").lowercased().split(separator: " ")
                if rel.contains("stylesheet") {
                    kind = .style
                } else if rel.contains(where: { $0.contains("icon") }) {
                    kind = .image
                } else {
                    continue
                }
                reference = element["href"]
            case "iframe", "frame":
                reference = element["src"]
                kind = .frame
            default:
                continue
            }
            guard let reference, let (url, normalized) = resolved(reference) else { continue }
            if kind == .page, let ext = normalized?.pathExtension, Self.attachmentExtensions.contains(ext) {
                kind = .attachment
            } else if kind == .page, base == nil, Self.attachmentExtensions.contains(Self.rawExtension(url)) {
                kind = .attachment
            }
            let text: String
            switch element.name {
            case "a", "area":
                text = Self.linkText(element, storage: storage)
            case "img", "input":
                text = (element["alt"] ?? element["title"] ?? "").collapsingWhitespace()
            default:
                text = (element["title"] ?? "").collapsingWhitespace()
            }
            var hiding = element.hiding
            if hiding != nil, !element.isHidden,
                normalized.map({ $0.host == base?.host || Self.isGovernmentHost($0.host) }) ?? true
            {
                // Hidden only by a <style> rule, to the site itself (relative references too) or
                // the government domain: a
                // drop-down menu or a tab a script shows, not a dark link — followed as before.
                hiding = nil
            }
            result.append(PageLink(url: url, text: text, kind: kind, hidden: hiding != nil, hiding: hiding))
        }
        return result
    }

    /// The absolute normalised URL of a reference, or the reference itself when the page
    /// has no known URL; nil for references that load nothing over HTTP (`javascript:`,
    /// `mailto:`, `tel:`, `data:`, pure fragments, empty).
    func resolve(_ reference: String) -> String? {
        resolved(reference)?.string
    }

    /// `resolve`, with the parsed URL when there is one (so it is not parsed again).
    private func resolved(_ reference: String) -> (string: String, url: NormalizedURL?)? {
        // Most references have nothing to trim; Foundation's trimming bridges to NSString.
        let edges = (reference.utf8.first ?? 0, reference.utf8.last ?? 0)
        let plain = edges.0 > 0x20 && edges.0 < 0x80 && edges.1 > 0x20 && edges.1 < 0x80
        let trimmed = plain ? reference : reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        // Those schemes are all followed by a colon within the first 11 bytes; most
        // references have none there, and then need not be compared with each scheme.
        if trimmed.utf8.prefix(11).contains(UInt8(ascii: ":")) {
            for scheme in Self.unfetchableSchemes where Self.hasPrefixIgnoringASCIICase(trimmed, scheme) {
                return nil
            }
        }
        if let base { return base.resolve(trimmed).map { ($0.description, $0) } }
        if let absolute = NormalizedURL(trimmed) { return (absolute.description, absolute) }
        return (trimmed, nil)
    }

    /// Hosts under `gov.cn` (and `政务` names).
    static func isGovernmentHost(_ host: String) -> Bool {
        host == "gov.cn" || host.hasSuffix(".gov.cn") || host.hasSuffix(".xn--zfr164b")
    }

    /// Whether `text` starts with the lower-case ASCII `prefix`, in any case.
    static func hasPrefixIgnoringASCIICase(_ text: String, _ prefix: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        for expected in prefix.utf8 {
            guard let byte = bytes.next(), (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) == expected else { return false }
        }
        return true
    }

    /// Schemes of references that load nothing over HTTP.
    static let unfetchableSchemes = ["javascript:", "mailto:", "tel:", "data:", "about:", "sms:", "vbscript:", "file:", "blob:"]

    static func rawExtension(_ reference: String) -> String {
        let path = reference.split(separator: "?", maxSplits: 1).first.map(String.init) ?? reference
        guard let last = path.split(separator: "/").last, let dot = last.lastIndex(of: ".") else { return "" }
        return last[last.index(after: dot)...].lowercased()
    }

    /// The visible text of a link, else its `title`, else the `alt` of an image inside.
    static func linkText(_ element: HTMLElement, storage: HTMLStorage) -> String {
        let text = storage.subtreeText(element.index, limit: 2048)
        if !text.isEmpty { return text }
        if let title = element["title"]?.collapsingWhitespace(), !title.isEmpty { return title }
        for image in element.descendants(named: "img") {
            if let alt = image["alt"]?.collapsingWhitespace(), !alt.isEmpty { return alt }
        }
        return ""
    }
}
