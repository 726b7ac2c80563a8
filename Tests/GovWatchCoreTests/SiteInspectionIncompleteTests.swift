import Foundation
import GovWatchCore
import Testing

/// `site.inspection.incomplete`, and what the other checks leave alone because of it.
@Suite struct SiteInspectionIncompleteTests {
    func run(_ evidence: SiteEvidence) -> [Finding] {
        SiteChecks.run(evidence, indicators: .national2019, scanner: F.scanner)
    }

    /// The clean site whose homepage is a bot challenge: as the crawler sees it, nothing dated,
    /// no footer, no search, no channel among its (absent) links.
    func challengedHomepage(_ reason: UnreadablePart.Reason = .challenge) -> SiteEvidence {
        var evidence = F.cleanEvidence()
        evidence.homepage = F.homepage(items: [], identity: FooterIdentity(), searchWorks: false)
        evidence.columns = []
        evidence.messages = []
        evidence.unreadable = [
            UnreadablePart(reason: reason, url: F.homepageURL, skippedChecks: UnreadablePart.homepageChecks, scope: .homepage),
        ]
        return evidence
    }

    @Test func aChallengedHomepageIsReportedAndNotJudged() throws {
        let findings = run(challengedHomepage())
        #expect(findings.map(\.indicator) == [.siteInspectionIncomplete])
        let finding = findings[0]
        #expect(finding.level == .notice)
        #expect(finding.url == F.homepageURL)
        #expect(finding.detail["reason"] == "challenge")
        #expect(finding.detail["homepage"] == true)
        #expect(finding.detail["scope"] == "homepage")
        #expect(finding.detail["skippedChecks"] == [
            "site.homepage.stale", "site.interaction.no-channel", "site.identity.missing", "site.search.missing",
        ])
        #expect(finding.evidence?.contains("防护验证页面") == true)
        #expect(finding.evidence?.contains("未能完成检查") == true)
        let card = Scorer(indicators: .national2019).score(F.target, findings: findings)
        #expect(card.incomplete)
        #expect(card.vetoes.isEmpty)
        #expect(card.verdict == "合格（未能完成检查）")
        #expect(card.notes.first?.contains("未能完成检查") == true)
    }

    @Test func theSameHomepageReadIsJudgedAsUsual() {
        var evidence = challengedHomepage()
        evidence.unreadable = []
        let indicators = Set(run(evidence).map(\.indicator))
        #expect(indicators.isSuperset(of: [.siteHomepageStale, .siteIdentityMissing, .siteSearchMissing, .siteInteractionNoChannel]))
        #expect(!indicators.contains(.siteInspectionIncomplete))
    }

    @Test func aHomepageThatTimedOutSaysSoWithItsReason() throws {
        var evidence = challengedHomepage(.timeout)
        evidence.homepage = F.homepage(items: [], loaded: false)
        let findings = run(evidence)
        #expect(findings.map(\.indicator) == [.siteInspectionIncomplete])
        #expect(findings[0].detail["reason"] == "timeout")
        #expect(findings[0].evidence?.contains("访问超时") == true)
        #expect(Scorer(indicators: .national2019).score(F.target, findings: findings).incomplete)
    }

    @Test func aColumnNotReadIsNeitherStaleNorBlankAndCountsTowardNoVeto() throws {
        var evidence = F.cleanEvidence()
        // Five stale news columns make the veto; the fifth is a JavaScript shell whose list was not read.
        evidence.columns = (0..<4).map { F.news("动态\($0)", "dt\($0)", lastUpdated: 30) } + [
            F.column("图片新闻", "tpxw", .news, dates: [F.daysAgo(40)]), F.column("政务公开", "zwgk", .other, dates: []),
        ] + F.cleanColumns()
        evidence.unreadable = [
            UnreadablePart(
                reason: .javascript, url: F.homepageURL + "tpxw/index.html", skippedChecks: UnreadablePart.columnChecks,
                scope: .column, name: "图片新闻"),
            UnreadablePart(
                reason: .robots, url: F.homepageURL + "zwgk/index.html", skippedChecks: UnreadablePart.columnChecks,
                scope: .column, name: "政务公开"),
        ]
        let findings = run(evidence)
        #expect(findings.filter { $0.indicator == .siteColumnStale }.count == 4)
        #expect(!findings.contains { $0.indicator == .siteColumnBlank })
        #expect(!findings.contains { $0.indicator == .siteColumnsStaleVeto })
        let incomplete = findings.filter { $0.indicator == .siteInspectionIncomplete }
        #expect(incomplete.map { $0.detail["reason"] } == ["javascript", "robots"])
        #expect(incomplete.map { $0.detail["column"] } == ["图片新闻", "政务公开"])
        #expect(incomplete.allSatisfy { $0.detail["homepage"] == false })
        #expect(!Scorer(indicators: .national2019).score(F.target, findings: findings).incomplete)

        // Read, the same columns are judged: the fifth stale news column makes the veto.
        evidence.unreadable = []
        let judged = run(evidence)
        #expect(judged.filter { $0.indicator == .siteColumnStale }.count == 5)
        #expect(judged.contains { $0.indicator == .siteColumnsStaleVeto })
        #expect(judged.filter { $0.indicator == .siteColumnBlank }.count == 1)
    }

    @Test func aChannelThatCouldNotBeReadIsNoAbsenceOfAChannel() {
        var evidence = F.cleanEvidence()
        evidence.columns = [F.column("主任信箱", "hdjl/ldxx", .consultation, dates: [], loaded: false)]
        #expect(run(evidence).contains { $0.indicator == .siteInteractionNoChannel })
        evidence.unreadable = [
            UnreadablePart(
                reason: .rateLimited, url: F.mailboxURL,
                skippedChecks: UnreadablePart.columnChecks + [.siteInteractionNoChannel], scope: .column, status: 429, name: "主任信箱"),
        ]
        let findings = run(evidence)
        #expect(!findings.contains { $0.indicator == .siteInteractionNoChannel })
        #expect(findings.last?.detail["status"] == 429)
        #expect(findings.last?.evidence?.contains("429") == true)
    }

    @Test func thePageLimitAndThrottlingHostsDoNotHideTheHomepage() throws {
        var evidence = F.cleanEvidence()
        evidence.homepage = F.homepage(items: [DatedItem(title: "旧闻", url: F.homepageURL + "old.html", date: F.daysAgo(40))])
        evidence.unreadable = [
            UnreadablePart(reason: .pageLimit, url: F.homepageURL, skippedChecks: [.siteLinksBroken], scope: .crawl, count: 1_204),
            UnreadablePart(reason: .rateLimited, url: "http://www.hxxy.gov.cn/", skippedChecks: [.siteLinksBroken], scope: .links, count: 3),
        ]
        evidence.links.append(LinkEvidence(
            url: "http://www.hxxy.gov.cn/cx.html", kind: .page, external: true, status: 429, error: "请求过于频繁", referrers: [F.homepageURL],
            onHomepage: true))
        let findings = run(evidence)
        #expect(findings.map(\.indicator) == [.siteHomepageStale, .siteInspectionIncomplete, .siteInspectionIncomplete])
        #expect(findings[1].detail["scope"] == "links")
        #expect(findings[1].evidence == "www.hxxy.gov.cn的3个链接服务器持续返回429/503（请求过于频繁或暂时不可用），重试后仍未成功，未计为错链，请人工核查")
        #expect(findings[2].detail["reason"] == "page-limit")
        #expect(findings[2].detail["count"] == 1204)
        #expect(!Scorer(indicators: .national2019).score(F.target, findings: findings).incomplete)
    }

    @Test func fingerprintsAreStableAcrossReruns() {
        let parts = [
            UnreadablePart(reason: .challenge, url: F.homepageURL, skippedChecks: [.siteHomepageStale], scope: .homepage),
            UnreadablePart(reason: .javascript, url: F.mailboxURL, skippedChecks: [.siteColumnStale], scope: .column, name: "主任信箱"),
        ]
        let first = SiteInspectionIncomplete.check(site: F.target, unreadable: parts, indicators: .national2019)
        // A resumed inspection may note a part twice and in another order: one finding each, same fingerprints.
        let again = SiteInspectionIncomplete.check(
            site: F.target, unreadable: parts.reversed() + [parts[0]], indicators: .national2019)
        #expect(first.count == 2)
        #expect(first == again)
        #expect(Set(first.map(\.fingerprint)).count == 2)
        // A different reason at the same place is another problem.
        let timedOut = SiteInspectionIncomplete.check(
            site: F.target, unreadable: [UnreadablePart(reason: .timeout, url: F.homepageURL, scope: .homepage)], indicators: .national2019)
        #expect(timedOut[0].fingerprint != first[0].fingerprint)
    }
}

