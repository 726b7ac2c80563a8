import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore

/// `govwatch worker`: takes the tasks of inspections queued with `govwatch inspect --queue`
/// from the shared database (PostgreSQL, or SQLite for workers on one machine).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "检查工作进程：从共用数据库领取 govwatch inspect --queue 排队的检查任务（每个网站一个任务）并执行；多个进程可在多台机器上同时运行。"
    )

    @OptionGroup var crawl: CrawlOptions

    @Option(help: "整改单变化的通知地址（配置项 webhook.url，环境变量 GOVWATCH_WEBHOOK_URL）")
    var webhook: String?

    @Flag(name: .customLong("exit-when-idle"), help: "所有排队任务都完成后退出（默认一直等待新任务）")
    var exitWhenIdle = false

    // How long a task's lease lasts before another worker may take it over, and how often an
    // idle worker looks for tasks: short in tests that kill a worker.
    @Option(name: .customLong("lease-seconds"), help: .hidden)
    var leaseSeconds = 1_800.0

    @Option(name: .customLong("poll-seconds"), help: .hidden)
    var pollSeconds = 5.0

    @Option(name: .customLong("metrics-port"), help: "在 127.0.0.1 的该端口提供 Prometheus 指标 GET /metrics（0 表示任选空闲端口；默认不提供）")
    var metricsPort: Int?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard crawl.concurrency ?? 1 > 0, crawl.sitesAtOnce ?? 1 > 0 else { throw reportFailure("--concurrency 和 --sites-at-once 应大于0") }
        guard leaseSeconds > 0, pollSeconds > 0 else { throw reportFailure("--lease-seconds 和 --poll-seconds 应大于0") }
        let configuration = try loadConfiguration(explicitPath: global.configFile) { configuration throws(ConfigurationError) in
            try configuration.override("database.url", flag: "--db", with: global.db)
            try configuration.override("webhook.url", flag: "--webhook", with: webhook)
            try crawl.apply(to: &configuration)
        }
        let webhookTarget: TicketWebhook?
        do {
            webhookTarget = try configuration.ticketWebhook()
        } catch {
            throw reportFailure("\(error)")
        }
        try await withHTTPClient(proxy: configuration.string("crawl.proxy")) { client in
            try await withStore(global, configuration: configuration) { store in
                try await configuration.withCrawler(store: store) { crawler in
                    let runner = InspectionRunner(store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: client.http))
                    let worker = InspectionWorker(
                        store: store, runner: runner, webhook: webhookTarget, lanes: configuration.sitesAtOnce, leaseDuration: leaseSeconds,
                        pollInterval: .milliseconds(Int64(pollSeconds * 1_000)))
                    ProcessObservability.progress("检查工作进程 \(worker.owner) 已启动")
                    try await ProcessObservability.withMetricsEndpoint(port: metricsPort) { [exitWhenIdle] in
                        try await worker.run(exitWhenIdle: exitWhenIdle) { ProcessObservability.progress($0) }
                    }
                }
            }
        }
    }
}
