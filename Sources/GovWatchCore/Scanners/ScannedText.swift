/// A text decoded once into Unicode scalars, with the UTF-8 offset of each scalar.
///
/// Every content detector works on scalar indices (cheap random access, no grapheme
/// breaking) and maps its hits back to `String.Index` through `utf8Offsets`, which is
/// O(1) for native Swift strings.
struct ScannedText {
    let text: String
    /// The scalars of `text`, unmodified.
    let scalars: [UInt32]
    /// `utf8Offsets[i]` is where scalar `i` starts; one extra entry holds the text's UTF-8 length.
    let utf8Offsets: [Int]

    init(_ text: String) {
        self.text = text
        var scalars: [UInt32] = []
        var offsets: [Int] = []
        let estimated = text.utf8.count
        scalars.reserveCapacity(estimated / 2)
        offsets.reserveCapacity(estimated / 2 + 1)
        var offset = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar.value)
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        self.scalars = scalars
        self.utf8Offsets = offsets
    }

    var count: Int { scalars.count }

    /// The string index where scalar `scalarIndex` starts (or the end index).
    func stringIndex(_ scalarIndex: Int) -> String.Index {
        text.utf8.index(text.utf8.startIndex, offsetBy: utf8Offsets[scalarIndex])
    }

    /// The string range covering scalars `range`.
    func stringRange(_ range: Range<Int>) -> Range<String.Index> {
        stringIndex(range.lowerBound)..<stringIndex(range.upperBound)
    }

    /// The scalars in `range` as a String (unnormalised).
    func string(_ range: Range<Int>) -> String {
        var result = String.UnicodeScalarView()
        for value in scalars[range] {
            if let scalar = Unicode.Scalar(value) { result.append(scalar) }
        }
        return String(result)
    }

    /// The folded scalar at `index`, or nil outside the text.
    func folded(at index: Int) -> UInt32? {
        guard index >= 0, index < scalars.count else { return nil }
        return ScalarClass.fold(scalars[index])
    }
}

/// Character classes and the normalisation shared by the detectors.
enum ScalarClass {
    /// Full-width ASCII forms (Ｆ１２，…) to ASCII, the ideographic space to a space,
    /// ASCII capitals to lower case: how Chinese text writes the same thing two ways.
    @inline(__always)
    static func fold(_ value: UInt32) -> UInt32 {
        if value >= 0xFF01 && value <= 0xFF5E { return lowercase(value - 0xFEE0) }
        if value == 0x3000 { return 0x20 }
        return lowercase(value)
    }

    @inline(__always)
    static func lowercase(_ value: UInt32) -> UInt32 {
        value >= 0x41 && value <= 0x5A ? value + 0x20 : value
    }

    /// Characters ignored inside dictionary terms: horizontal spaces and invisible
    /// format characters that editors and crawlers insert (zero-width space, BOM, soft hyphen).
    @inline(__always)
    static func isIgnorableInTerm(_ value: UInt32) -> Bool {
        switch value {
        case 0x20, 0x09, 0xA0, 0xAD, 0x3000, 0x2000...0x200F, 0x202F, 0x205F, 0x2060, 0xFEFF: true
        default: false
        }
    }

    @inline(__always) static func isDigit(_ folded: UInt32) -> Bool { folded >= 0x30 && folded <= 0x39 }
    @inline(__always) static func isLetter(_ folded: UInt32) -> Bool { folded >= 0x61 && folded <= 0x7A }
    @inline(__always) static func isAlphanumeric(_ folded: UInt32) -> Bool { isDigit(folded) || isLetter(folded) }

    /// CJK unified ideographs (the basic block and extension A), where Chinese names live.
    @inline(__always)
    static func isHan(_ value: UInt32) -> Bool {
        (value >= 0x4E00 && value <= 0x9FFF) || (value >= 0x3400 && value <= 0x4DBF)
    }

    /// Sentence ends for the health detector: a condition and a person count together
    /// only within one sentence.
    @inline(__always)
    static func isSentenceEnd(_ value: UInt32) -> Bool {
        switch value {
        case 0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0x21, 0x3F, 0x3B, 0x0A, 0x0D, 0x2029: true  // 。！？；!?; newlines
        default: false
        }
    }

    /// Separators allowed between digit groups of one number: space, no-break space,
    /// ideographic space and the hyphens and dashes people type (folded).
    @inline(__always)
    static func isDigitGroupSeparator(_ folded: UInt32) -> Bool {
        switch folded {
        case 0x20, 0xA0, 0x2D, 0x2010...0x2013, 0x2212: true
        default: false
        }
    }
}
