import FluentKit
import Foundation
import GovWatchCore

/// What an import did, for the one-line summary the CLI prints.
public struct ImportSummary: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var unitsCreated = 0
    public init() {}
}

/// A unit as listed by `govwatch list units`.
public struct UnitListing: Sendable, Hashable, Codable {
    public var name: String
    public var parent: String?
    public var sites: Int
    public var accounts: Int
}

/// Registry imports (all-or-nothing, upsert by natural key) and listings.
extension Store {
    /// Rows per INSERT: keeps each statement well under SQLite's bound-variable limit.
    static let insertBatchSize = 200

    public func importSites(_ file: ParsedFile<SiteRecord>) async throws -> ImportSummary {
        try await database.transaction { db in
            var summary = ImportSummary()
            var units = try await UnitDirectory(on: db, file: file.file, headers: file.headers)
            for row in file.rows {
                _ = try await units.ensure(row.record.unit, parent: row.record.parent, line: row.line, on: db)
            }
            summary.unitsCreated = units.created
            let existing = try await SiteRow.query(on: db).all().keyed(by: \.code)
            var fresh: [SiteRow] = []
            for row in file.rows {
                let unitID = units.id(of: row.record.unit)
                let current = existing[row.record.code]
                try await Self.upsert(
                    current, matches: { $0.matches(row.record, unitID: unitID) },
                    assign: { $0.assign(row.record, unitID: unitID) }, into: &fresh, summary: &summary, on: db)
            }
            try await Self.insert(fresh, on: db)
            return summary
        }
    }

    public func importColumns(_ file: ParsedFile<ColumnRecord>) async throws -> ImportSummary {
        try await database.transaction { db in
            var summary = ImportSummary()
            let sites = try await SiteRow.query(on: db).all().keyed(by: \.code)
            let existing = try await ColumnRow.query(on: db).all().keyed { "\($0.siteID) \($0.url)" }
            var fresh: [ColumnRow] = []
            for row in file.rows {
                guard let siteID = sites[row.record.site]?.id else {
                    throw file.error(
                        line: row.line, field: "site",
                        reason: "网站标识码“\(row.record.site)”未登记，请先导入网站（govwatch import sites）")
                }
                let current = existing["\(siteID) \(row.record.url)"]
                try await Self.upsert(
                    current, matches: { $0.matches(row.record, siteID: siteID) },
                    assign: { $0.assign(row.record, siteID: siteID) }, into: &fresh, summary: &summary, on: db)
            }
            try await Self.insert(fresh, on: db)
            return summary
        }
    }

    public func importAccounts(_ file: ParsedFile<AccountRecord>) async throws -> ImportSummary {
        try await database.transaction { db in
            var summary = ImportSummary()
            var units = try await UnitDirectory(on: db, file: file.file, headers: file.headers)
            for row in file.rows {
                _ = try await units.ensure(row.record.unit, parent: nil, line: row.line, on: db)
            }
            summary.unitsCreated = units.created
            let existing = try await AccountRow.query(on: db).all().keyed { "\($0.platform) \($0.accountID)" }
            var fresh: [AccountRow] = []
            for row in file.rows {
                let current = existing["\(row.record.platform.rawValue) \(row.record.id)"]
                let unitID = units.id(of: row.record.unit)
                try await Self.upsert(
                    current, matches: { $0.matches(row.record, unitID: unitID) },
                    assign: { $0.assign(row.record, unitID: unitID) }, into: &fresh, summary: &summary, on: db)
            }
            try await Self.insert(fresh, on: db)
            return summary
        }
    }

    public func importPosts(_ file: ParsedFile<PostRecord>) async throws -> ImportSummary {
        try await database.transaction { db in
            var summary = ImportSummary()
            let accounts = try await AccountRow.query(on: db).all().keyed { "\($0.platform) \($0.accountID)" }
            let existing = try await PostRow.query(on: db).all().keyed { "\($0.accountRef) \($0.key)" }
            var fresh: [PostRow] = []
            for var row in file.rows {
                // Stored masked: the one place imported posts enter the store.
                row.record = row.record.masked()
                guard let accountRef = accounts["\(row.record.platform.rawValue) \(row.record.account)"]?.id else {
                    throw file.error(
                        line: row.line, field: "account",
                        reason: "\(row.record.platform.chineseName)账号“\(row.record.account)”未登记，请先导入账号（govwatch import accounts）")
                }
                let current = existing["\(accountRef) \(row.record.key)"]
                if let current, current.title == row.record.title, current.text == row.record.text {
                    // The stored post listed and imported again: its text is the masked one,
                    // in which nothing matches any more; the stored marks still say where it was.
                    row.record.personalInformation = PersonalInfoMark.marks(json: current.personalInfo) ?? row.record.personalInformation
                }
                let source = current?.source ?? "import"
                try await Self.upsert(
                    current, matches: { $0.matches(row.record, accountRef: accountRef, source: source) },
                    assign: { $0.assign(row.record, accountRef: accountRef, source: source) }, into: &fresh,
                    summary: &summary, on: db)
            }
            try await Self.insert(fresh, on: db)
            return summary
        }
    }

