import Foundation
import GovWatchCore

/// The quarterly notice (通报) as data: every figure and name the four writers print,
/// computed from the runs and tickets of a period by `NoticeBuilder`.
///
/// Writers only arrange this; nothing here depends on a format.
public struct Notice: Sendable, Codable {
    public var period: ReportPeriod
    /// The full title: `鸿溪市人民政府办公室关于2022年第一季度全市政府网站和政府系统政务新媒体检查情况的通报`.
    public var title: String
    /// 发文字号, when the office gave one.
    public var documentNumber: String?
    /// 主送: `各县（区）人民政府，市政府各部门，各有关单位：`.
    public var recipients: String
    /// 发文机关 (the signature).
    public var office: String
    /// How the body refers to the office: `市政府办公室`.
    public var officeShort: String
    /// 成文日期.
    public var date: CalendarDate
    /// The date as the signature prints it.
    public var dateText: String
    /// The opening paragraphs (from the template).
    public var opening: [String]
    /// 一、总体情况.
    public var overview: Overview
    /// The previous period of the same length; nil when nothing was inspected then.
    public var previous: Overview?
    /// 上季度 / 上月 / 上一统计期.
    public var previousName: String
    /// 二、工作成效 (from the template).
    public var achievements: [TemplateItem]
    /// 三、主要问题.
    public var problems: Problems
    /// The rectification backlog at the period's end.
    public var backlog: Backlog
    /// The backlog at the previous period's end; nil when there were no tickets then.
    public var previousBacklog: Backlog?
    /// 四、下一步工作要求 (from the template).
    public var requirements: [TemplateItem]
    /// 附件1 and how it was chosen.
    public var commended: [CommendedUnit]
    public var commendationRule: String
    /// 附件2 and who it lists.
    public var problemSites: [ProblemTarget]
    public var problemSitesRule: String
    /// 附件3 and who it lists.
    public var problemAccounts: [ProblemTarget]
    public var problemAccountsRule: String
    /// 附注 (contact), when set.
    public var contact: String?
    /// The runs whose results the notice uses, oldest first.
    public var runs: [String]

    /// Whether anything was inspected in the period.
    public var isEmpty: Bool { overview.sites.inspected == 0 && overview.accounts.inspected == 0 }

    /// The attachments' titles, in order.
    public static let attachmentTitles = ["工作成效明显的单位", "存在突出问题的政府网站名单", "存在突出问题的政务新媒体名单"]
}

/// Inspected and passed, with the pass rate kept exact and printed as a whole percent.
public struct Tally: Sendable, Codable, Equatable {
    public var inspected: Int
    public var passed: Int

    public init(inspected: Int = 0, passed: Int = 0) {
        self.inspected = inspected
        self.passed = passed
    }

    public var failed: Int { inspected - passed }
    /// The exact pass rate (0…1); nil when nothing was inspected.
    public var rate: Double? { inspected == 0 ? nil : Double(passed) / Double(inspected) }
    /// `96%` (see `Formatting.percent`); `—` when nothing was inspected.
    public var percent: String { Formatting.percent(passed: passed, of: inspected) }

    mutating func add(passed: Bool) {
        inspected += 1
        if passed { self.passed += 1 }
    }
}

/// A tally under a name: a kind of site (市级部门网站) or a platform (微信).
public struct NamedTally: Sendable, Codable, Equatable {
    public var name: String
    public var tally: Tally

    public init(name: String, tally: Tally) {
        self.name = name
        self.tally = tally
    }
}

/// How the notice sorts government websites (see `SiteCategory.classify`).
public enum SiteCategory: String, Sendable, Codable, CaseIterable {
    case cityPortal, cityDepartment, countyPortal, countyDepartment

    public var chineseName: String {
        switch self {
        case .cityPortal: "市级门户网站"
        case .cityDepartment: "市级部门网站"
        case .countyPortal: "县（区）门户网站"
        case .countyDepartment: "县（区）部门网站"
        }
    }

    /// Classifies a registered site.
    ///
    /// The registry knows a site's kind (门户/部门) and its unit with the unit's parent. A site
    /// is county-level when its unit or the unit's parent is a county-level body: the name
    /// contains 县 (县, 自治县), or 区/旗 directly followed by 人民政府, 政府, 委员会, 委 or
    /// 管委会 (澜江区人民政府办公室, 高新区管委会). Otherwise it is city-level. A county-level
    /// city (县级市) is not recognisable by name; register its portal's unit under a parent
    /// whose name says 县 or 区, or accept it among the city's sites.
    public static func classify(kind: SiteKind, unit: String, parent: String?) -> SiteCategory {
        let county = isCountyLevel(unit) || (parent.map(isCountyLevel) ?? false)
        switch kind {
        case .portal: return county ? .countyPortal : .cityPortal
        case .department: return county ? .countyDepartment : .cityDepartment
        }
    }

