import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Text of Office Open XML documents (.docx, .xlsx): a ZIP of XML parts.
enum OOXMLText {
    /// Parts larger than this are refused: a ZIP bomb must not exhaust memory.
    static let maximumPartSize: UInt64 = 256 * 1024 * 1024

    static func archive(_ data: Data, file: String, kind: String) throws -> Archive {
        do {
            return try Archive(data: data, accessMode: .read)
        } catch {
            throw DocumentReadError(file: file, reason: "不是有效的 \(kind) 文件（ZIP 结构损坏）")
        }
    }

    /// .docx or .xlsx by the parts the ZIP holds; nil for another ZIP.
    static func zipKind(_ data: Data) -> DocumentFormat? {
        guard let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else { return nil }
        if archive["word/document.xml"] != nil { return .docx }
        if archive["xl/workbook.xml"] != nil { return .xlsx }
        return nil
    }

    static func part(_ path: String, of archive: Archive, file: String) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= maximumPartSize else {
            throw DocumentReadError(file: file, reason: "文档部件 \(path) 过大")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
        } catch {
            throw DocumentReadError(file: file, reason: "文档部件 \(path) 已损坏")
        }
        return data
    }

    // MARK: .docx

    static func docx(_ data: Data, file: String) throws -> String {
        let archive = try archive(data, file: file, kind: "Word（.docx）")
        guard let document = try part("word/document.xml", of: archive, file: file) else {
            throw DocumentReadError(file: file, reason: "不是 Word 文档（缺少 word/document.xml）")
        }
        var text = try WordprocessingText.text(of: document, file: file)
        // Notes, then headers and footers, after the body: the body keeps its line numbers.
        let extraParts = ["word/footnotes.xml", "word/endnotes.xml"]
            + archive.map(\.path).filter { $0.hasPrefix("word/header") || $0.hasPrefix("word/footer") }.sorted()
        for path in extraParts {
            if let partData = try part(path, of: archive, file: file) {
                let partText = try WordprocessingText.text(of: partData, file: file)
                if !partText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { text += partText }
            }
        }
        return text
    }

    // MARK: .xlsx

    static func xlsx(_ data: Data, file: String) throws -> [(name: String, text: String)] {
        let archive = try archive(data, file: file, kind: "Excel（.xlsx）")
        guard let workbook = try part("xl/workbook.xml", of: archive, file: file) else {
            throw DocumentReadError(file: file, reason: "不是 Excel 工作簿（缺少 xl/workbook.xml）")
        }
        let sheets = try XMLElements.collect(workbook, file: file, elements: ["sheet"])
        var targets: [String: String] = [:]
        if let relations = try part("xl/_rels/workbook.xml.rels", of: archive, file: file) {
            for relation in try XMLElements.collect(relations, file: file, elements: ["Relationship"]) {
                if let id = relation["Id"], let target = relation["Target"] { targets[id] = target }
            }
        }
        let sharedStrings = try part("xl/sharedStrings.xml", of: archive, file: file).map {
            try SharedStrings.parse($0, file: file)
        } ?? []
        var result: [(name: String, text: String)] = []
        for (index, sheet) in sheets.enumerated() {
            let name = sheet["name"] ?? "Sheet\(index + 1)"
            let relationID = sheet.first { $0.key.hasSuffix(":id") }?.value
            var path = relationID.flatMap { targets[$0] } ?? "worksheets/sheet\(index + 1).xml"
            path = path.hasPrefix("/") ? String(path.dropFirst()) : "xl/" + path
            guard let sheetData = try part(path, of: archive, file: file) else { continue }
            result.append((name, try WorksheetText.text(of: sheetData, sharedStrings: sharedStrings, file: file)))
        }
        return result
    }

    /// The local name of a possibly prefixed XML name (`w:t` → `t`).
    static func localName(_ name: String) -> Substring {
        if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
        return Substring(name)
    }

    static func parse(_ data: Data, delegate: some XMLParserDelegate, file: String) throws {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse() else {
            throw DocumentReadError(file: file, reason: "文档内的 XML 已损坏")
        }
    }
}

