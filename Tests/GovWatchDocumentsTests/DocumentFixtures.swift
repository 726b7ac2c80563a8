import Foundation
import ZIPFoundation

/// Minimal but valid documents written by the tests themselves.
enum DocumentFixtures {
    /// A ZIP archive (in memory) holding `parts`.
    static func zip(_ parts: [(path: String, text: String)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            let data = Data(part.text.utf8)
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return archive.data!
    }

    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    /// A .docx whose body is `bodyXML` (w:p elements), with an optional footnotes part.
    static func docx(bodyXML: String, footnotesXML: String? = nil) throws -> Data {
        var parts: [(String, String)] = [
            ("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
            </Types>
            """),
            ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
            </Relationships>
            """),
            ("word/document.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(wordNamespace)"><w:body>\(bodyXML)<w:sectPr/></w:body></w:document>
            """),
        ]
        if let footnotesXML {
            parts.append(("word/footnotes.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:footnotes xmlns:w="\(wordNamespace)">\(footnotesXML)</w:footnotes>
            """))
        }
        return try zip(parts)
    }

    /// A .xlsx with the given sheets (name, sheet XML `sheetData` content) and shared strings.
    static func xlsx(sheets: [(name: String, rowsXML: String)], sharedStrings: [String]) throws -> Data {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let sheetEntries = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }.joined()
        // Relationship targets deliberately not in sheet order, as Excel sometimes writes them.
        let relations = sheets.indices.map { index in
            "<Relationship Id=\"rId\(index + 1)\" Type=\"\(relNS)/worksheet\" Target=\"worksheets/sheet\(sheets.count - index).xml\"/>"
        }.joined()
        let strings = sharedStrings.map { "<si><t xml:space=\"preserve\">\($0)</t></si>" }.joined()
        var parts: [(String, String)] = [
            ("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
            </Types>
            """),
            ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="\(relNS)/officeDocument" Target="xl/workbook.xml"/>
            </Relationships>
            """),
            ("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="\(main)" xmlns:r="\(relNS)"><sheets>\(sheetEntries)</sheets></workbook>
            """),
            ("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relations)</Relationships>
            """),
            ("xl/sharedStrings.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(main)" count="\(sharedStrings.count)" uniqueCount="\(sharedStrings.count)">\(strings)</sst>
            """),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(sheets.count - index).xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(main)"><sheetData>\(sheet.rowsXML)</sheetData></worksheet>
            """))
        }
        return try zip(parts)
    }

    /// A PDF with one page per entry of `pages` (ASCII text lines, Helvetica), built by hand
    /// with a correct cross-reference table.
    static func pdf(pages: [[String]]) -> Data {
        var objects: [String] = []
        let pageCount = pages.count
        // 1: catalog, 2: pages, 3: font, then per page: page object and content stream.
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        let kids = (0..<pageCount).map { "\(4 + $0 * 2) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for (index, lines) in pages.enumerated() {
            var stream = "BT /F1 12 Tf 72 720 Td 16 TL\n"
            for line in lines {
                let escaped = line.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
                stream += "(\(escaped)) Tj T*\n"
            }
            stream += "ET"
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + index * 2) 0 R >>")
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
        }
        var output = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(output.utf8.count)
            output += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xrefOffset = output.utf8.count
        output += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let text = String(offset)
            output += String(repeating: "0", count: 10 - text.count) + text + " 00000 n \n"
        }
        output += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        return Data(output.utf8)
    }
}
