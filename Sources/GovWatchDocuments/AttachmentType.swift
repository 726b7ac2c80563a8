import Foundation
import ZIPFoundation

/// The file types a unit may attach to its rectification feedback (整改情况: a stamped PDF
/// 盖章件 plus an electronic document or photos), told from the bytes, never from the name:
/// a renamed executable or HTML page called `报告.pdf` is none of them.
public enum AttachmentType: String, Sendable, Hashable, CaseIterable {
    case pdf, docx, xlsx, ofd, jpeg, png

    /// The media type sent with the download.
    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .ofd: "application/ofd"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }

    /// The extension a download is named with.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        default: rawValue
        }
    }

    /// What a person reads in an error message: "PDF、DOCX、XLSX、OFD、JPEG、PNG".
    public static let acceptedNames = allCases.map { $0.rawValue.uppercased() }.joined(separator: "、")

    /// The type of `data` from its signature (magic number) and, for the ZIP-based formats,
    /// the parts inside: a .docx holds `word/document.xml`, a .xlsx `xl/workbook.xml` (both
    /// with `[Content_Types].xml`), an OFD (GB/T 33190) `OFD.xml` at its root. Nil for
    /// anything else.
    public static func detect(_ data: Data) -> AttachmentType? {
        if data.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]),
            let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil)
        else { return nil }
        if archive["OFD.xml"] != nil { return .ofd }
        guard archive["[Content_Types].xml"] != nil else { return nil }
        if archive["word/document.xml"] != nil { return .docx }
        if archive["xl/workbook.xml"] != nil { return .xlsx }
        return nil
    }

    /// The type stored with an attachment (its media type), nil for an unknown one.
    public init?(mediaType: String) {
        guard let match = Self.allCases.first(where: { $0.mediaType == mediaType }) else { return nil }
        self = match
    }
}