    /// Whether a unit's name names a county-level body (see `classify`).
    public static func isCountyLevel(_ name: String) -> Bool {
        if name.contains("县") { return true }
        return name.range(of: "[区旗](人民政府|政府|委员会|管委会|管理委员会|委)", options: .regularExpression) != nil
    }
}

/// 一、总体情况: what was inspected and what passed.
public struct Overview: Sendable, Codable, Equatable {
    public var sites = Tally()
    /// By `SiteCategory`, in its order, categories with no site left out.
    public var sitesByCategory: [NamedTally] = []
    public var accounts = Tally()
    /// By platform (微信, 微博, 抖音, 今日头条, 快手, 移动客户端, 其他), platforms with no account left out.
    public var accountsByPlatform: [NamedTally] = []
    /// Problems counted (veto and deduction findings of counted types).
    public var problemCount = 0
    /// Problems by type, sites' types first, then accounts', in the catalogue's order.
    public var problemsByType: [TypeCount] = []
    /// Sites and accounts with at least one veto.
    public var vetoedSites = 0
    public var vetoedAccounts = 0
    /// Sites whose homepage could not be read (未能完成检查), for a person to look at.
    public var incompleteSites = 0
    /// Portals given bonus points (加分), by site code.
    public var bonusSites: [BonusScore] = []

    public init() {}
}

/// A portal's bonus (加分): base score, bonus, total.
public struct BonusScore: Sendable, Codable, Equatable {
    public var name: String
    public var code: String
    public var score: Double
    public var bonus: Double
    public var total: Double

    public init(name: String, code: String, score: Double, bonus: Double, total: Double) {
        self.name = name
        self.code = code
        self.score = score
        self.bonus = bonus
        self.total = total
    }
}

/// A count of one problem type.
public struct TypeCount: Sendable, Codable, Equatable {
    public var name: String
    public var indicator: IndicatorID
    /// Findings.
    public var count: Int
    /// Sites or accounts (or units) concerned.
    public var targets: Int
    public var measure: String
}

/// A name with a count and, where useful, what is counted: `鸿溪市发展和改革委员会网站（6个：工作动态、…）`.
public struct NamedCount: Sendable, Codable, Equatable {
    public var name: String
    public var unit: String
    public var count: Int
    public var items: [String]
    /// A qualifier printed after the name: the platform of an account (微信).
    public var note: String?

    public init(name: String, unit: String, count: Int, items: [String] = [], note: String? = nil) {
        self.name = name
        self.unit = unit
        self.count = count
        self.items = items
        self.note = note
    }
}

/// 三、主要问题, grouped by type.
public struct Problems: Sendable, Codable, Equatable {
    /// 栏目不更新: per site, the columns.
    public var staleColumns: [NamedCount] = []
    /// Sites whose stale columns reach a veto (site.columns.stale-veto or unupdated-veto).
    public var staleColumnVetoSites: [String] = []
    /// 空白栏目: per site, the columns.
    public var blankColumns: [NamedCount] = []
    /// Sites whose blank columns reach the veto (site.columns.blank-veto).
    public var blankColumnVetoSites: [String] = []
    /// 错链断链: per site, the broken link count; `brokenOnHomepage` of them on homepages.
    public var brokenLinks: [NamedCount] = []
    public var brokenOnHomepage = 0
    /// 严重表述错误 on sites and in posts, one entry per target and wrong term.
    public var severeErrors: [SevereError] = []
    /// 泄露个人信息: by column type (领导信箱, 公告公示 …) and by kind, and per target.
    public var privacyByColumnType: [NamedCount] = []
    public var privacyByKind: [NamedCount] = []
    /// Sites with personal information exposed, then accounts (`note` is the platform).
    public var privacyTargets: [NamedCount] = []
    /// Accounts' exposures by kind.
    public var accountPrivacyByKind: [NamedCount] = []
    /// 同一平台重复开设账号: per unit and platform, the accounts.
    public var duplicateAccounts: [NamedCount] = []
    /// 账号更新不及时 (account.stale): per account, the days since the last post in `items`.
    public var staleAccounts: [NamedCount] = []
    /// 僵尸账号 (account.zombie).
    public var zombieAccounts: [NamedCount] = []
    /// The periods `account.stale` and `account.zombie` were judged by (the indicator set's
    /// `days`), as the findings record them.
    public var staleAccountDays = 14
    public var zombieAccountDays = 90
    /// 停用注销未备案: per account, what is wrong in `items`.
    public var closuresUnfiled: [NamedCount] = []
    /// Every other problem type found on sites, then on accounts, then of units, with the
    /// targets concerned.
    public var otherSiteProblems: [OtherProblem] = []
    public var otherAccountProblems: [OtherProblem] = []
    public var otherUnitProblems: [OtherProblem] = []

