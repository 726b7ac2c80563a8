import Foundation
import GovWatchCore
import GovWatchSampleCity
import Testing

/// Starts a server for one test and always shuts it down.
func withServer(_ body: (FixtureServer) async throws -> Void) async throws {
    let server = try await FixtureServer.start(city: SampleCity.standard)
    do {
        try await body(server)
    } catch {
        try await server.shutdown()
        throw error
    }
    try await server.shutdown()
}

/// Runs blocking socket I/O off the cooperative pool.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

@Suite("The fixture server", .serialized)
struct FixtureServerTests {
    let city = SampleCity.standard

    @Test("every planted URL and every feed is served through the proxy")
    func plantedURLsServed() async throws {
        try await withServer { server in
            let port = server.port
            var urls = Set(city.plantedProblems.compactMap(\.url))
            urls.formUnion(city.accounts.compactMap(\.feed))
            urls.formUnion(city.sites.map(\.url))
            urls.formUnion(city.columns.map(\.url))
            // Post links live on the platforms (served as live external hosts).
            for url in urls.sorted() {
                let response = try await blocking { try RawHTTP.get(url, port: port, method: "HEAD") }
                if url.hasPrefix("http://tjj.hongxi.gov.cn/") { continue }  // the flaky homepage
                #expect(response.status == 200, "\(url) answered \(response.status)")
            }
        }
    }

    @Test("planted broken links are broken and planted external links resolve as planted")
    func brokenLinks() async throws {
        try await withServer { server in
            let port = server.port
            for problem in city.plantedProblems where problem.indicator == .siteLinksBroken && problem.mustBeFound {
                let link = problem.detail["link"]!
                let response = try await blocking { try RawHTTP.get(link, port: port) }
                #expect([302, 404, 502].contains(response.status), "\(link) answered \(response.status)")
            }
        }
    }

    @Test("origin-form requests with a Host header work; unknown hosts get 502; CONNECT gets 502")
    func originFormAndUnknownHosts() async throws {
        try await withServer { server in
            let port = server.port
            let origin = try await blocking { () -> RawHTTP.Response in
                let client = try RawHTTP(port: port)
                defer { client.close() }
                client.send("GET /index.html HTTP/1.1\r\nHost: czj.hongxi.gov.cn\r\nConnection: close\r\n\r\n")
                return try client.readResponse()
            }
            #expect(origin.status == 200)
            #expect(origin.text.contains("鸿溪市财政局"))
            let unknown = try await blocking { try RawHTTP.get("http://www.no-such-host.cn/", port: port) }
            #expect(unknown.status == 502)
            let connect = try await blocking { () -> RawHTTP.Response in
                let client = try RawHTTP(port: port)
                defer { client.close() }
                client.send("CONNECT www.hongxi.gov.cn:443 HTTP/1.1\r\nHost: www.hongxi.gov.cn:443\r\n\r\n")
                return try client.readResponse()
            }
            #expect(connect.status == 502)
        }
    }

    @Test("keep-alive: several requests on one connection")
    func keepAlive() async throws {
        try await withServer { server in
            let port = server.port
            let statuses = try await blocking { () -> [Int] in
                let client = try RawHTTP(port: port)
                defer { client.close() }
                var statuses: [Int] = []
                for path in ["/", "/robots.txt", "/missing.html"] {
                    client.send("GET http://jtj.hongxi.gov.cn\(path) HTTP/1.1\r\nHost: jtj.hongxi.gov.cn\r\n\r\n")
                    statuses.append(try client.readResponse().status)
                }
                return statuses
            }
            #expect(statuses == [200, 200, 404])
        }
    }

    @Test("HEAD, conditional GET and gzip")
    func conditionalAndGzip() async throws {
        try await withServer { server in
            let port = server.port
            let url = "http://www.hongxi.gov.cn/index.html"
            let full = try await blocking { try RawHTTP.get(url, port: port) }
            #expect(full.status == 200)
            let etag = try #require(full.header("ETag"))
            let lastModified = try #require(full.header("Last-Modified"))
            let head = try await blocking { try RawHTTP.get(url, port: port, method: "HEAD") }
            #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == String(full.body.count))
            let byTag = try await blocking { try RawHTTP.get(url, port: port, headers: ["If-None-Match": etag]) }
            #expect(byTag.status == 304 && byTag.body.isEmpty)
            let byDate = try await blocking { try RawHTTP.get(url, port: port, headers: ["If-Modified-Since": lastModified]) }
            #expect(byDate.status == 304)
            let gzip = try await blocking { try RawHTTP.get(url, port: port, headers: ["Accept-Encoding": "gzip, deflate"]) }
            #expect(gzip.header("Content-Encoding") == "gzip")
            #expect(gzip.body.prefix(2) == [0x1F, 0x8B])
            #expect(gzip.body.count < full.body.count)
            let gunzipped = try gunzip(Data(gzip.body))
            #expect(gunzipped == Data(full.body))
        }
    }

