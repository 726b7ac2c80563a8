import Testing

@testable import GovWatchPage

@Suite("Whitespace collapsing on UTF-8 bytes")
struct WhitespaceTests {
    /// The definition the byte-level version replaces: the Unicode `White_Space` property.
    private func reference(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.unicodeScalars.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    @Test("every whitespace scalar, its UTF-8 neighbours, and mixed text agree with the White_Space property")
    func agreesWithUnicodeProperty() {
        let whitespace = (0...0x10FFFF).compactMap(Unicode.Scalar.init).filter(\.properties.isWhitespace)
        #expect(whitespace.count == 25)
        // Scalars sharing lead and continuation bytes with the whitespace ones.
        let neighbours: [UInt32] = [0x84, 0x86, 0x9F, 0xA1, 0x167F, 0x1681, 0x1FFF, 0x200B, 0x2027, 0x202A, 0x202E, 0x2030, 0x205E, 0x2060, 0x2FFF, 0x3001, 0x4E2D]
        for scalar in whitespace + neighbours.compactMap(Unicode.Scalar.init) {
            for text in ["a\(scalar)b", "\(scalar)", "\(scalar)a\(scalar)\(scalar)", "中\(scalar) 文\u{3000}", "\(scalar)\n\t"] {
                #expect(text.collapsingWhitespace() == reference(text), "U+\(String(scalar.value, radix: 16))")
            }
        }
        let mixed = "  政府\u{00A0}网站 \r\n 检查\u{3000}\u{3000}指标 é\u{301} 😀\u{2029}end\u{85} "
        #expect(mixed.collapsingWhitespace() == reference(mixed))
        #expect("".collapsingWhitespace() == "")
        #expect(" \u{3000} ".collapsingWhitespace() == "")
    }
}
