import Foundation

/// The words of links that navigate a list rather than name an entry: "下一页" and page
/// numbers of a pager, "更多" of a block pointing to its full list. Shared by the list
/// finders here and the crawler (which follows such links).
public enum LinkWords {
    /// "下一页", "下页", "后页", "›", "»", ">" (and numbered pages "2", "3" … of a pager).
    public static func isNextPage(_ text: String) -> Bool {
        let trimmed = trimmedWhitespace(text)
        if let plain = PlainText(trimmed) {
            return plain.isOneOf(nextPageTexts) || plain.hasPrefix(nextPagePrefix) || plain.isPageNumber
        }
        return isNextPageGeneral(trimmed)
    }

    static let nextPageTexts = ["下一页", "下页", "后一页", "后页", "下一页>", "下一页>>", ">", "›", "»", "Next", "next", "下一頁"]
    static let nextPagePrefix = "下一页"

    /// `isNextPage` on `String`s and `Character`s (the reference the byte-level test must
    /// agree with, and the answer for text that is not `PlainText`).
    public static func isNextPageGeneral(_ trimmed: String) -> Bool {
        if nextPageTexts.contains(trimmed) {
            return true
        }
        if trimmed.hasPrefix(nextPagePrefix) { return true }
        // Page numbers: short digit runs (a pager lists "1 2 3 … 10").
        return trimmed.count <= 3 && !trimmed.isEmpty && trimmed.allSatisfy(\.isASCII) && trimmed.allSatisfy(\.isNumber)
            && trimmed != "1"
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`, without the trip through
    /// NSString when the text neither starts nor ends with a space (link texts, already
    /// collapsed, seldom do; every link's text is looked at).
    public static func trimmedWhitespace(_ text: String) -> String {
        func plain(_ scalar: Unicode.Scalar?) -> Bool {
            // No whitespace or newline character is above U+3000.
            guard let value = scalar?.value else { return true }
            return (value > 0x20 && value < 0x7F) || value > 0x3000
        }
        if plain(text.unicodeScalars.first), plain(text.unicodeScalars.last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "更多", "更多>>", "查看更多", "more".
    public static func isMore(_ text: String) -> Bool {
        let trimmed = trimmedWhitespace(text)
        if let plain = PlainText(trimmed) {
            // Lower-casing plain text keeps "更多"/"查看更多" at the start or not, and gives
            // an ASCII word only from an ASCII one.
            return plain.hasPrefix("更多") || plain.hasPrefix("查看更多")
                || (plain.isASCII && plain.isOneOfIgnoringASCIICase(moreTexts))
        }
        return isMoreGeneral(trimmed)
    }

    static let moreTexts = ["more", "more>>", "more+", ">>", "+more"]

    /// `isMore` on `String`s (the reference, and the answer for text that is not `PlainText`).
    public static func isMoreGeneral(_ trimmed: String) -> Bool {
        let lowered = trimmed.lowercased()
        return lowered.hasPrefix("更多") || lowered.hasPrefix("查看更多") || moreTexts.contains(lowered)
    }
}

/// A text whose every scalar is one after which a `Character` ends and which Unicode
/// normalisation leaves alone: below U+0300 (ASCII, Latin-1, Latin Extended), CJK symbols,
/// kana, Hangul compatibility jamo and CJK ideographs (U+3000–U+9FFF, without the
/// combining tone and voicing marks U+302A–U+302F, U+3099–U+309A) and the full-width
/// ASCII forms (U+FF01–U+FF60) — nearly every link text of a Chinese government site.
/// For such text, `String`'s `==` and `hasPrefix` (which compare `Character`s up to
/// canonical equivalence) give the same answers as comparing bytes.
struct PlainText {
    let text: String
    let isASCII: Bool

    init?(_ text: String) {
        var isASCII = true
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 { continue }
            isASCII = false
            if value < 0x300 { continue }
            if value >= 0x3000 && value <= 0x9FFF && !(0x302A...0x302F).contains(value) && value != 0x3099 && value != 0x309A {
                continue
            }
            if value >= 0xFF01 && value <= 0xFF60 { continue }
            return nil
        }
        self.text = text
        self.isASCII = isASCII
    }

    /// `words.contains(text)`.
    func isOneOf(_ words: [String]) -> Bool {
        words.contains { $0.utf8.elementsEqual(text.utf8) }
    }

    /// `words.contains(text.lowercased())` for ASCII text and lower-case ASCII words.
    func isOneOfIgnoringASCIICase(_ words: [String]) -> Bool {
        words.contains { word in
            word.utf8.elementsEqual(text.utf8.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 })
        }
    }

    /// `text.hasPrefix(prefix)` for a prefix that is itself plain: the bytes match, and no
    /// scalar of plain text joins the character before it.
    func hasPrefix(_ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    /// A pager's page number: one to three ASCII digits, other than "1".
    var isPageNumber: Bool {
        let utf8 = text.utf8
        return !utf8.isEmpty && utf8.count <= 3 && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && !utf8.elementsEqual("1".utf8)
    }
}
