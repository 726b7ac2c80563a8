import Foundation
import ZIPFoundation

/// Minimal valid Office Open XML documents (.docx, .xlsx), the way 公示 attachments reach
/// a government site: a Word notice or an Excel list.
///
/// Built in memory with ZIPFoundation; entries carry a fixed modification date so the
/// bytes (and so ETags) are the same on every run.
enum OfficeDocuments {
    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// A Word document with one paragraph per string.
    static func docx(paragraphs: [String]) -> Data {
        let body = paragraphs.map { "<w:p><w:r><w:t xml:space=\"preserve\">\(xmlEscape($0))</w:t></w:r></w:p>" }
            .joined()
        return zip([
            ("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
                """),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
                """),
            ("word/document.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)<w:sectPr/></w:body></w:document>
                """),
        ])
    }

    /// An Excel workbook with one sheet (`Sheet1`) of text cells, in shared strings as Excel writes them.
    static func xlsx(rows: [[String]]) -> Data {
        var strings: [String] = []
        var index: [String: Int] = [:]
        func stringIndex(_ s: String) -> Int {
            if let i = index[s] { return i }
            strings.append(s)
            index[s] = strings.count - 1
            return strings.count - 1
        }
        var sheetRows = ""
        for (r, row) in rows.enumerated() {
            sheetRows += "<row r=\"\(r + 1)\">"
            for (c, value) in row.enumerated() {
                let ref = String(UnicodeScalar(UInt8(65 + c))) + String(r + 1)
                sheetRows += "<c r=\"\(ref)\" t=\"s\"><v>\(stringIndex(value))</v></c>"
            }
            sheetRows += "</row>"
        }
        let shared = strings.map { "<si><t>\(xmlEscape($0))</t></si>" }.joined()
        let total = rows.reduce(0) { $0 + $1.count }
        return zip([
            ("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>
                """),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """),
            ("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>
                """),
            ("xl/worksheets/sheet1.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(sheetRows)</sheetData></worksheet>
                """),
            ("xl/sharedStrings.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\(total)" uniqueCount="\(strings.count)">\(shared)</sst>
                """),
        ])
    }

    /// A fixed entry date: documents are identical byte for byte on every run.
    private static let entryDate = Date(timeIntervalSince1970: 1_646_870_400)  // 2022-03-10 08:00 CST

    private static func zip(_ entries: [(String, String)]) -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, text) in entries {
                let data = Data(text.utf8)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: entryDate,
                    compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { preconditionFailure("in-memory archive has no data") }
            return data
        } catch {
            preconditionFailure("building an in-memory OOXML package failed: \(error)")
        }
    }

    static func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// A minimal valid PDF 1.4 with text in the standard Helvetica font (so `pdftotext`
/// extracts it without embedded fonts or CMaps); ASCII text only.
enum MinimalPDF {
    static let contentType = "application/pdf"

    static func document(lines: [String]) -> Data {
        precondition(lines.allSatisfy { $0.allSatisfy(\.isASCII) }, "standard fonts carry ASCII only")
        var stream = "BT\n/F1 12 Tf\n14 TL\n72 760 Td\n"
        for line in lines {
            let escaped = line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)")
            stream += "(\(escaped)) Tj T*\n"
        }
        stream += "ET\n"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)endstream",
        ]
        // The xref table holds byte offsets: build the file as bytes as we go. The second
        // line's high bytes mark the file as binary, as PDF writers do.
        var bytes = Data("%PDF-1.4\n".utf8)
        bytes.append(contentsOf: [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes.append(contentsOf: Array("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8))
        }
        let xrefOffset = bytes.count
        var pdf = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            pdf += String(format: "%010d 00000 n \n", offset)
        }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        bytes.append(contentsOf: Array(pdf.utf8))
        return bytes
    }
}
