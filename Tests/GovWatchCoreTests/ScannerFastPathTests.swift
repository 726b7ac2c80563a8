@testable import GovWatchCore
import Testing

/// The flat-array fast paths of the scanner (the double-array Aho-Corasick automaton, the
/// one-pass UTF-8 decoder with its offset checkpoints and digit positions) checked against
/// straightforward references on generated text.
@Suite("Scanner fast paths agree with references")
struct ScannerFastPathTests {
    /// SplitMix64 (the fixtures' generator): deterministic, so a failure reproduces.
    struct Generator {
        var random: ScannerFixtures.SplitMix
        init(state: UInt64) { random = ScannerFixtures.SplitMix(state: state) }
        mutating func next() -> UInt64 { random.next() }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
    }

    /// Characters the generated texts are made of: Han characters, ASCII letters in both
    /// cases, full-width forms, digits both widths, spaces and zero-width characters,
    /// a two-byte and a four-byte scalar, line breaks.
    static let alphabet: [UInt32] = [
        0x4E2D, 0x534E, 0x4EBA, 0x6C11, 0x5171, 0x548C, 0x56FD,  // 中华人民共和国
        0x61, 0x62, 0x41, 0x42, 0xFF41, 0xFF22,  // a b A B ａ Ｂ
        0x31, 0x32, 0xFF11, 0xFF12,  // 1 2 １ ２
        0x20, 0x3000, 0x200B, 0xFEFF, 0xA0,  // spaces and invisible characters
        0xE9, 0x1F600, 0x0A,  // é 😀 newline
    ]

    static func randomText(_ generator: inout Generator, length: Int) -> [UInt32] {
        (0..<length).map { _ in generator.pick(alphabet) }
    }

    /// Every occurrence the slow way: fold every scalar, drop the ignorable ones (when asked),
    /// look every slice up among the patterns. Returned in the automaton's order: by end,
    /// longer first; a pattern given twice is reported under its first index.
    static func referenceMatches(_ patterns: [[UInt32]], in text: [UInt32], skipIgnorable: Bool) -> [AhoCorasickAutomaton.Match] {
        var firstIndex: [[UInt32]: Int] = [:]
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty && firstIndex[pattern] == nil {
            firstIndex[pattern] = index
        }
        let longest = patterns.map(\.count).max() ?? 0
        var kept: [(raw: Int, folded: UInt32)] = []
        for (index, value) in text.enumerated() where !(skipIgnorable && ScalarClass.isIgnorableInTerm(value)) {
            kept.append((index, ScalarClass.fold(value)))
        }
        var result: [AhoCorasickAutomaton.Match] = []
        for end in kept.indices {
            for length in stride(from: min(longest, end + 1), through: 1, by: -1) {
                let start = end + 1 - length
                if let pattern = firstIndex[kept[start...end].map(\.folded)] {
                    result.append(.init(pattern: pattern, range: kept[start].raw..<(kept[end].raw + 1)))
                }
            }
        }
        return result
    }

    @Test(arguments: 0..<40)
    func automatonMatchesTheReference(seed: Int) throws {
        var generator = Generator(state: UInt64(seed))
        // Patterns are folded and free of ignorable characters, as the dictionary compiles them.
        let patternAlphabet = Self.alphabet.map(ScalarClass.fold).filter { !ScalarClass.isIgnorableInTerm($0) }
        let patterns: [[UInt32]] = (0..<(1 + generator.below(30))).map { _ in
            (0..<(1 + generator.below(5))).map { _ in generator.pick(patternAlphabet) }
        }
        let automaton = try AhoCorasickAutomaton(patterns: patterns)
        for _ in 0..<5 {
            let text = Self.randomText(&generator, length: generator.below(300))
            for skipIgnorable in [true, false] {
                let expected = Self.referenceMatches(patterns, in: text, skipIgnorable: skipIgnorable)
                let actual = automaton.matches(in: text, skipIgnorable: skipIgnorable)
                #expect(actual.map(\.range) == expected.map(\.range), "seed \(seed), skipIgnorable \(skipIgnorable)")
                // Same range, same pattern text (indices may differ only between equal lengths ending together).
                #expect(actual.map { patterns[$0.pattern] } == expected.map { patterns[$0.pattern] })
            }
        }
    }

