import Foundation
import GovWatchCore
import GovWatchTestSupport
import Testing

/// `govwatch import` and `govwatch list` as a user runs them: the real binary, a real file.
@Suite struct ImportCommandTests {
    /// Runs the built `govwatch` (next to the test bundle) in `directory`, with the runner's
    /// environment less `GOVWATCH_DB`.
    static func govwatch(_ arguments: [String], in directory: URL) async throws -> ProcessOutput {
        try await GovWatchBinary.run(arguments, in: directory, environment: GovWatchBinary.environmentWithoutDatabase)
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位
        4301000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府办公室,
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府

        """

    @Test func gbkFileImportsIntoTheDefaultDatabaseAndListsBack() async throws {
        let directory = try Self.scratch()
        try sites.data(using: TextDecoding.gb18030)!.write(to: directory.appendingPathComponent("网站.csv"))
        let imported = try await Self.govwatch(["import", "sites", "网站.csv"], in: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("新增 2 条"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("govwatch.sqlite").path))

        let listed = try await Self.govwatch(["list", "sites"], in: directory)
        #expect(listed.stdout.contains("鸿溪市教育局"))
        #expect(listed.stdout.contains("共 2 个网站"))
        let csv = try await Self.govwatch(["list", "sites", "--format", "csv"], in: directory)
        try Data(csv.stdout.utf8).write(to: directory.appendingPathComponent("listed.csv"))
        let again = try await Self.govwatch(["import", "sites", "listed.csv"], in: directory)
        #expect(again.stdout.contains("新增 0 条，更新 0 条，未变化 2 条"))
        let units = try await Self.govwatch(["list", "units", "--format", "json"], in: directory)
        #expect(units.stdout.contains("\"parent\" : \"鸿溪市人民政府\""))
    }

    @Test func badRowExitsTwoNamingLineAndFieldAndChangesNothing() async throws {
        let directory = try Self.scratch()
        try Data(sites.utf8).write(to: directory.appendingPathComponent("sites.csv"))
        #expect(try await Self.govwatch(["import", "sites", "sites.csv", "--db", "sqlite://db/gw.sqlite"], in: directory).status == 0)
        let before = try await Self.govwatch(["list", "sites", "--format", "json", "--db", "sqlite://db/gw.sqlite"], in: directory).stdout

        let bad = sites + "4301000003,鸿溪市公安局,http://gaj.hongxi.gov.cn/,部门网站,鸿溪市公安局,\n43010000X4,坏行,http://x.gov.cn/,部门网站,某局,\n"
        try Data(bad.utf8).write(to: directory.appendingPathComponent("bad.csv"))
        let result = try await Self.govwatch(["import", "sites", "bad.csv", "--db", "sqlite://db/gw.sqlite"], in: directory)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("govwatch: bad.csv:5: field '网站标识码': "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let after = try await Self.govwatch(["list", "sites", "--format", "json", "--db", "sqlite://db/gw.sqlite"], in: directory).stdout
        #expect(after == before)
        #expect(!after.contains("鸿溪市公安局"))
    }

    @Test func unreadableFileAndBadDatabaseURLExitTwo() async throws {
        let directory = try Self.scratch()
        let missing = try await Self.govwatch(["import", "sites", "nope.csv"], in: directory)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.csv"))
        let badURL = try await Self.govwatch(["list", "sites", "--db", "mysql://x"], in: directory)
        #expect(badURL.status == 2)
        #expect(badURL.stderr.contains("数据库地址"))
        let badKind = try await Self.govwatch(["import", "things", "x.csv"], in: directory)
        #expect(badKind.status == 2)
        #expect(badKind.stderr.split(separator: "\n").count == 1)
    }
}
