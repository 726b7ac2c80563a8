import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// The process's metrics in Prometheus text format.
///
/// Library code (the fetch path, the queue, the scheduler, the web middleware) records
/// through swift-metrics' `Counter`, `Timer` and `Recorder` and knows nothing of Prometheus;
/// the commands that run for long (`serve`, `worker`, `schedule run`) call ``bootstrap()``
/// once, which makes this registry swift-metrics' backend, and serve ``exposition()`` at
/// `/metrics`.
public enum ProcessMetrics {
    /// The registry every metric of this process is kept in.
    public static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped = Mutex(false)

    /// Makes the Prometheus registry swift-metrics' backend; later calls do nothing (swift-metrics
    /// allows one bootstrap per process, and a test process builds many servers).
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(NamedPrometheusFactory(registry: registry))
            done = true
        }
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    public static func exposition() -> String {
        registry.emitToString()
    }

    /// The `Content-Type` of ``exposition()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// What a metric is called in Prometheus, what its `# HELP` line says, and (histograms) its
/// buckets. Names recorded by GovWatch are already Prometheus names; Hummingbird's
/// (OpenTelemetry-style, dotted) are renamed here so every name the endpoint shows has a
/// `govwatch_` prefix, a unit suffix and help.
enum MetricCatalog {
    struct Entry {
        var name: String
        var help: String
        var buckets: [Duration]? = nil
    }

    /// Fetch latencies: a government page answers in tens of milliseconds to tens of seconds.
    static let fetchBuckets: [Duration] = [
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Scheduler lag: a job normally starts within a second of its slot; after downtime, hours late.
    static let lagBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3_600),
        .seconds(6 * 3_600), .seconds(86_400),
    ]

    static let entries: [String: Entry] = {
        let list: [(String, Entry)] = [
            ("govwatch_fetch_responses_total", Entry(name: "govwatch_fetch_responses_total", help: "抓取请求数（按状态类别：2xx、3xx、4xx、5xx、error 为连接失败或超时）")),
            ("govwatch_fetch_bytes_total", Entry(name: "govwatch_fetch_bytes_total", help: "抓取到的响应正文字节数")),
            ("govwatch_fetch_duration_seconds", Entry(name: "govwatch_fetch_duration_seconds", help: "单次抓取请求的耗时（秒）", buckets: fetchBuckets)),
            ("govwatch_findings_total", Entry(name: "govwatch_findings_total", help: "检查存入的问题数（按指标）")),
            ("govwatch_queue_tasks_total", Entry(name: "govwatch_queue_tasks_total", help: "排队检查任务的事件数（queued 排队、leased 领取、failed 失败）")),
            ("govwatch_lease_renewals_total", Entry(name: "govwatch_lease_renewals_total", help: "租约续期次数（task 检查任务、job 调度任务；lost 表示租约已被其他进程接管）")),
            ("govwatch_scheduler_lag_seconds", Entry(name: "govwatch_scheduler_lag_seconds", help: "调度任务实际开始时间晚于计划时间的秒数（按任务类型）", buckets: lagBuckets)),
            ("govwatch_scheduler_jobs_total", Entry(name: "govwatch_scheduler_jobs_total", help: "调度任务执行次数（按任务类型和结果）")),
            ("govwatch_page_cache_requests_total", Entry(name: "govwatch_page_cache_requests_total", help: "总览、网站页和整改列表的请求中直接使用缓存（hit）和重新计算（miss）的次数（按页面）")),
            // Hummingbird's MetricsMiddleware (the route pattern, not the raw path, as `route`).
            ("hb.requests", Entry(name: "govwatch_http_requests_total", help: "网页平台处理的请求数（按路由模式、方法和状态码）")),
            ("http.server.request.duration", Entry(name: "govwatch_http_request_duration_seconds", help: "网页平台请求的处理耗时（秒，按路由模式、方法和状态码）")),
            ("hb.request.errors", Entry(name: "govwatch_http_request_errors_total", help: "网页平台处理出错的请求数（按路由模式、方法和状态码）")),
            ("http.server.active_requests", Entry(name: "govwatch_http_active_requests", help: "网页平台正在处理的请求数")),
        ]
        return Dictionary(uniqueKeysWithValues: list)
    }()

    /// Hummingbird's dimension names, shortened.
    static let labelNames: [String: String] = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status", "error.type": "status",
    ]

    static func entry(_ label: String) -> Entry {
        entries[label] ?? Entry(name: prometheusName(label, allowColon: true), help: "")
    }

    static func labels(_ dimensions: [(String, String)]) -> [(String, String)] {
        dimensions.map { (labelNames[$0.0] ?? prometheusName($0.0, allowColon: false), $0.1) }
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*` (no colon in label names): anything else becomes `_`.
    static func prometheusName(_ name: String, allowColon: Bool) -> String {
        var result = ""
        for (index, character) in name.enumerated() {
            let ok =
                character.isASCII
                && (character.isLetter || character == "_" || (allowColon && character == ":") || (index > 0 && character.isNumber))
            result.append(ok ? character : "_")
        }
        return result.isEmpty ? "_" : result
    }
}

/// swift-metrics' factory over the registry, with the catalog's names, help and buckets
/// (swift-prometheus's own factory gives every metric an empty help and one set of buckets).
struct NamedPrometheusFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    /// Removal is the same as swift-prometheus's own.
    let plain: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.plain = PrometheusMetricsFactory(registry: registry)
    }

    private func descriptor(_ entry: MetricCatalog.Entry) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: entry.name, unitName: "", helpText: entry.help)
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(MetricCatalog.entry(label)), labels: MetricCatalog.labels(dimensions))
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(MetricCatalog.entry(label)), labels: MetricCatalog.labels(dimensions))
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let entry = MetricCatalog.entry(label)
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(entry), labels: MetricCatalog.labels(dimensions)) }
        return registry.makeValueHistogram(
            descriptor: descriptor(entry), labels: MetricCatalog.labels(dimensions), buckets: plain.defaultValueHistogramBuckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(MetricCatalog.entry(label)), labels: MetricCatalog.labels(dimensions))
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let entry = MetricCatalog.entry(label)
        return registry.makeDurationHistogram(
            descriptor: descriptor(entry), labels: MetricCatalog.labels(dimensions),
            buckets: entry.buckets ?? plain.defaultDurationHistogramBuckets)
    }

    func destroyCounter(_ handler: any CounterHandler) { plain.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { plain.destroyFloatingPointCounter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { plain.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { plain.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { plain.destroyTimer(handler) }
}
