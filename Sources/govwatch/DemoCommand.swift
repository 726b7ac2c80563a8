import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchReports
import GovWatchSampleCity
import GovWatchServer
import GovWatchStore
import Logging
import ServiceLifecycle

/// `govwatch demo`: the main job on embedded data.
///
/// Starts the sample city 鸿溪市 on loopback, creates a fresh SQLite database in a folder it
/// prints, imports the city's registry files, replays a week of availability probes, inspects
/// every site and account as of 2022-03-31, prints the scorecard, and writes the quarter's
/// notice (通报) in .docx, HTML and Markdown with its attachments in .xlsx; then, unless
/// `--no-serve`, serves the results on a free loopback port with one login per role until
/// interrupted (web.md "Starting it").
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "演示：启动内置示例城市“鸿溪市”，导入台账、检查全部网站和政务新媒体并输出结果。"
    )

    @Option(help: "演示数据目录（默认在临时目录新建）")
    var output: String?

    @Option(help: "每个网站最多抓取的页面数")
    var maxPages = 2_000

    @Flag(name: .customLong("no-serve"), help: "写完结果文件后退出，不启动网页平台")
    var noServe = false

    func run() async throws {
        let folder = URL(fileURLWithPath: output ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("govwatch-demo-\(Int(Date().timeIntervalSince1970))").path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let databasePath = folder.appendingPathComponent("govwatch.sqlite").path
        // With the database's write-ahead log and its index: a log left by a killed run must
        // not be replayed into the new database.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }

        say("GovWatch 演示：鸿溪市（虚构）政府网站与政务新媒体检查")
        say("数据目录：\(folder.path)")
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        say("示例城市已在 \(server.proxyURL) 启动（HTTP 代理方式访问 \(city.sites.count) 个网站、\(city.accounts.count) 个账号）")

        let store = try await Store.open(.sqlite(path: databasePath))
        let client = try HTTPClientHandle(proxy: server.proxyURL)
        do {
            try await runDemo(city: city, store: store, client: client, folder: folder, proxy: server.proxyURL)
            try await demonstrateLoop(city: city, store: store, client: client, server: server, folder: folder)
            if !noServe { try await serveResults(store: store, proxy: server.proxyURL) }
        } catch {
            await client.shutdown()
            await store.close()
            try? await server.shutdown()
            throw error
        }
        await client.shutdown()
        await store.close()
        try await server.shutdown()
    }

    func runDemo(city: SampleCity, store: Store, client: HTTPClientHandle, folder: URL, proxy: String) async throws {
        // 1. The registry, as the national reporting systems export it.
        say("\n一、导入台账")
        for kind in RegistryFile.allCases {
            let file = "\(kind.rawValue).csv"
            let data = city.registryCSVData(kind, gbk: kind == .people)
            try data.write(to: folder.appendingPathComponent(file))
            let summary = try await RegistryImporter.importFile(kind, data: data, file: file, into: store)
            say("  \(file)：\(kind.chineseName) 新增 \(summary.inserted) 条\(summary.unitsCreated > 0 ? "，新建单位 \(summary.unitsCreated) 个" : "")")
        }

        // 2. A week of probes, replayed: each probe is a real request to the city, stamped at
        // its slot of the week before the as-of time (20 a day).
        say("\n二、可用性监测（回放检查时间点前7天、每天20次的监测）")
        try await ProbeRound.replay(endingAt: city.asOf, store: store, http: client.http)
        say("  共监测 \(7 * 20) 轮")

        // 3. The inspection.
        say("\n三、检查（监测时间点 \(ChinaTime.displayAsOf(city.asOf))）")
        let scanner = try ContentScanner.standard()
        var configuration = CrawlConfiguration()
        configuration.proxy = proxy
        configuration.maximumPages = maxPages
        // The sample city is served on loopback by this process: no web team to spare, so no
        // pause between requests (AutoThrottle still follows its hosts' latency).
        configuration.perHostDelay = .zero
        configuration.perHostConcurrency = 4
        let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: configuration)
        let runner = InspectionRunner(store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: client.http))
        let outcome: InspectionOutcome
        let request = InspectionRequest(asOf: city.asOf, indicators: .national2019, scanner: scanner)
        do {
            outcome = try await runner.run(request, progress: { say("  " + $0) })
            try await crawler.shutdown()
        } catch {
            try? await crawler.shutdown()
            throw error
        }
        try await openTickets(store: store, outcome: outcome, request: request)

        let sites = outcome.scorecards.filter { $0.target.kind == .site }
        let accounts = outcome.scorecards.filter { $0.target.kind == .account }
        say("\n四、结果（检查批次 \(outcome.run.code)）")
        say("  政府网站 \(sites.count) 个，合格 \(sites.filter(\.passed).count) 个，合格率 \(percent(sites))")
        say("  政务新媒体 \(accounts.count) 个，合格 \(accounts.filter(\.passed).count) 个，合格率 \(percent(accounts))")
        say("  发现问题 \(outcome.findings.count) 个，其中单项否决 \(outcome.findings.filter { $0.level == .veto }.count) 个")
        for (account, problem) in outcome.feedProblems {
            say("  数据源异常：\(account.name)：\(problem)")
        }
        let findingsFile = folder.appendingPathComponent("findings.json")
        try Data(try FindingsReport.render(run: outcome.run, findings: outcome.findings, format: "json").utf8).write(to: findingsFile)
        let cardsFile = folder.appendingPathComponent("scorecard.json")
        try Data(try FindingsReport.render(run: outcome.run, scorecards: outcome.scorecards, format: "json").utf8).write(to: cardsFile)
        say("\n问题清单：\(findingsFile.path)")
        say("得分情况：\(cardsFile.path)")
        say("也可以运行：govwatch findings --db sqlite://\(folder.appendingPathComponent("govwatch.sqlite").path)")

        try await writeNotice(store: store, folder: folder, asOf: city.asOf)
    }

    /// 5. The quarterly notice (通报) of the quarter the inspection falls in, in every format,
    /// dated ten days after the quarter's end.
    func writeNotice(store: Store, folder: URL, asOf: Date) async throws {
        let day = CalendarDate(asOf.addingTimeInterval(-1))
        let period = ReportPeriod.quarter(day.year, (day.month - 1) / 3 + 1)!
        say("\n五、检查情况通报（\(period.chineseName)）")
        let builder = NoticeBuilder(today: period.lastDay.adding(days: 10))
        let notice = builder.build(try await NoticeInput.load(from: store, period: period))
        for format in NoticeFormat.allCases {
            let name = format == .xlsx ? "通报附件-\(period.code).xlsx" : "通报-\(period.code).\(format.fileExtension)"
            let url = folder.appendingPathComponent(name)
            try format.write(notice, to: url)
            say("  \(url.path)")
        }
        say("  也可以运行：govwatch report --period \(period.code) --format docx --out 通报.docx --db sqlite://\(folder.appendingPathComponent("govwatch.sqlite").path)")
    }

    /// 7. The web platform on the demo's database: one user per role with a generated
    /// password, a free loopback port, until SIGINT/SIGTERM. Inspections started from the web
    /// run in this process against the sample city, which keeps running beside it.
    func serveResults(store: Store, proxy: String) async throws {
        let administration = UserAdministration(store: store)
        let audit = AuditContext(actor: "govwatch demo")
        var logins: [(role: String, username: String, password: String)] = []
        for (username, role, unit, label) in [
            ("admin", UserRole.admin, nil, "管理员"), ("inspector", .inspector, nil, "监管人员"), ("viewer", .viewer, nil, "只读用户"),
            ("wjw", .unit, Self.demoUnit, "单位用户（\(Self.demoUnit)）"),
        ] as [(String, UserRole, String?, String)] {
            let password = Credentials.randomPassword()
            _ = try await administration.addUser(
                username: username, role: role, unitName: unit, displayName: nil, password: password, audit: audit)
            logins.append((label, username, password))
        }
        let printedLogins = logins
        var logger = Logger(label: "govwatch.demo")
        logger.logLevel = .warning
        var crawl = CrawlConfiguration()
        crawl.proxy = proxy
        crawl.perHostDelay = .zero
        let worker = InspectionWorkerService(store: store, crawl: crawl, lanes: 1, logger: logger)
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        try await GovWatchServer.serve(
            store: store, configuration: configuration, services: [worker], logger: logger,
            onServerRunning: { port in
                var shown = configuration
                shown.port = port
                say("\n七、网页平台")
                say("  请在浏览器中打开：\(shown.displayURL)")
                for login in printedLogins { say("  \(login.role)：用户名 \(login.username)  密码 \(login.password)") }
                say("  按 Ctrl+C 停止。")
            })
        say("网页平台已停止。")
    }

    func percent(_ cards: [Scorecard]) -> String {
        guard !cards.isEmpty else { return "-" }
        return "\(Int((Double(cards.filter(\.passed).count) / Double(cards.count) * 100).rounded()))%"
    }
}

/// Prints a line for people, immediately.
func say(_ line: String) {
    writeOut(line + "\n")
}
