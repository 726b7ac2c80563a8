import Foundation

/// Decoding of import files: UTF-8 with or without BOM, else GB18030.
///
/// Spreadsheet programs on Chinese Windows save CSV as GBK (a subset of GB18030); no
/// header says so. Valid UTF-8 of Chinese text is very unlikely to be valid GBK by chance
/// and the reverse fails fast, so strict UTF-8 first, then GB18030 is a reliable test.
public enum TextDecoding {
    /// CoreFoundation's GB18030 (`kCFStringEncodingGB_18030_2000`), available on Linux.
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public enum Detected: String, Sendable { case utf8 = "UTF-8", gb18030 = "GB18030" }

    /// The text and the encoding it was found in, or nil when it is neither.
    public static func decode(_ data: Data) -> (text: String, encoding: Detected)? {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return (text, .utf8) }
        if let text = String(data: bytes, encoding: gb18030) { return (text, .gb18030) }
        return nil
    }
}
