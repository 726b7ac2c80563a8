import Foundation
import GovWatchCore
import GovWatchStore
import SQLKit
import Testing

/// Imports and listings against SQLite and a real PostgreSQL server.
@Suite struct RegistryImportTests {
    static let sitesCSV = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位,ICP备案号,公安备案号
        4301000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府办公室,,湘ICP备05001234号,湘公网安备 43010202000123号
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府,湘ICP备05001234号-2,
        4301000010,青山县人民政府,http://www.qingshan.gov.cn/,portal,青山县人民政府,,,
        4301000011,青山县卫生健康局,http://wjj.qingshan.gov.cn/,department,青山县卫生健康局,青山县人民政府,,

        """

    static func data(_ text: String) -> Data { Data(text.utf8) }

    func importSites(_ store: Store, _ text: String, file: String = "sites.csv") async throws -> ImportSummary {
        try await RegistryImporter.importFile(.sites, data: Self.data(text), file: file, into: store)
    }

    @Test(arguments: TestDatabases.backends)
    func importsSitesCreatesUnitsAndListsThem(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let summary = try await importSites(store, Self.sitesCSV)
            #expect(summary.inserted == 4)
            #expect(summary.unitsCreated == 5)
            let sites = try await store.sites()
            #expect(sites.map(\.code) == ["4301000001", "4301000002", "4301000010", "4301000011"])
            #expect(sites[1].parent == "鸿溪市人民政府")
            #expect(sites[1].kind == .department)
            #expect(sites[0].police == "湘公网安备 43010202000123号")
            let units = try await store.units()
            #expect(units.first { $0.name == "青山县卫生健康局" }?.parent == "青山县人民政府")
            #expect(units.first { $0.name == "鸿溪市教育局" }?.sites == 1)
        }
    }

    @Test(arguments: TestDatabases.backends)
    func reimportOfListedCSVChangesNothing(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await importSites(store, Self.sitesCSV)
            let listed = try await RegistryListing.render("sites", format: "csv", from: store)
            let again = try await importSites(store, listed, file: "listed.csv")
            #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 4)
            #expect(try await RegistryListing.render("sites", format: "csv", from: store) == listed)
        }
    }

    @Test(arguments: TestDatabases.backends)
    func upsertUpdatesByCode(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await importSites(store, Self.sitesCSV)
            let summary = try await importSites(
                store, "code,name,url,kind,unit\n4301000002,鸿溪市教育局（新）,https://jyj.hongxi.gov.cn/,department,鸿溪市教育局\n")
            #expect(summary.updated == 1 && summary.inserted == 0)
            let site = try await store.sites().first { $0.code == "4301000002" }
            #expect(site?.name == "鸿溪市教育局（新）")
            #expect(site?.url == "https://jyj.hongxi.gov.cn/")
        }
    }

    @Test(arguments: TestDatabases.backends)
    func badRowRejectsWholeFileAndChangesNothing(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await importSites(store, Self.sitesCSV)
            let before = try await snapshot(store)
            // Row 3 refers to a site that is not registered: caught inside the transaction,
            // after row 2 was already written.
            let columns = """
                site,name,url,category
                4301000001,政务动态,http://www.hongxi.gov.cn/xwdt/,news
                4301000099,通知公告,http://x.hongxi.gov.cn/tzgg/,notice

                """
            let error = await #expect(throws: ImportError.self) {
                try await RegistryImporter.importFile(.columns, data: Self.data(columns), file: "columns.csv", into: store)
            }
            #expect(error?.description.hasPrefix("columns.csv:3: field 'site': ") == true)
            #expect(try await snapshot(store) == before)

            // A bad enumeration in the last row: the earlier, valid rows are not imported either.
            let sites = Self.sitesCSV + "4301000003,鸿溪市公安局,http://gaj.hongxi.gov.cn/,派出所,鸿溪市公安局,,,\n"
            let siteError = await #expect(throws: ImportError.self) { try await importSites(store, sites) }
            #expect(siteError?.line == 6)
            #expect(siteError?.field == "网站类型")
            #expect(try await snapshot(store) == before)
        }
    }

    @Test(arguments: TestDatabases.backends)
    func columnsAccountsPostsAndPeopleRoundTrip(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await importSites(store, Self.sitesCSV)
            let columns = """
                网站标识码,栏目名称,栏目地址,栏目类型,更新周期（天）,一级栏目
                4301000001,政务动态,http://www.hongxi.gov.cn/xwdt/,动态要闻,,是
                4301000001,人事任免,http://www.hongxi.gov.cn/rsrm/,personnel,365,否

                """
            let accounts = """
                platform,id,name,unit,main,status,feed,closure_filed,download_url
                wechat,hongxi_fabu,鸿溪发布,鸿溪市人民政府办公室,1,active,http://feeds.hongxi.gov.cn/wechat/hongxi_fabu.xml,,
                app,cn.gov.hongxi.app,鸿溪通,鸿溪市大数据中心,0,停用,,2022-01-05,http://app.hongxi.gov.cn/download

