import Foundation
import GovWatchCore
import Testing

@Suite struct ScoringTests {
    let site = Target(kind: .site, code: "4301000002", name: "鸿溪市教育局")
    let other = Target(kind: .site, code: "4301000003", name: "鸿溪市公安局")

    func finding(_ id: IndicatorID, _ key: String, target: Target? = nil, detail: JSONValue = [:]) -> Finding {
        let set = IndicatorSet.national2019
        return Finding(target: target ?? site, indicator: id, level: set.level(id), detail: detail, locationKey: key)
    }

    @Test func shippedSetDefinesEveryIndicator() {
        let set = IndicatorSet.national2019
        #expect(set.reference == "national-2019@1")
        for id in IndicatorID.all { #expect(set.indicators[id.rawValue] != nil, "\(id)") }
        #expect(set.level(.siteHomepageStale) == .veto)
        #expect(set.level(.siteContentSensitive) == .notice)
        #expect(set.threshold(.siteUnreachable, "failureRatio", default: 0) == 0.05)
    }

    @Test func deductionsAreCappedPerIndicatorAndVetoesFail() {
        let scorer = Scorer(indicators: .national2019)
        // 15 broken links at 1 point, capped at 10; one on the homepage counts 2 but the cap holds.
        var findings = (0..<15).map { finding(.siteLinksBroken, "l\($0)") }
        findings.append(finding(.siteColumnStale, "c1"))
        findings.append(finding(.siteSearchMissing, "s"))
        findings.append(finding(.siteLinksBroken, "x", target: other))
        let card = scorer.score(site, findings: findings)
        #expect(card.score == 88)
        #expect(card.vetoes.isEmpty)
        #expect(card.passed)

        findings.append(finding(.siteHomepageStale, "home"))
        let failed = scorer.score(site, findings: findings)
        #expect(failed.vetoes == [.siteHomepageStale])
        #expect(!failed.passed)
        #expect(failed.score == 88)

        let homepage = scorer.score(other, findings: [finding(.siteLinksBroken, "h", target: other, detail: ["onHomepage": true])])
        #expect(homepage.score == 98)
    }

    @Test func belowPassMarkFails() {
        var set = IndicatorSet.national2019
        set.passMark = 95
        let card = Scorer(indicators: set).score(site, findings: [finding(.siteDarkLink, "d")])
        #expect(card.score == 95)
        #expect(card.passed)
        let worse = Scorer(indicators: set).score(site, findings: [finding(.siteDarkLink, "d"), finding(.siteLinksBroken, "l")])
        #expect(!worse.passed)
    }

    @Test func administratorFileIsValidated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("sichuan.json")
        var set = IndicatorSet.national2019
        set.id = "sichuan-2022"
        set.indicators["site.column.stale"]?.thresholds?["newsDays"] = 7
        try JSONEncoder().encode(set).write(to: file)
        let loaded = try IndicatorSet.load(contentsOf: file)
        #expect(loaded.reference == "sichuan-2022@1")
        #expect(loaded.threshold(.siteColumnStale, "newsDays", default: 14) == 7)

        set.indicators["site.dark-link"] = nil
        try JSONEncoder().encode(set).write(to: file)
        #expect(throws: IndicatorSet.InvalidFile.self) { try IndicatorSet.load(contentsOf: file) }
    }
}
