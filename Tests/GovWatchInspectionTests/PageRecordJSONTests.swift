import Foundation
import GovWatchCore
import Testing

@testable import GovWatchInspection
@testable import GovWatchSampleCity

/// The hand-written JSON of `PageRecord` against `Codable`: what it writes reads back equal
/// (by itself and by `JSONDecoder`), what `JSONEncoder` wrote (earlier versions) reads through
/// the fast reader, and anything the fast reader does not understand reads as `JSONDecoder` reads it.
@Suite("PageRecord JSON")
struct PageRecordJSONTests {
    /// Reproducible randomness: the sample city's SplitMix64.
    typealias Random = DeterministicRandom

    /// Characters that JSON treats specially or that are easy to get wrong in UTF-8.
    static let alphabet: [String] = [
        "a", "Z", "0", " ", "/", "\"", "\\", "\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\u{B}", "\u{C}", "\r", "\u{1F}",
        "\u{7F}", "é", "e\u{301}", "政", "务", "公开", "\u{2028}", "\u{2029}", "\u{FEFF}", "😀", "𠀀", "\u{10FFFF}", "{", "}",
        "[", "]", ":", ",", "null", "true", "\\u0041", "'",
    ]

    static func string(_ random: inout Random, maximum: Int = 12) -> String {
        let count = Int.random(in: 0...maximum, using: &random)
        return (0..<count).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    static func optionalString(_ random: inout Random) -> String? {
        Bool.random(using: &random) ? string(&random) : nil
    }

    static func date(_ random: inout Random) -> CalendarDate {
        let year = Int.random(in: 1900...2999, using: &random)
        let month = Int.random(in: 1...12, using: &random)
        return CalendarDate(year: year, month: month, day: Int.random(in: 1...CalendarDate.daysIn(month: month, year: year), using: &random))!
    }

    static func optionalDate(_ random: inout Random) -> CalendarDate? {
        Bool.random(using: &random) ? date(&random) : nil
    }

    static func list<Element>(_ random: inout Random, maximum: Int = 4, _ make: (inout Random) -> Element) -> [Element] {
        (0..<Int.random(in: 0...maximum, using: &random)).map { _ in make(&random) }
    }

    static func record(_ random: inout Random) -> PageRecord {
        var record = PageRecord()
        record.title = optionalString(&random)
        record.published = optionalDate(&random)
        if Bool.random(using: &random) {
            record.identity = FooterIdentity(
                siteCode: optionalString(&random), icp: optionalString(&random), police: optionalString(&random),
                sponsor: optionalString(&random), partyGovBadge: Bool.random(using: &random))
        }
        record.items = list(&random) { DatedItem(title: string(&$0), url: string(&$0), date: optionalDate(&$0)) }
        record.links = list(&random, maximum: 6) {
            PageRecord.Link(
                u: string(&$0), k: ["page", "image", "attachment", "", string(&$0)].randomElement(using: &$0)!,
                h: [nil, true, false].randomElement(using: &$0)!, t: optionalString(&$0))
        }
        record.text = Bool.random(using: &random) ? string(&random, maximum: 200) : nil
        record.placeholder = Bool.random(using: &random)
        record.nextPages = list(&random) { string(&$0) }
        record.moreLinks = list(&random) { string(&$0) }
        record.messages = list(&random) {
            PageRecord.Message(
                url: string(&$0), title: string(&$0), asked: date(&$0), answered: optionalDate(&$0), status: optionalString(&$0))
        }
        if Bool.random(using: &random) {
            record.letter = PageRecord.Letter(asked: optionalDate(&random), answered: optionalDate(&random), status: optionalString(&random))
        }
        record.search = list(&random) { string(&$0) }
        record.columnName = optionalString(&random)
        if Bool.random(using: &random) {
            record.sections = list(&random) { PageRecord.Section(label: optionalString(&$0), text: string(&$0, maximum: 60)) }
        }
        return record
    }

    static func fastDecode(_ json: String) -> PageRecord? {
        var json = json
        return json.withUTF8 { PageRecordJSON.decode($0) }
    }

    @Test("randomized records round-trip, and JSONDecoder reads the hand-written JSON the same")
    func roundTrip() throws {
        var random = Random(seed: 20_240_611)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for _ in 0..<3_000 {
            let record = Self.record(&random)
            let json = try record.json()
            // Storable as TEXT in SQLite and PostgreSQL: no NUL, no raw control characters.
            #expect(!json.utf8.contains { $0 < 0x20 })
            #expect(Self.fastDecode(json) == record, "fast reader: \(json)")
            #expect(PageRecord.decode(json) == record)
            #expect(try JSONDecoder().decode(PageRecord.self, from: Data(json.utf8)) == record, "JSONDecoder: \(json)")
            // What JSONEncoder stored (earlier versions, another key order) reads through the fast reader.
            let old = String(decoding: try encoder.encode(record), as: UTF8.self)
            #expect(Self.fastDecode(old) == record, "earlier record: \(old)")
        }
    }

    @Test("the form Codable gives: absent optionals omitted, the footer identity's as null")
    func form() throws {
        var record = PageRecord()
        record.identity = FooterIdentity(icp: "蜀ICP备05000001号")
        record.items = [DatedItem(title: "通知", url: "http://a/b.html", date: CalendarDate(year: 2021, month: 10, day: 6))]
        record.links = [PageRecord.Link(u: "http://a/", k: "page")]
        #expect(
            try record.json()
                == #"{"identity":{"siteCode":null,"icp":"蜀ICP备05000001号","police":null,"sponsor":null,"partyGovBadge":false},"items":[{"title":"通知","url":"http://a/b.html","date":"2021-10-06"}],"links":[{"u":"http://a/","k":"page"}],"placeholder":false,"nextPages":[],"moreLinks":[],"messages":[],"search":[]}"#
        )
    }

    @Test("what the fast reader leaves alone reads as JSONDecoder reads it")
    func fallback() throws {
        let base = #""items":[],"links":[],"placeholder":false,"nextPages":[],"moreLinks":[],"messages":[],"search":[]"#
        let cases: [(json: String, fast: Bool)] = [
            // Escapes JSONEncoder does not write, whitespace, a surrogate pair.
            (#" { "title" : "a\/b\u00e9\ud83d\ude00\u2028" , \#(base) } "#, true),
            (#"{"title":null,"letter":{},"sections":null,\#(base)}"#, true),
            (#"{"identity":{},\#(base)}"#, true),
            // An unknown key (a later version): JSONDecoder ignores it.
            (#"{"future":[1,{"x":2}],\#(base)}"#, false),
            // A date spelt otherwise, an impossible date.
            (#"{"published":"2021-1-6",\#(base)}"#, false),
            (#"{"published":"2021-02-30",\#(base)}"#, false),
            // A lone surrogate, a raw control character, a missing required key, not JSON.
            (#"{"title":"\ud800",\#(base)}"#, false),
            ("{\"title\":\"a\u{1}\",\(base)}", false),
            (#"{"items":[],"links":[]}"#, false),
            (#"{"title":"x",\#(base)"#, false),
            (#"{"title":"x",\#(base)} x"#, false),
            ("", false),
        ]
        for (json, fast) in cases {
            let expected = try? JSONDecoder().decode(PageRecord.self, from: Data(json.utf8))
            #expect(PageRecord.decode(json) == expected, "\(json)")
            #expect((Self.fastDecode(json) != nil) == fast, "\(json)")
            if fast { #expect(Self.fastDecode(json) == expected, "\(json)") }
        }
        #expect(PageRecord.decode(nil) == nil)
    }
}
