import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// 加分 entered per portal and run, and the registry's added columns (other domains, the day
/// an account was stopped), on SQLite and PostgreSQL.
@Suite struct BonusPointsStoreTests {
    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位,其他域名
        4390000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府办公室,鸿溪市人民政府,鸿溪市人民政府.政务 www.hongxi.cn
        4390000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府,

        """

    static let accounts = """
        platform,id,name,unit,status,closure_filed,closed_on
        app,cn.gov.hongxi.zwt,鸿溪政务通,鸿溪市人民政府办公室,stopped,2022-03-20,2022-01-10

        """

    @Test(arguments: TestDatabases.backends)
    func bonusIsStoredPerRunAndAppliedWhenScorecardsAreRead(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sites.utf8), file: "sites.csv", into: store)
            let t0 = ChinaTime.parseMoment("2022-04-01T00:00:00")!
            let run = try await store.startRun(asOf: t0, indicatorSet: "national-2019@1", startedAt: t0)
            let portal = Target(kind: .site, code: "4390000001", name: "鸿溪市人民政府")
            let department = Target(kind: .site, code: "4390000002", name: "鸿溪市教育局")
            try await store.record(
                [Scorecard(target: portal, score: 92, vetoes: [], passed: true), Scorecard(target: department, score: 95, vetoes: [], passed: true)],
                in: run.code)
            try await store.finishRun(run.code, at: t0)

            let rule = BonusRule(indicators: .national2019)
            try await store.setBonus(BonusEntry(run: run.code, siteCode: portal.code, points: 12, reason: "政务公开创新做法", rule: rule, enteredAt: t0))
            var cards = try await store.scorecards(of: "latest").1
            #expect(cards.map(\.bonus) == [12, 0])
            #expect(cards.map(\.total) == [104, 95])
            #expect(cards.map(\.score) == [92, 95])

            // Entered again: replaced, and capped at the rule's maxBonus (30).
            try await store.setBonus(BonusEntry(run: run.code, siteCode: portal.code, points: 45, reason: "获评省级优秀网站", rule: rule, enteredAt: t0))
            cards = try await store.scorecards(of: run.code).1
            #expect(cards.first?.bonus == 30)
            #expect(cards.first?.total == 122)
            let (_, entries) = try await store.bonuses(of: run.code)
            #expect(entries.map(\.points) == [45])
            #expect(entries.map(\.reason) == ["获评省级优秀网站"])
            #expect(entries.first?.rule == rule)

            // The notice's query shows the same.
            let period = try await store.periodResults(asOfAfter: t0.addingTimeInterval(-86_400 * 90), through: t0)
            #expect(period.scorecards.first { $0.target == portal }?.bonus == 30)
            #expect(period.scorecards.first { $0.target == department }?.bonus == 0)

            // A stricter rule stored with the entry: the portal's 92 is not above 95.
            try await store.setBonus(BonusEntry(
                run: run.code, siteCode: portal.code, points: 10, reason: "创新", rule: BonusRule(entryScore: 95, maxBonus: 30), enteredAt: t0))
            #expect(try await store.scorecards(of: run.code).1.first?.bonus == 0)

            #expect(try await store.removeBonus(run: run.code, siteCode: portal.code))
            #expect(try await !store.removeBonus(run: run.code, siteCode: portal.code))
            #expect(try await store.scorecards(of: run.code).1.first?.total == 92)
        }
    }

    @Test(arguments: TestDatabases.backends)
    func otherDomainsAndTheStopDateRoundTrip(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sites.utf8), file: "sites.csv", into: store)
            _ = try await RegistryImporter.importFile(.accounts, data: Data(Self.accounts.utf8), file: "accounts.csv", into: store)
            let portal = try #require(try await store.site("4390000001"))
            #expect(portal.aliases == ["xn--gmq658ainal6so7i63dgq4i.xn--zfr164b", "www.hongxi.cn"])
            #expect(try await store.site("4390000002")?.aliases == [])
            let app = try #require(try await store.accounts().first)
            #expect(app.closedOn == CalendarDate(year: 2022, month: 1, day: 10))
            #expect(app.closureFiled == CalendarDate(year: 2022, month: 3, day: 20))
            // `list --format csv` re-imports without changes.
            let again = try await RegistryImporter.importFile(
                .sites, data: Data(RegistryCSV.render(sites: try await store.sites()).utf8), file: "again.csv", into: store)
            #expect(again.inserted == 0 && again.updated == 0)
            let accountsAgain = try await RegistryImporter.importFile(
                .accounts, data: Data(RegistryCSV.render(accounts: try await store.accounts()).utf8), file: "again.csv", into: store)
            #expect(accountsAgain.inserted == 0 && accountsAgain.updated == 0)
        }
    }
}