    @Test("the GBK site is GBK on the wire")
    func gbkOnTheWire() async throws {
        try await withServer { server in
            let port = server.port
            let site = try #require(city.sites.first { $0.gbk })
            let response = try await blocking { try RawHTTP.get(site.url, port: port) }
            #expect(response.header("Content-Type")?.lowercased().contains("charset=gbk") == true)
            #expect(response.text.contains("<meta charset=gb2312>"))
            #expect(!response.text.contains(site.name), "Chinese must not be UTF-8 on the wire")
            let decoded = String(data: Data(response.body), encoding: String.Encoding(rawValue: 0x8000_0632))
            #expect(decoded?.contains(site.name) == true)
        }
    }

    @Test("the fixed variant changes the chosen pages only")
    func fixedVariant() async throws {
        try await withServer { server in
            let port = server.port
            let problem = try #require(city.plantedProblems.first { $0.indicator == .siteContentSevereError && $0.isFixable })
            let url = try #require(problem.url)
            let before = try await blocking { try RawHTTP.get(url, port: port) }
            #expect(before.text.contains(problem.detail["wrong"]!))
            server.setFixed(problems: [problem])
            let after = try await blocking { try RawHTTP.get(url, port: port) }
            #expect(after.status == 200)
            #expect(!after.text.contains(problem.detail["wrong"]!))
            #expect(after.text.contains(problem.detail["correct"]!))
            // An unfixable problem's page is unchanged even with everything fixed.
            server.setAllFixed()
            let stays = try #require(city.plantedProblems.first { $0.indicator == .siteContentSevereError && !$0.isFixable })
            let unchanged = try await blocking { try RawHTTP.get(stays.url!, port: port) }
            #expect(unchanged.text.contains(stays.detail["wrong"]!))
            // The channel added by the fix exists only in the fixed variant.
            let noChannel = try #require(city.plantedProblems.first { $0.indicator == .siteInteractionNoChannel })
            let added = try #require(noChannel.fixedBy.first { $0.contains("/hdjl/") && $0.hasSuffix("index.shtml") })
            #expect(try await blocking { try RawHTTP.get(added, port: port) }.status == 200)
            server.resetVariants()
            #expect(try await blocking { try RawHTTP.get(added, port: port) }.status == 404)
            #expect(try await blocking { try RawHTTP.get(url, port: port) }.text.contains(problem.detail["wrong"]!))
        }
    }

