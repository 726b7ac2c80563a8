import Foundation

/// Everything an inspection learned about one website, in the terms the indicators use.
///
/// The crawler (GovWatchInspection) fills this from fetched and extracted pages; the
/// site checks (one file per indicator in `Checks/Site/`) turn it into findings. Keeping
/// the checks on this plain value makes every rule a pure function of evidence, the
/// indicator set and the as-of time, testable without HTTP.
public struct SiteEvidence: Sendable {
    public var site: SiteRecord
    /// The 监测时间点: staleness is computed against it, never against the wall clock.
    public var asOf: Date
    public var homepage: HomepageEvidence?
    /// Imported columns (authoritative) and columns the crawler discovered.
    public var columns: [ColumnEvidence]
    /// Every link target checked (pages, images, attachments, scripts, styles, frames), with
    /// the pages that refer to it; the broken-link check keeps the failed ones.
    public var links: [LinkEvidence]
    /// The text of crawled pages and attachments, for the content scanners. The crawler
    /// screens every text with the checks' scanner as it reads it and keeps only those in
    /// which it found a problem (a clean text cannot produce a finding), so this stays small
    /// however large the site; other sources may give every text.
    public var documents: [DocumentEvidence]
    /// Hidden links seen on pages (display:none, off-screen, zero size).
    public var hiddenLinks: [HiddenLinkEvidence]
    /// Messages of consultation columns (领导信箱, 咨询留言) with question and reply dates.
    public var messages: [ConsultationMessage]
    /// Probes of the homepage (the scheduler records ≥ 20 a day).
    public var probes: [Probe]
    /// Other registered domains under which this same site is served (not merely redirected
    /// to its main host), for the several-domains rule of `site.domain.noncompliant`.
    public var alternateHosts: [String]
    /// For a department site: the domain of its government's portal (`hongxi.gov.cn` for
    /// 鸿溪市人民政府 at www.hongxi.gov.cn), under which the department's host must be
    /// (国办发〔2017〕47号). The crawler takes it from the registered portal whose unit is the
    /// site's `parent`; nil when unknown, and then only the .gov.cn rule is checked.
    public var governmentDomain: String?
    /// Parts of the site the inspection could not read (a challenge page, a column filled by
    /// JavaScript, robots.txt, the page limit, a host answering 429/503, time-outs). No
    /// stale, blank, identity or search finding is made from them; `site.inspection.incomplete`
    /// reports each for a person to look at.
    public var unreadable: [UnreadablePart] = []

    public init(
        site: SiteRecord, asOf: Date, homepage: HomepageEvidence? = nil, columns: [ColumnEvidence] = [],
        links: [LinkEvidence] = [], documents: [DocumentEvidence] = [], hiddenLinks: [HiddenLinkEvidence] = [],
        messages: [ConsultationMessage] = [], probes: [Probe] = [], alternateHosts: [String] = [],
        governmentDomain: String? = nil
    ) {
        self.site = site
        self.asOf = asOf
        self.homepage = homepage
        self.columns = columns
        self.links = links
        self.documents = documents
        self.hiddenLinks = hiddenLinks
        self.messages = messages
        self.probes = probes
        self.alternateHosts = alternateHosts
        self.governmentDomain = governmentDomain
    }

    public var target: Target { Target(kind: .site, code: site.code, name: site.name) }
}

/// Part of a site that could not be read, so could not be judged (`site.inspection.incomplete`).
public struct UnreadablePart: Sendable, Hashable, Codable {
    /// Why it could not be read; the raw values are the spec's `detail.reason`.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// A bot challenge / WAF page (200, a script that sets a cookie and reloads).
        case challenge
        /// A list filled by JavaScript from a data source that was not found.
        case javascript
        /// robots.txt forbids the crawl.
        case robots
        /// The crawl's page limit cut it.
        case pageLimit = "page-limit"
        /// The host kept answering 429 / 503.
        case rateLimited = "rate-limited"
        /// It did not answer in time.
        case timeout
        /// It failed otherwise (an error status other than 429/503, a refused connection, a
        /// DNS failure): added to the spec's reasons for a homepage that did not load.
        case unreachable
        /// The items of a list show no dates and their article pages could not be read for
        /// theirs: added to the spec's reasons, so that an unread date is not taken for an
        /// old one (an undated homepage would be a stale-homepage veto).
        case undated
    }

    /// What could not be read: it decides which checks say nothing about it.
    public enum Scope: String, Sendable, Hashable, Codable, CaseIterable {
        /// The homepage: no stale-homepage, identity, search or channel finding.
        case homepage
        /// A column's list page: the column is neither stale nor blank, and counts toward no veto.
        case column
        /// Links of one host (answering 429/503): not reported as broken.
        case links
        /// The crawl as a whole (the page limit): pages beyond it were checked, not read.
        case crawl
        /// The dates of the homepage's items (undated, their articles not read): no
        /// stale-homepage finding; the rest of the homepage was read and is judged.
        case homepageDates = "homepage-dates"
    }

    public var reason: Reason
    /// The page (homepage, column list, …) that could not be read; for `links`, the root URL
    /// of the host (stable from run to run); for `crawl`, the homepage.
    public var url: String
    /// The checks that were skipped because of it.
    public var skippedChecks: [IndicatorID]
    public var scope: Scope
    /// The HTTP status the page answered with (429, 503 …), when it answered.
    public var status: Int?
    /// The column's name, for a column.
    public var name: String?
    /// How many pages or links it concerns (links of a host answering 429/503, pages not read
    /// because of the page limit); nil for one page.
    public var count: Int?

    public init(
        reason: Reason, url: String, skippedChecks: [IndicatorID] = [], scope: Scope = .homepage, status: Int? = nil,
        name: String? = nil, count: Int? = nil
    ) {
        self.reason = reason
        self.url = url
        self.skippedChecks = skippedChecks
        self.scope = scope
        self.status = status
        self.name = name
        self.count = count
    }

    /// The checks a homepage that was not read cannot judge.
    public static let homepageChecks: [IndicatorID] = [
        .siteHomepageStale, .siteIdentityMissing, .siteSearchMissing, .siteInteractionNoChannel,
    ]
    /// The checks a column list page that was not read cannot judge (a consultation column's
    /// adds `site.interaction.no-channel`).
    public static let columnChecks: [IndicatorID] = [
        .siteColumnStale, .siteColumnBlank, .siteColumnsStaleVeto, .siteColumnsUnupdatedVeto, .siteColumnsBlankVeto,
    ]
}

