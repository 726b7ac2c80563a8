import Foundation

/// The text of one part of a document: the whole text, a worksheet or a PDF page.
public struct TextSection: Hashable, Sendable {
    /// What part of the document this is, as appended to the file name after `#`:
    /// nil for the whole document, the sheet name (`Sheet1`) or `page=2` (RFC 8118).
    public var label: String?
    /// The extracted text; lines and columns of problems are counted in it.
    public var text: String

    public init(label: String? = nil, text: String) {
        self.label = label
        self.text = text
    }

    /// `list.xlsx#Sheet1`, `report.pdf#page=2`, or `file` itself.
    public func displayName(file: String) -> String {
        label.map { "\(file)#\($0)" } ?? file
    }
}

/// The formats text can be extracted from.
public enum DocumentFormat: String, Hashable, Sendable, CaseIterable {
    case plainText = "text"
    case html
    case docx
    case xlsx
    case pdf
    /// Word 97–2003, through `catdoc`.
    case doc
    /// Excel 97–2003, through `xls2csv` (Debian package catdoc).
    case xls

    /// The format of `data` named `fileName`: the content's signature first (a .docx saved
    /// as .doc still opens), then the file extension, else plain text.
    public static func detect(fileName: String, data: Data) -> DocumentFormat {
        let ext = (fileName as NSString).pathExtension.lowercased()
        if data.starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) { return .pdf }  // %PDF-
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {  // ZIP: decide by the parts inside
            if ext == "xlsx" || ext == "xlsm" { return .xlsx }
            if ext == "docx" || ext == "docm" { return .docx }
            return OOXMLText.zipKind(data) ?? (ext == "xlsx" ? .xlsx : .docx)
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {  // OLE2 compound file
            return ["xls", "et"].contains(ext) ? .xls : .doc
        }
        switch ext {
        case "htm", "html", "shtml", "xhtml", "jsp", "asp", "aspx", "php": return .html
        case "docx": return .docx
        case "xlsx": return .xlsx
        case "pdf": return .pdf
        case "doc", "wps": return .doc
        case "xls", "et": return .xls
        default: break
        }
        let head = String(decoding: data.prefix(512), as: UTF8.self).lowercased()
        if head.contains("<!doctype html") || head.contains("<html") { return .html }
        return .plainText
    }
}

/// Input that cannot be read; the message names the file and says why, in Chinese.
public struct DocumentReadError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "无法读取 \(file)：\(reason)" }
    public var errorDescription: String? { description }
}

/// Extracts the text to scan from drafts, pages and attachments.
///
/// - Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK/GB2312).
/// - HTML: visible text plus `alt`/`title` attributes in document order.
/// - .docx: body paragraphs, then footnotes, endnotes, headers and footers (ZIPFoundation + XML).
/// - .xlsx: one section per worksheet, named after the sheet; line N is row N, cells
///   separated by tabs; shared and inline strings.
/// - PDF: one section per page (`page=N`) through poppler-utils' `pdftotext`.
/// - .doc through `catdoc`, .xls through `xls2csv` (Debian package catdoc), one section per sheet.
public struct DocumentTextExtractor: Sendable {
    /// How long an external converter may run before it is stopped.
    public var toolTimeout: TimeInterval

    public init(toolTimeout: TimeInterval = 60) {
        self.toolTimeout = toolTimeout
    }

    /// The sections of the file at `url`; `displayName` is used in error messages (defaults to the path).
    public func extract(contentsOf url: URL, displayName: String? = nil) throws -> [TextSection] {
        let name = displayName ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw DocumentReadError(file: name, reason: exists ? "没有读取权限或不是普通文件" : "文件不存在")
        }
        return try extract(data: data, fileName: name, format: nil)
    }

    /// The sections of `data`, a document named `fileName` (used to detect the format and in errors).
    public func extract(data: Data, fileName: String, format: DocumentFormat? = nil) throws -> [TextSection] {
        let format = format ?? DocumentFormat.detect(fileName: fileName, data: data)
        switch format {
        case .plainText:
            return [TextSection(text: try PlainText.decode(data, file: fileName))]
        case .html:
            return [TextSection(text: HTMLText.extract(data))]
        case .docx:
            return [TextSection(text: try OOXMLText.docx(data, file: fileName))]
        case .xlsx:
            return try OOXMLText.xlsx(data, file: fileName).map { TextSection(label: $0.name, text: $0.text) }
        case .pdf:
            let output = try ExternalConverter.run(
                tool: "pdftotext", package: "poppler-utils", arguments: ["-enc", "UTF-8", "-eol", "unix"],
                outputToStandardOutput: true, data: data, fileExtension: "pdf", file: fileName, timeout: toolTimeout)
            var pages = output.components(separatedBy: "\u{0C}")
            if pages.count > 1, pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
            return pages.enumerated().map { TextSection(label: "page=\($0.offset + 1)", text: $0.element) }
        case .doc:
            let output = try ExternalConverter.run(
                tool: "catdoc", package: "catdoc", arguments: ["-d", "utf-8", "-w"], outputToStandardOutput: false,
                data: data, fileExtension: "doc", file: fileName, timeout: toolTimeout)
            return [TextSection(text: output)]
        case .xls:
            let output = try ExternalConverter.run(
                tool: "xls2csv", package: "catdoc", arguments: ["-d", "utf-8", "-q", "0"], outputToStandardOutput: false,
                data: data, fileExtension: "xls", file: fileName, timeout: toolTimeout)
            var sheets = output.components(separatedBy: "\u{0C}")
            if sheets.count > 1, sheets.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { sheets.removeLast() }
            // xls2csv does not print sheet names; sheets are numbered in workbook order.
            return sheets.enumerated().map { TextSection(label: "sheet=\($0.offset + 1)", text: $0.element) }
        }
    }
}

/// Plain text in the encodings Chinese offices produce.
enum PlainText {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func decode(_ data: Data, file: String) throws -> String {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            if let text = String(data: data, encoding: .utf16) { return text }
        }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.contains(0) {
            throw DocumentReadError(file: file, reason: "不是文本文件，也不是可识别的文档格式（支持 .txt、.html、.docx、.xlsx、.pdf、.doc、.xls）")
        }
        if let text = String(data: bytes, encoding: .utf8) { return text }
        if let text = String(data: bytes, encoding: gb18030) { return text }
        throw DocumentReadError(file: file, reason: "文本编码无法识别（应为 UTF-8 或 GB18030/GBK）")
    }
}