@Suite struct DiscoveredColumnTests {
    @Test func discoveredColumnsAreNoticesAndCountTowardNoVeto() throws {
        var evidence = F.cleanEvidence()
        evidence.columns = F.cleanColumns()
            + (0..<5).map { F.column("发现动态\($0)", "fx\($0)", .news, dates: [F.daysAgo(40)], discovered: true) }
            + (0..<5).map { F.column("发现空白\($0)", "kb\($0)", .other, dates: [], discovered: true) }
        let findings = SiteChecks.run(evidence, indicators: .national2019, scanner: F.scanner)
        let stale = findings.filter { $0.indicator == .siteColumnStale }
        let blank = findings.filter { $0.indicator == .siteColumnBlank }
        #expect(stale.count == 5)
        #expect(blank.count == 5)
        #expect((stale + blank).allSatisfy { $0.level == .notice && $0.detail["discovered"] == true })
        #expect(stale[0].evidence?.hasSuffix("（该栏目为检查中自动发现、待管理员确认的栏目，暂作提示，不扣分，不计入单项否决）") == true)
        #expect(!findings.contains { [.siteColumnsStaleVeto, .siteColumnsUnupdatedVeto, .siteColumnsBlankVeto].contains($0.indicator) })
        let card = Scorer(indicators: .national2019).score(F.target, findings: findings)
        #expect(card.score == 100)
        #expect(card.passed)
        #expect(card.unconfirmedColumns == 10)
        #expect(card.notes == ["另有10个自动发现的栏目待确认，未计入单项否决"])
    }