    @Test func automatonWithManyPatternsMatchesTheReference() throws {
        // Enough patterns over enough symbols that the double-array has to search for bases.
        var generator = Generator(state: 7)
        let han = (0..<400).map { UInt32(0x4E00 + $0) }
        let patterns: [[UInt32]] = (0..<3000).map { _ in (0..<(2 + generator.below(4))).map { _ in generator.pick(han) } }
        let automaton = try AhoCorasickAutomaton(patterns: patterns)
        let text: [UInt32] = (0..<20000).map { index in
            // Mostly text built from pattern pieces, so that deep states and failures happen.
            index % 7 == 0 ? generator.pick(Self.alphabet) : patterns[generator.below(patterns.count)][0]
        } + patterns.prefix(200).flatMap { $0 }
        let expected = Self.referenceMatches(patterns, in: text, skipIgnorable: true)
        let actual = automaton.matches(in: text)
        #expect(actual.count == expected.count)
        #expect(actual.map(\.range) == expected.map(\.range))
        #expect(actual.map { patterns[$0.pattern] } == expected.map { patterns[$0.pattern] })
    }

    /// A long text (over 64 KiB: its digit indices are copied to a right-sized array) maps
    /// back like a short one.
    @Test func longTextKeepsDigitsAndOffsets() {
        var generator = Generator(state: 4242)
        let values = Self.randomText(&generator, length: 40_000)
        let text = String(String.UnicodeScalarView(values.compactMap(Unicode.Scalar.init)))
        #expect(text.utf8.count > 1 << 16)
        let scanned = ScannedText(text)
        #expect(scanned.scalars == values)
        #expect(scanned.digitIndices == values.indices.filter { ScalarClass.isDigit(ScalarClass.fold(values[$0])) })
        var offset = 0
        for (index, value) in values.enumerated() {
            if index % 997 == 0 || index > values.count - 8 { #expect(scanned.utf8Offset(index) == offset) }
            offset += String(Unicode.Scalar(value)!).utf8.count
        }
        #expect(scanned.utf8Offset(values.count) == offset)
    }

    @Test(arguments: 0..<20)
    func decodedTextMapsBackToUTF8(seed: Int) {
        var generator = Generator(state: UInt64(1000 + seed))
        // Lengths around multiples of the checkpoint stride included.
        let length = [0, 1, 15, 16, 17, 31, 32, 33, 64][seed % 9] + (seed >= 9 ? generator.below(200) : 0)
        let values = Self.randomText(&generator, length: length)
        let text = String(String.UnicodeScalarView(values.compactMap(Unicode.Scalar.init)))
        let scanned = ScannedText(text)
        #expect(scanned.scalars == values)
        var offsets: [Int] = []
        var offset = 0
        for value in values {
            offsets.append(offset)
            offset += String(Unicode.Scalar(value)!).utf8.count
        }
        offsets.append(offset)
        #expect((0...values.count).map(scanned.utf8Offset) == offsets)
        // Every byte offset, also inside a multi-byte scalar, goes to the first scalar starting there or after.
        for byte in 0...offset {
            #expect(scanned.scalarIndex(utf8Offset: byte) == offsets.firstIndex { $0 >= byte }!, "byte \(byte)")
        }
        #expect(scanned.digitIndices == values.indices.filter { ScalarClass.isDigit(ScalarClass.fold(values[$0])) })
        for _ in 0..<10 where !values.isEmpty {
            let start = generator.below(values.count)
            let end = start + generator.below(values.count - start + 1)
            let expected = String(String.UnicodeScalarView(values[start..<end].compactMap(Unicode.Scalar.init)))
            #expect(scanned.string(start..<end) == expected)
            #expect(String(text.unicodeScalars[scanned.stringRange(start..<end)]) == expected)
        }
    }

    @Test func writtenTermKeepsSpacesAndDropsInvisibleCharacters() {
        let scanned = ScannedText("中华人民共 合\u{200B}国")
        #expect(scanned.writtenTerm(0..<scanned.count) == "中华人民共 合国")
        #expect(scanned.writtenTerm(0..<5) == "中华人民共")
    }

    @Test func deidentifiedTextIsTheTextWhenNothingIsPersonal() throws {
        let scanner = try ContentScanner.standard()
        let text = "本网站由鸿溪市人民政府办公室主办。"
        #expect(scanner.scan(text).deidentifiedText == text)
    }
    @Test func healthConditionsFoundWithTheDictionaryMatchTheSeparateDetector() throws {
        // The scanner finds condition words in the dictionary's walk (skipping spaces) and keeps
        // those written without anything skipped inside; the detector alone does not skip.
        // Dictionary terms equal to, inside or around condition words share the automaton.
        let dictionary = try ContentDictionary.parse(
            "艾滋病\t\tsensitive\n确诊\t\tallow\n精神\t\tsensitive\nhiv阳性\t\tsensitive\n患有精神疾病史\t\tsensitive", file: "t")
        let scanner = try ContentScanner(dictionary: dictionary)
        let texts = [
            "村民张建国患有精神疾病，生活困难。", "经查，张某某确诊为肺结核。", "经查，张某某确 诊为肺结核。",
            "村民张建国患有精神\u{200B}疾病。", "患者李某某HIV阳性，艾滋病。", "村民王某某患有精神疾病史。",
            "新增确诊病例0例。", "张某某确诊艾滋病，李某某患有乙肝。王某某 罹患 癌症",
        ]
        for text in texts {
            let expected = PersonalInfoScanner().scan(text).filter { $0.kind == .health }
            let actual = scanner.scan(text).problems.filter { $0.kind == .health }
            #expect(actual.map(\.range) == expected.map(\.range), "\(text)")
            #expect(actual.map(\.evidence) == expected.map(\.masked), "\(text)")
        }
    }
    @Test(arguments: 0..<20)
    func nestedMatchesAreDroppedAsBySortingByStart(seed: Int) throws {
        // Many short terms over four characters, so that matches nest, overlap and share ends.
        var generator = Generator(state: UInt64(100 + seed))
        let alphabet: [Character] = ["甲", "乙", "丙", "丁"]
        let terms = Set((0..<12).map { _ in String((0..<(1 + generator.below(4))).map { _ in generator.pick(alphabet) }) })
        let dictionary = ContentDictionary(entries: terms.sorted().map { DictionaryEntry(wrong: $0, correct: "", category: .sensitive) })
        let matcher = try DictionaryMatcher(dictionary: dictionary)
        for _ in 0..<10 {
            let text = String((0..<generator.below(60)).map { _ in generator.pick(alphabet) })
            let characters = Array(text)
            // Reference: every occurrence, sorted by start (longest first), kept unless inside one kept before.
            var all: [Range<Int>] = []
            for term in terms {
                let word = Array(term)
                for start in 0..<max(0, characters.count - word.count + 1) where Array(characters[start..<(start + word.count)]) == word {
                    all.append(start..<(start + word.count))
                }
            }
            all.sort { ($0.lowerBound, -$0.upperBound) < ($1.lowerBound, -$1.upperBound) }
            var expected: [Range<Int>] = []
            var coveredUpTo = -1
            for range in all where range.upperBound > coveredUpTo {
                expected.append(range)
                coveredUpTo = range.upperBound
            }
            let actual = matcher.matches(in: text).map {
                text.distance(from: text.startIndex, to: $0.range.lowerBound)..<text.distance(from: text.startIndex, to: $0.range.upperBound)
            }
            #expect(actual == expected, "seed \(seed): \(text)")
        }
    }
}