/// WordprocessingML: runs of `w:t`, tabs and breaks in runs, a line per paragraph.
final class WordprocessingText: NSObject, XMLParserDelegate {
    private var text = ""
    private var inText = false
    private var runDepth = 0

    static func text(of data: Data, file: String) throws -> String {
        let delegate = WordprocessingText()
        try OOXMLText.parse(data, delegate: delegate, file: file)
        return delegate.text
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        switch OOXMLText.localName(elementName) {
        case "r": runDepth += 1
        case "t": inText = runDepth > 0
        case "tab" where runDepth > 0: text += "\t"
        case "br", "cr": if runDepth > 0 { text += "\n" }
        case "noBreakHyphen": text += "-"
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch OOXMLText.localName(elementName) {
        case "r": runDepth = max(0, runDepth - 1)
        case "t": inText = false
        case "p": text += "\n"
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { text += string }
    }
}

/// The attributes of every element of the given local names, in document order.
final class XMLElements: NSObject, XMLParserDelegate {
    private let names: Set<String>
    private var found: [[String: String]] = []

    private init(names: Set<String>) { self.names = names }

    static func collect(_ data: Data, file: String, elements: Set<String>) throws -> [[String: String]] {
        let delegate = XMLElements(names: elements)
        try OOXMLText.parse(data, delegate: delegate, file: file)
        return delegate.found
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if names.contains(String(OOXMLText.localName(elementName))) { found.append(attributeDict) }
    }
}

/// `xl/sharedStrings.xml`: one string per `si`, its `t` texts joined, phonetic guides (`rPh`) left out.
final class SharedStrings: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phoneticDepth = 0

    static func parse(_ data: Data, file: String) throws -> [String] {
        let delegate = SharedStrings()
        try OOXMLText.parse(data, delegate: delegate, file: file)
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        switch OOXMLText.localName(elementName) {
        case "si": current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = phoneticDepth == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch OOXMLText.localName(elementName) {
        case "si": strings.append(current)
        case "rPh": phoneticDepth = max(0, phoneticDepth - 1)
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// A worksheet as text: line N is row N, cells separated by tabs at their columns.
final class WorksheetText: NSObject, XMLParserDelegate {
    private let sharedStrings: [String]
    private var lines: [String] = []
    private var rowNumber = 0
    private var cells: [(column: Int, value: String)] = []
    private var cellColumn = 0
    private var cellType = ""
    private var value = ""
    private var collecting = false

    private init(sharedStrings: [String]) { self.sharedStrings = sharedStrings }

    static func text(of data: Data, sharedStrings: [String], file: String) throws -> String {
        let delegate = WorksheetText(sharedStrings: sharedStrings)
        try OOXMLText.parse(data, delegate: delegate, file: file)
        return delegate.lines.joined(separator: "\n")
    }

    /// `AB12` → 28 (1-based column).
    static func column(ofReference reference: String) -> Int? {
        var column = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 0x41, scalar.value <= 0x5A else { break }
            column = column * 26 + Int(scalar.value - 0x40)
        }
        return column > 0 ? column : nil
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        switch OOXMLText.localName(elementName) {
        case "row":
            rowNumber = Int(attributeDict["r"] ?? "") ?? (rowNumber + 1)
            cells = []
        case "c":
            cellColumn = attributeDict["r"].flatMap(Self.column(ofReference:)) ?? ((cells.last?.column ?? 0) + 1)
            cellType = attributeDict["t"] ?? "n"
            value = ""
        case "v":
            collecting = true
        case "t":
            collecting = cellType == "inlineStr"
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch OOXMLText.localName(elementName) {
        case "v", "t":
            collecting = false
        case "c":
            var shown = value
            switch cellType {
            case "s": shown = Int(value).flatMap { $0 >= 0 && $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
            case "b": shown = value == "1" ? "TRUE" : "FALSE"
            default: break
            }
            // Line breaks inside a cell would shift the row numbers: keep one row per line.
            shown = shown.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            cells.append((cellColumn, shown))
        case "row":
            while lines.count < rowNumber - 1 { lines.append("") }
            var line = ""
            var column = 1
            for cell in cells {
                while column < cell.column {
                    line += "\t"
                    column += 1
                }
                line += cell.value
            }
            lines.append(line)
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { value += string }
    }
}