    public init() {}

    /// Site severe errors and account severe errors.
    public var siteSevereErrors: [SevereError] { severeErrors.filter(\.onSite) }
    public var accountSevereErrors: [SevereError] { severeErrors.filter { !$0.onSite } }

    /// Total stale columns.
    public var staleColumnCount: Int { staleColumns.reduce(0) { $0 + $1.count } }
    public var blankColumnCount: Int { blankColumns.reduce(0) { $0 + $1.count } }
    public var brokenLinkCount: Int { brokenLinks.reduce(0) { $0 + $1.count } }
    public var sitePrivacyTargets: [NamedCount] { privacyTargets.filter { $0.note == nil } }
    public var accountPrivacyTargets: [NamedCount] { privacyTargets.filter { $0.note != nil } }
}

/// One severe expression error of one site or account.
public struct SevereError: Sendable, Codable, Equatable {
    public var target: String
    public var unit: String
    public var onSite: Bool
    public var wrong: String
    public var correct: String
    /// Occurrences across the site (or posts of the account).
    public var count: Int
    /// Pages (or posts) where it occurs.
    public var pages: Int
    /// The same error more than once: the notice names the unit.
    public var repeated: Bool { count > 1 || pages > 1 }
}

/// A problem type the notice mentions in passing, with who has it.
public struct OtherProblem: Sendable, Codable, Equatable {
    public var name: String
    public var indicator: IndicatorID
    public var level: Level
    public var targets: [String]
    public var count: Int
}

/// The rectification backlog (整改) at a moment.
public struct Backlog: Sendable, Codable, Equatable {
    /// The day it was counted at (the period's last day).
    public var asOf: CalendarDate
    /// Every ticket that existed then.
    public var total = 0
    /// 待整改.
    public var open = 0
    /// 已反馈, awaiting verification.
    public var feedback = 0
    /// Open past the deadline.
    public var overdue = 0
    /// Times problems reported fixed (or closed) were found again, over every ticket.
    public var reopened = 0
    /// 已销号.
    public var closed = 0
    /// 已忽略.
    public var dismissed = 0
    /// Units with unresolved tickets (未清零), largest backlog first (`UnitBacklog.compute`).
    public var units: [UnitBacklog] = []
    /// Units with tickets, all closed or dismissed (已清零).
    public var clearedUnits: [String] = []

    public init(asOf: CalendarDate) {
        self.asOf = asOf
    }

    /// Open or awaiting verification.
    public var unresolved: Int { open + feedback }
}

/// A row of 附件1.
public struct CommendedUnit: Sendable, Codable, Equatable {
    public var unit: String
    /// Its sites, by name.
    public var sites: [String]
    /// Its accounts, as `name（platform）`.
    public var accounts: [String]
    public var lowestScore: Double

    public init(unit: String, sites: [String], accounts: [String], lowestScore: Double) {
        self.unit = unit
        self.sites = sites
        self.accounts = accounts
        self.lowestScore = lowestScore
    }
}

/// A row of 附件2 or 附件3.
public struct ProblemTarget: Sendable, Codable, Equatable {
    /// Site name or account name.
    public var name: String
    /// 网站标识码 or account id.
    public var code: String
    /// Site category (市级部门网站) or platform (微信).
    public var kind: String
    public var unit: String
    /// The base score.
    public var score: Double
    /// 加分 (portals only); 0 when none.
    public var bonus: Double = 0
    public var passed: Bool
    /// The homepage could not be read: not a full judgement (未能完成检查).
    public var incomplete: Bool = false
    /// The veto problems, by name.
    public var vetoes: [String]
    /// The problems, `栏目不更新6个；错链2个`.
    public var problems: String
}
