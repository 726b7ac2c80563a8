import GovWatchCore
import Testing

@Suite("ContentScanner: problems, levels, locations, findings")
struct ScannerContentTests {
    static let dictionary = ContentDictionary(entries: [
        DictionaryEntry(wrong: "中华人民共合国", correct: "中华人民共和国", category: .severe),
        DictionaryEntry(wrong: "六合彩", correct: "", category: .sensitive),
    ])
    // Two entries: compiling cannot fail.
    let scanner = try! ContentScanner(dictionary: Self.dictionary)

    @Test func combinesPersonalInformationAndDictionaryTermsInTextOrder() {
        let id = ScannerFixtures.id()
        let text = "关于中华人民共合国的通知\n申请人：王五，身份证号\(id)，手机13812345678。\n六合彩广告"
        let result = scanner.scan(text)
        #expect(result.problems.map(\.kind) == [.severe, .idCard, .mobile, .sensitive])
        #expect(result.problems.map(\.indicatorSuffix) == ["content.severe-error", "content.privacy", "content.privacy", "content.sensitive"])
        #expect(result.problems.map(\.level) == [.veto, .deduction, .deduction, .notice])
        #expect(result.problems.map { result.location(of: $0) } == [
            TextLocation(line: 1, column: 3), TextLocation(line: 2, column: 12),
            TextLocation(line: 2, column: 33), TextLocation(line: 3, column: 1),
        ])
        #expect(result.problems[0].evidence == "中华人民共合国")
        #expect(result.problems[0].suggestion == "中华人民共和国")
        #expect(result.problems[3].suggestion == "删除或修改该表述")
        #expect(result.requiresAction)
        #expect(!result.deidentifiedText.contains(id))
        #expect(!result.deidentifiedText.contains("13812345678"))
        #expect(result.deidentifiedText.contains("138****5678"))
    }

    @Test func columnsCountCharactersNotBytes() {
        let text = "😀é\r\n第二行：中华人民共合国"
        let result = scanner.scan(text)
        #expect(result.problems.count == 1)
        #expect(result.location(of: result.problems[0]) == TextLocation(line: 2, column: 5))
    }

    @Test func sensitiveWordsAloneDoNotRequireAction() {
        let result = scanner.scan("页面出现六合彩字样")
        #expect(result.problems.map(\.kind) == [.sensitive])
        #expect(!result.requiresAction)
        #expect(!scanner.scan("鸿溪市人民政府办公室关于做好春耕工作的通知").requiresAction)
    }

    @Test func privacyCanBeConfiguredToVeto() throws {
        let strict = try ContentScanner(dictionary: Self.dictionary, levels: ContentLevels(privacy: .veto))
        #expect(strict.scan("手机13812345678").problems.map(\.level) == [.veto])
    }

    @Test func excerptsMaskEveryPersonalNumberAround() {
        let id = ScannerFixtures.id()
        let text = "中华人民共合国 \(id) 13812345678"
        let result = scanner.scan(text)
        for problem in result.problems {
            let excerpt = result.excerpt(for: problem).description
            #expect(!excerpt.contains(id), "\(excerpt)")
            #expect(!excerpt.contains("13812345678"), "\(excerpt)")
        }
        let severe = result.excerpt(for: result.problems[0])
        #expect(severe.highlighted == "中华人民共合国")
        #expect(severe.after.contains(ResidentIDNumber.masked(id)))
    }

    @Test func indicatorsPerTargetKind() {
        let result = scanner.scan("中华人民共合国 六合彩 13812345678")
        let kinds = result.problems.map { ($0.kind, $0.indicator(for: .site), $0.indicator(for: .account)) }
        #expect(kinds.map(\.0) == [.severe, .sensitive, .mobile])
        #expect(kinds.map(\.1) == [.siteContentSevereError, .siteContentSensitive, .siteContentPrivacy])
        #expect(kinds.map(\.2) == [.accountContentSevereError, nil, .accountContentPrivacy])
    }

    @Test func findingsCarryDetailMaskedEvidenceAndStableFingerprints() {
        let site = Target(kind: .site, code: "5104000001", name: "鸿溪市人民政府")
        let text = "手机13812345678，再次：13812345678。中华人民共合国"
        let findings = scanner.scan(text).findings(target: site, url: "http://www.hongxi.gov.cn/a.html")
        #expect(findings.count == 2)
        #expect(findings[0].indicator == .siteContentPrivacy)
        #expect(findings[0].detail["kind"] == "mobile")
        #expect(findings[0].detail["masked"] == "138****5678")
        #expect(findings[0].detail["occurrences"] == 2)
        #expect(findings[0].evidence?.contains("13812345678") == false)
        #expect(findings[1].detail["wrong"] == "中华人民共合国")
        #expect(findings[1].detail["correct"] == "中华人民共和国")
        #expect(findings[1].level == .veto)
        let again = scanner.scan("前面加了一行\n" + text).findings(target: site, url: "http://www.hongxi.gov.cn/a.html")
        #expect(again.map(\.fingerprint) == findings.map(\.fingerprint))
        let account = Target(kind: .account, code: "gh_1", name: "鸿溪发布")
        #expect(scanner.scan("六合彩").findings(target: account, url: nil).isEmpty)
    }

    @Test func identicalErrorsAcrossDocumentsAreGroupedWithCounts() {
        let pages = [
            ("a.html", "中华人民共合国成立"), ("b.html", "中华人民共 合国和中华人民共合国"), ("c.html", "六合彩"),
            ("d.html", "手机13812345678"),
        ]
        var occurrences: [(source: String, problem: ContentProblem)] = []
        for (page, text) in pages {
            occurrences += scanner.scan(text).problems.map { (page, $0) }
        }
        let groups = RepeatedProblemGrouping.group(occurrences)
        #expect(groups.first?.evidence == "中华人民共合国")
        #expect(groups.first?.count == 3)
        #expect(groups.first?.sources == ["a.html", "b.html"])
        #expect(groups.count == 3)
        #expect(groups.contains { $0.kind == .mobile && $0.evidence == "138****5678" && $0.count == 1 })
    }

    @Test func standardScannerUsesShippedListsPlusExtraOnes() throws {
        let extra = try ContentDictionary.parse("鸿溪县\t鸿溪市\tsevere", file: "extra.tsv")
        let standard = try ContentScanner.standard(additional: [extra])
        let result = standard.scan("鸿溪县人民政府与中国共产共党")
        #expect(result.problems.map(\.suggestion) == ["鸿溪市", "中国共产党"])
    }
}
