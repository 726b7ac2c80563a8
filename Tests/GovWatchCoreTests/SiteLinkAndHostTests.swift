import Foundation
import GovWatchCore
import Testing

@Suite struct SiteLinksBrokenTests {
    let article = F.homepageURL + "xwdt/202203/t20220325_1.html"
    let notice = F.homepageURL + "tzgg/202203/t20220322_2.html"

    func link(
        _ url: String, _ kind: LinkEvidence.Kind = .page, external: Bool = false, status: Int? = 404, error: String? = nil,
        referrers: [String], onHomepage: Bool = false
    ) -> LinkEvidence {
        LinkEvidence(url: url, kind: kind, external: external, status: status, error: error, referrers: referrers, onHomepage: onHomepage)
    }

    func check(_ links: [LinkEvidence]) -> [Finding] {
        SiteLinksBroken.check(site: F.target, links: links, homepageURL: F.homepageURL, indicators: .national2019)
    }

    @Test func oneFindingPerBrokenTargetHomepageFirst() throws {
        let findings = check([
            link(F.homepageURL + "xwdt/202101/t20210105_99999.html", referrers: [article, notice]),
            link("http://www.hxgtzy.com/", external: true, status: nil, error: "域名解析失败", referrers: [article]),
            link(F.homepageURL + "images/banner_2019.jpg", .image, referrers: [F.homepageURL], onHomepage: true),
            link(F.homepageURL + "tzgg/P0202203.docx", .attachment, referrers: [notice]),
            link(F.homepageURL + "gzdt/index.html", status: 200, referrers: [F.homepageURL], onHomepage: true),
            link(F.homepageURL + "old.html", status: 301, referrers: [notice]),
        ])
        // Homepage links first, then by target URL.
        #expect(findings.map { $0.detail["link"] } == [
            .string(F.homepageURL + "images/banner_2019.jpg"), .string(F.homepageURL + "tzgg/P0202203.docx"),
            .string(F.homepageURL + "xwdt/202101/t20210105_99999.html"), .string("http://www.hxgtzy.com/"),
        ])
        #expect(findings.map { $0.detail["linkKind"] } == ["image", "attachment", "internal", "external"])
        #expect(findings.map(\.url) == [F.homepageURL, notice, notice, article])

        let banner = findings[0]
        #expect(banner.level == .deduction)
        #expect(banner.detail["onHomepage"] == true)
        #expect(banner.detail["status"] == 404)
        #expect(banner.detail["error"] == .null)
        #expect(banner.evidence == "首页中的图片链接 \(F.homepageURL)images/banner_2019.jpg 无法访问（HTTP 404）")

        let dead = findings[3]
        #expect(dead.detail["status"] == .null)
        #expect(dead.detail["external"] == true)
        #expect(dead.evidence == "页面 \(article) 中的外部链接 http://www.hxgtzy.com/ 无法访问（域名解析失败）")

        let onSite = findings[2]
        #expect(onSite.detail["referrerCount"] == 2)
        #expect(onSite.detail["referrers"] == .array([.string(notice), .string(article)]))
        #expect(onSite.evidence?.hasSuffix("；共2个页面引用") == true)
    }

    @Test func duplicateReportsOfOneTargetAreMerged() throws {
        let target = F.homepageURL + "missing.html"
        let findings = check([link(target, referrers: [notice]), link(target, referrers: [F.homepageURL], onHomepage: true)])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.detail["onHomepage"] == true)
        #expect(finding.detail["referrerCount"] == 2)
    }

    @Test func homepageLinksWeighMoreInTheScore() {
        let findings = check([
            link(F.homepageURL + "a.jpg", .image, referrers: [F.homepageURL], onHomepage: true),
            link(F.homepageURL + "b.html", referrers: [notice]),
        ])
        let card = Scorer(indicators: .national2019).score(F.target, findings: findings)
        #expect(card.score == 97)  // 2 for the homepage link, 1 for the other
    }

    @Test func theFingerprintIsTheTargetURLNotItsReferrers() {
        let target = F.homepageURL + "missing.html"
        let first = check([link(target, referrers: [notice])])
        let later = check([link(target, status: 500, referrers: [notice, article])])
        #expect(first.first?.fingerprint == later.first?.fingerprint)
    }
}

@Suite struct SiteIdentityMissingTests {
    func check(_ identity: FooterIdentity, site: SiteRecord = F.site) -> [Finding] {
        SiteIdentityMissing.check(site: site, homepage: F.homepage(identity: identity), indicators: .national2019)
    }

    @Test func aCompleteMatchingFooterHasNoFinding() {
        #expect(check(F.identity).isEmpty)
        var spaced = F.identity
        spaced.siteCode = " 4301000012 "
        #expect(check(spaced).isEmpty)
    }