    public func importPeople(_ file: ParsedFile<PersonRecord>) async throws -> ImportSummary {
        try await database.transaction { db in
            var summary = ImportSummary()
            let units = try await UnitRow.query(on: db).all().keyed(by: \.name)
            let existing = try await PersonRow.query(on: db).all().keyed { "\($0.unitID)\u{1F}\($0.name)\u{1F}\($0.role)" }
            var fresh: [PersonRow] = []
            for row in file.rows {
                guard let unitID = units[row.record.unit]?.id else {
                    throw file.error(
                        line: row.line, field: "unit",
                        reason: "单位“\(row.record.unit)”未登记，请先导入其网站或账号，或核对单位名称")
                }
                let current = existing["\(unitID)\u{1F}\(row.record.name)\u{1F}\(row.record.role)"]
                try await Self.upsert(
                    current, matches: { $0.matches(row.record, unitID: unitID) },
                    assign: { $0.assign(row.record, unitID: unitID) }, into: &fresh, summary: &summary, on: db)
            }
            try await Self.insert(fresh, on: db)
            return summary
        }
    }

    /// Updates an existing row when it differs, or queues a new one for a batched insert.
    private static func upsert<M: Model>(
        _ existing: M?, matches: (M) -> Bool, assign: (M) -> Void, into fresh: inout [M],
        summary: inout ImportSummary, on db: any Database
    ) async throws {
        guard let existing else {
            let model = M()
            assign(model)
            fresh.append(model)
            summary.inserted += 1
            return
        }
        if matches(existing) {
            summary.unchanged += 1
        } else {
            assign(existing)
            try await existing.update(on: db)
            summary.updated += 1
        }
    }

