@testable import GovWatchCore
import Testing

@Suite("Dictionaries: file format and matching")
struct ScannerDictionaryTests {
    static let sample = """
        # comment line
        中华人民共合国\t中华人民共和国\tsevere

        中国共产共党\t中国共产党\tsevere
          # indented comment
        六合彩\t\tsensitive
        共产党\t中国共产党\tsevere
        sex\t\tsensitive
        打击六合彩\t\tallow
        """

    func matcher() throws -> DictionaryMatcher {
        try DictionaryMatcher(dictionary: try ContentDictionary.parse(Self.sample, file: "test.tsv"))
    }

    @Test func parsesEntriesCommentsAndBlankLines() throws {
        let dictionary = try ContentDictionary.parse(Self.sample, file: "test.tsv")
        #expect(dictionary.entries.count == 6)
        #expect(dictionary.entries[0] == DictionaryEntry(wrong: "中华人民共合国", correct: "中华人民共和国", category: .severe, source: "test.tsv:2"))
        #expect(dictionary.entries[2].correct.isEmpty)
        #expect(dictionary.entries[2].category == .sensitive)
        #expect(dictionary.entries[5].category == .allow)
    }

    @Test func parsesCRLFAndBOM() throws {
        let dictionary = try ContentDictionary.parse("\u{FEFF}中华人民共合国\t中华人民共和国\tsevere\r\n六合彩\t\tsensitive\r\n", file: "win.tsv")
        #expect(dictionary.entries.map(\.wrong) == ["中华人民共合国", "六合彩"])
        #expect(dictionary.entries[1].category == .sensitive)
    }

