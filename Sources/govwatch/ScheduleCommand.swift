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

        @Option(help: "HTTP 代理，如 http://127.0.0.1:8080（配置项 crawl.proxy）")
        var proxy: String?

        @Option(name: .customLong("probes-per-day"), help: "每个网站每天的监测次数（不少于20，默认24；配置项 scheduler.probes_per_day）")
        var probesPerDay: Int?

        @Option(name: .customLong("max-pages"), help: "全面检查时每个网站最多抓取的页面数（默认 5000；配置项 crawl.max_pages）")
        var maxPages: Int?

        @Flag(name: .customLong("queue-inspections"), help: "每月全面检查只排队，由共用同一数据库的 govwatch worker 进程执行")
        var queueInspections = false

        @Option(help: "整改单变化和整改日报的通知地址（配置项 webhook.url，环境变量 GOVWATCH_WEBHOOK_URL）")
        var webhook: String?

        @Option(name: .customLong("digest-dir"), help: "整改日报的输出目录（每个单位一个文本文件）")
        var digestDirectory: String?

        @Option(help: "整改期限设置文件（JSON），默认否决项3个工作日、其他10个工作日")
        var deadlines: String?

        @Option(help: "只创建并执行这些类型的任务，用逗号分隔：probe（可用性监测）、patrol（巡查）、inspection（全面检查）、feeds（数据源轮询）、digest（整改日报）；默认全部")
        var kinds: String?

        @Option(help: "同时执行的任务数（长时间的全面检查只占其中一个，可用性监测照常进行；默认 8；配置项 scheduler.concurrency）")
        var concurrency: Int?

        // A simulated clock, for rehearsing a day in minutes and for tests that run several
        // scheduler processes against one database: the clock reads `--clock-start` at the
        // wall-clock moment `--clock-anchor` (Unix seconds; default: now) and runs
        // `--clock-speed` times faster.
        @Option(name: .customLong("clock-start"), help: .hidden)
        var clockStart: String?

        @Option(name: .customLong("clock-speed"), help: .hidden)
        var clockSpeed: Double = 1

        @Option(name: .customLong("clock-anchor"), help: .hidden)
        var clockAnchor: Double?

        @Option(name: .customLong("metrics-port"), help: "在 127.0.0.1 的该端口提供 Prometheus 指标 GET /metrics（0 表示任选空闲端口；默认不提供）")
        var metricsPort: Int?

        @OptionGroup var global: GlobalOptions

        /// The job kinds of `--kinds`, else of `scheduler.kinds`.
        func selectedKinds(_ configuration: GovWatchConfiguration) throws -> Set<JobKind> {
            let kinds = self.kinds ?? configuration.list("scheduler.kinds").joined(separator: ",")
            var selected: Set<JobKind> = []
            for name in kinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let kind = JobKind(rawValue: name) else {
                    throw reportFailure("--kinds 中的“\(name)”无效：应为 probe、patrol、inspection、feeds、digest 之一")
                }
                selected.insert(kind)
            }
            guard !selected.isEmpty else { throw reportFailure("--kinds 不能为空") }
            return selected
        }

        func schedulerClock() throws -> any SchedulerClock {
            guard let clockStart else { return SystemSchedulerClock() }
            guard let start = ChinaTime.parseMoment(clockStart) else {
                throw reportFailure("--clock-start “\(clockStart)” 无效：应为 YYYY-MM-DD 或 ISO 8601 时间")
            }
            guard clockSpeed > 0 else { throw reportFailure("--clock-speed 应大于0") }
            return ScaledSchedulerClock(
                start: start, speed: clockSpeed, anchor: clockAnchor.map { Date(timeIntervalSince1970: $0) } ?? Date())
        }

        /// The configuration with this command's flags applied.
        func resolvedConfiguration() throws -> GovWatchConfiguration {
            try loadConfiguration(explicitPath: global.configFile) { configuration throws(ConfigurationError) in
                try configuration.override("database.url", flag: "--db", with: global.db)
                try configuration.override("crawl.proxy", flag: "--proxy", with: proxy)
                try configuration.override("crawl.max_pages", flag: "--max-pages", with: maxPages.map(String.init))
                try configuration.override("scheduler.probes_per_day", flag: "--probes-per-day", with: probesPerDay.map(String.init))
                try configuration.override("scheduler.concurrency", flag: "--concurrency", with: concurrency.map(String.init))
                try configuration.override(
                    "scheduler.queue_inspections", flag: "--queue-inspections", present: queueInspections, meaning: true)
                try configuration.override("webhook.url", flag: "--webhook", with: webhook)
                try configuration.override("scheduler.digest_dir", flag: "--digest-dir", with: digestDirectory)
                try configuration.override("scheduler.deadlines", flag: "--deadlines", with: deadlines)
            }
        }

        func run() async throws {
            if let concurrency, concurrency <= 0 { throw reportFailure("--concurrency 应大于0") }
            let configuration = try resolvedConfiguration()
            let jobKinds = try selectedKinds(configuration)
            let clock = try schedulerClock()
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
                webhookTarget = try configuration.ticketWebhook()
                policy =
                    try configuration.string("scheduler.deadlines").map { try RectificationPolicy.load(contentsOf: URL(fileURLWithPath: $0)) }
                    ?? RectificationPolicy()
                scanner = try ContentScanner.standard()
                client = try HTTPClientHandle(proxy: configuration.string("crawl.proxy"))
            } catch {
                throw reportFailure("\(error)")
            }
            let crawl = configuration.crawl
            do {
                try await withStore(global, configuration: configuration) { store in
                    let loop = RectificationLoop(store: store, policy: policy, webhook: webhookTarget)
                    let digests = DigestSender(
                        store: store, folder: configuration.string("scheduler.digest_dir").map { URL(fileURLWithPath: $0) }, webhook: webhookTarget)
                    var executor = StandardJobExecutor(
                        store: store, http: client.http, crawl: crawl, indicators: nil, scanner: scanner, loop: loop,
                        digests: digests)
                    executor.queueInspections = configuration.boolean("scheduler.queue_inspections")
                    let scheduler = Scheduler(
                        store: store, executor: executor, clock: clock, schedule: JobSchedule(probesPerDay: configuration.integer("scheduler.probes_per_day")),
                        concurrency: configuration.integer("scheduler.concurrency"), kinds: jobKinds)
                    ProcessObservability.progress("调度器 \(scheduler.owner) 已启动\(end.map { "，运行至 \(ChinaTime.display($0))" } ?? "")")
                    try await ProcessObservability.withMetricsEndpoint(port: metricsPort) { [end, once] in
                        try await scheduler.run(until: end, once: once) { record in
                            // The slot is shown because after downtime a job runs late, once, for its missed slot.
                            ProcessObservability.progress(
                                "\(ChinaTime.display(record.startedAt))  \(record.kind.chineseName)  \(record.job)  "
                                    + "（计划 \(ChinaTime.display(record.due))）  \(record.message)")
                        }
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
