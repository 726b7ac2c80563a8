import Foundation
import GovWatchCore

/// The notice's three attachments as an Excel workbook (SpreadsheetML): one sheet each,
/// the header row frozen, filtered and repeated on printed pages, column widths fitted to
/// the content, long text wrapped, numbers (序号, 得分) stored as numbers, printed landscape
/// on A4 one page wide.
public enum XLSXWriter {
    /// Sheet names (at most 31 characters, none of `[]:*?/\`).
    public static let sheetNames = Notice.attachmentTitles.enumerated().map { "附件\($0.offset + 1) \($0.element)" }

    public static func data(_ notice: Notice) throws -> Data {
        let tables = NoticeDocument.attachmentTables(notice, withCodes: true)
        var strings = SharedStrings()
        var sheets: [String] = []
        for table in tables {
            sheets.append(sheet(table, strings: &strings))
        }
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(sheetCount: tables.count)),
            ("_rels/.rels", packageRelationships),
            ("docProps/core.xml", coreProperties(notice)),
            ("docProps/app.xml", appProperties),
            ("xl/workbook.xml", workbook(tables)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: tables.count)),
            ("xl/styles.xml", styles),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", sheet))
        }
        parts.append(("xl/sharedStrings.xml", strings.xml))
        return try OOXMLPackage.zip(parts)
    }

    /// The shared-string table, in first-use order.
    struct SharedStrings {
        var values: [String] = []
        var index: [String: Int] = [:]
        var uses = 0

        mutating func id(_ value: String) -> Int {
            uses += 1
            if let existing = index[value] { return existing }
            values.append(value)
            index[value] = values.count - 1
            return values.count - 1
        }

        var xml: String {
            OOXMLPackage.xmlHeader
                + "<sst xmlns=\"\(ns)\" count=\"\(uses)\" uniqueCount=\"\(values.count)\">"
                + values.map { "<si><t xml:space=\"preserve\">\(OOXMLPackage.escape($0))</t></si>" }.joined() + "</sst>"
        }
    }

    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// `A`, `B`, … `Z`, `AA`.
    static func column(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Column widths in characters: the widest cell (CJK counting two), within 6…60.
    static func widths(_ table: NoticeTable) -> [Double] {
        table.header.indices.map { index in
            let cells = [table.header[index]] + table.rows.map { index < $0.count ? $0[index] : "" }
            let widest = cells.map { cell in
                cell.split(separator: "\n").map { TextTable.displayWidth(String($0)) }.max() ?? 0
            }.max() ?? 0
            return min(60, max(6, Double(widest) + 2))
        }
    }

    static func isNumberColumn(_ table: NoticeTable, _ index: Int) -> Bool {
        index == 0 || table.numeric.contains(index)
    }

    static func sheet(_ table: NoticeTable, strings: inout SharedStrings) -> String {
        let last = column(table.header.count - 1)
        let lastRow = table.rows.count + 1
        var xml = OOXMLPackage.xmlHeader
        xml += "<worksheet xmlns=\"\(ns)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        xml += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"
        xml += "<dimension ref=\"A1:\(last)\(lastRow)\"/>"
        xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
        xml += "<sheetFormatPr defaultRowHeight=\"18\"/>"
        xml += "<cols>" + widths(table).enumerated().map { index, width in
            String(format: "<col min=\"%d\" max=\"%d\" width=\"%.1f\" customWidth=\"1\"/>", index + 1, index + 1, width)
        }.joined() + "</cols>"
        xml += "<sheetData>"
        xml += "<row r=\"1\" ht=\"22\" customHeight=\"1\">"
        for (index, title) in table.header.enumerated() {
            xml += "<c r=\"\(column(index))1\" s=\"1\" t=\"s\"><v>\(strings.id(title))</v></c>"
        }
        xml += "</row>"
        for (rowIndex, row) in table.rows.enumerated() {
            let r = rowIndex + 2
            xml += "<row r=\"\(r)\">"
            for (index, value) in row.enumerated() {
                let ref = "\(column(index))\(r)"
                if isNumberColumn(table, index), let number = Double(value) {
                    xml += "<c r=\"\(ref)\" s=\"\(index == 0 ? 4 : 3)\"><v>\(Formatting.score(number))</v></c>"
                } else {
                    let style = table.centred.contains(index) ? 4 : 2
                    xml += "<c r=\"\(ref)\" s=\"\(style)\" t=\"s\"><v>\(strings.id(value))</v></c>"
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        xml += "<autoFilter ref=\"A1:\(last)\(lastRow)\"/>"
        xml += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        xml += "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        xml += "<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>"
        return xml + "</worksheet>"
    }

    static func workbook(_ tables: [NoticeTable]) -> String {
        var xml = OOXMLPackage.xmlHeader
        xml += "<workbook xmlns=\"\(ns)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        xml += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (index, name) in sheetNames.enumerated() {
            xml += "<sheet name=\"\(OOXMLPackage.escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        xml += "</sheets><definedNames>"
        for (index, table) in tables.enumerated() {
            let quoted = "'\(sheetNames[index].replacingOccurrences(of: "'", with: "''"))'"
            let last = column(table.header.count - 1)
            xml += "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">\(OOXMLPackage.escape(quoted))!$A$1:$\(last)$\(table.rows.count + 1)</definedName>"
            xml += "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(index)\">\(OOXMLPackage.escape(quoted))!$1:$1</definedName>"
        }
        return xml + "</definedNames></workbook>"
    }

    /// Styles: 0 default, 1 header (黑体 bold, grey fill, centred, wrapped, bordered),
    /// 2 text (wrapped, top-left, bordered), 3 number (right), 4 centred.
    static let styles = OOXMLPackage.xmlHeader + """
        <styleSheet xmlns="\(ns)">\
        <fonts count="2"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
        <font><b/><sz val="11"/><name val="黑体"/><family val="3"/><charset val="134"/></font></fonts>\
        <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill></fills>\
        <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
        <border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="5">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment horizontal="left" vertical="top" wrapText="1"/></xf>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment horizontal="right" vertical="top"/></xf>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="top" wrapText="1"/></xf>\
        </cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """

    static func contentTypes(sheetCount: Int) -> String {
        OOXMLPackage.contentTypes(
            [
                ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
                ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
                ("/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"),
            ] + (1...sheetCount).map { ("/xl/worksheets/sheet\($0).xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml") })
    }

    static let packageRelationships = OOXMLPackage.xmlHeader + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
        </Relationships>
        """

    static func workbookRelationships(sheetCount: Int) -> String {
        var xml = OOXMLPackage.xmlHeader + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for index in 1...sheetCount {
            xml += "<Relationship Id=\"rId\(index)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
        }
        xml += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        xml += "<Relationship Id=\"rId\(sheetCount + 2)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        return xml + "</Relationships>"
    }

    static func coreProperties(_ notice: Notice) -> String {
        let created = String(format: "%04d-%02d-%02dT00:00:00Z", notice.date.year, notice.date.month, notice.date.day)
        return OOXMLPackage.xmlHeader + """
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <dc:title>\(OOXMLPackage.escape(notice.title))（附件）</dc:title><dc:creator>\(OOXMLPackage.escape(notice.office))</dc:creator>\
            <dcterms:created xsi:type="dcterms:W3CDTF">\(created)</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">\(created)</dcterms:modified>\
            </cp:coreProperties>
            """
    }

    static let appProperties = OOXMLPackage.xmlHeader + """
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>GovWatch</Application></Properties>
        """
}