    @Test(arguments: [
        ("中华人民共合国 中华人民共和国 severe", 1, "三列"),
        ("a\tb\tfatal", 1, "类别"),
        ("# ok\n\t中国\tsevere", 2, "为空"),
        ("中华人民共合国\t\tsevere", 1, "正确写法"),
    ])
    func reportsTheLineOfABadEntry(text: String, line: Int, reasonPart: String) {
        do {
            _ = try ContentDictionary.parse(text, file: "bad.tsv")
            Issue.record("accepted a bad dictionary")
        } catch let error as DictionaryFormatError {
            #expect(error.file == "bad.tsv")
            #expect(error.line == line)
            #expect(error.description.contains(reasonPart))
            #expect(error.description.hasPrefix("bad.tsv:\(line): "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func findsTermsAndMapsPositionsBackToTheOriginalText() throws {
        let text = "根据《中华人民共合国宪法》，坚持中国共产共党的领导。"
        let matches = try matcher().matches(in: text)
        #expect(matches.map(\.matchedText) == ["中华人民共合国", "中国共产共党"])
        #expect(matches.map { String(text[$0.range]) } == ["中华人民共合国", "中国共产共党"])
        #expect(matches[0].entry.correct == "中华人民共和国")
    }

    @Test func ignoresSpacesZeroWidthCharactersAndWidth() throws {
        let spaced = "落款：中华人民 共合国\u{200B}，以及中华人民共\u{3000}合国。"
        let matches = try matcher().matches(in: spaced)
        #expect(matches.count == 2)
        #expect(String(spaced[matches[0].range]) == "中华人民 共合国")
        #expect(matches[0].matchedText == "中华人民 共合国")
        #expect(String(spaced[matches[1].range]) == "中华人民共\u{3000}合国")
        let wide = try matcher().matches(in: "ＳＥＸ 与 Sex 与 Essex 与 sexy")
        #expect(wide.count == 2)
    }

    @Test func correctFormsAndAllowEntriesAreNotReported() throws {
        let matcher = try matcher()
        #expect(matcher.matches(in: "中国共产党成立一百周年").isEmpty)
        #expect(matcher.matches(in: "共产党员").map(\.entry.wrong) == ["共产党"])
        #expect(matcher.matches(in: "严厉打击六合彩违法活动").isEmpty)
        #expect(matcher.matches(in: "网站被植入六合彩广告").map(\.entry.wrong) == ["六合彩"])
    }

    @Test func nestedTermsAreReportedOnceAsTheLongest() throws {
        let dictionary = try ContentDictionary.parse("中国共产共党\t中国共产党\tsevere\n共产共党\t共产党\tsevere", file: "t")
        let matches = try DictionaryMatcher(dictionary: dictionary).matches(in: "中国共产共党和共产共党")
        #expect(matches.map(\.matchedText) == ["中国共产共党", "共产共党"])
    }

    @Test func laterEntriesOverrideTheSameWrongText() throws {
        let dictionary = try ContentDictionary.parse("错字\t正字\tsevere\n错 字\t更正\tsevere", file: "t")
        let matches = try DictionaryMatcher(dictionary: dictionary).matches(in: "有错字")
        #expect(matches.count == 1)
        #expect(matches.first?.entry.correct == "更正")
    }

    @Test func overlappingTermsAreAllFound() throws {
        let dictionary = try ContentDictionary.parse("abcd\t\tsensitive\nbcde\t\tsensitive\nhe\t\tsensitive\nshe\t\tsensitive\nhers\t\tsensitive", file: "t")
        let matcher = try DictionaryMatcher(dictionary: dictionary)
        #expect(matcher.matches(in: "x abcd bcde y").map(\.matchedText) == ["abcd", "bcde"])
        #expect(matcher.matches(in: "ushers").isEmpty)  // ASCII terms need word boundaries
        #expect(matcher.matches(in: "u hers").map(\.matchedText) == ["hers"])
    }

    @Test func chineseTermsMatchInsideLongerWordsOfTheFailureChain() throws {
        let dictionary = try ContentDictionary.parse("他们\t\tsensitive\n们的\t\tsensitive\n的确认\t\tsensitive", file: "t")
        let matches = try DictionaryMatcher(dictionary: dictionary).matches(in: "他们的确认书")
        #expect(matches.map(\.matchedText) == ["他们", "们的", "的确认"])
    }

    @Test func shippedListsLoadAndCoverTheClassicErrors() throws {
        let dictionary = try ContentDictionary.shipped()
        #expect(dictionary.entries.count > 50)
        let wrongs = Set(dictionary.entries.map(\.wrong))
        #expect(wrongs.contains("中华人民共合国"))
        #expect(wrongs.contains("中国共产共党"))
        #expect(wrongs.contains("以习近平同志为总书记的党中央"))
        let matcher = try DictionaryMatcher(dictionary: dictionary)
        #expect(matcher.matches(in: "以习近平同志为核心的党中央，中华人民共和国，中国共产党，习近平新时代中国特色社会主义思想").isEmpty)
        #expect(matcher.matches(in: "坚持以习近平同志为总书记的党中央").map(\.entry.correct) == ["以习近平同志为核心的党中央"])
    }

    @Test func tenThousandTermsCompileAndMatchInOnePass() throws {
        var lines: [String] = []
        for index in 0..<10_000 { lines.append("测试词\(index)号\t\tsensitive") }
        let matcher = try DictionaryMatcher(dictionary: try ContentDictionary.parse(lines.joined(separator: "\n"), file: "big"))
        #expect(matcher.termCount == 10_000)
        let text = String(repeating: "政府网站与政务新媒体检查，", count: 2_000) + "出现测试词9999号和测试词42号。"
        let matches = matcher.matches(in: text)
        #expect(matches.map(\.matchedText) == ["测试词9999号", "测试词42号"])
    }
    /// `characters` distinct characters (from U+20000 on), ten to a line, after a comment line.
    static func dictionaryOfDistinctCharacters(_ characters: Int) -> String {
        var lines = ["# 每行十个不同的字"]
        for first in stride(from: 0, to: characters, by: 10) {
            let scalars = (first..<min(first + 10, characters)).map { Unicode.Scalar(UInt32(0x20000 + $0))! }
            lines.append(String(String.UnicodeScalarView(scalars)) + "\t\tsensitive")
        }
        return lines.joined(separator: "\n")
    }

    static let tooManyReason = "词典中的词条共用到超过 65533 个不同的字符，超出扫描器的上限（自本行起超出），请精简词典"

    @Test func tooManyDistinctCharactersIsAnErrorNamingTheFileAndLine() throws {
        // The automaton numbers 65,533 distinct characters; the health condition words,
        // compiled with the dictionary, take some of them.
        let room = AhoCorasickAutomaton.maximumDistinctCharacters - Set(HealthDisclosureDetector.conditionPatterns.joined()).count
        let fits = try ContentDictionary.parse(Self.dictionaryOfDistinctCharacters(room), file: "fits.tsv")
        #expect(try DictionaryMatcher(dictionary: fits).termCount == (room + 9) / 10)
        // One more character, on a line of its own: that line is named.
        let one = try ContentDictionary.parse("\u{20000}\u{2FFFF}\t\tsensitive", file: "one.tsv")
        let error = #expect(throws: DictionaryFormatError.self) { try DictionaryMatcher(dictionary: fits.merging(one)) }
        #expect(error?.file == "one.tsv")
        #expect(error?.line == 1)
        #expect(error?.reason == Self.tooManyReason)

        let huge = try ContentDictionary.parse(Self.dictionaryOfDistinctCharacters(70_000), file: "huge.tsv")
        do {
            _ = try ContentScanner(dictionary: huge)
            Issue.record("a dictionary with 70,000 distinct characters compiled")
        } catch let error as DictionaryFormatError {
            // Character `room` (from 0) is the first too many: on line room / 10 + 1, after the comment.
            #expect(error.file == "huge.tsv")
            #expect(error.line == room / 10 + 2)
            #expect(error.description.hasPrefix("huge.tsv:\(room / 10 + 2): 词典格式错误："))
        }
    }
}