    private static func insert<M: Model>(_ models: [M], on db: any Database) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + Self.insertBatchSize, models.count)
            try await Array(models[start..<end]).create(on: db)
            start = end
        }
    }

    // MARK: Listings, in the order `list --format csv` writes them

    public func sites() async throws -> [SiteRecord] {
        try await sites(code: nil)
    }

    /// One site by 网站标识码 (a worker's task), nil when it is not registered.
    public func site(_ code: String) async throws -> SiteRecord? {
        try await sites(code: code).first
    }

    private func sites(code: String?) async throws -> [SiteRecord] {
        let db = database
        let query = SiteRow.query(on: db)
        if let code { query.filter(\.$code == code) }
        let rows = try await query.sort(\.$code).all()
        // One site (a worker's task, thousands in a national run) needs its unit and that
        // unit's parent, not every unit of the registry.
        let unitQuery = UnitRow.query(on: db)
        if code != nil {
            let own = try await UnitRow.query(on: db).filter(\.$id ~~ rows.map(\.unitID)).all()
            unitQuery.filter(\.$id ~~ (rows.map(\.unitID) + own.compactMap(\.parentID)))
        }
        let units = try await unitQuery.all().keyed(by: \.id)
        return rows.map { site in
            let unit = units[site.unitID]
            return SiteRecord(
                code: site.code, name: site.name, url: site.url, kind: SiteKind(rawValue: site.kind) ?? .department,
                unit: unit?.name ?? "", parent: unit?.parentID.flatMap { units[$0]?.name }, icp: site.icp,
                police: site.police, aliases: site.aliases.map { $0.split(separator: " ").map(String.init) } ?? [])
        }
    }

    /// Columns of every site: `imported` ones (the registry, authoritative), `discovered`
    /// ones (found by the crawler, awaiting an administrator's confirmation), or all.
    /// Only those of the site `site` (网站标识码) when given.
    public func columns(origin: String? = nil, site: String? = nil) async throws -> [ColumnRecord] {
        let db = database
        let siteQuery = SiteRow.query(on: db)
        if let site { siteQuery.filter(\.$code == site) }
        let sites = try await siteQuery.all().keyed(by: \.id)
        var query = ColumnRow.query(on: db)
        if let origin { query = query.filter(\.$origin == origin) }
        if site != nil { query = query.filter(\.$siteID ~~ sites.keys.compactMap { $0 }) }
        return try await query.all()
            .compactMap { column -> ColumnRecord? in
                guard let site = sites[column.siteID] else { return nil }
                return ColumnRecord(
                    site: site.code, name: column.name, url: column.url,
                    category: ColumnCategory(rawValue: column.category) ?? .other, periodDays: column.periodDays,
                    topLevel: column.topLevel)
            }
            .sorted { ($0.site, $0.url) < ($1.site, $1.url) }
    }

    public func accounts() async throws -> [AccountRecord] {
        let db = database
        let units = try await UnitRow.query(on: db).all().keyed(by: \.id)
        return try await AccountRow.query(on: db).all()
            .map { account in
                AccountRecord(
                    platform: Platform(rawValue: account.platform) ?? .other, id: account.accountID,
                    name: account.name, unit: units[account.unitID]?.name ?? "", main: account.isMain,
                    status: AccountStatus(rawValue: account.status) ?? .active, feed: account.feed,
                    closureFiled: account.closureFiled.flatMap(ChinaTime.parseDay), downloadURL: account.downloadURL,
                    interaction: account.interaction, closedOn: account.closedOn.flatMap(ChinaTime.parseDay))
            }
            .sorted { ($0.platform.rawValue, $0.id) < ($1.platform.rawValue, $1.id) }
    }

    public func posts() async throws -> [PostRecord] {
        let db = database
        let accounts = try await AccountRow.query(on: db).all().keyed(by: \.id)
        return try await PostRow.query(on: db).sort(\.$published).all().compactMap { post in
            guard let account = accounts[post.accountRef] else { return nil }
            return PostRecord(
                platform: Platform(rawValue: account.platform) ?? .other, account: account.accountID,
                published: post.published, title: post.title, url: post.url, text: post.text)
        }
    }

    public func people() async throws -> [PersonRecord] {
        let db = database
        let units = try await UnitRow.query(on: db).all().keyed(by: \.id)
        return try await PersonRow.query(on: db).all()
            .map { person in
                PersonRecord(
                    unit: units[person.unitID]?.name ?? "", name: person.name, role: person.role, phone: person.phone,
                    since: person.since.flatMap(ChinaTime.parseDay), until: person.until.flatMap(ChinaTime.parseDay),
                    handoverTo: person.handoverTo)
            }
            .sorted { ($0.unit, $0.name, $0.role) < ($1.unit, $1.name, $1.role) }
    }

    public func units() async throws -> [UnitListing] {
        let db = database
        let units = try await UnitRow.query(on: db).all()
        let byID = units.keyed(by: \.id)
        let siteCounts = Dictionary(grouping: try await SiteRow.query(on: db).all(), by: \.unitID).mapValues(\.count)
        let accountCounts = Dictionary(grouping: try await AccountRow.query(on: db).all(), by: \.unitID).mapValues(\.count)
        return units.map { unit in
            UnitListing(
                name: unit.name, parent: unit.parentID.flatMap { byID[$0]?.name },
                sites: siteCounts[unit.id!] ?? 0, accounts: accountCounts[unit.id!] ?? 0)
        }
        .sorted { $0.name < $1.name }
    }
}

/// Units by name during one import: created on first mention, parents checked for conflicts.
struct UnitDirectory {
    private var byName: [String: UnitRow]
    /// Which line of this file set a unit's parent, to catch two rows that disagree.
    private var parentSetOn: [String: (parent: String, line: Int)] = [:]
    private(set) var created = 0
    let file: String
    let headers: [String: String]

    init(on db: any Database, file: String, headers: [String: String]) async throws {
        byName = try await UnitRow.query(on: db).all().keyed(by: \.name)
        self.file = file
        self.headers = headers
    }

    func id(of name: String) -> Int { byName[name]!.id! }

