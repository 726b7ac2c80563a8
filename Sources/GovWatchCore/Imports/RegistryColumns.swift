/// A column of an import file, with its English and Chinese header (`interfaces.md`).
public struct RegistryColumn: Sendable, Hashable {
    public var english: String
    public var chinese: String
    public var required: Bool

    public init(_ english: String, _ chinese: String, required: Bool = false) {
        self.english = english
        self.chinese = chinese
        self.required = required
    }
}

extension RegistryFile {
    /// The columns of this file in the order `list --format csv` writes them.
    public var columns: [RegistryColumn] {
        switch self {
        case .sites:
            [
                .init("code", "网站标识码", required: true), .init("name", "网站名称", required: true),
                .init("url", "首页网址", required: true), .init("kind", "网站类型", required: true),
                .init("unit", "主办单位", required: true), .init("parent", "上级单位"),
                .init("icp", "ICP备案号"), .init("police", "公安备案号"), .init("aliases", "其他域名"),
            ]
        case .columns:
            [
                .init("site", "网站标识码", required: true), .init("name", "栏目名称", required: true),
                .init("url", "栏目地址", required: true), .init("category", "栏目类型", required: true),
                .init("period_days", "更新周期（天）"), .init("top_level", "一级栏目"),
            ]
        case .accounts:
            [
                .init("platform", "平台", required: true), .init("id", "账号ID", required: true),
                .init("name", "账号名称", required: true), .init("unit", "主办单位", required: true),
                .init("main", "是否主账号"), .init("status", "状态"), .init("feed", "数据源"),
                .init("closure_filed", "停用备案日期"), .init("download_url", "下载地址"),
                .init("interaction", "互动功能"), .init("closed_on", "停用注销日期"),
            ]
        case .posts:
            [
                .init("platform", "平台", required: true), .init("account", "账号ID", required: true),
                .init("published", "发布时间", required: true), .init("title", "标题"),
                .init("url", "链接"), .init("text", "正文"),
            ]
        case .people:
            [
                .init("unit", "单位", required: true), .init("name", "姓名", required: true),
                .init("role", "岗位"), .init("phone", "电话"), .init("since", "起始日期"),
                .init("until", "离岗日期"), .init("handover_to", "交接人"),
            ]
        }
    }

    /// The Chinese name of the file's contents, for messages.
    public var chineseName: String {
        switch self {
        case .sites: "网站"
        case .columns: "栏目"
        case .accounts: "政务新媒体账号"
        case .posts: "发布信息"
        case .people: "责任人"
        }
    }
}
