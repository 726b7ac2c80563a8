/// Who is who in 鸿溪市: the units, their sites and codes, shared by the family files
/// (the portal links every department before those are built).
enum Roster {
    static let city = "鸿溪市"
    static let cityGovernment = "鸿溪市人民政府"
    static let cityOffice = "鸿溪市人民政府办公室"

    struct Department {
        let code: String
        let name: String
        let unit: String
        let short: String
        let host: String
    }

    static let education = Department(
        code: "4390000002", name: "鸿溪市教育局", unit: "鸿溪市教育局", short: "市教育局", host: "jyj.hongxi.gov.cn")
    static let health = Department(
        code: "4390000003", name: "鸿溪市卫生健康委员会", unit: "鸿溪市卫生健康委员会", short: "市卫健委", host: "wjw.hongxi.gov.cn")
    static let humanResources = Department(
        code: "4390000004", name: "鸿溪市人力资源和社会保障局", unit: "鸿溪市人力资源和社会保障局", short: "市人社局",
        host: "rsj.hongxi.gov.cn")
    static let landPlanning = Department(
        code: "4390000005", name: "鸿溪市自然资源和规划局", unit: "鸿溪市自然资源和规划局", short: "市自然资源和规划局",
        host: "zrzyj.hongxi.gov.cn")
    static let development = Department(
        code: "4390000006", name: "鸿溪市发展和改革委员会", unit: "鸿溪市发展和改革委员会", short: "市发改委", host: "fgw.hongxi.gov.cn")
    static let agriculture = Department(
        code: "4390000007", name: "鸿溪市农业农村局", unit: "鸿溪市农业农村局", short: "市农业农村局", host: "nyncj.hongxi.gov.cn")
    static let environment = Department(
        code: "4390000008", name: "鸿溪市生态环境局", unit: "鸿溪市生态环境局", short: "市生态环境局", host: "sthjj.hongxi.gov.cn")
    static let culture = Department(
        code: "4390000009", name: "鸿溪市文化旅游广电体育局", unit: "鸿溪市文化旅游广电体育局", short: "市文旅广体局",
        host: "wlj.hongxi.gov.cn")
    static let housing = Department(
        code: "4390000010", name: "鸿溪市住房和城乡建设局", unit: "鸿溪市住房和城乡建设局", short: "市住建局", host: "zjj.hongxi.gov.cn")
    static let police = Department(
        code: "4390000011", name: "鸿溪市公安局", unit: "鸿溪市公安局", short: "市公安局", host: "gaj.hongxi.gov.cn")
    /// Deliberately outside .gov.cn (`site.domain.noncompliant`).
    static let market = Department(
        code: "4390000012", name: "鸿溪市市场监督管理局", unit: "鸿溪市市场监督管理局", short: "市市场监管局", host: "www.hxamr.cn")
    static let statistics = Department(
        code: "4390000013", name: "鸿溪市统计局", unit: "鸿溪市统计局", short: "市统计局", host: "tjj.hongxi.gov.cn")
    static let finance = Department(
        code: "4390000014", name: "鸿溪市财政局", unit: "鸿溪市财政局", short: "市财政局", host: "czj.hongxi.gov.cn")
    static let transport = Department(
        code: "4390000015", name: "鸿溪市交通运输局", unit: "鸿溪市交通运输局", short: "市交通运输局", host: "jtj.hongxi.gov.cn")

    static let departments = [
        education, health, humanResources, landPlanning, development, agriculture, environment, culture, housing,
        police, market, statistics, finance, transport,
    ]

    // Counties (区县) and their departments.
    static let qingshanGovernment = "青山县人民政府"
    static let qingshanOffice = "青山县人民政府办公室"
    static let qingshanHealth = "青山县卫生健康局"
    static let qingshanEducation = "青山县教育局"
    static let lanjiangGovernment = "鸿溪市澜江区人民政府"
    static let lanjiangOffice = "鸿溪市澜江区人民政府办公室"

    static let portalHost = "www.hongxi.gov.cn"
    static let qingshanHost = "www.qingshan.gov.cn"
    static let qingshanHealthHost = "wjj.qingshan.gov.cn"
    static let lanjiangHost = "www.lanjiang.gov.cn"

    /// Fixture-only hosts.
    static let hostileHost = "hostile.hongxi.gov.cn"
    static let feedsHost = "feeds.hongxi.gov.cn"
    static let appHost = "app.hongxi.gov.cn"
}
