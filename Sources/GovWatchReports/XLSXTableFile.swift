import Foundation
import ZIPFoundation

/// A one-sheet Excel workbook of a table of any length, written row by row to a temporary
/// file (inline strings, no shared-string table in memory), then packed from disk: the
/// web platform's export of a run's findings may hold a million rows. The look is the
/// notice attachments' (`XLSXWriter`): header in bold on grey, frozen and filtered, text
/// wrapped, landscape A4 one page wide.
// Unchecked: rows are appended by one task; once finished, the object only keeps its file alive.
public final class XLSXTableFile: @unchecked Sendable {
    /// Rows a sheet may hold below its header (Excel's limit is 1,048,576 rows in all).
    public static let maximumRows = 1_048_575

    public let sheetName: String
    let header: [String]
    let folder: URL
    let sheetURL: URL
    let sheet: FileHandle
    var buffer = Data()
    public private(set) var rowCount = 0

    /// `widths` in characters, one per column (CJK characters count two).
    public init(sheetName: String, header: [String], widths: [Double]) throws {
        self.sheetName = String(sheetName.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        self.header = header
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        sheetURL = folder.appendingPathComponent("sheet1.xml")
        FileManager.default.createFile(atPath: sheetURL.path, contents: nil)
        sheet = try FileHandle(forWritingTo: sheetURL)
        var xml = OOXMLPackage.xmlHeader
        xml += "<worksheet xmlns=\"\(XLSXWriter.ns)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        xml += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"
        xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
        xml += "<sheetFormatPr defaultRowHeight=\"18\"/><cols>"
        for index in header.indices {
            let width = index < widths.count ? min(80, max(6, widths[index])) : 12
            xml += String(format: "<col min=\"%d\" max=\"%d\" width=\"%.1f\" customWidth=\"1\"/>", index + 1, index + 1, width)
        }
        xml += "</cols><sheetData>"
        buffer.append(Data(xml.utf8))
        try row(header, number: 1, style: 1)
    }

    deinit {
        try? sheet.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Appends a row of text cells; more than ``maximumRows`` rows is an error.
    public func append(_ values: [String]) throws {
        guard rowCount < Self.maximumRows else {
            throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSLocalizedDescriptionKey: "more rows than a sheet holds"])
        }
        rowCount += 1
        try row(values, number: rowCount + 1, style: 2)
    }

    func row(_ values: [String], number: Int, style: Int) throws {
        var xml = "<row r=\"\(number)\">"
        for (index, value) in values.enumerated() {
            xml += "<c r=\"\(XLSXWriter.column(index))\(number)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
            // A cell holds at most 32,767 characters.
            xml += OOXMLPackage.escape(String(value.prefix(32_000)))
            xml += "</t></is></c>"
        }
        xml += "</row>"
        buffer.append(Data(xml.utf8))
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try sheet.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Finishes the sheet and packs the workbook; returns the .xlsx file, which stays until
    /// this object is released.
    public func finish() throws -> URL {
        let last = XLSXWriter.column(max(header.count - 1, 0))
        buffer.append(Data("</sheetData><autoFilter ref=\"A1:\(last)\(rowCount + 1)\"/>".utf8))
        buffer.append(Data("<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>".utf8))
        buffer.append(Data("<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>".utf8))
        buffer.append(Data("<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter></worksheet>".utf8))
        try flush()
        try sheet.close()

        let quoted = "'\(sheetName.replacingOccurrences(of: "'", with: "''"))'"
        let workbook =
            OOXMLPackage.xmlHeader
            + "<workbook xmlns=\"\(XLSXWriter.ns)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            + "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
            + "<sheet name=\"\(OOXMLPackage.escape(sheetName))\" sheetId=\"1\" r:id=\"rId1\"/></sheets><definedNames>"
            + "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">\(OOXMLPackage.escape(quoted))!$A$1:$\(last)$\(rowCount + 1)</definedName>"
            + "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">\(OOXMLPackage.escape(quoted))!$1:$1</definedName>"
            + "</definedNames></workbook>"
        let relationships =
            OOXMLPackage.xmlHeader + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            + "</Relationships>"
        let contentTypes = OOXMLPackage.contentTypes([
            ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
            ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
            ("/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
        ])
        let core =
            OOXMLPackage.xmlHeader
            + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
            + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>\(OOXMLPackage.escape(sheetName))</dc:title>"
            + "<dc:creator>GovWatch</dc:creator></cp:coreProperties>"

        let url = folder.appendingPathComponent("table.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", XLSXWriter.packageRelationships), ("docProps/core.xml", core),
            ("docProps/app.xml", XLSXWriter.appProperties), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", relationships), ("xl/styles.xml", XLSXWriter.styles),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: OOXMLPackage.entryDate,
                compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: sheetURL, compressionMethod: .deflate)
        return url
    }
}
