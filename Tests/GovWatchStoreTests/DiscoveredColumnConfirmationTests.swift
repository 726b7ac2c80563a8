import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// Columns the crawler discovered are proposals (their findings are notices, outside the
/// column vetoes) until an administrator confirms them: `govwatch list discovered-columns
/// --format csv`, checked and corrected, then `govwatch import columns` of that file.
@Suite struct DiscoveredColumnConfirmationTests {
    static let sites = """
        code,name,url,kind,unit,parent
        4301000021,鸿溪市交通运输局,http://jtj.hongxi.gov.cn/,department,鸿溪市交通运输局,鸿溪市人民政府

        """

    @Test(arguments: TestDatabases.backends)
    func importingTheDiscoveredListConfirmsIt(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sites.utf8), file: "sites.csv", into: store)
            let found = [
                ColumnRecord(site: "4301000021", name: "交通动态", url: "http://jtj.hongxi.gov.cn/jtdt/index.html", category: .news),
                ColumnRecord(
                    site: "4301000021", name: "局长信箱", url: "http://wlwz.hongxi.gov.cn/webapp/hx/email/index.jsp?dept=jtj",
                    category: .consultation),
            ]
            #expect(try await store.recordDiscoveredColumns(found, siteCode: "4301000021") == 2)
            var columns = try await store.siteColumns(siteCode: "4301000021")
            #expect(columns.imported.isEmpty)
            #expect(columns.discovered.map(\.name).sorted() == ["交通动态", "局长信箱"])

            // The administrator exports the proposals, keeps one, and imports it.
            let listed = try await RegistryListing.render("discovered-columns", format: "csv", from: store)
            let kept = listed.split(separator: "\n").filter { !$0.contains("局长信箱") }.joined(separator: "\n") + "\n"
            _ = try await RegistryImporter.importFile(.columns, data: Data(kept.utf8), file: "columns.csv", into: store)

            columns = try await store.siteColumns(siteCode: "4301000021")
            #expect(columns.imported.map(\.name) == ["交通动态"])
            #expect(columns.discovered.map(\.name) == ["局长信箱"])
            // Recording the same proposal again leaves the confirmed column as it is.
            #expect(try await store.recordDiscoveredColumns(found, siteCode: "4301000021") == 0)
            #expect(try await store.siteColumns(siteCode: "4301000021").imported.map(\.name) == ["交通动态"])
        }
    }
}
