import Foundation
import GovWatchCore

/// What an office sets once for its notices: who issues them, to whom, the title, the date,
/// the wording template, and the rules for the attachments' lists.
///
/// Every field is optional; `NoticeSettings.resolved(...)` fills the defaults from the data
/// (the office that runs the city portal issues the notice, the title follows the usual
/// pattern). A settings file is JSON with these keys, e.g.
///
/// ```json
/// {"office": "鸿溪市人民政府办公室", "recipients": "各县（区）人民政府，市政府各部门：",
///  "documentNumber": "鸿政办函〔2022〕15号", "date": "2022-04-10",
///  "commendation": {"minimumScore": 90}}
/// ```
public struct NoticeSettings: Sendable, Codable, Equatable {
    /// 发文机关: `鸿溪市人民政府办公室`.
    public var office: String?
    /// How the body refers to the office: `市政府办公室`.
    public var officeShort: String?
    /// The full title; default `{office}关于{period}全市政府网站和政府系统政务新媒体检查情况的通报`.
    public var title: String?
    /// 主送机关, ending with a full-width colon.
    public var recipients: String?
    /// 发文字号, printed under the title when given: `鸿政办函〔2022〕15号`.
    public var documentNumber: String?
    /// 成文日期 (`YYYY-MM-DD`); the caller's today when absent.
    public var date: CalendarDate?
    /// Write the date in Chinese numerals (二〇二二年四月十日) instead of 2022年4月10日.
    public var chineseNumeralDate: Bool?
    /// The wording template file for 开头, 二、工作成效 and 四、下一步工作要求.
    public var template: String?
    /// Who is listed in 附件1 (工作成效明显的单位).
    public var commendation: CommendationRule?
    /// Indicators that put a target in 附件2/附件3 even when it passed (default:
    /// `NoticeSettings.defaultProminentIndicators`).
    public var prominentIndicators: [String]?
    /// 附注 under the signature (联系人、电话), when given.
    public var contact: String?

    public init(
        office: String? = nil, officeShort: String? = nil, title: String? = nil, recipients: String? = nil,
        documentNumber: String? = nil, date: CalendarDate? = nil, chineseNumeralDate: Bool? = nil, template: String? = nil,
        commendation: CommendationRule? = nil, prominentIndicators: [String]? = nil, contact: String? = nil
    ) {
        self.office = office
        self.officeShort = officeShort
        self.title = title
        self.recipients = recipients
        self.documentNumber = documentNumber
        self.date = date
        self.chineseNumeralDate = chineseNumeralDate
        self.template = template
        self.commendation = commendation
        self.prominentIndicators = prominentIndicators
        self.contact = contact
    }

    /// Problems serious enough to name a target in the attachments even if it passed:
    /// personal information, severe errors, dark links, duplicate and unfiled accounts.
    public static let defaultProminentIndicators: [IndicatorID] = [
        .siteContentPrivacy, .siteContentSevereError, .siteDarkLink, .accountContentPrivacy,
        .accountContentSevereError, .accountDuplicate, .accountClosureUnfiled, .accountZombie,
    ]

    /// The default recipients of a city notice.
    public static let defaultRecipients = "各县（区）人民政府，市政府各部门，各有关单位："

    /// A settings file that cannot be used; the message names the file and the field.
    public struct InvalidSettings: Error, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "\(file): 通报设置无效：\(reason)" }
    }

    /// Reads a JSON settings file.
    public static func load(contentsOf url: URL) throws -> NoticeSettings {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InvalidSettings(file: url.path, reason: "无法读取")
        }
        do {
            return try JSONDecoder().decode(NoticeSettings.self, from: data)
        } catch DecodingError.dataCorrupted(let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw InvalidSettings(file: url.path, reason: field.isEmpty ? "不是有效的 JSON" : "字段“\(field)”的值无效")
        } catch DecodingError.typeMismatch(_, let context) {
            throw InvalidSettings(
                file: url.path, reason: "字段“\(context.codingPath.map(\.stringValue).joined(separator: "."))”的类型不对")
        } catch {
            throw InvalidSettings(file: url.path, reason: "格式错误（\(error)）")
        }
    }

    /// These settings with `other`'s fields laid over them where `other` has a value
    /// (command-line options over a settings file).
    public func overridden(by other: NoticeSettings) -> NoticeSettings {
        NoticeSettings(
            office: other.office ?? office, officeShort: other.officeShort ?? officeShort, title: other.title ?? title,
            recipients: other.recipients ?? recipients, documentNumber: other.documentNumber ?? documentNumber,
            date: other.date ?? date, chineseNumeralDate: other.chineseNumeralDate ?? chineseNumeralDate,
            template: other.template ?? template, commendation: other.commendation ?? commendation,
            prominentIndicators: other.prominentIndicators ?? prominentIndicators, contact: other.contact ?? contact)
    }
}

