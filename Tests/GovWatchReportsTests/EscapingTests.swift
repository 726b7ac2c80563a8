import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GovWatchCore
import GovWatchReports
import GovWatchStore
import Testing
import ZIPFoundation

/// Crawled text (site, column and account names, evidence) reaches every format as text,
/// never as markup.
@Suite struct EscapingTests {
    static let hostileSite = #"<script>alert("x")</script>鸿溪&局"#
    static let hostileColumn = #"</td><img src=x onerror=alert(1)>通知'公告"#
    static let hostileAccount = "**粗体** [链接](javascript:alert(1)) | 发布"
    static let control = "栏目\u{0B}名称\u{01}"

    /// A notice built straight from results, with hostile names everywhere they can appear.
    static func notice() -> Notice {
        let site = Target(kind: .site, code: "4399999999", name: hostileSite)
        let account = Target(kind: .account, code: "evil", name: hostileAccount)
        let period = ReportPeriod.quarter(2022, 1)!
        let findings = [
            Finding(target: site, indicator: .siteColumnStale, level: .deduction, detail: ["column": .string(hostileColumn)], locationKey: "1"),
            Finding(target: site, indicator: .siteColumnBlank, level: .deduction, detail: ["column": .string(control)], locationKey: "2"),
            Finding(target: site, indicator: .siteContentSevereError, level: .veto,
                    detail: ["wrong": "<b>中华人民共合国</b>", "correct": "中华人民共和国", "count": 2, "pageCount": 2], locationKey: "3"),
            Finding(target: account, indicator: .accountStale, level: .veto, detail: ["platform": "wechat"], locationKey: "4"),
        ]
        let results = PeriodResults(
            runs: [],
            scorecards: [
                Scorecard(target: site, score: 95, vetoes: [.siteContentSevereError], passed: false),
                Scorecard(target: account, score: 100, vetoes: [.accountStale], passed: false),
            ],
            findings: findings, runOfTarget: [:])
        let input = NoticeInput(
            period: period, results: results, tickets: [],
            previousResults: PeriodResults(runs: [], scorecards: [], findings: [], runOfTarget: [:]), previousTickets: [],
            sites: [SiteRecord(code: site.code, name: hostileSite, url: "http://x.gov.cn/", kind: .department, unit: "单位<i>甲</i>")],
            accounts: [AccountRecord(platform: .wechat, id: "evil", name: hostileAccount, unit: "单位<i>甲</i>")])
        return NoticeBuilder(
            settings: NoticeSettings(office: "鸿溪市人民政府办公室", contact: "联系人：<u>张</u>"),
            today: ChinaTime.parseDay("2022-04-10")!
        ).build(input)
    }

    @Test func htmlEscapesEverything() throws {
        let html = HTMLWriter.render(Self.notice())
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>") && !html.contains("<i>") && !html.contains("<u>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;鸿溪&amp;局"))
        #expect(html.contains("&lt;/td&gt;&lt;img src=x onerror=alert(1)&gt;通知&#39;公告"))
        #expect(html.contains("单位&lt;i&gt;甲&lt;/i&gt;"))
        #expect(!html.contains("\u{0B}") && !html.contains("\u{01}"))
        // The page is self-contained: no script, no external resource.
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("<svg") && html.contains("<title id=\"chart-1\">"))
    }

    @Test func markdownEscapesEverything() throws {
        let markdown = MarkdownWriter.render(Self.notice())
        #expect(markdown.contains(#"\*\*粗体\*\* \[链接\](javascript:alert(1)) \| 发布"#))
        #expect(markdown.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt;鸿溪&amp;局"))
        #expect(!markdown.contains("<script") && !markdown.contains("<img"))
        // Table cells stay one row each: an escaped | does not split the cell.
        let rows = markdown.split(separator: "\n").filter { $0.contains("粗体") && $0.hasPrefix("|") }
        #expect(!rows.isEmpty)
        for row in rows {
            let unescapedBars = row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(unescapedBars == 8)  // 7 columns
        }
        #expect(MarkdownWriter.escape("1. 第一") == "1\\. 第一")
        #expect(MarkdownWriter.escape("- 列表") == "\\- 列表")
        #expect(MarkdownWriter.escape("# 标题") == "\\# 标题")
    }

    @Test func docxAndXlsxAreWellFormedXML() throws {
        let notice = Self.notice()
        for (data, parts) in [
            (try DocxWriter.data(notice), ["word/document.xml", "word/styles.xml", "word/footer1.xml", "docProps/core.xml"]),
            (try XLSXWriter.data(notice), ["xl/workbook.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"]),
        ] {
            let archive = try Archive(data: data, accessMode: .read)
            for part in parts {
                let entry = try #require(archive[part], "missing \(part)")
                var xml = Data()
                _ = try archive.extract(entry) { xml.append($0) }
                let parser = XMLParser(data: xml)
                #expect(parser.parse(), "\(part) is not well-formed: \(String(describing: parser.parserError))")
                let text = String(decoding: xml, as: UTF8.self)
                #expect(!text.contains("<script") && !text.contains("<img") && !text.contains("\u{0B}"))
            }
        }
        let document = try Self.part("word/document.xml", of: DocxWriter.data(notice))
        #expect(document.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;鸿溪&amp;局"))
        let strings = try Self.part("xl/sharedStrings.xml", of: XLSXWriter.data(notice))
        #expect(strings.contains("**粗体** [链接](javascript:alert(1)) | 发布"))
        #expect(strings.contains("&lt;script&gt;"))
    }

    static func part(_ path: String, of data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        var xml = Data()
        _ = try archive.extract(try #require(archive[path])) { xml.append($0) }
        return String(decoding: xml, as: UTF8.self)
    }
}
