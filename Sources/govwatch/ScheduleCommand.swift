import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore

/// `govwatch schedule run|list`: the scheduler in the foreground (until `serve`/`worker` run it).
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "调度器：每天不少于20次的可用性监测、每日首页与栏目巡查、每月全面检查、每小时数据源轮询、每日整改日报。",
        subcommands: [Run.self, List.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "在前台运行调度器；多个调度器可共用一个数据库，同一任务不会重复执行。")

        @Flag(help: "只执行当前到期的任务（停机期间错过的任务各执行一次）后退出")
        var once = false

        @Option(help: "运行到该时间为止：YYYY-MM-DD（当天24:00）或 ISO 8601 时间")
        var until: String?

        @Option(help: "HTTP 代理，如 http://127.0.0.1:8080")
        var proxy: String?

        @Option(name: .customLong("probes-per-day"), help: "每个网站每天的监测次数（不少于20，默认24）")
        var probesPerDay = 24

        @Option(name: .customLong("max-pages"), help: "全面检查时每个网站最多抓取的页面数")
        var maxPages = 5_000

        @Option(help: "整改单变化和整改日报的通知地址（默认为环境变量 GOVWATCH_WEBHOOK_URL）")
        var webhook: String?

        @Option(name: .customLong("digest-dir"), help: "整改日报的输出目录（每个单位一个文本文件）")
        var digestDirectory: String?

        @Option(help: "整改期限设置文件（JSON），默认否决项3个工作日、其他10个工作日")
        var deadlines: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            var end: Date?
            if let until {
                guard let parsed = ChinaTime.parseMoment(until, bareDayMeansEnd: true) else {
                    throw reportFailure("--until “\(until)” 无效：应为 YYYY-MM-DD 或 ISO 8601 时间")
                }
                end = parsed
            }
            let webhookTarget: TicketWebhook?
            let policy: RectificationPolicy
            let client: HTTPClientHandle
            let scanner: ContentScanner
            do {
                webhookTarget = try TicketWebhook.configured(option: webhook)
                policy = try deadlines.map { try RectificationPolicy.load(contentsOf: URL(fileURLWithPath: $0)) } ?? RectificationPolicy()
                scanner = try ContentScanner.standard()
                client = try HTTPClientHandle(proxy: proxy)
            } catch {
                throw reportFailure("\(error)")
            }
            var crawl = CrawlConfiguration()
            crawl.proxy = proxy
            crawl.maximumPages = maxPages
            do {
                try await withStore(global) { store in
                    let loop = RectificationLoop(store: store, policy: policy, webhook: webhookTarget)
                    let digests = DigestSender(
                        store: store, folder: digestDirectory.map { URL(fileURLWithPath: $0) }, webhook: webhookTarget)
                    let executor = StandardJobExecutor(
                        store: store, http: client.http, crawl: crawl, indicators: .national2019, scanner: scanner, loop: loop,
                        digests: digests)
                    let scheduler = Scheduler(store: store, executor: executor, schedule: JobSchedule(probesPerDay: probesPerDay))
                    say("调度器 \(scheduler.owner) 已启动\(end.map { "，运行至 \(ChinaTime.display($0))" } ?? "")")
                    try await scheduler.run(until: end, once: once) { record in
                        say("\(ChinaTime.display(record.startedAt))  \(record.kind.chineseName)  \(record.job)  \(record.message)")
                    }
                }
                await client.shutdown()
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出调度任务及其下次运行时间。")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let jobs = try await withStore(global) { store in try await store.jobs() }
            let rows = jobs.map { job in
                [
                    job.name, JobKind(rawValue: job.kind)?.chineseName ?? job.kind, ChinaTime.display(job.nextRunAt),
                    job.lastFinishedAt.map(ChinaTime.display) ?? "-", job.lastStatus == "failed" ? "失败" : (job.lastStatus == nil ? "-" : "成功"),
                    String(job.runs), job.leaseOwner ?? "",
                ]
            }
            writeOut(TextTable.render(header: ["任务", "类型", "下次运行", "上次完成", "结果", "次数", "执行者"], rows: rows, footer: "共 \(jobs.count) 个任务"))
        }
    }
}
