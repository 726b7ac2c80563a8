import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// The web platform's queries, on SQLite and PostgreSQL: a county user's subtree holds the
/// county and its departments only, and no list, count or lookup leaks another unit's rows.
@Suite struct WebQueriesStoreTests {
    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位
        4301000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府,
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府
        4301210001,青川县人民政府,http://www.qingchuan.gov.cn/,政府门户网站,青川县人民政府,鸿溪市人民政府
        4301210002,青川县卫生健康局,http://wjj.qingchuan.gov.cn/,部门网站,青川县卫生健康局,青川县人民政府

        """
    static let accounts = """
        平台,账号ID,账号名称,主办单位
        wechat,qc_wjj,青川卫健,青川县卫生健康局
        weibo,hx_jyj,鸿溪教育,鸿溪市教育局

        """

    let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    let now = ChinaTime.parseMoment("2022-04-01T09:00:00")!

    func target(_ kind: Target.Kind, _ code: String) -> Target { Target(kind: kind, code: code, name: code) }

    /// The registry, a finished run with findings and scorecards, and a ticket per finding.
    func seeded(_ store: Store) async throws -> InspectionRun {
        _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sites.utf8), file: "sites.csv", into: store)
        _ = try await RegistryImporter.importFile(.accounts, data: Data(Self.accounts.utf8), file: "accounts.csv", into: store)
        let run = try await store.startRun(asOf: asOf, indicatorSet: "national-2019@1", startedAt: now)
        var findings: [Finding] = []
        for (kind, code) in [(Target.Kind.site, "4301000002"), (.site, "4301210001"), (.site, "4301210002"), (.account, "qc_wjj"), (.account, "hx_jyj")] {
            for key in ["a", "b"] {
                findings.append(
                    Finding(
                        target: target(kind, code), indicator: .siteLinksBroken, level: .deduction, url: "http://x/\(code)/\(key)",
                        detail: ["status": 404], locationKey: key))
            }
        }
        findings.append(Finding(target: target(.unit, "青川县卫生健康局"), indicator: .unitStaffUnassigned, level: .deduction, locationKey: "u"))
        try await store.record(findings, in: run.code)
        try await store.record(
            [
                Scorecard(target: target(.site, "4301000002"), score: 90, vetoes: [], passed: true),
                Scorecard(target: target(.site, "4301210001"), score: 50, vetoes: [.siteHomepageStale], passed: false),
                Scorecard(target: target(.site, "4301210002"), score: 95, vetoes: [], passed: true),
                Scorecard(target: target(.account, "qc_wjj"), score: 95, vetoes: [], passed: true),
            ], in: run.code)
        try await store.finishRun(run.code, at: now)
        _ = try await store.applyInspection(
            findings: findings, run: run.code, asOf: asOf, scope: .everything, policy: RectificationPolicy(), now: now)
        return run
    }

    @Test(arguments: TestDatabases.backends)
    func countySubtreeSeesOnlyTheCounty(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let run = try await seeded(store)
            let county = try #require(try await store.unitSubtree(named: "青川县人民政府"))
            #expect(county.names == ["青川县人民政府", "青川县卫生健康局"])
            #expect(try await store.unitSubtree(named: "不存在的单位") == nil)
            let city = try #require(try await store.unitSubtree(named: "鸿溪市人民政府"))
            #expect(city.names.count == 4)

            #expect(try await store.units(within: county).map(\.name) == ["青川县人民政府", "青川县卫生健康局"])
            #expect(try await store.sites(within: county).map(\.code) == ["4301210001", "4301210002"])
            #expect(try await store.accounts(within: county).map(\.id) == ["qc_wjj"])

            // Findings: two per county site and account, and the county department's own.
            let (_, page) = try await store.findings(of: run.code, filter: FindingFilter(units: county), limit: 3, offset: 0)
            #expect(page.total == 7)
            #expect(page.items.count == 3)
            let (_, rest) = try await store.findings(of: run.code, filter: FindingFilter(units: county), limit: 50, offset: 3)
            #expect(rest.items.count == 4)
            let seen = Set((page.items + rest.items).map(\.target.code))
            #expect(seen == ["4301210001", "4301210002", "qc_wjj", "青川县卫生健康局"])
            // A filter for another unit's target inside the county scope finds nothing.
            let (_, other) = try await store.findings(
                of: run.code, filter: FindingFilter(target: "4301000002", units: county), limit: 50, offset: 0)
            #expect(other.total == 0 && other.items.isEmpty)
            let (_, everything) = try await store.findings(of: run.code, filter: FindingFilter(), limit: 500, offset: 0)
            #expect(everything.total == 11)
            let (_, unitLevel) = try await store.findings(
                of: run.code, filter: FindingFilter(indicator: "unit.staff.unassigned"), limit: 500, offset: 0)
            #expect(unitLevel.items.map(\.target.code) == ["青川县卫生健康局"])

            let counts = try await store.counts(of: run.code, within: county)
            #expect(counts.targets == 3 && counts.passed == 2 && counts.failed == 1 && counts.findings == 7)
            let all = try await store.counts(of: run.code, within: nil)
            #expect(all.targets == 4 && all.findings == 11)

            let (_, cards) = try await store.scorecards(of: run.code, within: county)
            #expect(cards.map(\.target.code) == ["4301210001", "4301210002", "qc_wjj"])
            let latest = try #require(try await store.latestScorecard(kind: .site, code: "4301210001"))
            #expect(latest.0.code == run.code && latest.1.vetoes == [.siteHomepageStale])
            #expect(try await store.latestScorecard(kind: .site, code: "4301000001") == nil)

            let runs = try await store.runs(limit: 10, offset: 0)
            #expect(runs.total == 1 && runs.items.map(\.code) == [run.code])
        }
    }

    @Test(arguments: TestDatabases.backends)
    func ticketPagesAreScopedFilteredAndCounted(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await seeded(store)
            let county = try #require(try await store.unitSubtree(named: "青川县人民政府"))
            let department = try #require(try await store.unitSubtree(named: "青川县卫生健康局"))

            let all = try await store.tickets(ScopedTicketFilter(), limit: 500, offset: 0)
            #expect(all.total == 11)
            let page = try await store.tickets(ScopedTicketFilter(units: county), limit: 4, offset: 0)
            #expect(page.total == 7 && page.items.count == 4)
            let second = try await store.tickets(ScopedTicketFilter(units: county), limit: 4, offset: 4)
            #expect(second.items.count == 3)
            #expect(Set((page.items + second.items).map(\.unit)) == ["青川县人民政府", "青川县卫生健康局"])
            #expect((page.items + second.items).map { $0.id! } == (page.items + second.items).map { $0.id! }.sorted())

            let narrowed = try await store.tickets(ScopedTicketFilter(units: county.intersection(department)), limit: 50, offset: 0)
            #expect(narrowed.total == 5 && narrowed.items.allSatisfy { $0.unit == "青川县卫生健康局" })
            let byIndicator = try await store.tickets(ScopedTicketFilter(indicator: "unit.staff.unassigned"), limit: 50, offset: 0)
            #expect(byIndicator.items.map(\.target.code) == ["青川县卫生健康局"])

            // Overdue: deadlines are 10 working days after 2022-04-01 (a holiday week later).
            let deadline = try #require(all.items.first?.deadline)
            let dayAfter = deadline.endOfDay.addingTimeInterval(3_600)
            let overdue = try await store.tickets(ScopedTicketFilter(overdueAt: dayAfter, units: county), limit: 50, offset: 0)
            #expect(overdue.total == 7 && overdue.items.allSatisfy { $0.isOverdue(at: dayAfter) })
            let onTheDay = try await store.tickets(ScopedTicketFilter(overdueAt: deadline.endOfDay), limit: 50, offset: 0)
            #expect(onTheDay.total == 0)

            // A ticket of another unit is nil inside the county scope, as a missing one.
            let cityTicket = try #require(all.items.first { $0.unit == "鸿溪市教育局" })
            #expect(try await store.ticket(cityTicket.code, within: county) == nil)
            #expect(try await store.ticket(cityTicket.code, within: nil)?.code == cityTicket.code)
            #expect(try await store.ticket("T-999999", within: nil) == nil)
            #expect(try await store.ticket("../etc", within: nil) == nil)
        }
    }

    /// The batched and narrowed reads of the web pages (`scorecards(ofRuns:)`, `latestScorecard`,
    /// `units(within:)` counting in the database, sites and accounts read without Fluent's
    /// models) give what the one-run and full reads give.
    @Test(arguments: TestDatabases.backends)
    func batchedReadsMatchTheOneByOneReads(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let first = try await seeded(store)
            let later = now.addingTimeInterval(86_400)
            let second = try await store.startRun(asOf: asOf, indicatorSet: "national-2019@1", startedAt: later)
            try await store.record(
                [
                    Scorecard(target: target(.site, "4301210001"), score: 85, vetoes: [], passed: true),
                    Scorecard(target: target(.site, "4301000002"), score: 70, vetoes: [.siteHomepageStale], passed: false),
                    Scorecard(target: target(.account, "hx_jyj"), score: 90, vetoes: [], passed: true),
                ], in: second.code)
            try await store.finishRun(second.code, at: later)
            let rule = BonusRule(indicators: .national2019)
            try await store.setBonus(
                BonusEntry(run: second.code, siteCode: "4301210001", points: 5, reason: "创新做法", rule: rule, enteredAt: later))
            try await store.setBonus(
                BonusEntry(run: first.code, siteCode: "4301210002", points: 3, reason: "创新做法", rule: rule, enteredAt: later))

            let county = try #require(try await store.unitSubtree(named: "青川县人民政府"))
            for scope in [nil, county] {
                let batched = try await store.scorecards(ofRuns: [second.code, first.code, "r-unknown"], within: scope)
                for run in [first.code, second.code] {
                    let oneByOne = try await store.scorecards(of: run, within: scope).1
                    #expect(batched[run] == oneByOne)
                }
                #expect(batched["r-unknown"] == nil)
            }
            #expect(try await store.scorecards(ofRuns: [], within: nil).isEmpty)
            #expect(try await store.scorecards(ofRuns: [second.code], within: county)[second.code]?.map(\.bonus) == [5])

            // The newest card of a target, bonus included, as the run's full read has it.
            for code in ["4301210001", "4301210002", "4301000002"] {
                let latest = try #require(try await store.latestScorecard(kind: .site, code: code))
                let full = try await store.scorecards(of: latest.0.code).1.first { $0.target.code == code }
                #expect(latest.1 == full)
            }
            #expect(try await store.latestScorecard(kind: .site, code: "4301210001")?.1.bonus == 5)

            for scope in [nil, county] {
                let expected = try await store.units().filter { scope?.contains(unit: $0.name) ?? true }
                let counted = try await store.units(within: scope)
                #expect(counted == expected)
                let sites = try await store.sites().filter { scope?.contains(unit: $0.unit) ?? true }
                let scopedSites = try await store.sites(within: scope)
                #expect(scopedSites == sites)
                let accounts = try await store.accounts().filter { scope?.contains(unit: $0.unit) ?? true }
                let scopedAccounts = try await store.accounts(within: scope)
                #expect(scopedAccounts == accounts)
            }
            #expect(try await store.sites(within: county).map(\.parent) == ["鸿溪市人民政府", "青川县人民政府"])
            let department = try #require(try await store.units(within: nil).first { $0.name == "青川县卫生健康局" })
            #expect(department.sites == 1 && department.accounts == 1)
        }
    }
}
