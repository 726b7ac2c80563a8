import Foundation
import GovWatchCore
import Testing

@Suite struct SiteChecksTests {
    @Test func cleanEvidenceHasNoFindingsWithTheShippedDictionaries() throws {
        let scanner = try ContentScanner.standard()
        let findings = SiteChecks.run(F.cleanEvidence(), indicators: .national2019, scanner: scanner)
        #expect(findings.isEmpty, "\(findings.map { "\($0.indicator): \($0.evidence ?? "")" })")
    }

    /// The clean site with one problem of (nearly) every kind.
    func messyEvidence() -> SiteEvidence {
        var evidence = F.cleanEvidence()
        var identity = F.identity
        identity.police = nil
        evidence.homepage = F.homepage(
            items: [DatedItem(title: "旧闻", url: F.homepageURL + "old.html", date: F.daysAgo(30))], identity: identity,
            searchWorks: false, https: false)
        evidence.columns = (0..<10).map { F.news("动态\($0)", "dt\($0)", lastUpdated: 20 + $0) }
            + (0..<5).map { F.column("空栏目\($0)", "kl\($0)", .other, dates: []) }
            + [F.column("主任信箱", "hdjl/ldxx", .consultation, dates: [], loaded: false)]
        evidence.messages = [
            ConsultationMessage(url: F.homepageURL + "hdjl/1.html", title: "未答复来信", askedOn: F.daysAgo(137), answeredOn: nil),
            ConsultationMessage(
                url: F.homepageURL + "hdjl/2.html", title: "迟复来信", askedOn: F.day("2022-03-01"), answeredOn: F.day("2022-03-15"),
                columnURL: F.mailboxURL),
        ]
        evidence.documents = [
            DocumentEvidence(url: F.homepageURL + "a.html", text: "学习《中华人民共合国宪法》。六合彩。手机13907341234"),
        ]
        evidence.links.append(LinkEvidence(
            url: F.homepageURL + "gone.html", kind: .page, external: false, status: 404, error: nil, referrers: [F.homepageURL],
            onHomepage: true))
        evidence.hiddenLinks.append(HiddenLinkEvidence(page: F.homepageURL, link: "http://www.hg8868-bet.com/", text: "在线体育"))
        evidence.unreadable = [
            UnreadablePart(reason: .pageLimit, url: F.homepageURL, skippedChecks: [.siteLinksBroken], scope: .crawl, count: 20),
        ]
        evidence.site.url = "http://www.hxfgw.cn/"
        evidence.probes = (0..<140).map { index in
            Probe(siteCode: F.site.code, at: F.asOf.addingTimeInterval(-7 * 86_400 + Double(index) * 4_320), ok: index >= 10)
        }
        return evidence
    }

    @Test func everyIndicatorInSpecOrder() throws {
        let findings = SiteChecks.run(messyEvidence(), indicators: .national2019, scanner: F.scanner)
        let siteIndicators = IndicatorID.all.filter { $0.rawValue.hasPrefix("site.") }
        var seen: [IndicatorID] = []
        for finding in findings where seen.last != finding.indicator { seen.append(finding.indicator) }
        #expect(seen == siteIndicators)
        #expect(findings.allSatisfy { $0.target == F.target })
        let card = Scorer(indicators: .national2019).score(F.target, findings: findings)
        #expect(!card.passed)
        #expect(card.vetoes.contains(.siteContentSevereError))
    }

    @Test func outputIsTheSameWhateverTheEvidenceOrder() {
        let evidence = messyEvidence()
        var shuffled = evidence
        var generator = ScannerFixtures.SplitMix(state: 42)
        shuffled.columns.shuffle(using: &generator)
        shuffled.links.shuffle(using: &generator)
        shuffled.messages.shuffle(using: &generator)
        shuffled.hiddenLinks.shuffle(using: &generator)
        let first = SiteChecks.run(evidence, indicators: .national2019, scanner: F.scanner)
        #expect(first == SiteChecks.run(evidence, indicators: .national2019, scanner: F.scanner))
        #expect(first == SiteChecks.run(shuffled, indicators: .national2019, scanner: F.scanner))
    }

    @Test func nothingInTheFindingsHoldsPersonalInformationInClear() throws {
        let id = ScannerFixtures.id()
        var evidence = F.cleanEvidence()
        evidence.documents.append(DocumentEvidence(
            url: F.homepageURL + "hdjl/ldxx/9.html", text: "来信人：赵六，身份证\(id)，手机13907341234，中华人民共合国公民。",
            columnCategory: .consultation))
        let findings = SiteChecks.run(evidence, indicators: .national2019, scanner: F.scanner)
        #expect(findings.map(\.indicator) == [.siteContentSevereError, .siteContentPrivacy, .siteContentPrivacy])
        let encoded = String(decoding: try JSONEncoder().encode(findings), as: UTF8.self)
        #expect(!encoded.contains(id))
        #expect(!encoded.contains("13907341234"))
        #expect(findings[1].detail["columnCategory"] == "consultation")
    }
}
