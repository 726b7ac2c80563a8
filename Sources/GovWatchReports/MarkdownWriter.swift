import Foundation

/// The notice as Markdown (CommonMark with GFM tables): the same text and tables as the
/// other formats, for review, diffs and pasting into other systems.
///
/// Crawled text is escaped so that it cannot become markup: Markdown punctuation is
/// backslash-escaped, `<` and `&` become entities, `|` is escaped in table cells and line
/// breaks inside a cell become `<br>`.
public enum MarkdownWriter {
    public static func render(_ notice: Notice) -> String {
        var out = ""
        for block in NoticeDocument.blocks(notice) {
            switch block {
            case .title(let text):
                out += "# \(escape(text))\n\n"
            case .documentNumber(let text):
                out += "\(escape(text))\n\n"
            case .recipients(let text):
                out += "\(escape(text))\n\n"
            case .paragraph(let runs):
                out += runs.enumerated().map { index, run in
                    switch run.style {
                    case .body: escape(run.text, atLineStart: index == 0)
                    case .kaiti: "*\(escape(run.text, atLineStart: false))*"
                    case .bold: "**\(escape(run.text, atLineStart: false))**"
                    }
                }.joined() + "\n\n"
            case .heading1(let text):
                out += "## \(escape(text))\n\n"
            case .heading2(let text):
                out += "### \(escape(text))\n\n"
            case .table(let table):
                out += self.table(table)
            case .chart:
                continue
            case .attachmentList(let titles):
                out += "附件：\n\n" + titles.enumerated().map { "\($0.offset + 1). \(escape($0.element))" }.joined(separator: "\n") + "\n\n"
            case .signature(let office, let date):
                out += "<div align=\"right\">\(escape(office))<br>\(escape(date))</div>\n\n"
            case .note(let text):
                out += "（\(escape(text))）\n\n"
            case .attachment(let number, let title):
                out += "---\n\n**附件\(number)**\n\n## \(escape(title))\n\n"
            case .caption(let text):
                out += "\(escape(text))\n\n"
            }
        }
        return out
    }

    /// Text that renders as itself: Markdown punctuation backslash-escaped, HTML neutralised;
    /// at the start of a line also what would start a list or a heading rule (`1.`, `-`, `+`, `=`).
    public static func escape(_ text: String, atLineStart: Bool = true) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "#", "|", "~", "!":
                out += "\\\(character)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        guard atLineStart else { return out }
        // A leading number-dot or dash would start a list, a leading + or = too.
        if let first = out.first, "-+=".contains(first) { out = "\\" + out }
        if let dot = out.firstIndex(of: "."), out[..<dot].allSatisfy(\.isASCII), !out[..<dot].isEmpty,
            out[..<dot].allSatisfy(\.isNumber)
        {
            out.insert("\\", at: dot)
        }
        return out
    }

    static func table(_ table: NoticeTable) -> String {
        var out = ""
        if let caption = table.caption { out += "**\(escape(caption))**\n\n" }
        func cells(_ values: [String]) -> String {
            "| " + values.map { escape($0.replacingOccurrences(of: "\n", with: "\u{1}")).replacingOccurrences(of: "\u{1}", with: "<br>") }
                .joined(separator: " | ") + " |\n"
        }
        out += cells(table.header)
        out += "|" + table.header.indices.map { index in
            table.numeric.contains(index) ? " ---: " : table.centred.contains(index) ? " :---: " : " --- "
        }.joined(separator: "|") + "|\n"
        for row in table.rows { out += cells(row) }
        return out + "\n"
    }
}
