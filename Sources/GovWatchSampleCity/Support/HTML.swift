import Foundation

/// A very small HTML templating helper: escaping, and a few building blocks every
/// page of the city shares. Pages are plain strings assembled with interpolation;
/// everything that comes from data goes through `HTML.escape`.
enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `<p>text</p>` with the text escaped; government editors indent with two ideographic spaces.
    static func paragraph(_ text: String) -> String {
        "<p style=\"text-indent:2em;\">\(escape(text))</p>"
    }

    /// A `<table>` with a header row and data rows, as 公示 pages publish their lists.
    static func table(header: [String], rows: [[String]]) -> String {
        var html = "<table class=\"gs-table\" border=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n<tr>"
        html += header.map { "<th>\(escape($0))</th>" }.joined()
        html += "</tr>\n"
        for row in rows {
            html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>"
    }

    /// Reduces simple HTML (what the city's feeds carry) to text for the posts CSV.
    static func text(fromSimpleHTML html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; continue }
            if character == ">" { inTag = false; continue }
            if !inTag { text.append(character) }
        }
        return text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
    }
}

/// Something that differs between the original city and its "problems fixed" variant.
struct Varying<Value: Sendable>: Sendable {
    var original: Value
    var fixed: Value

    init(_ both: Value) {
        original = both
        fixed = both
    }

    init(original: Value, fixed: Value) {
        self.original = original
        self.fixed = fixed
    }

    subscript(variant: Variant) -> Value { variant == .original ? original : fixed }
}

/// Which version of the city a page is rendered for.
enum Variant: Sendable, Hashable, CaseIterable {
    case original, fixed
}
