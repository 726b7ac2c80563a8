import Foundation

/// Reads and writes the registry import files of `interfaces.md`.
///
/// Parsing validates every row and stops at the first bad one with an `ImportError`
/// naming the file, line and field; nothing is returned for a file with any bad row, so
/// the store never sees half a file. Cross-file checks (does the site of a column exist?)
/// are the store's, which reports them the same way.
public enum RegistryCSV {
    // MARK: Parsing

    public static func parseSites(_ data: Data, file: String) throws(ImportError) -> ParsedFile<SiteRecord> {
        try parse(data, file: file, kind: .sites) { row throws(ImportError) in
            let code = try row.siteCode("code")
            let url = try row.url("url", required: true)!
            return (
                code,
                SiteRecord(
                    code: code, name: try row.required("name"), url: url,
                    kind: try row.vocabulary("kind", SiteKind.self)!, unit: try row.required("unit"),
                    parent: row.optional("parent"), icp: row.optional("icp"), police: row.optional("police"),
                    aliases: try row.domains("aliases"))
            )
        }
    }

    public static func parseColumns(_ data: Data, file: String) throws(ImportError) -> ParsedFile<ColumnRecord> {
        try parse(data, file: file, kind: .columns) { row throws(ImportError) in
            let site = try row.siteCode("site")
            let url = try row.url("url", required: true)!
            return (
                site + " " + url,
                ColumnRecord(
                    site: site, name: try row.required("name"), url: url,
                    category: try row.vocabulary("category", ColumnCategory.self)!,
                    periodDays: try row.positiveInteger("period_days"),
                    topLevel: try row.boolean("top_level") ?? true)
            )
        }
    }

    public static func parseAccounts(_ data: Data, file: String) throws(ImportError) -> ParsedFile<AccountRecord> {
        try parse(data, file: file, kind: .accounts) { row throws(ImportError) in
            let platform = try row.vocabulary("platform", Platform.self)!
            let id = try row.required("id")
            return (
                platform.rawValue + " " + id,
                AccountRecord(
                    platform: platform, id: id, name: try row.required("name"), unit: try row.required("unit"),
                    main: try row.boolean("main") ?? false,
                    status: try row.vocabulary("status", AccountStatus.self, required: false) ?? .active,
                    feed: try row.url("feed"), closureFiled: try row.day("closure_filed"),
                    downloadURL: try row.url("download_url"), interaction: try row.boolean("interaction"),
                    closedOn: try row.day("closed_on"))
            )
        }
    }

    public static func parsePosts(_ data: Data, file: String) throws(ImportError) -> ParsedFile<PostRecord> {
        try parse(data, file: file, kind: .posts) { row throws(ImportError) in
            let post = PostRecord(
                platform: try row.vocabulary("platform", Platform.self)!, account: try row.required("account"),
                published: try row.moment("published")!, title: row.optional("title") ?? "",
                url: try row.url("url"), text: row.optional("text") ?? "")
            if post.title.isEmpty && post.text.isEmpty {
                throw row.error("title", "标题和正文不能同时为空")
            }
            return (post.platform.rawValue + " " + post.account + " " + post.key, post)
        }
    }

    public static func parsePeople(_ data: Data, file: String) throws(ImportError) -> ParsedFile<PersonRecord> {
        try parse(data, file: file, kind: .people) { row throws(ImportError) in
            let person = PersonRecord(
                unit: try row.required("unit"), name: try row.required("name"), role: row.optional("role") ?? "",
                phone: try row.phone("phone"), since: try row.day("since"), until: try row.day("until"),
                handoverTo: row.optional("handover_to"))
            if let since = person.since, let until = person.until, until < since {
                throw row.error("until", "离岗日期 \(until) 早于起始日期 \(since)")
            }
            return ([person.unit, person.name, person.role].joined(separator: "\u{1F}"), person)
        }
    }

