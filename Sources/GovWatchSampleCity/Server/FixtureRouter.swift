import Foundation
import NIOCore

/// What the fixture answers to one request, decided before anything is written.
enum FixtureReply {
    /// A stored or generated resource (conditional GET and gzip apply to 200s).
    case resource(Resource)
    /// A long body produced on the fly, `chunk` bytes at a time: every `interval` when set
    /// (trickle), else as fast as the client reads (huge page, gzip bomb).
    case stream(status: Int, headers: [(String, String)], length: Int, chunk: Int, interval: TimeAmount?,
                produce: @Sendable (Range<Int>) -> [UInt8])
    /// A resource sent only after `delay` (the slow feed).
    case delayed(Resource, delay: TimeAmount)
}

/// Mutable server state shared by all connections: the fixed-variant selection, the
/// deterministic request counters of the flaky endpoints, and the requests held back.
final class FixtureState: @unchecked Sendable {
    private let lock = NSLock()
    private var fixed: Set<String> = []
    private var counters: [String: Int] = [:]
    /// Requests still answered before the rest are held; nil: none held.
    private var answeredBeforeHold: Int?
    private var held: [@Sendable () -> Void] = []
    private var holdWaiters: [CheckedContinuation<Void, Never>] = []

    /// Answers this request now (true), or parks `answer` until `releaseHeld()` (false).
    func admit(later answer: @escaping @Sendable () -> Void) -> Bool {
        let (now, waiters): (Bool, [CheckedContinuation<Void, Never>]) = lock.withLock {
            guard let remaining = answeredBeforeHold else { return (true, []) }
            if remaining > 0 {
                answeredBeforeHold = remaining - 1
                return (true, [])
            }
            held.append(answer)
            defer { holdWaiters = [] }
            return (false, holdWaiters)
        }
        for waiter in waiters { waiter.resume() }
        return now
    }

    func hold(after count: Int) { lock.withLock { answeredBeforeHold = count } }

    /// Returns once a request is held.
    func waitForHeld() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if held.isEmpty { holdWaiters.append(continuation) }
                return !held.isEmpty
            }
            if now { continuation.resume() }
        }
    }

    /// Stops holding and answers what was held.
    func releaseHeld() {
        let answers = lock.withLock {
            answeredBeforeHold = nil
            defer { held = [] }
            return held
        }
        for answer in answers { answer() }
    }

    var fixedURLs: Set<String> {
        get { lock.withLock { fixed } }
        set { lock.withLock { fixed = newValue } }
    }

    func isFixed(_ url: String) -> Bool { lock.withLock { fixed.contains(url) } }

    /// The number of earlier requests counted under `key` (0 for the first), then counts this one.
    func count(_ key: String) -> Int {
        lock.withLock {
            let n = counters[key, default: 0]
            counters[key] = n + 1
            return n
        }
    }
}

/// Decides the reply to each request: the city's pages, dynamic pages, hostile endpoints,
/// live external hosts, and 502 for every other host (as a forward proxy that cannot reach it).
struct FixtureRouter: Sendable {
    let city: SampleCity
    let state: FixtureState
    static let bomb = GzipBomb()
    /// How long the slow feed keeps the client waiting.
    static let slowDelay = TimeAmount.seconds(2)

    func reply(host rawHost: String, path: String, query: String?) -> FixtureReply {
        let host = rawHost.lowercased()
        let key = storeKey(host: host, path: path)
        if host == HostileHost.host, let hostile = hostileReply(path: path, query: query) {
            return hostile
        }
        if case .calendar(let siteName)? = city.dynamicRoutes[key] {
            let site = city.sites.first { $0.host == host }
            return .resource(
                Resource.html(HostileHost.calendarPage(siteName: siteName, path: path, month: Self.parameter("month", in: query)), gbk: site?.gbk ?? false))
        }
        if city.flakyHomepageHosts.contains(host), path == "/", !state.isFixed(key), state.count(key) % 4 == 3 {
            return .resource(Self.plain(503, "服务暂时不可用（Service Unavailable）"))
        }
        if let resource = city.web[key]?.resource(fixed: state.isFixed(key)) {
            return city.slowURLs.contains(key) ? .delayed(resource, delay: Self.slowDelay) : .resource(resource)
        }
        if let notFound = city.notFoundPages[host] { return .resource(notFound) }
        if ExternalHosts.alive[host] != nil { return .resource(ExternalHosts.page(host: host)) }
        if host == Roster.feedsHost || host == Roster.appHost || host == HostileHost.host {
            return .resource(Self.plain(404, "Not Found"))
        }
        return .resource(Self.plain(502, "Bad Gateway: 无法解析或连接主机 \(host)"))
    }

    private func hostileReply(path: String, query: String?) -> FixtureReply? {
        let base = "http://\(HostileHost.host)"
        switch path {
        case "/loop.html": return .resource(Self.redirect(base + "/loop.html"))
        case "/cycle-a.html": return .resource(Self.redirect(base + "/cycle-b.html"))
        case "/cycle-b.html": return .resource(Self.redirect(base + "/cycle-a.html"))
        case "/calendar/index.html":
            return .resource(Resource.html(HostileHost.calendarPage(siteName: "鸿溪市", path: path, month: Self.parameter("month", in: query))))
        case "/huge.html":
            return .stream(
                status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], length: HostileHost.hugeSize,
                chunk: 64 * 1024, interval: nil, produce: { HostileHost.hugeBytes(in: $0) })
        case "/bomb.html":
            let bomb = Self.bomb
            return .stream(
                status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
                length: bomb.compressedSize, chunk: 64 * 1024, interval: nil, produce: { bomb.bytes(in: $0) })
        case "/trickle.html":
            return .stream(
                status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], length: HostileHost.trickleSize,
                chunk: 1, interval: .seconds(1), produce: { range in range.map { _ in UInt8(ascii: " ") } })
        case "/flaky.html":
            if state.count(base + path) % 4 == 3 { return .resource(Self.plain(503, "服务暂时不可用")) }
            return .resource(Resource.html("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>公共资源交易平台</title></head><body><p>交易公告</p></body></html>"))
        case "/busy.html":
            if state.count(base + path) % 2 == 0 {
                var busy = Self.plain(429, "请求过于频繁，请稍后再试")
                busy.headers.append((name: "Retry-After", value: "1"))
                return .resource(busy)
            }
            return .resource(Resource.html("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>信用鸿溪</title></head><body><p>信用信息查询</p></body></html>"))
        default: return nil
        }
    }

    static func redirect(_ location: String) -> Resource {
        var resource = plain(302, "Found")
        resource.headers.append((name: "Location", value: location))
        return resource
    }

    static func plain(_ status: Int, _ text: String) -> Resource {
        Resource(status: status, contentType: "text/html; charset=utf-8", body: Data("<html><body><h1>\(status)</h1><p>\(text)</p></body></html>".utf8))
    }

    static func parameter(_ name: String, in query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }
}
