/// JSON written by hand where `JSONEncoder` was the cost (`govwatch scan --format json` on
/// large files, the crawler's page records) or cannot keep the key order (`govwatch extract`
/// in the spec's order, JSON log lines with the timestamp first): strings escaped exactly as
/// `JSONEncoder` with `.withoutEscapingSlashes` escapes them, so the output is byte-for-byte
/// the same.
package enum JSONText {
    /// Appends `value` as a JSON string literal: `"` and `\` escaped, control characters as
    /// `\b \t \n \f \r` or `\u00XX`, everything else (including `/` and non-ASCII) as is.
    package static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `value` as a JSON string literal.
    package static func quoted(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        appendString(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` as a JSON string literal, or `null`.
    package static func quoted(_ value: String?) -> String {
        value.map { quoted($0) } ?? "null"
    }
}