    @Test func onceConfirmedTheyCountAsRegisteredColumns() throws {
        var evidence = F.cleanEvidence()
        evidence.columns = F.cleanColumns() + (0..<5).map { F.column("发现动态\($0)", "fx\($0)", .news, dates: [F.daysAgo(40)]) }
        let findings = SiteChecks.run(evidence, indicators: .national2019, scanner: F.scanner)
        #expect(findings.filter { $0.indicator == .siteColumnStale }.allSatisfy { $0.level == .deduction })
        let card = Scorer(indicators: .national2019).score(F.target, findings: findings)
        #expect(card.vetoes == [.siteColumnsStaleVeto])
        #expect(card.unconfirmedColumns == 0)
    }

    @Test func anImportedColumnAlsoDiscoveredIsJudgedAsImported() throws {
        var evidence = F.cleanEvidence()
        let imported = F.column("工作动态", "gzdt", .news, dates: [F.daysAgo(30)])
        var found = imported
        found.discovered = true
        evidence.columns = [imported, found]
        let stale = SiteChecks.run(evidence, indicators: .national2019, scanner: F.scanner).filter { $0.indicator == .siteColumnStale }
        #expect(stale.count == 1)
        #expect(stale[0].level == .deduction)
    }
}

@Suite struct ExactEvidenceTests {
    @Test func aBrokenLinkGivesItsTrueReferrerCount() throws {
        let referrers = (1...5).map { F.homepageURL + "xwdt/t\($0).html" }
        let link = LinkEvidence(
            url: F.homepageURL + "files/old.pdf", kind: .attachment, external: false, status: 404, error: nil, referrers: referrers,
            onHomepage: false, referrerCount: 37)
        let finding = try #require(SiteLinksBroken.check(site: F.target, links: [link], homepageURL: F.homepageURL, indicators: .national2019).first)
        #expect(finding.detail["referrerCount"] == 37)
        #expect(finding.detail["referrers"] == .array(referrers.map(JSONValue.string)))
        #expect(finding.evidence?.hasSuffix("；共37个页面引用") == true)
    }

    @Test func aThrottledLinkIsNotBroken() {
        for status in [429, 503] {
            let link = LinkEvidence(
                url: "http://www.hxxy.gov.cn/cx.html", kind: .page, external: true, status: status, error: "服务器持续返回\(status)",
                referrers: [F.homepageURL], onHomepage: true)
            #expect(link.isRateLimited)
            #expect(!link.isBroken)
            #expect(SiteLinksBroken.check(site: F.target, links: [link], homepageURL: F.homepageURL, indicators: .national2019).isEmpty)
        }
        let gone = LinkEvidence(url: "http://www.hxxy.gov.cn/a.html", kind: .page, external: true, status: 500, error: nil, referrers: [], onHomepage: false)
        #expect(gone.isBroken)
    }

    @Test func aDarkLinkSaysHowItWasHidden() throws {
        let hidden = [
            HiddenLinkEvidence(
                page: F.homepageURL, link: "http://www.hg8868-bet.com/", text: "在线体育", hiding: "hidden-parent <div>, class .hide in <style>"),
            HiddenLinkEvidence(page: F.homepageURL + "a.html", link: "http://www.yy-pk10.com/", text: "北京赛车", hiding: "off-screen"),
        ]
        let findings = SiteDarkLink.check(
            site: F.target, hiddenLinks: hidden, ownHosts: ["fgw.hongxi.gov.cn"], homepageURLs: [F.homepageURL], indicators: .national2019)
        #expect(findings.count == 2)
        #expect(findings[0].detail["hidden"] == "hidden-parent <div>, class .hide in <style>")
        #expect(findings[0].evidence == "首页隐藏链接（所在父元素被隐藏、样式表中的类（class .hide in <style>）隐藏）“在线体育”指向政府网站域名之外的www.hg8868-bet.com")
        #expect(findings[1].evidence?.contains("（定位到屏幕之外）") == true)
        #expect(SiteDarkLink.hidingDescription("display:none") == "display:none隐藏")
    }
}
