import Foundation

/// Enumerations of the registry with their spec codes and the Chinese words used in
/// import files (`interfaces.md`): every enum accepts either when parsing.
public protocol RegistryVocabulary: RawRepresentable, CaseIterable, Sendable, Hashable, Codable
where RawValue == String {
    /// The Chinese name a civil servant reads and may type in an import file.
    var chineseName: String { get }
    /// Other Chinese spellings accepted on import.
    var chineseAliases: [String] { get }
}

extension RegistryVocabulary {
    public var chineseAliases: [String] { [] }

    /// Parses the English code or a Chinese name, ignoring case and surrounding spaces.
    public init?(importValue: String) {
        let value = importValue.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = value.lowercased()
        guard
            let match = Self.allCases.first(where: {
                $0.rawValue == lower || $0.chineseName == value || $0.chineseAliases.contains(value)
            })
        else { return nil }
        self = match
    }

    /// "`portal` / 政府门户网站, `department` / 部门网站": for error messages.
    public static var acceptedValues: String {
        allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、")
    }
}

/// 网站类型.
public enum SiteKind: String, RegistryVocabulary {
    case portal, department
    public var chineseName: String {
        switch self {
        case .portal: "政府门户网站"
        case .department: "部门网站"
        }
    }
    public var chineseAliases: [String] {
        switch self {
        case .portal: ["门户网站", "门户"]
        case .department: ["部门"]
        }
    }
}

/// 栏目类型, which sets the default update period of `site.column.stale`.
public enum ColumnCategory: String, RegistryVocabulary {
    case news, notice, policy, personnel, planning, consultation, other
    public var chineseName: String {
        switch self {
        case .news: "动态要闻"
        case .notice: "通知公告"
        case .policy: "政策文件"
        case .personnel: "人事信息"
        case .planning: "规划计划"
        case .consultation: "咨询留言"
        case .other: "其他"
        }
    }
    public var chineseAliases: [String] {
        switch self {
        case .news: ["动态", "要闻", "工作动态", "政务动态"]
        case .notice: ["通知", "公告", "公示", "通知公示"]
        case .policy: ["政策", "文件", "政策法规"]
        case .personnel: ["人事", "人事任免"]
        case .planning: ["规划", "计划"]
        case .consultation: ["互动", "咨询", "留言", "领导信箱", "咨询留言（互动）"]
        case .other: []
        }
    }
}

/// 平台 of a new-media account.
public enum Platform: String, RegistryVocabulary {
    case wechat, weibo, douyin, toutiao, kuaishou, app, other
    public var chineseName: String {
        switch self {
        case .wechat: "微信"
        case .weibo: "微博"
        case .douyin: "抖音"
        case .toutiao: "今日头条"
        case .kuaishou: "快手"
        case .app: "移动客户端"
        case .other: "其他"
        }
    }
    public var chineseAliases: [String] {
        switch self {
        case .wechat: ["微信公众号", "公众号"]
        case .toutiao: ["头条"]
        case .app: ["客户端", "APP", "App"]
        default: []
        }
    }
}

/// 状态 of a new-media account.
public enum AccountStatus: String, RegistryVocabulary {
    case active, stopped, closed
    public var chineseName: String {
        switch self {
        case .active: "运营"
        case .stopped: "停用"
        case .closed: "注销"
        }
    }
    public var chineseAliases: [String] {
        switch self {
        case .active: ["正常", "运营中"]
        default: []
        }
    }
}
