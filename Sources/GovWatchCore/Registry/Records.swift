import Foundation

/// A government website as registered (`import sites`), keyed by its 网站标识码.
public struct SiteRecord: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var url: String
    public var kind: SiteKind
    /// The unit (主办单位) that runs the site.
    public var unit: String
    /// The unit's parent, e.g. the county (区县) of a county department.
    public var parent: String?
    public var icp: String?
    public var police: String?
    /// Other domains registered for the site besides its homepage URL's host (ASCII form,
    /// `xn--` for Chinese ones): the several-domains rule of `site.domain.noncompliant`
    /// checks whether each serves the site. (An added column, `aliases` / 其他域名.)
    public var aliases: [String]

    public init(
        code: String, name: String, url: String, kind: SiteKind, unit: String,
        parent: String? = nil, icp: String? = nil, police: String? = nil, aliases: [String] = []
    ) {
        self.code = code
        self.name = name
        self.url = url
        self.kind = kind
        self.unit = unit
        self.parent = parent
        self.icp = icp
        self.police = police
        self.aliases = aliases
    }
}

/// A column (栏目) to watch, keyed by its site and list-page URL.
public struct ColumnRecord: Hashable, Sendable, Codable {
    public var site: String
    public var name: String
    public var url: String
    public var category: ColumnCategory
    /// Overrides the category's default update period.
    public var periodDays: Int?
    public var topLevel: Bool

    public init(site: String, name: String, url: String, category: ColumnCategory, periodDays: Int? = nil, topLevel: Bool = true) {
        self.site = site
        self.name = name
        self.url = url
        self.category = category
        self.periodDays = periodDays
        self.topLevel = topLevel
    }
}

/// A new-media account or mobile app, keyed by platform and account id.
public struct AccountRecord: Hashable, Sendable, Codable {
    public var platform: Platform
    public var id: String
    public var name: String
    public var unit: String
    public var main: Bool
    public var status: AccountStatus
    /// RSS 2.0 / Atom / JSON Feed URL with the account's posts.
    public var feed: String?
    /// The day the stop or closure was filed (备案) with the supervising office.
    public var closureFiled: CalendarDate?
    public var downloadURL: String?
    /// Whether the inspector found an effective interaction function; nil when not recorded.
    /// (An added column, `interaction` / 互动功能, beyond the spec's list.)
    public var interaction: Bool?
    /// The day the account or app was stopped or closed: the filing deadline of
    /// `account.closure.unfiled` runs from it. (An added column, `closed_on` / 停用注销日期.)
    public var closedOn: CalendarDate?

    public init(
        platform: Platform, id: String, name: String, unit: String, main: Bool = false,
        status: AccountStatus = .active, feed: String? = nil, closureFiled: CalendarDate? = nil,
        downloadURL: String? = nil, interaction: Bool? = nil, closedOn: CalendarDate? = nil
    ) {
        self.platform = platform
        self.id = id
        self.name = name
        self.unit = unit
        self.main = main
        self.status = status
        self.feed = feed
        self.closureFiled = closureFiled
        self.downloadURL = downloadURL
        self.interaction = interaction
        self.closedOn = closedOn
    }
}

/// A post of an account, from a platform export or a feed.
public struct PostRecord: Hashable, Sendable, Codable {
    public var platform: Platform
    public var account: String
    public var published: Date
    public var title: String
    public var url: String?
    public var text: String
    /// A feed's id for the post when it has no URL (not part of the import file).
    public var guid: String?
    /// Where the personal information of `scannedText` was, once the post is stored masked
    /// (`masked()`); nil for a post as read from a feed or a file.
    public var personalInformation: [PersonalInfoMark]?

    public init(
        platform: Platform, account: String, published: Date, title: String, url: String? = nil, text: String = "",
        guid: String? = nil, personalInformation: [PersonalInfoMark]? = nil
    ) {
        self.personalInformation = personalInformation
        self.platform = platform
        self.account = account
        self.published = published
        self.title = title
        self.url = url
        self.text = text
        self.guid = guid
    }

    /// What identifies the post within its account: its URL, else its feed id, else its
    /// time and title.
    public var key: String {
        if let url, !url.isEmpty { return url }
        if let guid, !guid.isEmpty { return "guid:" + guid }
        return ChinaTime.iso8601(published) + "|" + title
    }
}

/// A responsible person of a unit, with the handover when they left.
public struct PersonRecord: Hashable, Sendable, Codable {
    public var unit: String
    public var name: String
    public var role: String
    public var phone: String?
    public var since: CalendarDate?
    public var until: CalendarDate?
    /// Who took over when the person left (交接人).
    public var handoverTo: String?

    public init(
        unit: String, name: String, role: String = "", phone: String? = nil, since: CalendarDate? = nil,
        until: CalendarDate? = nil, handoverTo: String? = nil
    ) {
        self.unit = unit
        self.name = name
        self.role = role
        self.phone = phone
        self.since = since
        self.until = until
        self.handoverTo = handoverTo
    }
}

/// A record with the line of the import file it came from, for error messages.
public struct Located<Record: Sendable>: Sendable {
    public var line: Int
    public var record: Record
    public init(line: Int, record: Record) {
        self.line = line
        self.record = record
    }
}