/// Who 附件1 lists as 工作成效明显的单位.
///
/// Default: every site and account of the unit inspected in the period passed, none of them
/// (nor the unit itself, e.g. duplicate accounts) has a veto or deduction finding in its latest
/// result, and no veto or deduction ticket of the unit is open or awaiting verification at the
/// period's end; notice-level items (HTTPS, site search) do not count. The issuing office is
/// never listed. `requireNoFindings: false` lets units with deductions in, `minimumScore`
/// asks every target to score at least that, `requireNoOpenTickets: false` ignores tickets.
public struct CommendationRule: Sendable, Codable, Equatable {
    public var minimumScore: Double?
    public var requireNoOpenTickets: Bool?
    public var requireNoFindings: Bool?

    public init(minimumScore: Double? = nil, requireNoOpenTickets: Bool? = nil, requireNoFindings: Bool? = nil) {
        self.minimumScore = minimumScore
        self.requireNoOpenTickets = requireNoOpenTickets
        self.requireNoFindings = requireNoFindings
    }

    /// How the rule reads in the notice (the note under 附件1's title).
    public var description: String {
        var parts = ["所属政府网站和政务新媒体检查全部合格"]
        if let minimumScore { parts.append("得分均不低于\(Formatting.score(minimumScore))分") }
        if requireNoFindings ?? true { parts.append("未发现扣分问题") }
        if requireNoOpenTickets ?? true { parts.append("统计期末无未完成整改的扣分或否决问题") }
        return parts.joined(separator: "、")
    }
}

/// Numbers as the notice prints them.
public enum Formatting {
    /// A period of an indicator as a notice says it: `2周` (14 days), `3个月` (90), `6个月`
    /// (183), `1年` (365), otherwise `20天`.
    public static func period(days: Int) -> String {
        switch days {
        case 7, 14, 21, 28: "\(days / 7)周"
        case 30, 60, 90, 120, 150, 180: "\(days / 30)个月"
        case 183: "6个月"
        case 365, 366: "1年"
        default: "\(days)天"
        }
    }

    /// A score: `87.5`, `90`.
    public static func score(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A pass rate as a whole percent, the way notices print it (`96%`), without claiming
    /// 100% while a target failed or 0% while one passed.
    public static func percent(passed: Int, of total: Int) -> String {
        guard total > 0 else { return "—" }
        var value = Int((Double(passed) * 100 / Double(total)).rounded())
        if value == 100 && passed < total { value = 99 }
        if value == 0 && passed > 0 { value = 1 }
        return "\(value)%"
    }

    /// A change of a rate in percentage points: 上升5个百分点, 下降2个百分点, 持平.
    public static func pointsChange(_ delta: Double) -> String {
        let points = Int(delta.rounded())
        if points == 0 { return abs(delta) < 0.005 ? "持平" : (delta > 0 ? "略有上升" : "略有下降") }
        return points > 0 ? "上升\(points)个百分点" : "下降\(-points)个百分点"
    }

    /// A change of a count: 增加3个, 减少2个, 持平.
    public static func countChange(_ delta: Int, measure: String = "个") -> String {
        delta == 0 ? "持平" : delta > 0 ? "增加\(delta)\(measure)" : "减少\(-delta)\(measure)"
    }
}
