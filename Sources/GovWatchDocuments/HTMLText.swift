import Foundation
import GovWatchCore

/// Visible text of an HTML page for scanning.
///
/// FALLBACK, to be replaced: page understanding (GovWatchPage, libxml2's HTML parser) had
/// no text-extraction API when this was written. This small tokenizer keeps text and
/// `alt`/`title` attribute values in document order, drops `script`/`style`/comments,
/// breaks lines at block elements and decodes character references; it does not repair
/// markup the way a browser does. Switch `extract` to GovWatchPage's extraction once it
/// exists so that `scan` sees exactly what the inspection sees.
enum HTMLText {
    /// Decodes `data` (charset from a BOM or `<meta>`, else UTF-8, else GB18030) and extracts its text.
    static func extract(_ data: Data) -> String {
        extract(html: decode(data))
    }

    static func decode(_ data: Data) -> String {
        let head = String(decoding: data.prefix(2048), as: UTF8.self).lowercased()
        let declaresGB = ["gb2312", "gbk", "gb18030"].contains { head.contains("charset=\($0)") || head.contains("charset=\"\($0)") }
        if declaresGB, let text = String(data: data, encoding: TextDecoding.gb18030) { return text }
        return TextDecoding.decode(data)?.text ?? String(decoding: data, as: UTF8.self)
    }

    private static let blockElements: Set<String> = [
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section", "article",
        "header", "footer", "nav", "title", "dt", "dd", "blockquote", "pre", "hr", "form", "option",
    ]
    private static let cellElements: Set<String> = ["td", "th"]
    private static let hiddenContent: Set<String> = ["script", "style", "noscript", "template"]

    static func extract(html: String) -> String {
        var output = ""
        let scalars = Array(html.unicodeScalars)
        var index = 0
        var textStart = 0
        func flushText(upTo end: Int) {
            if end > textStart {
                output += decodeEntities(String(String.UnicodeScalarView(scalars[textStart..<end])))
            }
        }
        while index < scalars.count {
            guard scalars[index] == "<" else {
                index += 1
                continue
            }
            flushText(upTo: index)
            // Comment
            if index + 3 < scalars.count, scalars[index + 1] == "!", scalars[index + 2] == "-", scalars[index + 3] == "-" {
                index = find("-->", in: scalars, from: index + 4).map { $0 + 3 } ?? scalars.count
                textStart = index
                continue
            }
            guard let close = scalars[index...].firstIndex(of: ">") else {
                index = scalars.count
                textStart = index
                break
            }
            let tag = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
            let isEnd = tag.hasPrefix("/")
            let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            index = close + 1
            if !isEnd, hiddenContent.contains(name) {
                index = find("</\(name)", in: scalars, from: index, caseInsensitive: true)
                    .flatMap { start in scalars[start...].firstIndex(of: ">").map { $0 + 1 } } ?? scalars.count
            } else if blockElements.contains(name) {
                if !output.hasSuffix("\n") && !output.isEmpty { output += "\n" }
            } else if cellElements.contains(name), !isEnd {
                if !output.isEmpty && !output.hasSuffix("\n") && !output.hasSuffix("\t") { output += "\t" }
            }
            if !isEnd {
                for attribute in ["alt", "title"] {
                    if let value = attributeValue(attribute, in: tag), !value.isEmpty {
                        output += " " + decodeEntities(value) + " "
                    }
                }
            }
            textStart = index
        }
        flushText(upTo: scalars.count)
        // Collapse runs of blank lines and trailing spaces the markup leaves behind.
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .whitespaces)
        }
        var result: [String] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(line) }
        return result.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func find(_ needle: String, in scalars: [Unicode.Scalar], from start: Int, caseInsensitive: Bool = false) -> Int? {
        let pattern = Array(needle.unicodeScalars)
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return nil }
        var index = start
        while index + pattern.count <= scalars.count {
            var matched = true
            for offset in 0..<pattern.count {
                var value = scalars[index + offset].value
                if caseInsensitive, value >= 0x41, value <= 0x5A { value += 0x20 }
                if value != pattern[offset].value {
                    matched = false
                    break
                }
            }
            if matched { return index }
            index += 1
        }
        return nil
    }

    /// The value of attribute `name` in the inside of a tag (quoted or not).
    static func attributeValue(_ name: String, in tag: String) -> String? {
        let lower = tag.lowercased()
        var searchStart = lower.startIndex
        while let found = lower.range(of: name, range: searchStart..<lower.endIndex) {
            searchStart = found.upperBound
            if found.lowerBound > lower.startIndex, !lower[lower.index(before: found.lowerBound)].isWhitespace { continue }
            var position = found.upperBound
            while position < lower.endIndex, lower[position].isWhitespace { position = lower.index(after: position) }
            guard position < lower.endIndex, lower[position] == "=" else { continue }
            position = lower.index(after: position)
            while position < lower.endIndex, lower[position].isWhitespace { position = lower.index(after: position) }
            guard position < lower.endIndex else { return nil }
            // Same offsets in the original tag: lowercasing ASCII keeps the UTF-8 layout.
            let original = tag[position...]
            if let quote = original.first, quote == "\"" || quote == "'" {
                let body = original.dropFirst()
                return String(body.prefix { $0 != quote })
            }
            return String(original.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" })
        }
        return nil
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "ensp": " ", "emsp": "　",
        "middot": "·", "mdash": "—", "ndash": "–", "hellip": "…", "ldquo": "“", "rdquo": "”", "lsquo": "‘",
        "rsquo": "’", "copy": "©", "reg": "®", "times": "×", "yen": "¥",
    ]

    /// `&amp;`, `&#20013;`, `&#x4E2D;` decoded; unknown references kept as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let afterAmpersand = rest[rest.index(after: ampersand)...]
            if let semicolon = afterAmpersand.prefix(12).firstIndex(of: ";") {
                let name = afterAmpersand[..<semicolon]
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = namedEntities[String(name)]
                }
                if let replacement {
                    result += replacement
                    rest = afterAmpersand[afterAmpersand.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = afterAmpersand
        }
        result += rest
        return result
    }
}
