/// A text decoded once into Unicode scalars, with a way back to UTF-8 offsets.
///
/// Every content detector works on scalar indices (cheap random access, no grapheme
/// breaking) and maps its hits back to `String.Index` through `utf8Offset(_:)`, which is
/// O(1) for native Swift strings. Strings are only made for hits (`string(_:)` copies a
/// slice of the original UTF-8), never per position.
struct ScannedText {
    let text: String
    /// The scalars of `text`, unmodified.
    let scalars: [UInt32]
    /// `utf8Checkpoints[k]` is where scalar `k * checkpointStride` starts (the UTF-8 length
    /// for the end). Offsets of the scalars in between are found by adding the widths of at
    /// most 15 scalars: recording every offset cost as much as decoding, and only hits need them.
    private let utf8Checkpoints: [Int]
    private static let checkpointShift = 2
    private static let checkpointStride = 1 << checkpointShift
    /// Indices of the scalars that are digits, ASCII or full-width (`０`–`９`), in order:
    /// found while decoding, so the number detectors never walk the whole text again.
    let digitIndices: [Int]

    init(_ text: String) {
        self.text = text
        // Decoded from a contiguous copy: the same storage for native strings; bridged ones
        // are made native once. `text` keeps the original, whose indices callers hold.
        var contiguous = text
        let byteCount = contiguous.utf8.count
        var scalarCount = 0
        var checkpoints: [Int] = []
        var digitIndices: [Int] = []
        // A scalar takes at least one byte, so `byteCount` bounds the number of scalars.
        let scalars = [UInt32](unsafeUninitializedCapacity: byteCount) { scalarBuffer, scalarsInitialized in
            checkpoints = [Int](unsafeUninitializedCapacity: (byteCount >> Self.checkpointShift) + 2) { checkpointBuffer, checkpointsInitialized in
                // `withUTF8` gives one contiguous buffer (bridged strings are made native first).
                // Room for a digit per byte, so that every scalar can write its index and count
                // it only if it is a digit, without a branch.
                digitIndices = [Int](unsafeUninitializedCapacity: byteCount + 1) { digitBuffer, digitsInitialized in
                    contiguous.withUTF8 { bytes in
                        scalarCount = Self.decode(
                            bytes, into: scalarBuffer, checkpoints: checkpointBuffer, digits: digitBuffer,
                            digitCount: &digitsInitialized)
                    }
                }
                // The end of the text is a checkpoint when the scalar count is a multiple of the stride.
                let lastCheckpoint = scalarCount >> Self.checkpointShift
                if scalarCount & (Self.checkpointStride - 1) == 0 { checkpointBuffer[lastCheckpoint] = byteCount }
                checkpointsInitialized = lastCheckpoint + 1
            }
            scalarsInitialized = scalarCount
        }
        // Only the digits' part of that room was touched; a long text (a whole file) gives
        // the rest back rather than keep 8 bytes a byte of address space.
        if digitIndices.capacity > 1 << 16, digitIndices.count < digitIndices.capacity / 4 {
            var shrunk: [Int] = []
            shrunk.reserveCapacity(digitIndices.count)
            shrunk.append(contentsOf: digitIndices)
            digitIndices = shrunk
        }
        self.scalars = scalars
        self.utf8Checkpoints = checkpoints
        self.digitIndices = digitIndices
    }