/// The footer identity of a page (国办发〔2017〕47号): what `site.identity.missing` checks
/// and what `govwatch extract` prints as `identity`.
public struct FooterIdentity: Sendable, Hashable, Codable {
    /// 网站标识码: 10 digits, or `bm` + 8 digits for central departments.
    public var siteCode: String?
    /// ICP备案号, e.g. `冀ICP备13016076号-2`.
    public var icp: String?
    /// 公安机关备案号, e.g. `冀公网安备 13010402001602号`.
    public var police: String?
    /// 主办单位.
    public var sponsor: String?
    /// Whether the 党政机关网站标识 (the red badge from conac.cn) is present.
    public var partyGovBadge: Bool

    public init(siteCode: String? = nil, icp: String? = nil, police: String? = nil, sponsor: String? = nil, partyGovBadge: Bool = false) {
        self.siteCode = siteCode
        self.icp = icp
        self.police = police
        self.sponsor = sponsor
        self.partyGovBadge = partyGovBadge
    }

    enum CodingKeys: String, CodingKey {
        case siteCode, icp, police, sponsor, partyGovBadge
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        siteCode = try container.decodeIfPresent(String.self, forKey: .siteCode)
        icp = try container.decodeIfPresent(String.self, forKey: .icp)
        police = try container.decodeIfPresent(String.self, forKey: .police)
        sponsor = try container.decodeIfPresent(String.self, forKey: .sponsor)
        partyGovBadge = try container.decodeIfPresent(Bool.self, forKey: .partyGovBadge) ?? false
    }

    /// Absent values are written as `null` (the spec: "never guessed", and never omitted).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(siteCode, forKey: .siteCode)
        try container.encode(icp, forKey: .icp)
        try container.encode(police, forKey: .police)
        try container.encode(sponsor, forKey: .sponsor)
        try container.encode(partyGovBadge, forKey: .partyGovBadge)
    }
}

/// A dated (or undated) item of a list: a column page, a homepage block.
public struct DatedItem: Sendable, Hashable, Codable {
    public var title: String
    public var url: String
    /// Nil when the item shows no publish date (counts as not updated).
    public var date: CalendarDate?

    public init(title: String, url: String, date: CalendarDate?) {
        self.title = title
        self.url = url
        self.date = date
    }
}

public struct HomepageEvidence: Sendable {
    /// The registered homepage URL.
    public var url: String
    /// Where it ended after redirects.
    public var finalURL: String
    public var loaded: Bool
    /// HTTP status of the homepage (after redirects), nil on a transport error.
    public var status: Int?
    public var identity: FooterIdentity
    /// Dated items on the homepage.
    public var items: [DatedItem]
    /// For a homepage that is only a navigation entry: the newest date among second-level pages.
    public var newestSecondLevelDate: CalendarDate?
    /// A working site search (a search form or link whose target loads).
    public var searchWorks: Bool
    /// The homepage answered over HTTPS, or its http:// URL redirected to https://.
    public var https: Bool

    public init(
        url: String, finalURL: String, loaded: Bool, status: Int?, identity: FooterIdentity, items: [DatedItem],
        newestSecondLevelDate: CalendarDate? = nil, searchWorks: Bool, https: Bool
    ) {
        self.url = url
        self.finalURL = finalURL
        self.loaded = loaded
        self.status = status
        self.identity = identity
        self.items = items
        self.newestSecondLevelDate = newestSecondLevelDate
        self.searchWorks = searchWorks
        self.https = https
    }
}