                """
            let posts = """
                平台,账号ID,发布时间,标题,链接,正文
                微信,hongxi_fabu,2022-03-10 09:30,鸿溪市召开春季植树动员会,https://mp.weixin.qq.com/s/abc,"会议要求，""全民义务植树""。"

                """
            let people = """
                单位,姓名,岗位,电话,起始日期,离岗日期,交接人
                鸿溪市教育局,李明,网站管理员,0731-88886666,2020-01-01,2022-02-28,
                鸿溪市教育局,王芳,网站管理员,0731-88886667,2022-03-01,,

                """
            for (kind, text) in [(RegistryFile.columns, columns), (.accounts, accounts), (.posts, posts), (.people, people)] {
                _ = try await RegistryImporter.importFile(kind, data: Self.data(text), file: "\(kind).csv", into: store)
            }
            let storedColumns = try await store.columns()
            #expect(storedColumns.count == 2)
            #expect(storedColumns.first { $0.name == "人事任免" }?.periodDays == 365)
            #expect(storedColumns.first { $0.name == "人事任免" }?.topLevel == false)
            // One site's (a worker's task reads only its own site and columns).
            #expect(try await store.columns(site: "4301000001") == storedColumns)
            #expect(try await store.columns(site: "4301000002").isEmpty)
            #expect(try await store.site("4301000002")?.name == "鸿溪市教育局")
            #expect(try await store.site("4301000002")?.parent == "鸿溪市人民政府")
            #expect(try await store.site("4301999999") == nil)
            let storedAccounts = try await store.accounts()
            #expect(storedAccounts.first { $0.platform == .app }?.status == .stopped)
            #expect(storedAccounts.first { $0.platform == .app }?.closureFiled == CalendarDate(year: 2022, month: 1, day: 5))
            let storedPosts = try await store.posts()
            #expect(storedPosts.first?.text == "会议要求，\"全民义务植树\"。")
            #expect(storedPosts.first.map { ChinaTime.iso8601($0.published) } == "2022-03-10T09:30:00+08:00")
            #expect(try await store.people().count == 2)

            // Every listing re-imports unchanged.
            for kind in [RegistryFile.columns, .accounts, .posts, .people] {
                let listed = try await RegistryListing.render(kind.rawValue, format: "csv", from: store)
                let summary = try await RegistryImporter.importFile(kind, data: Self.data(listed), file: "listed.csv", into: store)
                #expect(summary.inserted == 0 && summary.updated == 0, "\(kind) changed on re-import")
            }
        }
    }

    @Test(arguments: TestDatabases.backends)
    func importsGBKFileWithChineseHeaders(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let gbk = Self.sitesCSV.data(using: TextDecoding.gb18030)!
            #expect(String(data: gbk, encoding: .utf8) == nil)
            let summary = try await RegistryImporter.importFile(.sites, data: gbk, file: "sites-gbk.csv", into: store)
            #expect(summary.inserted == 4)
            #expect(try await store.sites().first?.name == "鸿溪市人民政府")
        }
    }

    @Test(arguments: TestDatabases.backends)
    func migrationsRunOnceAndReopenKeepsData(_ backend: TestDatabases.Backend) async throws {
        let location = try await TestDatabases.fresh(backend)
        let first = try await Store.open(location)
        _ = try await importSites(first, Self.sitesCSV)
        await first.close()
        let second = try await Store.open(location)
        #expect(try await second.sites().count == 4)
        await second.close()
    }

    @Test func sqliteRunsWithAWriteAheadLogAndWaitsForAnotherWriter() async throws {
        guard case .sqlite(let path) = try await TestDatabases.fresh(.sqlite) else {
            Issue.record("a fresh SQLite database was expected")
            return
        }
        let store = try await Store.open(.sqlite(path: path))
        let sql = try #require(store.database as? any SQLDatabase)
        let rows = try await sql.raw("PRAGMA journal_mode").all()
        #expect(try rows.first?.decode(column: "journal_mode", as: String.self) == "wal")
        let timeout = try await sql.raw("PRAGMA busy_timeout").all()
        #expect(try timeout.first?.decode(column: "timeout", as: Int.self) == 10_000)
        // Another process's store on the same file writes while this one is open.
        let other = try await Store.open(.sqlite(path: path))
        _ = try await importSites(other, Self.sitesCSV)
        #expect(try await store.sites().count == 4)
        await other.close()
        await store.close()
    }

    /// Everything a registry import can touch, as text.
    func snapshot(_ store: Store) async throws -> [String] {
        var out: [String] = []
        for kind in ["sites", "columns", "accounts", "people", "units", "posts"] {
            out.append(try await RegistryListing.render(kind, format: "json", from: store))
        }
        return out
    }
}
