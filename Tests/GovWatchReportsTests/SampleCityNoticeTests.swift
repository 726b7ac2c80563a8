import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchReports
import GovWatchSampleCity
import GovWatchStore
import GovWatchTestSupport
import Testing

/// The notice of the sample city 鸿溪市 for 2022Q1, from a real inspection through the
/// fixture server (~45 s in a debug build, once for the suite), with its tickets: every
/// figure is recomputed here from the scorecards, findings and tickets; the four files are
/// written and checked by `tests/python/test_report_files.py` (python-docx, openpyxl).
@Suite(.serialized) struct SampleCityNoticeTests {
    struct Inspected: Sendable {
        var city: SampleCity
        var outcome: InspectionOutcome
        var store: Store
        var notice: Notice
        var tickets: [Ticket]
    }

    static let period = ReportPeriod.quarter(2022, 1)!

    /// Imports, probes and inspects the city, opens tickets for the findings (one reported
    /// fixed), and builds the notice; the store stays open for the suite.
    static let inspected = Task<Inspected, any Error> {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-notice-city-\(UUID().uuidString)")
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("city.sqlite").path))
        let client = try InspectionHTTPClient.make(proxy: server.proxyURL)
        do {
            let http = try SimpleHTTP(client: client, proxy: server.proxyURL)
            for kind in RegistryFile.allCases {
                _ = try await RegistryImporter.importFile(kind, data: city.registryCSVData(kind), file: "\(kind).csv", into: store)
            }
            try await ProbeRound.replay(endingAt: city.asOf, store: store, http: http)
            var configuration = CrawlConfiguration()
            configuration.proxy = server.proxyURL
            configuration.maximumPages = 2_000
            let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: configuration)
            let runner = InspectionRunner(
                store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: http), now: { city.asOf })
            let outcome = try await runner.run(
                InspectionRequest(asOf: city.asOf, indicators: .national2019, scanner: try ContentScanner.standard()))
            try await crawler.shutdown()
            try await client.shutdown()
            try await server.shutdown()

            // Tickets pushed the evening of 31 March; 澜江区 reports its 公示 fixed.
            let pushed = city.asOf.addingTimeInterval(-3 * 3_600)
            _ = try await store.applyInspection(
                findings: outcome.findings, run: outcome.run.code, asOf: city.asOf, scope: .everything,
                policy: RectificationPolicy(), now: pushed)
            let lanjiang = try #require(try await store.tickets().first { $0.target.code == "4390020001" && $0.indicator == .siteContentPrivacy })
            _ = try await store.feedback(lanjiang.code, text: "已删除", actor: "澜江区", at: pushed.addingTimeInterval(3_600))

            let notice = NoticeBuilder(today: ChinaTime.parseDay("2022-04-10")!)
                .build(try await NoticeInput.load(from: store, period: period))
            return Inspected(city: city, outcome: outcome, store: store, notice: notice, tickets: try await store.tickets())
        } catch {
            try? await client.shutdown()
            await store.close()
            try? await server.shutdown()
            throw error
        }
    }

    /// The site codes of each category of the sample city (see its roster).
    static let countyPortals: Set<String> = ["4390210001", "4390020001"]
    static let countyDepartments: Set<String> = ["4390210002"]

    @Test func overviewMatchesTheScorecards() async throws {
        let inspected = try await Self.inspected.value
        let (notice, outcome, city) = (inspected.notice, inspected.outcome, inspected.city)
        let sites = outcome.scorecards.filter { $0.target.kind == .site }
        let accounts = outcome.scorecards.filter { $0.target.kind == .account }
        #expect(sites.count == city.sites.count && accounts.count == city.accounts.count)
        #expect(notice.overview.sites == Tally(inspected: sites.count, passed: sites.filter(\.passed).count))
        #expect(notice.overview.accounts == Tally(inspected: accounts.count, passed: accounts.filter(\.passed).count))
        #expect(notice.overview.sites.percent == "\(Int((Double(sites.filter(\.passed).count) * 100 / Double(sites.count)).rounded()))%")
        #expect(notice.runs == [outcome.run.code])

        func tally(_ cards: [Scorecard]) -> Tally { Tally(inspected: cards.count, passed: cards.filter(\.passed).count) }
        let portal = sites.filter { $0.target.code == "4390000001" }
        let countyPortal = sites.filter { Self.countyPortals.contains($0.target.code) }
        let countyDepartment = sites.filter { Self.countyDepartments.contains($0.target.code) }
        let department = sites.filter {
            $0.target.code != "4390000001" && !Self.countyPortals.contains($0.target.code) && !Self.countyDepartments.contains($0.target.code)
        }
        #expect(notice.overview.sitesByCategory == [
            NamedTally(name: "市级门户网站", tally: tally(portal)), NamedTally(name: "市级部门网站", tally: tally(department)),
            NamedTally(name: "县（区）门户网站", tally: tally(countyPortal)),
            NamedTally(name: "县（区）部门网站", tally: tally(countyDepartment)),
        ])
        #expect(department.count == 14)
        let platformOf = Dictionary(uniqueKeysWithValues: city.accounts.map { ($0.id, $0.platform.rawValue) })
        let expectedPlatforms = Platform.allCases.compactMap { platform -> NamedTally? in
            let cards = accounts.filter { platformOf[$0.target.code] == platform.rawValue }
            return cards.isEmpty ? nil : NamedTally(name: platform.chineseName, tally: tally(cards))
        }
        #expect(notice.overview.accountsByPlatform == expectedPlatforms)
        #expect(notice.overview.accountsByPlatform.map(\.name) == ["微信", "微博", "抖音", "今日头条", "移动客户端"])

        // Problems: vetoes and deductions, without the column vetoes that restate columns.
        let aggregate: Set<IndicatorID> = [.siteColumnsStaleVeto, .siteColumnsUnupdatedVeto, .siteColumnsBlankVeto]
        let counted = outcome.findings.filter { $0.level != .notice && !aggregate.contains($0.indicator) }
        #expect(notice.overview.problemCount == counted.count)
        #expect(notice.overview.problemsByType.reduce(0) { $0 + $1.count } == counted.count)
        for type in notice.overview.problemsByType {
            let found = counted.filter { $0.indicator == type.indicator }
            #expect(type.count == found.count, "\(type.name)")
            #expect(type.targets == Set(found.map(\.target)).count, "\(type.name)")
        }
        #expect(notice.overview.vetoedSites == sites.filter { !$0.vetoes.isEmpty }.count)
        #expect(notice.overview.vetoedAccounts == accounts.filter { !$0.vetoes.isEmpty }.count)
        #expect(notice.previous == nil)
    }

    @Test func problemsMatchTheFindings() async throws {
        let inspected = try await Self.inspected.value
        let (p, findings) = (inspected.notice.problems, inspected.outcome.findings)
        func of(_ indicator: IndicatorID) -> [Finding] { findings.filter { $0.indicator == indicator } }

        #expect(p.staleColumnCount == of(.siteColumnStale).count)
        #expect(Set(p.staleColumns.map(\.name)) == Set(of(.siteColumnStale).map(\.target.name)))
        for site in p.staleColumns {
            #expect(Set(site.items) == Set(of(.siteColumnStale).filter { $0.target.name == site.name }.compactMap { $0.detail["column"]?.stringValue }))
        }
        #expect(p.staleColumnVetoSites == Array(Set((of(.siteColumnsStaleVeto) + of(.siteColumnsUnupdatedVeto)).map(\.target.name))).sorted())
        #expect(p.blankColumnCount == of(.siteColumnBlank).count)
        #expect(p.blankColumnVetoSites == of(.siteColumnsBlankVeto).map(\.target.name).sorted())
        #expect(p.brokenLinkCount == of(.siteLinksBroken).count)
        #expect(p.brokenOnHomepage == of(.siteLinksBroken).filter { $0.detail["onHomepage"] == .bool(true) }.count)

        // 教育局 repeats 中华人民共合国 on three pages: the notice names it.
        let education = try #require(p.siteSevereErrors.first { $0.target == "鸿溪市教育局" })
        #expect(education.wrong == "中华人民共合国" && education.correct == "中华人民共和国")
        #expect(education.count == 3 && education.pages == 3 && education.repeated)
        #expect(p.siteSevereErrors.filter(\.repeated).map(\.unit) == ["鸿溪市教育局"])
        #expect(p.accountSevereErrors.map(\.target) == of(.accountContentSevereError).map(\.target.name))

        // Personal information by column type, as the findings' columnCategory says.
        let sitePrivacy = of(.siteContentPrivacy)
        #expect(p.sitePrivacyTargets.reduce(0) { $0 + $1.count } == sitePrivacy.count)
        let consultation = sitePrivacy.filter { $0.detail["columnCategory"]?.stringValue == "consultation" }.count
        let notices = sitePrivacy.filter { $0.detail["columnCategory"]?.stringValue == "notice" }.count
        #expect(p.privacyByColumnType.first { $0.name == "领导信箱（咨询留言）栏目" }?.count == consultation)
        #expect(p.privacyByColumnType.first { $0.name == "公告公示栏目" }?.count == notices)
        #expect(consultation >= 1 && notices >= 1)
        #expect(p.privacyByColumnType.reduce(0) { $0 + $1.count } == sitePrivacy.count)
        #expect(p.privacyByKind.reduce(0) { $0 + $1.count } == sitePrivacy.count)
        #expect(p.accountPrivacyTargets.reduce(0) { $0 + $1.count } == of(.accountContentPrivacy).count)

        // New media: 卫健委's three wechat accounts, stale and zombie accounts, the closures.
        #expect(p.duplicateAccounts == [
            NamedCount(name: "鸿溪市卫生健康委员会", unit: "鸿溪市卫生健康委员会", count: 3, items: ["健康鸿溪", "鸿溪卫健服务", "鸿溪卫健宣传"], note: "微信"),
        ])
        #expect(Set(p.staleAccounts.map(\.name)) == Set(of(.accountStale).map(\.target.name)))
        #expect(Set(p.zombieAccounts.map(\.name)) == Set(of(.accountZombie).map(\.target.name)))
        #expect(p.closuresUnfiled.map(\.name) == of(.accountClosureUnfiled).map(\.target.name).sorted())
        let app = try #require(p.closuresUnfiled.first { $0.name == "鸿溪政务通" })
        #expect(app.items == ["已停用后仍提供下载"] && app.note == "移动客户端")
        let housing = try #require(p.closuresUnfiled.first { $0.name == "鸿溪住建" })
        #expect(housing.items == ["已停用未备案"])
    }

    @Test func attachmentsAndBacklogMatchTheTickets() async throws {
        let inspected = try await Self.inspected.value
        let (notice, outcome, tickets) = (inspected.notice, inspected.outcome, inspected.tickets)
        let registry = try await inspected.store.sites()
        let accounts = try await inspected.store.accounts()
        var unitOf: [String: String] = [:]
        for site in registry { unitOf["site \(site.code)"] = site.unit }
        for account in accounts { unitOf["account \(account.id)"] = account.unit }
        let serious = outcome.findings.filter { $0.level != .notice }

        // 附件2: failing sites, and passing ones with personal information, severe errors or dark links.
        let prominentSite: Set<IndicatorID> = [.siteContentPrivacy, .siteContentSevereError, .siteDarkLink]
        let expectedSites = outcome.scorecards.filter { card in
            card.target.kind == .site
                && (!card.passed || serious.contains { $0.target == card.target && prominentSite.contains($0.indicator) })
        }
        #expect(Set(notice.problemSites.map(\.code)) == Set(expectedSites.map(\.target.code)))
        #expect(notice.problemSites.prefix { !$0.passed }.count == expectedSites.filter { !$0.passed }.count)
        for row in notice.problemSites {
            let card = try #require(outcome.scorecards.first { $0.target.code == row.code })
            #expect(row.score == card.score && row.passed == card.passed && row.unit == unitOf["site \(row.code)"])
        }
        // 附件3: failing accounts, and passing ones with a prominent problem or a duplicate.
        let prominentAccount: Set<IndicatorID> = [
            .accountContentPrivacy, .accountContentSevereError, .accountClosureUnfiled, .accountZombie,
        ]
        let duplicated: Set<String> = ["hxwjfw", "hxwjxc"]
        let expectedAccounts = outcome.scorecards.filter { card in
            card.target.kind == .account
                && (!card.passed || duplicated.contains(card.target.code)
                    || serious.contains { $0.target == card.target && prominentAccount.contains($0.indicator) })
        }
        #expect(Set(notice.problemAccounts.map(\.code)) == Set(expectedAccounts.map(\.target.code)))

        // 附件1: units whose every target passed with no veto or deduction and no such ticket open.
        let cards = Dictionary(grouping: outcome.scorecards.filter { $0.target.kind != .unit }) { unitOf["\($0.target.kind.rawValue) \($0.target.code)"]! }
        let unresolved = Set(tickets.filter { $0.state.isActive && $0.level != .notice }.map(\.unit))
        let expectedUnits = cards.filter { unit, cards in
            unit != notice.office && cards.allSatisfy(\.passed) && !unresolved.contains(unit)
                && !serious.contains { ($0.target.kind == .unit ? $0.target.code : unitOf["\($0.target.kind.rawValue) \($0.target.code)"]) == unit }
        }.keys
        #expect(Set(notice.commended.map(\.unit)) == Set(expectedUnits))
        #expect(notice.commended.map(\.unit).contains("鸿溪市财政局"))
        #expect(!notice.commended.map(\.unit).contains("鸿溪市澜江区人民政府办公室"))  // its leak is in 附件2

        // The backlog: every ticket pushed on 31 March, none overdue yet, one reported fixed.
        let b = notice.backlog
        #expect(b.total == tickets.count)
        #expect(tickets.count == Set(outcome.findings.filter { !Reinspection.loopIndicators.contains($0.indicator) && !Reinspection.officeIndicators.contains($0.indicator) }.map(\.fingerprint)).count)
        #expect(b.feedback == 1 && b.open == tickets.count - 1 && b.closed == 0 && b.overdue == 0)
        #expect(b.units.reduce(0) { $0 + $1.backlog } == b.unresolved)
        #expect(b.units.first { $0.unit == "鸿溪市澜江区人民政府办公室" }?.feedback == 1)
    }

    /// Writes the four files and runs the Python check on them (python-docx, openpyxl).
    @Test(.requires(ToolAvailability.pythonReportModules)) func filesPassThePythonCheck() async throws {
        let notice = try await Self.inspected.value.notice
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-notice-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for format in NoticeFormat.allCases {
            let name = format == .xlsx ? "通报附件-\(notice.period.code).xlsx" : "通报-\(notice.period.code).\(format.fileExtension)"
            try format.write(notice, to: folder.appendingPathComponent(name))
        }
        try ExpectedFigures(notice).write(to: folder.appendingPathComponent("expected.json"))
        try await PythonCheck.run(folder: folder)
    }
}

