import Foundation

/// The formats `govwatch report --format` writes.
public enum NoticeFormat: String, Sendable, CaseIterable {
    case docx, html, md, xlsx

    /// The usual file extension.
    public var fileExtension: String { rawValue }

    /// Reads a `--format` value, or the extension of an output file name.
    public init?(argument: String) {
        let value = argument.lowercased()
        switch value {
        case "markdown": self = .md
        case "htm": self = .html
        default: self.init(rawValue: value)
        }
    }

    /// The notice's bytes in this format.
    public func render(_ notice: Notice) throws -> Data {
        switch self {
        case .docx: try DocxWriter.data(notice)
        case .html: Data(HTMLWriter.render(notice).utf8)
        case .md: Data(MarkdownWriter.render(notice).utf8)
        case .xlsx: try XLSXWriter.data(notice)
        }
    }

    /// Writes the notice to `url` atomically (a half-written notice never replaces a good one).
    public func write(_ notice: Notice, to url: URL) throws {
        try render(notice).write(to: url, options: .atomic)
    }
}