    @Test func eachMissingItemIsItsOwnFinding() {
        var identity = F.identity
        identity.icp = nil
        identity.sponsor = "  "
        identity.partyGovBadge = false
        let findings = check(identity)
        #expect(findings.map { $0.detail["missing"] } == ["icp", "sponsor", "badge"])
        #expect(findings.map(\.evidence) == ["网站首页页脚缺少ICP备案号", "网站首页页脚缺少主办单位", "网站首页页脚缺少党政机关网站标识"])
        #expect(Set(findings.map(\.fingerprint)).count == 3)
        #expect(findings.allSatisfy { $0.level == .deduction && $0.url == F.homepageURL })
    }

    @Test func aSiteCodeOtherThanTheRegisteredOneIsAFinding() throws {
        var identity = F.identity
        identity.siteCode = "4301000021"
        let finding = try #require(check(identity).first)
        #expect(finding.detail["missing"] == "code-mismatch")
        #expect(finding.detail["shown"] == "4301000021")
        #expect(finding.detail["registered"] == "4301000012")
        #expect(finding.evidence == "网站首页显示的网站标识码4301000021与登记的网站标识码4301000012不一致")
        // Central departments' codes compare without case.
        var central = F.site
        central.code = "bm12000001"
        identity.siteCode = "BM12000001"
        #expect(check(identity, site: central).isEmpty)
        identity.siteCode = nil
        #expect(check(identity, site: central).map { $0.detail["missing"] } == ["site-code"])
    }

    @Test func notJudgedWithoutAHomepage() {
        #expect(SiteIdentityMissing.check(site: F.site, homepage: F.homepage(identity: FooterIdentity(), loaded: false), indicators: .national2019).isEmpty)
    }
}

@Suite struct SiteDomainNoncompliantTests {
    func site(_ url: String, _ kind: SiteKind) -> SiteRecord {
        var site = F.site
        site.url = url
        site.kind = kind
        return site
    }

    func check(_ site: SiteRecord, alternates: [String] = [], domain: String? = "hongxi.gov.cn") -> [Finding] {
        SiteDomainNoncompliant.check(site: site, alternateHosts: alternates, governmentDomain: domain, indicators: .national2019)
    }

    @Test func compliantDomains() {
        #expect(check(site("http://www.hongxi.gov.cn/", .portal), domain: nil).isEmpty)
        #expect(check(site("https://fgw.hongxi.gov.cn/index.html", .department)).isEmpty)
        #expect(check(site("http://fgw.hongxi.gov.cn:8080/", .department), alternates: ["FGW.hongxi.gov.cn", "www.fgw.hongxi.gov.cn"]).isEmpty)
    }

    @Test func aDepartmentOutsideGovCN() throws {
        let finding = try #require(check(site("http://www.hxamr.cn/", .department)).first)
        #expect(finding.level == .deduction)
        #expect(finding.detail["rule"] == "not-gov-cn")
        #expect(finding.detail["host"] == "www.hxamr.cn")
        #expect(finding.detail["expected"] == "hongxi.gov.cn")
        #expect(finding.evidence == "部门网站使用非政府域名www.hxamr.cn，应使用本级政府域名hongxi.gov.cn的下级域名")
    }

    @Test func portalsUseWwwXXXGovCN() throws {
        #expect(check(site("http://hongxi.gov.cn/", .portal)).map { $0.detail["rule"] } == ["portal-pattern"])
        #expect(check(site("http://zwgk.hongxi.gov.cn/", .portal)).map { $0.detail["rule"] } == ["portal-pattern"])
    }

    /// 中国政府网 is gov.cn's own portal, above the www.XXX.gov.cn pattern of the regions
    /// (the real homepage of the corpus, `portal-home-www.gov.cn.html`).
    @Test func theCentralPortalIsCompliant() {
        #expect(check(site("https://www.gov.cn/", .portal)).isEmpty)
        #expect(check(site("http://www.hunan.gov.cn/", .portal)).isEmpty)
    }

    @Test func departmentsBelongUnderTheirGovernment() {
        #expect(check(site("http://fgw.qingshan.gov.cn/", .department)).map { $0.detail["rule"] } == ["outside-government-domain"])
        // Not judged when the government's domain is unknown.
        #expect(check(site("http://fgw.qingshan.gov.cn/", .department), domain: nil).isEmpty)
    }

    @Test func severalRegisteredDomains() throws {
        let findings = check(site("http://www.hongxi.gov.cn/", .portal), alternates: ["www.hongxi.cn", "hongxi.gov.cn"])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.detail["rule"] == "several-domains")
        #expect(finding.detail["hosts"] == .array(["www.hongxi.gov.cn", "www.hongxi.cn"]))
    }
}