    /// Decodes the file, maps its header, decodes each row and rejects duplicate keys.
    static func parse<Record>(
        _ data: Data, file: String, kind: RegistryFile,
        row decodeRow: (ImportRow) throws(ImportError) -> (key: String, record: Record)
    ) throws(ImportError) -> ParsedFile<Record> {
        guard let (text, _) = TextDecoding.decode(data) else {
            throw ImportError(file: file, line: 1, field: "*", reason: "文件编码无法识别，请保存为 UTF-8 或 GBK 编码的 CSV 文件")
        }
        let table: CSVTable
        do {
            table = try CSVTable(text: text)
        } catch {
            switch error {
            case .empty:
                throw ImportError(file: file, line: 1, field: "*", reason: "文件为空，缺少表头行")
            case .unterminatedQuote(let line):
                throw ImportError(file: file, line: line, field: "*", reason: "引号未闭合")
            }
        }
        let header = try HeaderMap(table.header, kind: kind, file: file)
        var seen: [String: Int] = [:]
        var records: [Located<Record>] = []
        records.reserveCapacity(table.rows.count)
        for csvRow in table.rows {
            let row = ImportRow(file: file, line: csvRow.line, fields: csvRow.fields, header: header)
            let (key, record) = try decodeRow(row)
            if let first = seen[key] {
                let field = kind.columns.first(where: \.required).map(\.english) ?? "*"
                throw row.error(field, "与第 \(first) 行重复（同一\(kind.chineseName)在文件中出现两次）")
            }
            seen[key] = csvRow.line
            records.append(Located(line: csvRow.line, record: record))
        }
        return ParsedFile(file: file, rows: records, headers: header.fields.mapValues(\.written))
    }

    // MARK: Writing (what `list --format csv` prints; re-imports unchanged)

    public static func render(sites: [SiteRecord]) -> String {
        render(.sites, sites.map {
            [$0.code, $0.name, $0.url, $0.kind.rawValue, $0.unit, $0.parent ?? "", $0.icp ?? "", $0.police ?? "", $0.aliases.joined(separator: " ")]
        })
    }

    public static func render(columns: [ColumnRecord]) -> String {
        render(.columns, columns.map {
            [$0.site, $0.name, $0.url, $0.category.rawValue, $0.periodDays.map(String.init) ?? "", $0.topLevel ? "1" : "0"]
        })
    }

    public static func render(accounts: [AccountRecord]) -> String {
        render(.accounts, accounts.map {
            [
                $0.platform.rawValue, $0.id, $0.name, $0.unit, $0.main ? "1" : "0", $0.status.rawValue, $0.feed ?? "",
                $0.closureFiled?.description ?? "", $0.downloadURL ?? "", $0.interaction.map { $0 ? "1" : "0" } ?? "",
                $0.closedOn?.description ?? "",
            ]
        })
    }

    public static func render(posts: [PostRecord]) -> String {
        render(.posts, posts.map {
            [$0.platform.rawValue, $0.account, ChinaTime.iso8601($0.published), $0.title, $0.url ?? "", $0.text]
        })
    }

    public static func render(people: [PersonRecord]) -> String {
        render(.people, people.map {
            [$0.unit, $0.name, $0.role, $0.phone ?? "", $0.since?.description ?? "", $0.until?.description ?? "", $0.handoverTo ?? ""]
        })
    }

    static func render(_ kind: RegistryFile, _ rows: [[String]]) -> String {
        CSVTable.render(header: kind.columns.map(\.english), rows: rows)
    }
}

/// A validated import file: its records with their lines, and its headers as written.
public struct ParsedFile<Record: Sendable>: Sendable {
    public var file: String
    public var rows: [Located<Record>]
    /// English column name → the header as written in the file (English or Chinese).
    public var headers: [String: String]

    public init(file: String, rows: [Located<Record>], headers: [String: String] = [:]) {
        self.file = file
        self.rows = rows
        self.headers = headers
    }

    /// An error about `line` naming the field as the file's header writes it.
    public func error(line: Int, field: String, reason: String) -> ImportError {
        ImportError(file: file, line: line, field: headers[field] ?? field, reason: reason)
    }
}

/// Which CSV field holds which spec column, by English or Chinese header.
struct HeaderMap: Sendable {
    /// English column name → (field index, header as written in the file).
    var fields: [String: (index: Int, written: String)] = [:]

    init(_ header: [String], kind: RegistryFile, file: String) throws(ImportError) {
        for column in kind.columns {
            let matches = header.indices.filter { index in
                let written = header[index].trimmingCharacters(in: .whitespaces)
                return written.lowercased() == column.english || written == column.chinese
            }
            if matches.count > 1 {
                throw ImportError(file: file, line: 1, field: column.english, reason: "表头中“\(column.chinese)”列出现了多次")
            }
            if let index = matches.first {
                fields[column.english] = (index, header[index])
            } else if column.required {
                let known = kind.columns.filter(\.required).map { "\($0.english)/\($0.chinese)" }.joined(separator: "、")
                throw ImportError(
                    file: file, line: 1, field: column.english,
                    reason: "缺少必填列“\(column.chinese)”（\(column.english)）；\(kind.chineseName)文件的必填列为：\(known)")
            }
        }
    }
}

/// One row of an import file with typed, validated accessors whose errors name the field.
struct ImportRow {
    var file: String
    var line: Int
    var fields: [String]
    var header: HeaderMap

