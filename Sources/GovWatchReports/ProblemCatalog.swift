import GovWatchCore

/// How the notice names each indicator's problems, and how it counts them.
///
/// The notice speaks of problem types (栏目不更新, 错链, 严重表述错误 …), not of indicator
/// ids; the column vetoes are the consequence of the columns counted under 栏目不更新 and
/// 空白栏目, so they are named but not counted as extra problems.
public struct ProblemType: Sendable, Hashable, Codable {
    /// The indicator.
    public var indicator: IndicatorID
    /// The name in the notice: 栏目不更新.
    public var name: String
    /// The measure word for a count of these problems: 个 (columns, links), 处 (errors).
    public var measure: String
    /// Whether the findings count as problems in totals and charts (false for aggregate vetoes
    /// and notices that only restate other findings).
    public var counted: Bool

    public init(indicator: IndicatorID, name: String, measure: String, counted: Bool = true) {
        self.indicator = indicator
        self.name = name
        self.measure = measure
        self.counted = counted
    }
}

/// The problem types of `indicators.md`, in the order the notice discusses them.
public enum ProblemCatalog {
    public static let types: [ProblemType] = [
        ProblemType(indicator: .siteUnreachable, name: "网站无法访问", measure: "个"),
        ProblemType(indicator: .siteHomepageStale, name: "首页长期不更新", measure: "个"),
        ProblemType(indicator: .siteColumnStale, name: "栏目不更新", measure: "个"),
        ProblemType(indicator: .siteColumnsStaleVeto, name: "栏目不更新达到单项否决", measure: "个", counted: false),
        ProblemType(indicator: .siteColumnsUnupdatedVeto, name: "应更新未更新栏目达到单项否决", measure: "个", counted: false),
        ProblemType(indicator: .siteColumnBlank, name: "空白栏目", measure: "个"),
        ProblemType(indicator: .siteColumnsBlankVeto, name: "空白栏目达到单项否决", measure: "个", counted: false),
        ProblemType(indicator: .siteInteractionNoChannel, name: "无在线咨询渠道", measure: "个"),
        ProblemType(indicator: .siteInteractionUnanswered, name: "留言超期未答复", measure: "个"),
        ProblemType(indicator: .siteInteractionSlowReply, name: "留言答复不及时", measure: "个"),
        ProblemType(indicator: .siteContentSevereError, name: "严重表述错误", measure: "处"),
        ProblemType(indicator: .siteContentSensitive, name: "敏感词", measure: "处"),
        ProblemType(indicator: .siteContentPrivacy, name: "泄露个人信息", measure: "处"),
        ProblemType(indicator: .siteLinksBroken, name: "错链断链", measure: "个"),
        ProblemType(indicator: .siteIdentityMissing, name: "网站标识不规范", measure: "个"),
        ProblemType(indicator: .siteDomainNoncompliant, name: "域名不规范", measure: "个"),
        ProblemType(indicator: .siteSearchMissing, name: "站内搜索不可用", measure: "个"),
        ProblemType(indicator: .siteHTTPSMissing, name: "未启用HTTPS", measure: "个"),
        ProblemType(indicator: .siteDarkLink, name: "暗链", measure: "个"),
        ProblemType(indicator: .siteInspectionIncomplete, name: "未能完成检查（需人工核查）", measure: "处", counted: false),
        ProblemType(indicator: .accountStale, name: "账号更新不及时", measure: "个"),
        ProblemType(indicator: .accountZombie, name: "僵尸账号", measure: "个"),
        ProblemType(indicator: .accountDuplicate, name: "同一平台重复开设账号", measure: "个"),
        ProblemType(indicator: .accountContentSevereError, name: "新媒体严重表述错误", measure: "处"),
        ProblemType(indicator: .accountContentPrivacy, name: "新媒体泄露个人信息", measure: "处"),
        ProblemType(indicator: .accountInteractionMissing, name: "互动功能缺失", measure: "个"),
        ProblemType(indicator: .accountClosureUnfiled, name: "停用注销未备案", measure: "个"),
        ProblemType(indicator: .unitRectificationOverdue, name: "整改逾期", measure: "个", counted: false),
        ProblemType(indicator: .unitRectificationReopened, name: "整改不到位被重新打开", measure: "个", counted: false),
        ProblemType(indicator: .unitStaffUnassigned, name: "责任人缺失或未交接", measure: "个"),
    ]

    private static let byID: [IndicatorID: ProblemType] = Dictionary(uniqueKeysWithValues: types.map { ($0.indicator, $0) })

    /// The type of an indicator; an indicator a province added gets its id as its name.
    public static func type(of indicator: IndicatorID) -> ProblemType {
        byID[indicator] ?? ProblemType(indicator: indicator, name: indicator.rawValue, measure: "个")
    }

    /// The position of an indicator in the notice's order (unknown ones last).
    public static func rank(of indicator: IndicatorID) -> Int {
        types.firstIndex { $0.indicator == indicator } ?? types.count
    }

    /// How the notice names the column category where personal information was found:
    /// 领导信箱（咨询留言）栏目 for consultation columns, 公告公示栏目 for notices …; 附件文档 or
    /// 其他页面 when the column is unknown.
    public static func columnTypeName(_ category: String?, attachment: Bool) -> String {
        switch category {
        case "consultation": "领导信箱（咨询留言）栏目"
        case "notice": "公告公示栏目"
        case "policy": "政策文件栏目"
        case "news": "工作动态栏目"
        case "personnel": "人事信息栏目"
        case "planning": "规划计划栏目"
        case "other": "其他栏目"
        default: attachment ? "附件文档" : "其他页面"
        }
    }

    /// The name of a kind of personal information: 身份证号, 手机号码 …
    public static func privacyKindName(_ kind: String?) -> String {
        switch kind {
        case "id-card": "身份证号"
        case "mobile": "手机号码"
        case "bank-card": "银行卡号"
        case "health": "健康状况"
        default: "其他个人信息"
        }
    }
}
