import Foundation

/// Text decoded from raw bytes, with where its character encoding came from.
public struct DecodedText: Sendable {
    /// Where the character encoding was learned.
    public enum Source: String, Sendable, Codable {
        /// A byte order mark at the start of the bytes.
        case byteOrderMark
        /// The `charset` parameter of the HTTP `Content-Type` header.
        case httpHeader
        /// `<meta charset>` or `<meta http-equiv="Content-Type" content="…charset=…">`.
        case metaTag
        /// Guessed from the bytes: valid UTF-8, else GB18030.
        case sniffed
    }

    /// The decoded text; undecodable bytes became U+FFFD.
    public var text: String
    /// The encoding used, as a canonical name: `UTF-8`, `GB18030`, `UTF-16LE`, `UTF-16BE`,
    /// `Big5` or `windows-1252`.
    public var charset: String
    /// Where `charset` came from.
    public var source: Source
    /// Whether some bytes could not be decoded and were replaced by U+FFFD.
    public var hadErrors: Bool
}

/// Finds the character encoding of a page and decodes it without ever failing.
///
/// The order follows what browsers do, adapted to Chinese government sites: a byte order
/// mark; then the HTTP `Content-Type` charset; then a `<meta>` declaration in the first
/// 8 KB; then sniffing (valid UTF-8, otherwise GB18030). GB2312, GBK and GB18030 labels
/// are all read as GB18030, their common superset. A declaration that the bytes plainly
/// contradict is skipped: a page labelled UTF-8 that is not valid UTF-8, or a page
/// labelled GBK whose bytes are valid multi-byte UTF-8 (a CMS migrated to UTF-8 that kept
/// its old template), is read the way it is actually encoded.
public enum CharsetDetector {
    /// CoreFoundation's GB18030 (`kCFStringEncodingGB_18030_2000`), a superset of GBK and GB2312.
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    /// CoreFoundation's Big5.
    static let big5 = String.Encoding(rawValue: 0x8000_0A03)

    /// How many bytes of the page are searched for a `<meta>` charset declaration.
    static let metaScanLimit = 8192

    /// Decodes `bytes`, detecting the encoding as described on the type.
    ///
    /// - Parameters:
    ///   - bytes: the raw page.
    ///   - contentType: the HTTP `Content-Type` header value, if known.
    public static func decode(_ bytes: some Collection<UInt8>, contentType: String? = nil) -> DecodedText {
        let bytes = Array(bytes)
        if let bom = decodeByteOrderMark(bytes) { return bom }

        let utf8 = UTF8Validation(bytes)
        var candidates: [(String, DecodedText.Source)] = []
        if let label = contentType.flatMap(charsetParameter(inContentType:)), let name = canonicalName(label) {
            candidates.append((name, .httpHeader))
        }
        if let label = metaCharset(in: bytes), let name = canonicalName(label) {
            candidates.append((name, .metaTag))
        }
        for (name, source) in candidates {
            switch name {
            case "UTF-8" where !utf8.isValid:
                continue // labelled UTF-8, but it is not
            case "GB18030" where utf8.isValid && utf8.hasMultibyte:
                continue // labelled GBK, but the bytes are UTF-8
            case "UTF-16LE" where source == .metaTag, "UTF-16BE" where source == .metaTag:
                continue // a <meta> readable as ASCII cannot be in UTF-16 (as browsers rule)
            default:
                return decode(bytes, as: name, source: source, validation: utf8)
            }
        }
        if utf8.isValid { return decode(bytes, as: "UTF-8", source: .sniffed, validation: utf8) }
        return decode(bytes, as: "GB18030", source: .sniffed)
    }

