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

    @Option(help: "监听地址") var host: String = "127.0.0.1"
    @Option(help: "监听端口（0 表示任选一个空闲端口）") var port: Int = 8080
    @Option(name: .customLong("public-url"), help: "用户访问平台的地址（如 https://govwatch.example.gov.cn/；https 时会话 Cookie 加 Secure）")
    var publicURL: String?
    @Flag(help: "在同一进程中运行定时检查") var scheduler = false
    @Option(
        name: .customLong("inspection-lanes"),
        help: "本进程同时执行的排队检查任务数（网页或接口发起的检查在此执行，也可由 govwatch worker 执行）；0 表示本进程不执行")
    var inspectionLanes = 2
    @Option(help: "执行检查时使用的 HTTP 代理，如 http://127.0.0.1:8080") var proxy: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard (0...65535).contains(port) else { throw reportFailure("port：端口必须在 0–65535 之间") }
        guard inspectionLanes >= 0 else { throw reportFailure("inspection-lanes：不能为负数") }
        var publicAddress: URL?
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            else { throw reportFailure("public-url：“\(publicURL)”不是有效的 http(s) 地址") }
            publicAddress = url
        }
        let configuration = ServerConfiguration(host: host, port: port, publicURL: publicAddress)
        var logger = Logger(label: "govwatch.serve")
        logger.logLevel = .info
        let client: HTTPClientHandle?
        let scanner: ContentScanner?
        do {
            client = scheduler ? try HTTPClientHandle(proxy: nil) : nil
            scanner = scheduler ? try ContentScanner.standard() : nil
        } catch {
            throw reportFailure("scheduler：\(error)")
        }
        do {
            try await serve(configuration: configuration, client: client, scanner: scanner, logger: logger)
            await client?.shutdown()
        } catch {
            await client?.shutdown()
            throw error
        }
    }

    func serve(
        configuration: ServerConfiguration, client: HTTPClientHandle?, scanner: ContentScanner?, logger: Logger
    ) async throws {
        try await withStore(global) { store in
            var services: [any Service] = []
            if inspectionLanes > 0 {
                // Inspections started from the web are queued; this process takes them, as
                // any `govwatch worker` on the same database does (see InspectionWorkerService).
                var crawl = CrawlConfiguration()
                crawl.proxy = proxy
                services.append(InspectionWorkerService(store: store, crawl: crawl, lanes: inspectionLanes, logger: logger))
            }
            if let client, let scanner {
                // The scheduler with `govwatch schedule run`'s defaults, stopped with the server.
                let webhook = try TicketWebhook.configured(option: nil)
                let loop = RectificationLoop(store: store, policy: RectificationPolicy(), webhook: webhook)
                let executor = StandardJobExecutor(
                    store: store, http: client.http, crawl: CrawlConfiguration(), indicators: nil, scanner: scanner, loop: loop,
                    digests: DigestSender(store: store, folder: nil, webhook: webhook))
                let jobs = Scheduler(
                    store: store, executor: executor, clock: SystemSchedulerClock(), schedule: JobSchedule(probesPerDay: 24),
                    concurrency: 8, kinds: Set(JobKind.allCases))
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
