import Foundation
import GovWatchCore

extension SampleCity {
    /// The registry file `file` as CSV text in the spec's import format (`interfaces.md`).
    ///
    /// Headers: `sites`, `posts` and `people` use the Chinese names (and `sites` starts with a
    /// UTF-8 BOM, as Excel's "CSV UTF-8" saves it); `columns` and `accounts` use the English
    /// names. `accounts` has one extra column, `interaction` (`1`/`0`): whether the account has
    /// an effective interaction function, as an inspector recorded it (`account.interaction.missing`).
    public func registryCSV(_ file: RegistryFile) -> String {
        switch file {
        case .sites: return "\u{FEFF}" + sitesCSV()
        case .columns: return columnsCSV()
        case .accounts: return accountsCSV()
        case .posts: return postsCSV()
        case .people: return peopleCSV()
        }
    }

    /// The registry file as bytes: UTF-8 as `registryCSV` gives it, or GBK (GB18030), as
    /// spreadsheet programs on Chinese Windows save it (then without a BOM).
    public func registryCSVData(_ file: RegistryFile, gbk: Bool = false) -> Data {
        var text = registryCSV(file)
        guard gbk else { return Data(text.utf8) }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.data(using: String.Encoding(rawValue: 0x8000_0632))!
    }

    /// The header line's fields of each file, as `registryCSV` writes them.
    public static func registryHeader(_ file: RegistryFile) -> [String] {
        switch file {
        case .sites: return ["网站标识码", "网站名称", "首页网址", "网站类型", "主办单位", "上级单位", "ICP备案号", "公安备案号"]
        case .columns: return ["site", "name", "url", "category", "period_days", "top_level"]
        case .accounts:
            return ["platform", "id", "name", "unit", "main", "status", "feed", "closure_filed", "download_url", "interaction"]
        case .posts: return ["平台", "账号ID", "发布时间", "标题", "链接", "正文"]
        case .people: return ["单位", "姓名", "岗位", "电话", "起始日期", "离岗日期", "交接人"]
        }
    }

    private func sitesCSV() -> String {
        var csv = CSVWriter(header: Self.registryHeader(.sites))
        for site in sites {
            csv.append([
                site.code, site.name, site.url, site.kind == .portal ? "政府门户网站" : "部门网站", site.unit, site.parent ?? "",
                site.icp, site.police,
            ])
        }
        return csv.text
    }

    private func columnsCSV() -> String {
        var csv = CSVWriter(header: Self.registryHeader(.columns))
        for column in columns {
            csv.append([
                column.siteCode, column.name, column.url, column.category.rawValue, column.periodDays.map(String.init) ?? "",
                column.topLevel ? "1" : "0",
            ])
        }
        return csv.text
    }

    private func accountsCSV() -> String {
        var csv = CSVWriter(header: Self.registryHeader(.accounts))
        for account in accounts {
            csv.append([
                account.platform.rawValue, account.id, account.name, account.unit, account.main ? "1" : "0",
                account.status.rawValue, account.feed ?? "", account.closureFiled.map(CityClock.isoDay) ?? "",
                account.downloadURL ?? "", account.interaction ? "1" : "0",
            ])
        }
        return csv.text
    }

    private func postsCSV() -> String {
        let platformNames: [SampleAccount.Platform: String] = [
            .wechat: "微信", .weibo: "微博", .douyin: "抖音", .toutiao: "今日头条", .kuaishou: "快手", .app: "移动客户端", .other: "其他",
        ]
        var csv = CSVWriter(header: Self.registryHeader(.posts))
        for post in exportedPosts {
            csv.append([
                platformNames[post.platform]!, post.accountID, CityClock.iso8601(post.published), post.title, post.url,
                HTML.text(fromSimpleHTML: post.html),
            ])
        }
        return csv.text
    }

    private func peopleCSV() -> String {
        var csv = CSVWriter(header: Self.registryHeader(.people))
        for person in people {
            csv.append([
                person.unit, person.name, person.role, person.phone, CityClock.isoDay(person.since),
                person.until.map(CityClock.isoDay) ?? "", person.handoverTo ?? "",
            ])
        }
        return csv.text
    }
}