@Suite struct SiteSearchAndHTTPSTests {
    @Test func searchMissingIsANotice() throws {
        #expect(SiteSearchMissing.check(site: F.target, homepage: F.homepage(), indicators: .national2019) == nil)
        let finding = try #require(SiteSearchMissing.check(site: F.target, homepage: F.homepage(searchWorks: false), indicators: .national2019))
        #expect(finding.level == .notice)
        #expect(finding.url == F.homepageURL)
        #expect(SiteSearchMissing.check(site: F.target, homepage: F.homepage(searchWorks: false, loaded: false), indicators: .national2019) == nil)
    }

    @Test func httpsMissingIsANotice() throws {
        #expect(SiteHTTPSMissing.check(site: F.target, homepage: F.homepage(), indicators: .national2019) == nil)
        let finding = try #require(SiteHTTPSMissing.check(site: F.target, homepage: F.homepage(https: false), indicators: .national2019))
        #expect(finding.level == .notice)
        #expect(finding.detail["finalURL"] == .string(F.homepageURL))
        #expect(SiteHTTPSMissing.check(site: F.target, homepage: F.homepage(https: false, loaded: false), indicators: .national2019) == nil)
    }
}

@Suite struct SiteDarkLinkTests {
    let article = F.homepageURL + "xwdt/202203/t20220328_3.html"

    func check(_ hidden: [HiddenLinkEvidence], ownHosts: Set<String> = ["fgw.hongxi.gov.cn", "www.fgw.hongxi.gov.cn"]) -> [Finding] {
        SiteDarkLink.check(site: F.target, hiddenLinks: hidden, ownHosts: ownHosts, homepageURLs: [F.homepageURL], indicators: .national2019)
    }

    @Test func hiddenLinksOutsideTheGovernmentDomainAreDarkLinks() throws {
        let findings = check([
            HiddenLinkEvidence(page: article, link: "http://www.dafa888-vip.com/", text: "官方网站", hiding: "off-screen"),
            HiddenLinkEvidence(page: F.homepageURL, link: "http://www.hg8868-bet.com/", text: "在线体育", hiding: "display:none"),
            HiddenLinkEvidence(page: F.homepageURL, link: "http://www.hongxi.gov.cn/zwgk/", text: "政务公开", hiding: "display:none"),
            HiddenLinkEvidence(page: F.homepageURL, link: "/xwdt/index.html", text: "更多", hiding: "display:none"),
            HiddenLinkEvidence(page: F.homepageURL, link: "javascript:void(0)", text: "关闭"),
        ])
        #expect(findings.map { $0.detail["link"] } == ["http://www.hg8868-bet.com/", "http://www.dafa888-vip.com/"])
        #expect(findings.map(\.url) == [F.homepageURL, article])
        #expect(findings[0].level == .deduction)
        #expect(findings[0].detail["host"] == "www.hg8868-bet.com")
        #expect(findings[0].detail["hidden"] == "display:none")
        #expect(findings[0].evidence == "首页隐藏链接（display:none隐藏）“在线体育”指向政府网站域名之外的www.hg8868-bet.com")
        #expect(findings[1].evidence?.hasPrefix("页面隐藏链接（定位到屏幕之外）") == true)
        #expect(findings[1].detail["hidden"] == "off-screen")
    }

    @Test func theSiteOwnHostsAreNotDarkLinks() {
        let hidden = [HiddenLinkEvidence(page: F.homepageURL, link: "https://www.hxamr.cn/about/", text: "关于我们")]
        #expect(check(hidden, ownHosts: ["www.hxamr.cn", "hxamr.cn"]).isEmpty)
        #expect(check(hidden).count == 1)
    }

    @Test func oneFindingPerTargetListingItsPages() throws {
        let link = "http://www.xpj3377.net/"
        let pages = (1...3).map { F.homepageURL + "xwdt/t\($0).html" }
        let findings = check(pages.reversed().map { HiddenLinkEvidence(page: $0, link: link, text: "VIP会员中心") })
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.url == pages[0])
        #expect(finding.detail["pageCount"] == 3)
        #expect(finding.detail["onHomepage"] == false)
        #expect(finding.evidence == "页面隐藏链接“VIP会员中心”指向政府网站域名之外的www.xpj3377.net；共3个页面含此链接")
        let fewer = check([HiddenLinkEvidence(page: pages[2], link: link, text: "VIP")])
        #expect(fewer.first?.fingerprint == finding.fingerprint)
    }
}
