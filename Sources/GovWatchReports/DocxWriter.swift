import Foundation
import GovWatchCore

/// The notice as a Word document (WordprocessingML), laid out after GB/T 9704-2012
/// 《党政机关公文格式》.
///
/// - A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; 22 lines a page
///   (exact line pitch 28.95 pt).
/// - Title 方正小标宋简体 二号 (22 pt), centred; body 仿宋_GB2312 三号 (16 pt), first line
///   indented two characters; 一、 headings 黑体, （一） headings 楷体_GB2312, 1. headings bold.
///   Each Chinese font is declared with its usual substitute (仿宋, 楷体, SimHei, 华文中宋)
///   for machines without the GB2312 fonts; digits and Latin text are Times New Roman.
/// - Page numbers 4号 in the footer as `— 1 —`, odd pages right, even pages left.
/// - 附件说明 after the body, the issuing office and date below it (unsealed layout: the
///   office two characters from the right, the date two characters right of the office's
///   first character), each attachment on a new page headed `附件1`.
public enum DocxWriter {
    /// The document's bytes.
    public static func data(_ notice: Notice) throws -> Data {
        let blocks = NoticeDocument.blocks(notice)
        let body = blocks.map(xml).joined()
        let document = OOXMLPackage.xmlHeader + """
            <w:document xmlns:w="\(ns)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>\(body)\(sectionProperties)</w:body></w:document>
            """
        return try OOXMLPackage.zip([
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRelationships),
            ("docProps/core.xml", coreProperties(notice)),
            ("docProps/app.xml", appProperties),
            ("word/_rels/document.xml.rels", documentRelationships),
            ("word/document.xml", document),
            ("word/styles.xml", styles),
            ("word/settings.xml", settings),
            ("word/fontTable.xml", fontTable),
            ("word/footer1.xml", footer(alignment: "right", indent: "w:right=\"\(char)\"")),
            ("word/footer2.xml", footer(alignment: "left", indent: "w:left=\"\(char)\"")),
        ])
    }

    static let ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    // MARK: Geometry (twips: 1/20 pt)

    static let pageWidth = 11906
    static let pageHeight = 16838
    static let marginTop = 2098
    static let marginBottom = 1984
    static let marginLeft = 1588
    static let marginRight = 1474
    static var textWidth: Int { pageWidth - marginLeft - marginRight }
    /// One character of 三号 (16 pt).
    static let char = 320
    /// Exact line pitch: 22 lines in the text area.
    static let linePitch = 579

    // MARK: Fonts

    static let titleFont = "方正小标宋简体"
    static let bodyFont = "仿宋_GB2312"
    static let heiFont = "黑体"
    static let kaiFont = "楷体_GB2312"
    static let songFont = "宋体"
    static let latinFont = "Times New Roman"

    static func fonts(_ eastAsia: String, latin: String = latinFont) -> String {
        "<w:rFonts w:ascii=\"\(latin)\" w:hAnsi=\"\(latin)\" w:eastAsia=\"\(eastAsia)\" w:cs=\"\(latin)\" w:hint=\"eastAsia\"/>"
    }

    // MARK: Blocks

    static func xml(_ block: NoticeBlock) -> String {
        switch block {
        case .title(let text):
            return title(text) + emptyParagraph()
        case .documentNumber(let text):
            return paragraph(style: "GWCentered", runs: [TextRun(text)]) + emptyParagraph()
        case .recipients(let text):
            return paragraph(style: "GWFlush", runs: [TextRun(text)])
        case .paragraph(let runs):
            return paragraph(style: nil, runs: runs)
        case .heading1(let text):
            return paragraph(style: "Heading1", runs: [TextRun(text)])
        case .heading2(let text):
            return paragraph(style: "Heading2", runs: [TextRun(text)])
        case .table(let table):
            return self.table(table)
        case .chart:
            return ""
        case .attachmentList(let titles):
            var out = emptyParagraph()
            for (index, title) in titles.enumerated() {
                let label = titles.count == 1 ? title : "\(index + 1).\(title)"
                let indent = index == 0
                    ? "<w:ind w:left=\"\(char * 5)\" w:hanging=\"\(char * 3)\" w:firstLineChars=\"0\"/>"
                    : "<w:ind w:left=\"\(char * 5)\" w:firstLine=\"0\" w:firstLineChars=\"0\"/>"
                out += "<w:p><w:pPr><w:pStyle w:val=\"GWFlush\"/>\(indent)</w:pPr>\(run(index == 0 ? "附件：" + label : label))</w:p>"
            }
            return out
        case .signature(let office, let date):
            // Unsealed layout (GB/T 9704-2012 7.3.5.2): office two characters from the right
            // margin, the date's first character two characters right of the office's.
            let officeWidth = width(of: office)
            let dateWidth = width(of: date)
            var officeStart = textWidth - 2 * char - officeWidth
            var dateStart = officeStart + 2 * char
            if dateStart + dateWidth > textWidth - 2 * char {
                dateStart = textWidth - 2 * char - dateWidth
                officeStart = dateStart - 2 * char
            }
            func placed(_ text: String, at left: Int) -> String {
                "<w:p><w:pPr><w:pStyle w:val=\"GWFlush\"/><w:keepNext/><w:ind w:left=\"\(max(0, left))\" w:firstLine=\"0\" w:firstLineChars=\"0\"/><w:jc w:val=\"left\"/></w:pPr>\(run(text))</w:p>"
            }
            return emptyParagraph(keepNext: true) + emptyParagraph(keepNext: true) + placed(office, at: officeStart) + placed(date, at: dateStart)
        case .note(let text):
            return paragraph(style: nil, runs: [TextRun("（\(text)）")])
        case .attachment(let number, let title):
            return "<w:p><w:pPr><w:pStyle w:val=\"GWAttachmentLabel\"/><w:pageBreakBefore/></w:pPr>\(run("附件\(number)"))</w:p>"
                + emptyParagraph() + self.title(title)
        case .caption(let text):
            return paragraph(style: "GWCaption", runs: [TextRun(text)])
        }
    }

    /// The width of `text` in twips at 16 pt: CJK and full-width characters one em,
    /// digits and Latin letters about half.
    static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { sum, scalar in sum + (scalar.value < 0x2E80 ? char / 2 : char) }
    }

    /// A title broken into balanced lines (see `TitleLines`).
    static func title(_ text: String) -> String {
        let lines = TitleLines.split(text, maximumWidth: Double(textWidth) / 440 - 0.5)
        let runs = lines.enumerated().map { index, line in
            (index > 0 ? "<w:r><w:br/></w:r>" : "") + run(line)
        }
        return "<w:p><w:pPr><w:pStyle w:val=\"GWTitle\"/></w:pPr>\(runs.joined())</w:p>"
    }

    static func paragraph(style: String?, runs: [TextRun]) -> String {
        let properties = style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? ""
        return "<w:p>\(properties)\(runs.map { run($0.text, style: $0.style) }.joined())</w:p>"
    }

    static func emptyParagraph(keepNext: Bool = false) -> String {
        keepNext ? "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>" : "<w:p/>"
    }

    static func run(_ text: String, style: TextRun.Style = .body) -> String {
        let properties: String
        switch style {
        case .body: properties = ""
        case .kaiti: properties = "<w:rPr><w:rStyle w:val=\"GWKaiti\"/></w:rPr>"
        case .bold: properties = "<w:rPr><w:b/><w:bCs/></w:rPr>"
        }
        return "<w:r>\(properties)<w:t xml:space=\"preserve\">\(OOXMLPackage.escape(text))</w:t></w:r>"
    }

    static func table(_ table: NoticeTable) -> String {
        var out = ""
        if let caption = table.caption {
            out += paragraph(style: "GWTableCaption", runs: [TextRun(caption)])
        }
        let total = table.widths.reduce(0, +)
        let widths = table.widths.map { Int((Double(textWidth) * $0 / total).rounded(.down)) }
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
        out += "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        out += "<w:tblBorders><w:top \(border)/><w:left \(border)/><w:bottom \(border)/><w:right \(border)/><w:insideH \(border)/><w:insideV \(border)/></w:tblBorders>"
        out += "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar>"
        out += "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>"
        out += "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool) -> String {
            var xml = "<w:tr><w:trPr><w:cantSplit/>\(header ? "<w:tblHeader/>" : "")</w:trPr>"
            for (index, cell) in cells.enumerated() {
                let alignment = header || table.centred.contains(index) ? "center" : table.numeric.contains(index) ? "right" : "left"
                xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[min(index, widths.count - 1)])\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
                let lines = cell.split(separator: "\n", omittingEmptySubsequences: false)
                for line in lines {
                    let style = (header ? "GWTableHeader" : "GWTableText") + (table.compact ? "Small" : "")
                    xml += "<w:p><w:pPr><w:pStyle w:val=\"\(style)\"/><w:jc w:val=\"\(alignment)\"/></w:pPr>\(run(String(line)))</w:p>"
                }
                xml += "</w:tc>"
            }
            return xml + "</w:tr>"
        }
        out += row(table.header, header: true)
        for cells in table.rows { out += row(cells, header: false) }
        out += "</w:tbl>"
        // A table may not end a cell-less stretch: a small paragraph keeps the next block apart.
        out += "<w:p><w:pPr><w:pStyle w:val=\"GWTableGap\"/></w:pPr></w:p>"
        return out
    }

    static var sectionProperties: String {
        """
        <w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>\
        <w:pgSz w:w="\(pageWidth)" w:h="\(pageHeight)"/>\
        <w:pgMar w:top="\(marginTop)" w:right="\(marginRight)" w:bottom="\(marginBottom)" w:left="\(marginLeft)" w:header="851" w:footer="992" w:gutter="0"/>\
        <w:pgNumType w:start="1"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="\(linePitch)"/></w:sectPr>
        """
    }

    // MARK: Parts

    static func footer(alignment: String, indent: String) -> String {
        OOXMLPackage.xmlHeader + """
            <w:ftr xmlns:w="\(ns)"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="\(alignment)"/><w:ind \(indent)/></w:pPr>\
            <w:r><w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>
            """
    }

    static let contentTypes = OOXMLPackage.contentTypes([
        ("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        ("/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"),
        ("/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"),
        ("/word/fontTable.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"),
        ("/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"),
        ("/word/footer2.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"),
    ])

    static let packageRelationships = OOXMLPackage.xmlHeader + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
        </Relationships>
        """

    static let documentRelationships = OOXMLPackage.xmlHeader + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
        <Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>\
        <Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>\
        <Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>\
        </Relationships>
        """

    static func coreProperties(_ notice: Notice) -> String {
        let created = String(format: "%04d-%02d-%02dT00:00:00Z", notice.date.year, notice.date.month, notice.date.day)
        return OOXMLPackage.xmlHeader + """
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <dc:title>\(OOXMLPackage.escape(notice.title))</dc:title><dc:creator>\(OOXMLPackage.escape(notice.office))</dc:creator>\
            <dc:subject>\(OOXMLPackage.escape(notice.period.chineseName))政府网站和政务新媒体检查情况</dc:subject><dc:language>zh-CN</dc:language>\
            <dcterms:created xsi:type="dcterms:W3CDTF">\(created)</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">\(created)</dcterms:modified>\
            </cp:coreProperties>
            """
    }

    static let appProperties = OOXMLPackage.xmlHeader + """
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>GovWatch</Application></Properties>
        """

    static let settings = OOXMLPackage.xmlHeader + """
        <w:settings xmlns:w="\(ns)"><w:zoom w:percent="100"/><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>\
        <w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>\
        <w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>
        """

    /// The fonts, each with the substitute Word and LibreOffice use where it is missing.
    static let fontTable: String = {
        let entries: [(String, String, String)] = [
            (titleFont, "华文中宋", "roman"), (bodyFont, "仿宋", "modern"), (kaiFont, "楷体", "modern"),
            (heiFont, "SimHei", "modern"), (songFont, "SimSun", "auto"),
        ]
        var xml = OOXMLPackage.xmlHeader + "<w:fonts xmlns:w=\"\(ns)\">"
        for (name, alternative, family) in entries {
            xml += "<w:font w:name=\"\(name)\"><w:altName w:val=\"\(alternative)\"/><w:charset w:val=\"86\"/><w:family w:val=\"\(family)\"/><w:pitch w:val=\"fixed\"/></w:font>"
        }
        xml += "<w:font w:name=\"\(latinFont)\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>"
        return xml + "</w:fonts>"
    }()

    static let styles: String = {
        let exact = "<w:spacing w:line=\"\(linePitch)\" w:lineRule=\"exact\" w:before=\"0\" w:after=\"0\"/>"
        let indent = "<w:ind w:firstLine=\"\(char * 2)\" w:firstLineChars=\"200\"/>"
        let noIndent = "<w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/>"
        return OOXMLPackage.xmlHeader + """
            <w:styles xmlns:w="\(ns)">\
            <w:docDefaults><w:rPrDefault><w:rPr>\(fonts(bodyFont))<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>\
            <w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>\
            <w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/>\(exact)</w:pPr></w:pPrDefault></w:docDefaults>\
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>\(indent)</w:pPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWTitle"><w:name w:val="Notice Title"/><w:basedOn w:val="Normal"/><w:qFormat/>\
            <w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:line="700" w:lineRule="exact"/>\(noIndent)<w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>\
            <w:rPr>\(fonts(titleFont, latin: titleFont))<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWCentered"><w:name w:val="Centered"/><w:basedOn w:val="Normal"/><w:pPr>\(noIndent)<w:jc w:val="center"/></w:pPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWFlush"><w:name w:val="Flush Left"/><w:basedOn w:val="Normal"/><w:pPr>\(noIndent)</w:pPr></w:style>\
            <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>\
            <w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>\(fonts(heiFont))</w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>\
            <w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr>\(fonts(kaiFont))</w:rPr></w:style>\
            <w:style w:type="character" w:styleId="GWKaiti"><w:name w:val="Run-in Heading"/><w:rPr>\(fonts(kaiFont))</w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWAttachmentLabel"><w:name w:val="Attachment Label"/><w:basedOn w:val="Normal"/>\
            <w:pPr><w:keepNext/>\(noIndent)</w:pPr><w:rPr>\(fonts(heiFont))</w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWCaption"><w:name w:val="Attachment Note"/><w:basedOn w:val="Normal"/>\
            <w:pPr><w:keepNext/><w:snapToGrid w:val="0"/>\(noIndent)<w:jc w:val="center"/><w:spacing w:line="400" w:lineRule="exact" w:after="120"/></w:pPr><w:rPr>\(fonts(kaiFont))<w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWTableCaption"><w:name w:val="Table Caption"/><w:basedOn w:val="Normal"/>\
            <w:pPr><w:keepNext/><w:snapToGrid w:val="0"/>\(noIndent)<w:jc w:val="center"/><w:spacing w:before="120" w:after="60" w:line="400" w:lineRule="exact"/></w:pPr><w:rPr>\(fonts(heiFont))<w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWTableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>\
            <w:pPr><w:snapToGrid w:val="0"/>\(noIndent)<w:spacing w:line="320" w:lineRule="atLeast" w:before="30" w:after="30"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWTableHeader"><w:name w:val="Table Header"/><w:basedOn w:val="GWTableText"/>\
            <w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:rPr>\(fonts(heiFont))</w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWTableTextSmall"><w:name w:val="Table Text Small"/><w:basedOn w:val="GWTableText"/>\
            <w:pPr><w:spacing w:line="280" w:lineRule="atLeast" w:before="20" w:after="20"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWTableHeaderSmall"><w:name w:val="Table Header Small"/><w:basedOn w:val="GWTableTextSmall"/>\
            <w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:rPr>\(fonts(heiFont))</w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="GWTableGap"><w:name w:val="Table Gap"/><w:basedOn w:val="Normal"/>\
            <w:pPr><w:snapToGrid w:val="0"/>\(noIndent)<w:spacing w:line="240" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="12"/></w:rPr></w:style>\
            <w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>\
            <w:pPr>\(noIndent)<w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr>\(fonts(songFont, latin: songFont))<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>\
            </w:styles>
            """
    }()
}
