import Foundation
import GovWatchCore

/// The notice as one self-contained HTML page: printable on A4 (print CSS: page size,
/// margins, attachments on new pages, table headers repeated), with inline SVG bar charts
/// of the pass rates by kind of site and by platform and of the problems by type.
///
/// Every piece of text (crawled site, column and account names included) is escaped; the
/// page loads nothing from elsewhere.
public enum HTMLWriter {
    public static func render(_ notice: Notice) -> String {
        var body = ""
        var charts: [NoticeChart] = []
        for block in NoticeDocument.blocks(notice) {
            switch block {
            case .title(let text):
                // The same balanced lines as the printed document (the page is A4 wide).
                let lines = TitleLines.split(text, maximumWidth: 19.6).map(escape)
                body += "<h1 class=\"title\">\(lines.joined(separator: "<br>"))</h1>\n"
            case .documentNumber(let text):
                body += "<p class=\"docno\">\(escape(text))</p>\n"
            case .recipients(let text):
                body += "<p class=\"flush\">\(escape(text))</p>\n"
            case .paragraph(let runs):
                body += "<p>" + runs.map(run).joined() + "</p>\n"
            case .heading1(let text):
                body += "<h2>\(escape(text))</h2>\n"
            case .heading2(let text):
                body += "<h3>\(escape(text))</h3>\n"
            case .table(let table):
                body += self.table(table)
            case .chart(let chart):
                charts.append(chart)
                body += "<figure class=\"chart\">\(svg(chart, id: charts.count))<figcaption>\(escape(chart.title))</figcaption></figure>\n"
            case .attachmentList(let titles):
                body += "<div class=\"attachments\"><span class=\"label\">附件：</span><ol>"
                body += titles.map { "<li>\(escape($0))</li>" }.joined()
                body += "</ol></div>\n"
            case .signature(let office, let date):
                body += "<div class=\"signature\"><div class=\"block\"><div class=\"office\">\(escape(office))</div><div class=\"date\">\(escape(date))</div></div></div>\n"
            case .note(let text):
                body += "<p class=\"note\">（\(escape(text))）</p>\n"
            case .attachment(let number, let title):
                body += "<section class=\"attachment\" id=\"attachment-\(number)\"><p class=\"attachment-label\">附件\(number)</p><h2 class=\"attachment-title\">\(escape(title))</h2></section>\n"
            case .caption(let text):
                body += "<p class=\"caption\">\(escape(text))</p>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="GovWatch">
            <title>\(escape(notice.title))</title>
            <style>\(css)</style>
            </head>
            <body>
            <main class="notice">
            \(body)</main>
            </body>
            </html>

            """
    }

    /// Escapes text for HTML content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline have no place in a page.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func run(_ run: TextRun) -> String {
        switch run.style {
        case .body: escape(run.text)
        case .kaiti: "<span class=\"kai\">\(escape(run.text))</span>"
        case .bold: "<strong>\(escape(run.text))</strong>"
        }
    }

    static func table(_ table: NoticeTable) -> String {
        let total = table.widths.reduce(0, +)
        var out = table.compact ? "<table class=\"compact\">" : "<table>"
        if let caption = table.caption { out += "<caption>\(escape(caption))</caption>" }
        out += "<colgroup>" + table.widths.map { String(format: "<col style=\"width:%.1f%%\">", $0 / total * 100) }.joined() + "</colgroup>"
        out += "<thead><tr>" + table.header.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in table.rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                let cls = table.centred.contains(index) ? " class=\"c\"" : table.numeric.contains(index) ? " class=\"n\"" : ""
                out += "<td\(cls)>\(escape(cell))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table>\n"
    }

    /// A horizontal bar chart: one row per bar, the label left, the value at the bar's end.
    static func svg(_ chart: NoticeChart, id: Int) -> String {
        let rowHeight = 26.0
        let labelWidth = 150.0
        let barArea = 300.0
        let width = labelWidth + barArea + 70
        let height = Double(chart.bars.count) * rowHeight + 12
        var out = String(
            format: "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-%d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">",
            id, width, height, width, height)
        out += "<title id=\"chart-\(id)\">\(escape(chart.title))</title>"
        out += String(format: "<line x1=\"%.0f\" y1=\"4\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#888\" stroke-width=\"1\"/>", labelWidth, labelWidth, height - 4)
        for (index, bar) in chart.bars.enumerated() {
            let y = 6 + Double(index) * rowHeight
            let length = chart.maximum > 0 ? max(0, min(1, bar.value / chart.maximum)) * barArea : 0
            out += String(format: "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" class=\"label\">", labelWidth - 6, y + 14) + escape(bar.label) + "</text>"
            out += String(format: "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" class=\"bar\"/>", labelWidth, y + 2, length, rowHeight - 8)
            out += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">", labelWidth + length + 5, y + 14) + escape(bar.display) + "</text>"
        }
        return out + "</svg>"
    }

    static let css = """

        @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
        html { background: #f3f3f3; }
        body { margin: 0; font-family: "仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 16pt; line-height: 28.95pt; color: #000; }
        .notice { box-sizing: border-box; max-width: 210mm; margin: 12mm auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 6px rgba(0,0,0,.2); }
        p { margin: 0; text-indent: 2em; text-align: justify; }
        p.flush, p.docno, p.attachment-label { text-indent: 0; }
        h1.title, h2.attachment-title { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 22pt; line-height: 35pt; font-weight: normal; text-align: center; margin: 0 0 28.95pt; }
        p.docno { text-align: center; margin-bottom: 28.95pt; }
        h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
        h3 { font-family: "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
        .kai { font-family: "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; }
        strong { font-weight: bold; }
        table { width: 100%; border-collapse: collapse; margin: 6pt 0 14pt; font-size: 12pt; line-height: 1.45; page-break-inside: auto; }
        table.compact { font-size: 10.5pt; }
        table:not(.compact) { break-inside: avoid; page-break-inside: avoid; }
        caption { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 12pt; padding: 4pt 0; }
        th, td { border: 1px solid #000; padding: 3pt 4pt; vertical-align: middle; text-align: left; word-break: break-all; }
        th { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-weight: normal; text-align: center; }
        td.n { text-align: right; } td.c { text-align: center; }
        thead { display: table-header-group; }
        tr { page-break-inside: avoid; }
        figure.chart { margin: 6pt 0 14pt; text-align: center; page-break-inside: avoid; }
        figure.chart svg { max-width: 100%; height: auto; font-family: "Noto Sans CJK SC", "SimHei", sans-serif; }
        figure.chart svg .label, figure.chart svg .value { font-size: 12px; fill: #000; }
        figure.chart svg .bar { fill: #9c1c1c; }
        figcaption { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 12pt; }
        .attachments { margin-top: 28.95pt; margin-left: 2em; display: flex; }
        .attachments .label { flex: none; }
        .attachments ol { margin: 0; padding: 0; list-style: none; counter-reset: item; }
        .attachments li { counter-increment: item; }
        .attachments li::before { content: counter(item) "."; }
        .signature { margin-top: 57.9pt; display: flex; justify-content: flex-end; padding-right: 2em; page-break-inside: avoid; }
        .signature .block { text-align: left; }
        .signature .date { padding-left: 2em; }
        p.note { margin-top: 28.95pt; }
        section.attachment { page-break-before: always; break-before: page; margin-top: 24pt; border-top: 1px dashed #bbb; padding-top: 12pt; }
        p.attachment-label { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; }
        p.caption { text-align: center; text-indent: 0; font-family: "楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.6; margin-bottom: 6pt; }
        @media print {
          html { background: none; }
          .notice { max-width: none; margin: 0; padding: 0; box-shadow: none; }
          section.attachment { border-top: none; padding-top: 0; margin-top: 0; }
          figure.chart svg .bar { fill: #555; }
        }

        """
}