    @Test("the unreachable site's homepage fails one probe in four; fixed, it stops failing")
    func flakyHomepage() async throws {
        try await withServer { server in
            let port = server.port
            let problem = try #require(city.plantedProblems.first { $0.indicator == .siteUnreachable })
            let site = try #require(city.sites.first { $0.code == problem.target.code })
            var statuses: [Int] = []
            for _ in 0..<20 { statuses.append(try await blocking { try RawHTTP.get(site.url, port: port) }.status) }
            #expect(statuses.filter { $0 == 503 }.count == 5)
            #expect(statuses[3] == 503 && statuses[0] == 200)
            server.setFixed(problems: [problem])
            for _ in 0..<8 { #expect(try await blocking { try RawHTTP.get(site.url, port: port) }.status == 200) }
        }
    }

    @Test("hostile endpoints: redirect loop, flaky host, 429, huge page, gzip bomb, calendar")
    func hostileEndpoints() async throws {
        try await withServer { server in
            let port = server.port
            let endpoints = city.hostileEndpoints
            @Sendable func url(_ kind: HostileEndpoint.Kind) -> String { endpoints.first { $0.kind == kind }!.url }

            let loop = try await blocking { try RawHTTP.get(url(.redirectLoop), port: port) }
            #expect(loop.status == 302 && loop.header("Location") == url(.redirectLoop))
            let cycleA = try await blocking { try RawHTTP.get(url(.redirectCycle), port: port) }
            let cycleB = try await blocking { try RawHTTP.get(cycleA.header("Location")!, port: port) }
            #expect(cycleB.header("Location") == url(.redirectCycle))

            var flaky: [Int] = []
            for _ in 0..<12 { flaky.append(try await blocking { try RawHTTP.get(url(.flaky), port: port) }.status) }
            #expect(flaky == [200, 200, 200, 503, 200, 200, 200, 503, 200, 200, 200, 503])

            let busy = try await blocking { try RawHTTP.get(url(.rateLimited), port: port) }
            #expect(busy.status == 429 && busy.header("Retry-After") == "1")
            #expect(try await blocking { try RawHTTP.get(url(.rateLimited), port: port) }.status == 200)

            let huge = try await blocking { try RawHTTP.get(url(.hugePage), port: port, method: "HEAD") }
            #expect(huge.header("Content-Length") == String(20 * 1024 * 1024))
            let hugeStart = try await blocking { try RawHTTP.get(url(.hugePage), port: port, bodyLimit: 200_000) }
            #expect(hugeStart.text.hasPrefix("<!DOCTYPE html>"))

            let bomb = try await blocking { try RawHTTP.get(url(.gzipBomb), port: port, bodyLimit: 100_000) }
            #expect(bomb.header("Content-Encoding") == "gzip")
            #expect(Int(bomb.header("Content-Length") ?? "") ?? 0 > 1_000_000)
            // The first 100 KB inflate to far more than 50 MB of zeros.
            let inflated = try gunzipCount(Data(bomb.body), limit: 60_000_000)
            #expect(inflated >= 50_000_000)

            let month = try await blocking { try RawHTTP.get(url(.endlessCalendar), port: port) }
            #expect(month.text.contains("month=2022-04") && month.text.contains("month=2022-02"))
            let far = try await blocking { try RawHTTP.get("http://hostile.hongxi.gov.cn/calendar/index.html?month=2999-12", port: port) }
            #expect(far.text.contains("month=3000-01"))
        }
    }

    @Test("the trickle sends about a byte a second without blocking other connections, and stops on disconnect")
    func trickle() async throws {
        try await withServer { server in
            let port = server.port
            let url = city.hostileEndpoints.first { $0.kind == .trickle }!.url
            let (first, elapsed) = try await blocking { () -> ([UInt8], TimeInterval) in
                let client = try RawHTTP(port: port)
                defer { client.close() }
                client.send("GET \(url) HTTP/1.1\r\nHost: hostile.hongxi.gov.cn\r\n\r\n")
                var received: [UInt8] = []
                let start = Date()
                while received.count < 400 {  // the head (~150 bytes) plus a few body bytes
                    let chunk = client.receive()
                    if chunk.isEmpty { break }
                    received += chunk
                    if Date().timeIntervalSince(start) > 3.5 { break }
                }
                return (received, Date().timeIntervalSince(start))
            }
            let text = String(decoding: first, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200"))
            #expect(text.contains("Content-Length: 86400"))
            let bodyBytes = first.count - (text.range(of: "\r\n\r\n").map { text.utf8.distance(from: text.startIndex, to: $0.upperBound) } ?? first.count)
            // About a byte a second (a starved test thread may read a few late, never a burst).
            #expect(bodyBytes >= 1 && Double(bodyBytes) <= elapsed + 3, "got \(bodyBytes) body bytes in \(elapsed)s")
            // Meanwhile (and after the trickling client left) other requests are served at once.
            let start = Date()
            #expect(try await blocking { try RawHTTP.get("http://www.hongxi.gov.cn/", port: port) }.status == 200)
            #expect(Date().timeIntervalSince(start) < 10, "a day-long trickle must not hold up other requests")
        }
    }

    @Test("the slow feed answers after a delay")
    func slowFeed() async throws {
        try await withServer { server in
            let port = server.port
            let slow = try #require(city.accounts.first { $0.id == "hxsthj" }?.feed)
            let start = Date()
            let response = try await blocking { try RawHTTP.get(slow, port: port) }
            #expect(response.status == 200)
            #expect(Date().timeIntervalSince(start) >= 1.5)
            #expect(response.text.contains("jsonfeed.org/version/1.1"))
        }
    }

    @Test("a stopped app is still downloadable; fixed, it is gone")
    func stoppedApp() async throws {
        try await withServer { server in
            let port = server.port
            let app = try #require(city.accounts.first { $0.platform == .app && $0.status == .stopped })
            #expect(try await blocking { try RawHTTP.get(app.downloadURL!, port: port) }.status == 200)
            server.setFixed([app.downloadURL!])
            #expect(try await blocking { try RawHTTP.get(app.downloadURL!, port: port) }.status == 404)
            let closed = try #require(city.accounts.first { $0.platform == .app && $0.status == .closed })
            #expect(try await blocking { try RawHTTP.get(closed.downloadURL!, port: port) }.status == 404)
        }
    }
}