public struct ColumnEvidence: Sendable {
    public var column: ColumnRecord
    /// Imported (authoritative) or discovered by the crawler and not yet confirmed.
    public var discovered: Bool
    /// The list page loaded.
    public var loaded: Bool
    /// The items of the list, following paging and "更多" where needed, newest first.
    public var items: [DatedItem]
    /// The page says it has nothing ("暂无信息", "暂无数据", …) or shows only placeholders.
    public var placeholderOnly: Bool

    public init(column: ColumnRecord, discovered: Bool = false, loaded: Bool, items: [DatedItem], placeholderOnly: Bool = false) {
        self.column = column
        self.discovered = discovered
        self.loaded = loaded
        self.items = items
        self.placeholderOnly = placeholderOnly
    }

    /// The newest dated item; nil when none is dated.
    public var lastUpdated: CalendarDate? { items.compactMap(\.date).max() }
}

public struct LinkEvidence: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case page, image, attachment, script, style, frame
    }

    public var url: String
    public var kind: Kind
    /// Outside the site's own host(s).
    public var external: Bool
    /// Final HTTP status, nil on a transport failure.
    public var status: Int?
    /// Why it failed, in Chinese: 超时, 域名解析失败, 连接被拒绝, 重定向循环 …; nil when it loaded.
    public var error: String?
    /// Pages that link to it (first few, sorted). The crawler lists them for broken links
    /// only, the ones a finding names (a site's working links would otherwise hold every
    /// page's URL again).
    public var referrers: [String]
    public var onHomepage: Bool
    /// How many pages link to it in all, when more than `referrers` lists; nil means
    /// `referrers` is complete.
    public var referrerCount: Int?

    public init(
        url: String, kind: Kind, external: Bool, status: Int?, error: String?, referrers: [String], onHomepage: Bool,
        referrerCount: Int? = nil
    ) {
        self.url = url
        self.kind = kind
        self.external = external
        self.status = status
        self.error = error
        self.referrers = referrers
        self.onHomepage = onHomepage
        self.referrerCount = referrerCount
    }

    /// 4xx/5xx, timeout, DNS or connection failure, redirect loop — but not a server that
    /// only asks to be asked later (`isRateLimited`).
    public var isBroken: Bool { !isRateLimited && (error != nil || (status ?? 0) >= 400) }

    /// The server kept answering 429 Too Many Requests or 503 Service Unavailable (the crawler
    /// retried, honouring Retry-After): the link's target was not judged, it is not broken.
    public var isRateLimited: Bool { status == 429 || status == 503 }
}

/// The text of one crawled page, attachment or post, for the content scanners.
public struct DocumentEvidence: Sendable, Hashable {
    /// The page URL, or the attachment URL (with `#Sheet1`/`#page 2` where it helps).
    public var url: String
    public var title: String?
    public var text: String
    /// The column the page belongs to (e.g. 领导信箱, 公告公示), when known: the notice
    /// groups personal information by column type.
    public var columnCategory: ColumnCategory?
    public var isAttachment: Bool
    /// Where the personal information was when `text` was stored masked; nil for a text in
    /// clear (the scanner then finds it itself).
    public var personalInformation: [PersonalInfoMark]?

    public init(
        url: String, title: String? = nil, text: String, columnCategory: ColumnCategory? = nil, isAttachment: Bool = false,
        personalInformation: [PersonalInfoMark]? = nil
    ) {
        self.personalInformation = personalInformation
        self.url = url
        self.title = title
        self.text = text
        self.columnCategory = columnCategory
        self.isAttachment = isAttachment
    }
}

public struct HiddenLinkEvidence: Sendable, Hashable {
    public var page: String
    public var link: String
    public var text: String
    /// How it is hidden, as the extractor saw it: `display:none`, `visibility:hidden`,
    /// `zero-size`, `off-screen`; nil when not recorded.
    public var hiding: String?

    public init(page: String, link: String, text: String, hiding: String? = nil) {
        self.page = page
        self.link = link
        self.text = text
        self.hiding = hiding
    }
}

/// A message of a consultation column (领导信箱, 咨询留言).
public struct ConsultationMessage: Sendable, Hashable {
    public var url: String
    public var title: String
    public var askedOn: CalendarDate
    /// Nil while unanswered.
    public var answeredOn: CalendarDate?
    /// As shown: 已回复, 办理中, 已受理 …
    public var status: String?
    /// The list page of the consultation column the message was listed in (the column's
    /// `ColumnRecord.url`), so slow replies are reported per channel; nil when unknown.
    public var columnURL: String?

    public init(
        url: String, title: String, askedOn: CalendarDate, answeredOn: CalendarDate?, status: String? = nil,
        columnURL: String? = nil
    ) {
        self.url = url
        self.title = title
        self.askedOn = askedOn
        self.answeredOn = answeredOn
        self.status = status
        self.columnURL = columnURL
    }
}
