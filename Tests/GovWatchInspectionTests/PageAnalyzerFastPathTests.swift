import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@testable import GovWatchInspection

/// The byte-level tests of `PageAnalyzer` (one-pass word search, plain-text link words)
/// must answer like the `String` code they replace.
@Suite("Page analysis fast paths agree with the String code")
struct PageAnalyzerFastPathTests {
    static let texts = [
        "", "下一页", "下一页>>", "下一页 ", " 下一页", "下一页\u{0301}", "下一页尾", "下页", "后一页", "下一頁", ">", "›", "»",
        "Next", "NEXT", "next", "1", "2", "10", "100", "1000", "０", "２", "3a", "¹", "١", "\u{0663}", "更多", "更多>>",
        "更多\u{0301}", "查看更多", "查看更多>", "MORE", "More>>", "more+", "+More", ">>", "more ", "ＭＯＲＥ", "İ",
        "\u{212A}", "更多İ", "关于开展2022年政务公开工作的通知", "暂无信息", "暂无", "本栏目暂无相关信息，敬请期待", "内容更新中…",
        "正在建设", "没有找到相关结果", "かが", "\u{304B}\u{3099}", "e\u{0301}", "é", "\r\n", "下一页\r\n",
        "来信时间：2022-03-01 答复时间：2022年3月5日 已办结", "留言时间 2022/3/1", "写信时间", "来信日期：",
        "已回复", "处理中", "受理中已受理", "🙂", "👍🏽", "한국", "\u{1100}\u{1161}",
    ]

    @Test("isNextPage and isMore")
    func linkWords() {
        for text in Self.texts {
            let trimmed = PageAnalyzer.trimmedWhitespace(text)
            #expect(PageAnalyzer.isNextPage(text) == PageAnalyzer.isNextPageGeneral(trimmed), "\(text)")
            #expect(PageAnalyzer.isMore(text) == PageAnalyzer.isMoreGeneral(trimmed), "\(text)")
        }
        #expect(PageAnalyzer.isNextPage("下一页>>"))
        #expect(PageAnalyzer.isNextPage("12"))
        #expect(!PageAnalyzer.isNextPage("1"))
        #expect(!PageAnalyzer.isNextPage("1234"))
        #expect(PageAnalyzer.isMore("MORE>>"))
        #expect(PageAnalyzer.isMore("更多信息"))
        #expect(!PageAnalyzer.isMore("查看"))
    }

    @Test("one-pass word search")
    func needles() {
        let lists = [
            PageAnalyzer.placeholderMarkers, ConsultationListParser.statusWords, ConsultationListParser.letterAskedLabels,
            ["ab", "b", "abc", "中", "a"],
        ]
        var corpus = Self.texts
        for first in Self.texts.prefix(30) {
            for second in Self.texts.suffix(30) { corpus.append(first + second) }
        }
        for words in lists {
            let set = NeedleSet(words)
            for text in corpus {
                var expected: UInt64 = 0
                for (index, word) in words.enumerated() where text.utf8Contains(word) { expected |= 1 << index }
                #expect(set.occurring(in: text) == expected, "\(text)")
                #expect(set.containsAny(in: text) == (expected != 0))
                #expect(set.first(in: text) == words.firstIndex { text.utf8Contains($0) })
            }
        }
        // The analyzer's one pass for all its groups of words.
        func bits(_ words: [String], in text: String) -> UInt64 {
            words.enumerated().reduce(0) { text.utf8Contains($1.element) ? $0 | 1 << $1.offset : $0 }
        }
        for text in corpus {
            let words = PageTextWords(text)
            #expect(words.askedLabels == bits(ConsultationListParser.letterAskedLabels, in: text), "\(text)")
            #expect(words.answeredLabels == bits(ConsultationListParser.letterAnsweredLabels, in: text), "\(text)")
            #expect(words.firstStatus == ConsultationListParser.statusWords.firstIndex { text.utf8Contains($0) }, "\(text)")
            #expect(words.hasPlaceholder == PageAnalyzer.placeholderMarkers.contains { text.utf8Contains($0) }, "\(text)")
        }
    }

    @Test("consultation letter dates")
    func letter() {
        let parser = ConsultationListParser(base: NormalizedURL("http://a.gov.cn/x/")!)
        let letter = parser.letter(inText: "标题 来信时间：2022-03-01 答复时间：2022年3月5日 状态 已办结")
        #expect(letter?.asked == CalendarDate(year: 2022, month: 3, day: 1))
        #expect(letter?.answered == CalendarDate(year: 2022, month: 3, day: 5))
        #expect(letter?.status == "已办结")
        #expect(parser.letter(inText: "来信 2022-03-01") == nil)
    }
}
