import Foundation
@testable import GovWatchPage
import Testing

/// The byte-level fast paths of text extraction must give exactly what the `Character` /
/// `Unicode.Scalar` based code they replaced gave.
@Suite("Text extraction fast paths")
struct TextFastPathTests {
    /// Scalars that stress grapheme breaking next to the ones the fast paths take.
    static let alphabet: [Unicode.Scalar] = [
        "a", "Z", " ", "\t", "\n", "\r", "\u{85}", "\u{A0}", "\u{2FF}", "\u{300}", "\u{301}", "\u{483}",
        "\u{600}", "\u{903}", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{AC00}", "\u{1680}", "\u{2000}",
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{2014}", "\u{2028}", "\u{202F}", "\u{203C}", "\u{205F}",
        "\u{3000}", "\u{3001}", "\u{302A}", "\u{3099}", "\u{30A2}", "\u{4DC0}", "\u{4E00}", "\u{9FFF}",
        "\u{FE0F}", "\u{FF0C}", "\u{FF9E}", "\u{FFFD}", "\u{1F1E8}", "\u{1F1F3}", "\u{1F600}", "\u{1F3FB}",
        "中", "国", "政", "府",
    ]

    static func randomStrings(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        return (0..<count).map { _ in
            var text = ""
            for _ in 0..<(next() % 12) { text.unicodeScalars.append(alphabet[next() % alphabet.count]) }
            return text
        }
    }

    @Test("character counting agrees with String.count")
    func characterCounting() {
        for text in Self.randomStrings(count: 20_000, seed: 7) + ["", "中国政府网", "a\r\nb", "e\u{301}", "👍🏻"] {
            var copy = text
            let fast = copy.withUTF8 { GovWatchPage.characterCount(of: $0) }
            #expect(fast == text.count, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("whitespace collapsing, squeezing and counting agree with the scalar definitions")
    func whitespaceHelpers() {
        for text in Self.randomStrings(count: 20_000, seed: 11) {
            let words = text.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).map { String(String.UnicodeScalarView($0)) }
            #expect(text.collapsingWhitespace() == words.joined(separator: " "))
            #expect(squeezed(text) == words.joined())
            #expect(text.nonWhitespaceScalarCount == text.unicodeScalars.filter { !$0.properties.isWhitespace }.count)
            var copy = text
            let ends = copy.withUTF8 { String.endsWithWhitespace($0) }
            #expect(ends == (text.unicodeScalars.last?.properties.isWhitespace ?? false))
        }
    }

    /// The byte-at-a-time scan `oversizedTagBreaks` replaced.
    static func referenceBreaks(_ bytes: [UInt8]) -> [Int] {
        var breaks: [Int] = []
        var tagStart = -1
        for index in bytes.indices {
            let byte = bytes[index]
            if tagStart < 0 {
                if byte == UInt8(ascii: "<"), index + 1 < bytes.count {
                    let next = bytes[index + 1] | 0x20
                    if next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z") { tagStart = index }
                }
            } else if byte == UInt8(ascii: ">") {
                tagStart = -1
            } else if byte == UInt8(ascii: " ") && index - tagStart > maximumTagBytes {
                breaks.append(index)
                tagStart = -1
            }
        }
        return breaks
    }

    @Test("oversized tags are cut where the byte-at-a-time scan cut them")
    func oversizedTags() {
        let long = String(repeating: "x", count: maximumTagBytes)
        let pages = [
            "<p>plain</p>",
            "<div " + long + " a b c>text</div><p " + long + "x y>",
            "<img src=\"data:" + long + long + "\"> <a " + String(repeating: "a=1 ", count: 40_000) + ">",
            "< notatag " + long + " > <1 " + long + " >",
            "<a" + long + " " + long + " <b " + long + " c",
            "<",
            "",
        ]
        for page in pages {
            let bytes = Array(page.utf8)
            let fast = bytes.withUnsafeBufferPointer { oversizedTagBreaks($0) }
            #expect(fast == Self.referenceBreaks(bytes))
        }
    }

    @Test("tag kinds match the tag sets, including names only seen once")
    func tagKinds() {
        var html = "<html><body>"
        for name in nonTextElements.union(blockElements).union(cellElements).sorted() + ["span", "customelement", "x-y"] {
            html += "<\(name)>t</\(name)>"
        }
        let document = HTMLDocument(html: html + "</body></html>")
        for node in document.storage.nodes where node.isElement {
            #expect(node.kind == HTMLTagKind(name: node.name), "\(node.name)")
        }
    }
}