    /// Decodes `bytes` (valid UTF-8: it comes from a `String`) into scalars, the UTF-8 offset
    /// of every `checkpointStride`-th scalar and the indices of digits; returns the number of
    /// scalars. No validation.
    @inline(__always)
    private static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, into scalars: UnsafeMutableBufferPointer<UInt32>,
        checkpoints: UnsafeMutableBufferPointer<Int>, digits: UnsafeMutableBufferPointer<Int>, digitCount: inout Int
    ) -> Int {
        guard let base = bytes.baseAddress, let scalarBase = scalars.baseAddress else { return 0 }
        let end = bytes.count
        var position = 0
        var count = 0
        var digitFound = 0
        defer { digitCount = digitFound }
        // One branch on the lead byte. A branch-free version (load four bytes, compute every
        // form, select by length) was measured slower: 0.12 s against 0.10 s on 20 MB.
        while position < end {
            let lead = UInt32(base[position])
            // Every scalar writes checkpoint ⌈count / stride⌉; the last to write checkpoint k
            // is scalar k·stride, whose offset it must hold. No branch.
            checkpoints[(count + checkpointStride - 1) >> checkpointShift] = position
            let value: UInt32
            if lead < 0x80 {
                value = lead
                position += 1
                digits[digitFound] = count
                digitFound += value &- 0x30 < 10 ? 1 : 0
            } else if lead < 0xE0 {
                value = (lead & 0x1F) << 6 | UInt32(base[position + 1] & 0x3F)
                position += 2
            } else if lead < 0xF0 {
                value = (lead & 0x0F) << 12 | UInt32(base[position + 1] & 0x3F) << 6 | UInt32(base[position + 2] & 0x3F)
                position += 3
                digits[digitFound] = count
                digitFound += value &- 0xFF10 < 10 ? 1 : 0  // full-width ０–９
            } else {
                value = (lead & 0x07) << 18 | UInt32(base[position + 1] & 0x3F) << 12
                    | UInt32(base[position + 2] & 0x3F) << 6 | UInt32(base[position + 3] & 0x3F)
                position += 4
            }
            scalarBase[count] = value
            count += 1
        }
        return count
    }

    var count: Int { scalars.count }

    /// Where scalar `scalarIndex` starts in the text's UTF-8 (its length for `count`).
    func utf8Offset(_ scalarIndex: Int) -> Int {
        precondition(scalarIndex >= 0 && scalarIndex <= scalars.count, "scalar index out of range")
        var index = scalarIndex & ~(Self.checkpointStride - 1)
        var offset = utf8Checkpoints[index >> Self.checkpointShift]
        while index < scalarIndex {
            offset += Self.utf8Width(scalars[index])
            index += 1
        }
        return offset
    }

    /// The first scalar starting at or after UTF-8 offset `offset` (`count` past the last one).
    func scalarIndex(utf8Offset offset: Int) -> Int {
        // The last checkpoint at or before `offset`, then scalar by scalar.
        var low = 0
        var high = utf8Checkpoints.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if utf8Checkpoints[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var index = low << Self.checkpointShift
        var position = utf8Checkpoints[low]
        while index < scalars.count, position < offset {
            position += Self.utf8Width(scalars[index])
            index += 1
        }
        return index
    }

    /// The UTF-8 range of scalars `range`.
    func utf8Range(_ range: Range<Int>) -> Range<Int> {
        utf8Offset(range.lowerBound)..<utf8Offset(range.upperBound)
    }

    @inline(__always)
    private static func utf8Width(_ value: UInt32) -> Int {
        value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x10000 ? 3 : 4
    }

    /// The string index where scalar `scalarIndex` starts (or the end index).
    func stringIndex(_ scalarIndex: Int) -> String.Index {
        text.utf8.index(text.utf8.startIndex, offsetBy: utf8Offset(scalarIndex))
    }

    /// The string range covering scalars `range`.
    func stringRange(_ range: Range<Int>) -> Range<String.Index> {
        stringRange(utf8Range: utf8Range(range))
    }

    /// The string range of UTF-8 offsets `utf8Range` (scalar boundaries).
    func stringRange(utf8Range: Range<Int>) -> Range<String.Index> {
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: utf8Range.lowerBound)
        return start..<text.utf8.index(start, offsetBy: utf8Range.count)
    }

    /// The scalars in `range` as a String (unnormalised): a copy of that slice of the text.
    func string(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return string(stringRange: stringRange(range))
    }

    private func string(stringRange: Range<String.Index>) -> String {
        // Scalar-aligned indices, and a scalar view slice: no rounding to Character boundaries.
        // Made a `Substring` first: `String(Substring)` copies the slice's UTF-8, and measured
        // faster than `String(Substring.UnicodeScalarView)` (0.090 s against 0.095 s of CPU
        // for a 20 MB scan, which makes ~160 k of these strings).
        String(Substring(text.unicodeScalars[stringRange]))
    }

    /// The scalars in `range` without the characters ignored inside terms, except plain
    /// spaces: the text of a dictionary match as written on the page ("中华人民共 合国").
    /// `stringRange`, when given, is `stringRange(range)` already computed by the caller.
    func writtenTerm(_ range: Range<Int>, stringRange: Range<String.Index>? = nil) -> String {
        var hasInvisible = false
        for index in range where scalars[index] != 0x20 && ScalarClass.isIgnorableInTerm(scalars[index]) {
            hasInvisible = true
            break
        }
        guard hasInvisible else {
            guard !range.isEmpty else { return "" }
            return string(stringRange: stringRange ?? self.stringRange(range))
        }
        var result = String.UnicodeScalarView()
        for value in scalars[range] where value == 0x20 || !ScalarClass.isIgnorableInTerm(value) {
            if let scalar = Unicode.Scalar(value) { result.append(scalar) }
        }
        return String(result)
    }

    /// The folded scalar at `index`, or nil outside the text.
    @inline(__always)
    func folded(at index: Int) -> UInt32? {
        guard index >= 0, index < scalars.count else { return nil }
        return ScalarClass.fold(scalars[index])
    }

    /// Whether the scalars at `index` are `word` (unfolded); false when it runs past `limit`.
    @inline(__always)
    func hasWord(_ word: [UInt32], at index: Int, limit: Int? = nil) -> Bool {
        let end = index + word.count
        guard index >= 0, end <= (limit ?? scalars.count) else { return false }
        for offset in 0..<word.count where scalars[index + offset] != word[offset] { return false }
        return true
    }

    /// Whether any of `words` occurs entirely inside scalars `range` (unfolded).
    func containsAny(_ words: [[UInt32]], in range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        for index in range {
            let value = scalars[index]
            for word in words where word[0] == value && hasWord(word, at: index, limit: range.upperBound) { return true }
        }
        return false
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

    /// The scalars of `words`, for comparing against `ScannedText.scalars`.
    static func scalarWords(_ words: [String]) -> [[UInt32]] {
        words.map { $0.unicodeScalars.map(\.value) }
    }
}