    mutating func ensure(_ name: String, parent: String?, line: Int, on db: any Database) async throws -> UnitRow {
        var parentID: Int? = nil
        if let parent {
            if parent == name {
                throw ImportError(file: file, line: line, field: headers["parent"] ?? "parent", reason: "上级单位不能是单位本身")
            }
            if let earlier = parentSetOn[name], earlier.parent != parent {
                throw ImportError(
                    file: file, line: line, field: headers["parent"] ?? "parent",
                    reason: "单位“\(name)”的上级单位与第 \(earlier.line) 行不一致（“\(earlier.parent)”）")
            }
            parentSetOn[name] = (parent, line)
            parentID = try await ensure(parent, parent: nil, line: line, on: db).id
        }
        if let unit = byName[name] {
            if let parentID, unit.parentID != parentID {
                unit.parentID = parentID
                try await unit.update(on: db)
            }
            return unit
        }
        let unit = UnitRow(name: name, parentID: parentID)
        try await unit.create(on: db)
        byName[name] = unit
        created += 1
        return unit
    }
}

extension Sequence {
    /// A dictionary by a key; later elements win (keys are unique in the tables used).
    func keyed<Key: Hashable>(by key: (Element) -> Key?) -> [Key: Element] {
        var result: [Key: Element] = [:]
        for element in self { if let k = key(element) { result[k] = element } }
        return result
    }
}

// Each row type: `assign` copies a record in; `matches` tells whether an existing row
// already holds it, so an unchanged re-import writes nothing.

extension SiteRow {
    func assign(_ r: SiteRecord, unitID: Int) {
        (code, name, url, kind, self.unitID, icp, police) = (r.code, r.name, r.url, r.kind.rawValue, unitID, r.icp, r.police)
        aliases = r.aliases.isEmpty ? nil : r.aliases.joined(separator: " ")
    }
    func matches(_ r: SiteRecord, unitID: Int) -> Bool {
        (code, name, url, kind, self.unitID) == (r.code, r.name, r.url, r.kind.rawValue, unitID) && (icp, police) == (r.icp, r.police)
            && aliases == (r.aliases.isEmpty ? nil : r.aliases.joined(separator: " "))
    }
}

extension ColumnRow {
    func assign(_ r: ColumnRecord, siteID: Int) {
        (self.siteID, name, url, category, periodDays, topLevel, origin) =
            (siteID, r.name, r.url, r.category.rawValue, r.periodDays, r.topLevel, "imported")
    }
    func matches(_ r: ColumnRecord, siteID: Int) -> Bool {
        (self.siteID, name, url, category) == (siteID, r.name, r.url, r.category.rawValue)
            && (periodDays, topLevel, origin) == (r.periodDays, r.topLevel, "imported")
    }
}

extension AccountRow {
    func assign(_ r: AccountRecord, unitID: Int) {
        (platform, accountID, name, self.unitID, isMain, status) = (r.platform.rawValue, r.id, r.name, unitID, r.main, r.status.rawValue)
        (feed, closureFiled, downloadURL, interaction) = (r.feed, r.closureFiled?.description, r.downloadURL, r.interaction)
        closedOn = r.closedOn?.description
    }
    func matches(_ r: AccountRecord, unitID: Int) -> Bool {
        (platform, accountID, name, self.unitID, isMain, status) == (r.platform.rawValue, r.id, r.name, unitID, r.main, r.status.rawValue)
            && (feed, closureFiled, downloadURL) == (r.feed, r.closureFiled?.description, r.downloadURL)
            && interaction == r.interaction && closedOn == r.closedOn?.description
    }
}

extension PostRow {
    /// `r` must be masked (`PostRecord.masked()`): posts are stored without personal data in clear.
    func assign(_ r: PostRecord, accountRef: Int, source: String) {
        (self.accountRef, key, published, title, url, text, self.source) = (accountRef, r.key, r.published, r.title, r.url, r.text, source)
        personalInfo = PersonalInfoMark.json(r.personalInformation ?? [])
    }
    func matches(_ r: PostRecord, accountRef: Int, source: String) -> Bool {
        (self.accountRef, key, published, title) == (accountRef, r.key, r.published, r.title)
            && (url, text, self.source) == (r.url, r.text, source)
            && personalInfo == PersonalInfoMark.json(r.personalInformation ?? [])
    }
}

extension PersonRow {
    func assign(_ r: PersonRecord, unitID: Int) {
        (self.unitID, name, role, phone, since, until, handoverTo) =
            (unitID, r.name, r.role, r.phone, r.since?.description, r.until?.description, r.handoverTo)
    }
    func matches(_ r: PersonRecord, unitID: Int) -> Bool {
        (self.unitID, name, role, phone) == (unitID, r.name, r.role, r.phone)
            && (since, until, handoverTo) == (r.since?.description, r.until?.description, r.handoverTo)
    }
}