    /// The canonical encoding name for a charset label, or nil for labels this product
    /// does not read (which then fall through to the next clue).
    public static func canonicalName(_ label: String) -> String? {
        let key = label.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n\"'")).lowercased()
        switch key {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8":
            return "UTF-8"
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn",
             "csgb2312", "chinese", "iso-ir-58", "gb_2312-80", "gb_2312", "x-euc-cn", "hz-gb-2312":
            return "GB18030"
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5":
            return "Big5"
        case "utf-16le", "utf-16":
            return "UTF-16LE"
        case "utf-16be":
            return "UTF-16BE"
        case "iso-8859-1", "latin1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso8859-1":
            return "windows-1252"
        default:
            return nil
        }
    }

    /// The `charset` parameter of a `Content-Type` value, e.g. `gbk` in
    /// `text/html; charset="GBK"`.
    public static func charsetParameter(inContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2,
                  parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            if !value.isEmpty { return value }
        }
        return nil
    }

    /// The charset declared by a `<meta>` tag near the start of the bytes.
    ///
    /// Works on bytes so that it runs before any decoding: in both `<meta charset=gbk>`
    /// and `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` the
    /// word `charset` is followed by `=` and the label.
    public static func metaCharset(in bytes: [UInt8]) -> String? {
        let limit = min(bytes.count, metaScanLimit)
        var index = 0
        while index + 5 < limit {
            // find "<meta" (case-insensitive)
            guard bytes[index] == UInt8(ascii: "<"), lower(bytes[index + 1]) == UInt8(ascii: "m"),
                  lower(bytes[index + 2]) == UInt8(ascii: "e"), lower(bytes[index + 3]) == UInt8(ascii: "t"),
                  lower(bytes[index + 4]) == UInt8(ascii: "a") else {
                index += 1
                continue
            }
            var end = index + 5
            while end < limit, bytes[end] != UInt8(ascii: ">") { end += 1 }
            if let label = charsetAssignment(in: bytes[(index + 5)..<end]) { return label }
            index = end
        }
        return nil
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    private static func charsetAssignment(in tag: ArraySlice<UInt8>) -> String? {
        let word = Array("charset".utf8)
        var index = tag.startIndex
        while index + word.count <= tag.endIndex {
            var matches = true
            for offset in 0..<word.count where lower(tag[index + offset]) != word[offset] {
                matches = false
                break
            }
            if !matches {
                index += 1
                continue
            }
            var cursor = index + word.count
            while cursor < tag.endIndex, tag[cursor] == 0x20 || tag[cursor] == 0x09 { cursor += 1 }
            guard cursor < tag.endIndex, tag[cursor] == UInt8(ascii: "=") else {
                index += 1
                continue
            }
            cursor += 1
            while cursor < tag.endIndex, tag[cursor] == 0x20 || tag[cursor] == 0x09
                || tag[cursor] == UInt8(ascii: "\"") || tag[cursor] == UInt8(ascii: "'") { cursor += 1 }
            let start = cursor
            while cursor < tag.endIndex, isLabelByte(tag[cursor]) { cursor += 1 }
            if cursor > start { return String(decoding: tag[start..<cursor], as: UTF8.self) }
            index = cursor
        }
        return nil
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":")
    }

    private static func decodeByteOrderMark(_ bytes: [UInt8]) -> DecodedText? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return decode(Array(bytes.dropFirst(3)), as: "UTF-8", source: .byteOrderMark)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return decode(Array(bytes.dropFirst(2)), as: "UTF-16LE", source: .byteOrderMark)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return decode(Array(bytes.dropFirst(2)), as: "UTF-16BE", source: .byteOrderMark)
        }
        return nil
    }

    /// Decodes `bytes` in the named encoding (a name returned by `canonicalName(_:)`),
    /// replacing what cannot be decoded with U+FFFD.
    public static func decode(_ bytes: [UInt8], as charset: String, source: DecodedText.Source = .sniffed) -> DecodedText {
        decode(bytes, as: charset, source: source, validation: nil)
    }

    /// `decode(_:as:source:)`, reusing the caller's validation of the same bytes when it
    /// has one (validating a page twice was a measurable share of page analysis).
    static func decode(_ bytes: [UInt8], as charset: String, source: DecodedText.Source, validation known: UTF8Validation?) -> DecodedText {
        var hadErrors = false
        let text: String
        switch charset {
        case "UTF-8":
            let validation = known ?? UTF8Validation(bytes)
            hadErrors = !validation.isValid
            text = String(decoding: bytes, as: UTF8.self)
        case "GB18030":
            (text, hadErrors) = GB18030Decoder.decode(bytes)
        case "UTF-16LE", "UTF-16BE":
            let bigEndian = charset == "UTF-16BE"
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 0
            while index + 1 < bytes.count {
                let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
                units.append(bigEndian ? first << 8 | second : second << 8 | first)
                index += 2
            }
            hadErrors = bytes.count % 2 != 0
            text = String(decoding: units, as: UTF16.self)
        default:
            let encoding: String.Encoding = charset == "Big5" ? big5 : .windowsCP1252
            if let decoded = String(bytes: bytes, encoding: encoding) {
                text = decoded
            } else {
                // Single-byte fallback keeps every ASCII byte; the rest become U+FFFD.
                hadErrors = true
                text = String(decoding: bytes.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
            }
        }
        var result = text
        if result.unicodeScalars.first == "\u{FEFF}" { result.unicodeScalars.removeFirst() }
        return DecodedText(text: result, charset: charset, source: source, hadErrors: hadErrors)
    }
}