    func error(_ column: String, _ reason: String) -> ImportError {
        ImportError(file: file, line: line, field: header.fields[column]?.written ?? column, reason: reason)
    }

    /// The trimmed value, nil when the column is absent or the cell empty.
    func optional(_ column: String) -> String? {
        guard let index = header.fields[column]?.index, index < fields.count else { return nil }
        let value = fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    func required(_ column: String) throws(ImportError) -> String {
        guard let value = optional(column) else { throw error(column, "必填项为空") }
        return value
    }

    /// 网站标识码: 10 digits for local sites, `bm` + 8 digits for central departments.
    func siteCode(_ column: String) throws(ImportError) -> String {
        let value = try required(column)
        guard let code = SiteCode.normalise(value) else {
            throw error(column, "网站标识码“\(value)”格式不正确，应为10位数字或“bm”加8位数字")
        }
        return code
    }

    func url(_ column: String, required isRequired: Bool = false) throws(ImportError) -> String? {
        guard let value = optional(column) else {
            if isRequired { throw error(column, "必填项为空") }
            return nil
        }
        guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            !value.contains(where: \.isWhitespace)
        else {
            throw error(column, "网址“\(value)”格式不正确，应以 http:// 或 https:// 开头")
        }
        return value
    }

    func vocabulary<V: RegistryVocabulary>(_ column: String, _ type: V.Type, required isRequired: Bool = true) throws(ImportError) -> V? {
        guard let value = optional(column) else {
            if isRequired { throw error(column, "必填项为空") }
            return nil
        }
        guard let parsed = V(importValue: value) else {
            throw error(column, "取值“\(value)”无效，可选值为：\(V.acceptedValues)")
        }
        return parsed
    }

    func boolean(_ column: String) throws(ImportError) -> Bool? {
        guard let value = optional(column) else { return nil }
        switch value.lowercased() {
        case "1", "是", "true", "yes", "y", "有": return true
        case "0", "否", "false", "no", "n", "无": return false
        default: throw error(column, "取值“\(value)”无效，应为 1/是 或 0/否")
        }
    }

    func positiveInteger(_ column: String) throws(ImportError) -> Int? {
        guard let value = optional(column) else { return nil }
        guard let number = Int(value), number > 0 else { throw error(column, "“\(value)”不是正整数") }
        return number
    }

    /// Domain names separated by spaces, `;`, `；` or `、`, each a host or a URL; kept in
    /// ASCII form (a Chinese domain such as `鸿溪市人民政府.政务` as its `xn--` form).
    func domains(_ column: String) throws(ImportError) -> [String] {
        guard let value = optional(column) else { return [] }
        var hosts: [String] = []
        for entry in value.split(whereSeparator: { $0.isWhitespace || ";；、".contains($0) }) {
            guard let host = GovernmentDomain.asciiHost(String(entry)) else {
                throw error(column, "“\(entry)”不是有效的域名")
            }
            if !hosts.contains(host) { hosts.append(host) }
        }
        return hosts
    }

    func day(_ column: String) throws(ImportError) -> CalendarDate? {
        guard let value = optional(column) else { return nil }
        guard let day = ChinaTime.parseDay(value) else {
            throw error(column, "日期“\(value)”无效，应为 YYYY-MM-DD 格式的真实日期")
        }
        return day
    }

    func moment(_ column: String) throws(ImportError) -> Date? {
        guard let value = optional(column) else { throw error(column, "必填项为空") }
        guard let moment = ChinaTime.parseMoment(value) else {
            throw error(column, "时间“\(value)”无效，应为 YYYY-MM-DD、YYYY-MM-DD HH:mm 或 ISO 8601 格式")
        }
        return moment
    }

    func phone(_ column: String) throws(ImportError) -> String? {
        guard let value = optional(column) else { return nil }
        let digits = value.filter(\.isNumber)
        guard value.allSatisfy({ $0.isNumber || "-+ ()转".contains($0) }), (5...20).contains(digits.count) else {
            throw error(column, "电话“\(value)”格式不正确")
        }
        return value
    }
}

/// The 网站标识码 rules (国办发〔2017〕47号).
public enum SiteCode {
    /// The code in canonical form, or nil when it is not 10 digits or `bm` + 8 digits.
    public static func normalise(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        let ascii = value.unicodeScalars.allSatisfy(\.isASCII)
        guard ascii else { return nil }
        if value.count == 10, value.allSatisfy(\.isNumber) { return value }
        if value.count == 10, value.hasPrefix("bm"), value.dropFirst(2).allSatisfy(\.isNumber) { return value }
        return nil
    }
}
