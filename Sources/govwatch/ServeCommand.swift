import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchServer
import GovWatchStore
import Hummingbird
import Logging
import ServiceLifecycle

/// `govwatch serve`: the web platform and JSON API (web.md). Stops cleanly on SIGINT/SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "启动网页平台与 JSON 接口（默认只监听 127.0.0.1）。")

    @Option(help: "监听地址（默认 127.0.0.1；配置项 server.host）") var host: String?
    @Option(help: "监听端口（0 表示任选一个空闲端口；默认 8080；配置项 server.port）") var port: Int?
    @Option(name: .customLong("public-url"), help: "用户访问平台的地址（如 https://govwatch.example.gov.cn/；https 时会话 Cookie 加 Secure；配置项 server.public_url）")
    var publicURL: String?
    @Flag(help: "在同一进程中运行定时检查（配置项 server.scheduler）") var scheduler = false
    @Option(
        name: .customLong("inspection-lanes"),
        help: "本进程同时执行的排队检查任务数（网页或接口发起的检查在此执行，也可由 govwatch worker 执行）；0 表示本进程不执行（默认 2；配置项 server.inspection_lanes）")
    var inspectionLanes: Int?
    @Option(help: "执行检查时使用的 HTTP 代理，如 http://127.0.0.1:8080（配置项 crawl.proxy）") var proxy: String?
    @OptionGroup var global: GlobalOptions

    /// The configuration with this command's flags applied.
    func resolvedConfiguration() throws -> GovWatchConfiguration {
        if let port { guard (0...65535).contains(port) else { throw reportFailure("port：端口必须在 0–65535 之间") } }
        if let inspectionLanes { guard inspectionLanes >= 0 else { throw reportFailure("inspection-lanes：不能为负数") } }
        return try loadConfiguration(explicitPath: global.configFile) { configuration throws(ConfigurationError) in
            try configuration.override("database.url", flag: "--db", with: global.db)
            try configuration.override("server.host", flag: "--host", with: host)
            try configuration.override("server.port", flag: "--port", with: port.map(String.init))
            try configuration.override("server.public_url", flag: "--public-url", with: publicURL)
            try configuration.override("server.inspection_lanes", flag: "--inspection-lanes", with: inspectionLanes.map(String.init))
            try configuration.override("server.scheduler", flag: "--scheduler", present: scheduler, meaning: true)
            try configuration.override("crawl.proxy", flag: "--proxy", with: proxy)
        }
    }

    func run() async throws {
        let settings = try resolvedConfiguration()
        let configuration = settings.server
        var logger = Logger(label: "govwatch.serve")
        logger.logLevel = settings.logLevel
        let scheduler = settings.boolean("server.scheduler")
        let client: HTTPClientHandle?
        let scanner: ContentScanner?
        do {
            client = scheduler ? try HTTPClientHandle(proxy: settings.string("crawl.proxy")) : nil
            scanner = scheduler ? try ContentScanner.standard() : nil
        } catch {
            throw reportFailure("scheduler：\(error)")
        }
        do {
            try await serve(settings: settings, configuration: configuration, client: client, scanner: scanner, logger: logger)
            await client?.shutdown()
        } catch {
            await client?.shutdown()
            throw error
        }
    }

    func serve(
        settings: GovWatchConfiguration, configuration: ServerConfiguration, client: HTTPClientHandle?, scanner: ContentScanner?,
        logger: Logger
    ) async throws {
        let webhook: TicketWebhook?
        let policy: RectificationPolicy
        do {
            webhook = try settings.ticketWebhook()
            policy =
                try settings.string("scheduler.deadlines").map { try RectificationPolicy.load(contentsOf: URL(fileURLWithPath: $0)) }
                ?? RectificationPolicy()
        } catch {
            throw reportFailure("\(error)")
        }
        try await withStore(global, configuration: settings) { store in
            var services: [any Service] = []
            let inspectionLanes = settings.integer("server.inspection_lanes")
            if inspectionLanes > 0 {
                // Inspections started from the web are queued; this process takes them, as
                // any `govwatch worker` on the same database does (see InspectionWorkerService),
                // with the configuration's crawl settings.
                services.append(InspectionWorkerService(store: store, crawl: settings.crawl, lanes: inspectionLanes, logger: logger))
            }
            if let client, let scanner {
                // The scheduler with the configuration's `scheduler.*` settings, stopped with the server.
                let loop = RectificationLoop(store: store, policy: policy, webhook: webhook)
                var executor = StandardJobExecutor(
                    store: store, http: client.http, crawl: settings.crawl, indicators: nil, scanner: scanner, loop: loop,
                    digests: DigestSender(
                        store: store, folder: settings.string("scheduler.digest_dir").map { URL(fileURLWithPath: $0) }, webhook: webhook))
                executor.queueInspections = settings.boolean("scheduler.queue_inspections")
                let jobs = Scheduler(
                    store: store, executor: executor, clock: SystemSchedulerClock(),
                    schedule: JobSchedule(probesPerDay: settings.integer("scheduler.probes_per_day")),
                    concurrency: settings.integer("scheduler.concurrency"), kinds: settings.jobKinds)
                services.append(
                    InProcessService {
                        try await jobs.run(until: nil, once: false) { record in
                            logger.info("\(record.kind.chineseName) \(record.job) \(record.message)")
                        }
                    })
            }
            try await GovWatchServer.serve(
                store: store, configuration: configuration, services: services, logger: logger,
                onServerRunning: { boundPort in
                    var shown = configuration
                    shown.port = boundPort
                    writeOut("GovWatch 网页平台已启动：\(shown.displayURL)\n")
                })
        }
    }
}

/// A long-running task run as a service of the server's group: cancelled on graceful
/// shutdown, and a cancellation is a normal end.
struct InProcessService: Service {
    let body: @Sendable () async throws -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await body() }
        } catch is CancellationError {
            return
        }
    }
}