/// A single pass over bytes telling whether they are well-formed UTF-8.
struct UTF8Validation {
    /// No malformed sequence (a sequence cut off by the last bytes is tolerated: pages
    /// are truncated by the fetcher's size cap).
    var isValid = true
    /// At least one multi-byte sequence was seen.
    var hasMultibyte = false

    init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { UTF8Validation($0) }
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                // Runs of ASCII (markup) eight bytes at a time.
                while index + 8 <= count,
                      UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default:
                isValid = false
                return
            }
            if index + length > count {
                // Truncated at the very end: check what is there, then accept.
                for offset in 1..<(count - index) {
                    let continuation = bytes[index + offset]
                    let (min, max) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                    if continuation < min || continuation > max {
                        isValid = false
                        return
                    }
                }
                hasMultibyte = true
                return
            }
            for offset in 1..<length {
                let continuation = bytes[index + offset]
                let (min, max) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                if continuation < min || continuation > max {
                    isValid = false
                    return
                }
            }
            hasMultibyte = true
            index += length
        }
    }
}

/// Lossy GB18030 decoding: Foundation's decoder refuses a whole buffer for one bad byte,
/// so broken pages are cut into structurally valid runs, each decoded on its own, with
/// U+FFFD for the bytes in between.
enum GB18030Decoder {
    /// Runs are decoded in chunks of about this many bytes, so one bad sequence costs a
    /// bounded amount of re-decoding.
    static let chunkSize = 4096

    static func decode(_ bytes: [UInt8]) -> (String, Bool) {
        if let text = String(bytes: bytes, encoding: CharsetDetector.gb18030) { return (text, false) }
        var result = ""
        result.reserveCapacity(bytes.count)
        var hadErrors = false
        var runStart = 0
        var index = 0
        let count = bytes.count

        func flush(_ end: Int) {
            guard end > runStart else { return }
            let run = Array(bytes[runStart..<end])
            if let text = String(bytes: run, encoding: CharsetDetector.gb18030) {
                result += text
            } else {
                decodeSequenceBySequence(run, into: &result, hadErrors: &hadErrors)
            }
        }

        while index < count {
            let length = sequenceLength(bytes, at: index)
            if length == 0 {
                flush(index)
                result.unicodeScalars.append("\u{FFFD}")
                hadErrors = true
                index += 1
                runStart = index
            } else {
                index += length
                if index - runStart >= chunkSize {
                    flush(index)
                    runStart = index
                }
            }
        }
        flush(count)
        return (result, hadErrors)
    }

    /// The length of the well-formed GB18030 sequence at `index`, or 0 when malformed.
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let first = bytes[index]
        if first < 0x80 { return 1 }
        if first == 0x80 || first == 0xFF { return 0 }
        guard index + 1 < bytes.count else { return 0 }
        let second = bytes[index + 1]
        if (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) { return 2 }
        if (0x30...0x39).contains(second), index + 3 < bytes.count,
           (0x81...0xFE).contains(bytes[index + 2]), (0x30...0x39).contains(bytes[index + 3]) {
            return 4
        }
        return 0
    }

    private static func decodeSequenceBySequence(_ run: [UInt8], into result: inout String, hadErrors: inout Bool) {
        var index = 0
        while index < run.count {
            let length = max(1, sequenceLength(run, at: index))
            let end = min(run.count, index + length)
            if length == 1 && run[index] < 0x80 {
                result.unicodeScalars.append(Unicode.Scalar(run[index]))
            } else if let scalar = supplementaryScalar(run, at: index, length: length) {
                result.unicodeScalars.append(scalar)
            } else if let text = String(bytes: run[index..<end], encoding: CharsetDetector.gb18030) {
                result += text
            } else {
                result.unicodeScalars.append("\u{FFFD}")
                hadErrors = true
            }
            index = end
        }
    }

    /// Four-byte sequences from 0x90308130 map linearly onto U+10000…U+10FFFF.
    private static func supplementaryScalar(_ run: [UInt8], at index: Int, length: Int) -> Unicode.Scalar? {
        guard length == 4, run[index] >= 0x90, run[index] <= 0xE3 else { return nil }
        let linear = (Int(run[index]) - 0x90) * 12600 + (Int(run[index + 1]) - 0x30) * 1260
            + (Int(run[index + 2]) - 0x81) * 10 + (Int(run[index + 3]) - 0x30)
        return Unicode.Scalar(UInt32(0x10000 + linear))
    }
}