/// The figures `tests/python/test_report_files.py` checks the files against.
struct ExpectedFigures: Encodable {
    var title: String
    var office: String
    var date: String
    var sites: [String: String]
    var accounts: [String: String]
    var problemCount: Int
    var headings: [String]
    var commended: [String]
    var problemSites: [String]
    var problemAccounts: [String]
    var problemSiteScores: [Double]

    init(_ notice: Notice) {
        title = notice.title
        office = notice.office
        date = notice.dateText
        sites = ["inspected": "\(notice.overview.sites.inspected)", "passed": "\(notice.overview.sites.passed)", "percent": notice.overview.sites.percent]
        accounts = ["inspected": "\(notice.overview.accounts.inspected)", "passed": "\(notice.overview.accounts.passed)", "percent": notice.overview.accounts.percent]
        problemCount = notice.overview.problemCount
        headings = ["一、总体情况", "二、工作成效", "三、主要问题", "四、下一步工作要求"]
        commended = notice.commended.map(\.unit)
        problemSites = notice.problemSites.map(\.name)
        problemAccounts = notice.problemAccounts.map(\.name)
        problemSiteScores = notice.problemSites.map(\.score)
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url)
    }
}

/// Runs `python3 -m pytest tests/python/test_report_files.py` on a folder of generated files.
///
/// The test carries `.requires(ToolAvailability.pythonReportModules)`: skipped (reported by
/// Swift Testing, with the reason) when python3, pytest, python-docx or openpyxl is missing
/// outside CI; in CI (`CI` set) their absence is a failure.
enum PythonCheck {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func run(folder: URL) async throws {
        let script = repositoryRoot.appendingPathComponent("tests/python/test_report_files.py")
        try ToolAvailability.require(ToolAvailability.pythonReportModules)
        let result = try await shell(
            ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", script.path],
            environment: ["GOVWATCH_REPORT_DIR": folder.path])
        #expect(result.status == 0, "pytest failed:\n\(result.output)")
    }

    static func shell(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"), arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new }, stderrIntoStdout: true)
        return (result.status, result.stdout)
    }
}
