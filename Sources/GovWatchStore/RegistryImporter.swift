import Foundation
import GovWatchCore

/// Validates an import file and stores it in one transaction: the entry point shared by
/// `govwatch import`, `govwatch demo` and the server's upload.
public enum RegistryImporter {
    /// Throws `ImportError` (file, line, field) for any bad row; the database is then unchanged.
    public static func importFile(_ kind: RegistryFile, data: Data, file: String, into store: Store) async throws
        -> ImportSummary
    {
        switch kind {
        case .sites: try await store.importSites(try RegistryCSV.parseSites(data, file: file))
        case .columns: try await store.importColumns(try RegistryCSV.parseColumns(data, file: file))
        case .accounts: try await store.importAccounts(try RegistryCSV.parseAccounts(data, file: file))
        case .posts: try await store.importPosts(try RegistryCSV.parsePosts(data, file: file))
        case .people: try await store.importPeople(try RegistryCSV.parsePeople(data, file: file))
        }
    }
}

/// The registry as `govwatch list` prints it.
public enum RegistryListing {
    /// `kind`: sites, columns, discovered-columns, accounts, units, people, posts; `format`: text, json, csv.
    public static func render(_ kind: String, format: String, from store: Store) async throws -> String {
        switch (kind, format) {
        case ("sites", "csv"): return RegistryCSV.render(sites: try await store.sites())
        // The registry's columns only: a re-import leaves them unchanged. Discovered ones are
        // listed with `discovered-columns`; importing that list confirms them.
        case ("columns", "csv"): return RegistryCSV.render(columns: try await store.columns(origin: "imported"))
        case ("discovered-columns", "csv"): return RegistryCSV.render(columns: try await store.columns(origin: "discovered"))
        case ("discovered-columns", "json"): return try json(["columns": try await store.columns(origin: "discovered")])
        case ("accounts", "csv"): return RegistryCSV.render(accounts: try await store.accounts())
        case ("people", "csv"): return RegistryCSV.render(people: try await store.people())
        case ("posts", "csv"): return RegistryCSV.render(posts: try await store.posts())
        case ("units", "csv"):
            return CSVTable.render(header: ["name", "parent", "sites", "accounts"], rows: try await store.units().map {
                [$0.name, $0.parent ?? "", String($0.sites), String($0.accounts)]
            })
        case ("sites", "json"): return try json(["sites": try await store.sites()])
        case ("columns", "json"): return try json(["columns": try await store.columns(origin: "imported")])
        case ("accounts", "json"): return try json(["accounts": try await store.accounts()])
        case ("people", "json"): return try json(["people": try await store.people()])
        case ("posts", "json"): return try json(["posts": try await store.posts()])
        case ("units", "json"): return try json(["units": try await store.units()])
        case ("sites", _):
            let sites = try await store.sites()
            return TextTable.render(
                header: ["网站标识码", "网站名称", "类型", "主办单位", "首页网址"],
                rows: sites.map { [$0.code, $0.name, $0.kind.chineseName, $0.unit, $0.url] },
                footer: "共 \(sites.count) 个网站")
        case ("discovered-columns", _):
            let columns = try await store.columns(origin: "discovered")
            return TextTable.render(
                header: ["网站标识码", "栏目名称", "推测类型", "栏目地址"],
                rows: columns.map { [$0.site, $0.name, $0.category.chineseName, $0.url] },
                footer: "共 \(columns.count) 个检查中发现、待确认的栏目（确认方法：list discovered-columns --format csv 导出、核对类型后用 import columns 导入）")
        case ("columns", _):
            let columns = try await store.columns(origin: "imported")
            return TextTable.render(
                header: ["网站标识码", "栏目名称", "类型", "更新周期", "栏目地址"],
                rows: columns.map {
                    [$0.site, $0.name, $0.category.chineseName, $0.periodDays.map { "\($0)天" } ?? "默认", $0.url]
                },
                footer: "共 \(columns.count) 个栏目")
        case ("accounts", _):
            let accounts = try await store.accounts()
            return TextTable.render(
                header: ["平台", "账号ID", "账号名称", "主办单位", "主账号", "状态"],
                rows: accounts.map {
                    [$0.platform.chineseName, $0.id, $0.name, $0.unit, $0.main ? "是" : "否", $0.status.chineseName]
                },
                footer: "共 \(accounts.count) 个账号")
        case ("people", _):
            let people = try await store.people()
            return TextTable.render(
                header: ["单位", "姓名", "岗位", "电话", "起始日期", "离岗日期", "交接人"],
                rows: people.map {
                    [$0.unit, $0.name, $0.role, $0.phone ?? "", $0.since?.description ?? "", $0.until?.description ?? "",
                     $0.handoverTo ?? ""]
                },
                footer: "共 \(people.count) 人")
        case ("posts", _):
            let posts = try await store.posts()
            return TextTable.render(
                header: ["平台", "账号ID", "发布时间", "标题"],
                rows: posts.map { [$0.platform.chineseName, $0.account, ChinaTime.display($0.published), $0.title] },
                footer: "共 \(posts.count) 条")
        default:
            let units = try await store.units()
            return TextTable.render(
                header: ["单位", "上级单位", "网站数", "账号数"],
                rows: units.map { [$0.name, $0.parent ?? "", String($0.sites), String($0.accounts)] },
                footer: "共 \(units.count) 个单位")
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
