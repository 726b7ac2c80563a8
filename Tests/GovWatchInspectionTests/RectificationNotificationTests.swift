#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore
import GovWatchTestSupport
import Synchronization
import Testing

/// A webhook receiver on loopback (Python's http.server, started by the test; the tests using
/// it carry `.requires(ToolAvailability.python3)`) that answers
/// 500 to the first `failures` requests and 200 afterwards, and writes each body to a folder.
final class FlakyReceiver {
    let process = Process()
    let folder: URL
    let port: Int

    init(failures: Int) async throws {
        try ToolAvailability.require(ToolAvailability.python3)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = """
            import http.server, os, sys, itertools
            folder, failures = sys.argv[1], int(sys.argv[2])
            counter = itertools.count(1)
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    n = next(counter)
                    body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                    with open(os.path.join(folder, 'request-%03d.json' % n), 'wb') as f: f.write(body)
                    status = 500 if n <= failures else 200
                    self.send_response(status); self.send_header('Content-Length', '2'); self.end_headers(); self.wfile.write(b'ok')
                def log_message(self, *args): pass
            server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
            with open(os.path.join(folder, 'port.tmp'), 'w') as f: f.write(str(server.server_address[1]))
            os.rename(os.path.join(folder, 'port.tmp'), os.path.join(folder, 'port'))
            server.serve_forever()
            """
        let scriptFile = folder.appendingPathComponent("receiver.py")
        try Data(script.utf8).write(to: scriptFile)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptFile.path, folder.path, String(failures)]
        try process.run()
        let portFile = folder.appendingPathComponent("port")
        var waited = 0
        while !FileManager.default.fileExists(atPath: portFile.path), waited < 200 {
            try await Task.sleep(for: .milliseconds(25))
            waited += 1
        }
        port = Int(try String(contentsOf: portFile, encoding: .utf8)) ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// The bodies received, in order.
    func bodies() throws -> [Data] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("request-") }.sorted()
            .map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    /// Kills the receiver without waiting: a blocking wait would hold one of the few threads
    /// of the concurrency pool that the other tests need.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
    }
}

@Suite struct RectificationNotificationTests {
    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局

        """
    let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!

    func storeWithTickets() async throws -> (Store, TicketApplication) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-notify-\(UUID().uuidString)")
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("n.sqlite").path))
        _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sites.utf8), file: "sites.csv", into: store)
        let site = Target(kind: .site, code: "4301000002", name: "鸿溪市教育局")
        let findings = [
            Finding(target: site, indicator: .siteContentPrivacy, level: .deduction, url: "http://jyj.hongxi.gov.cn/gs/1.html",
                evidence: "联系电话 138****5678", locationKey: "a"),
            Finding(target: site, indicator: .siteContentSevereError, level: .veto, url: "http://jyj.hongxi.gov.cn/xw/2.html",
                evidence: "中华人民共合国", locationKey: "b"),
        ]
        let applied = try await store.applyInspection(
            findings: findings, run: "r-1", asOf: asOf, scope: .everything, policy: RectificationPolicy(), now: asOf)
        return (store, applied)
    }

    @Test(.requires(ToolAvailability.python3)) func webhookRetriesWithBackoffAndDeliversEachEventAsJSON() async throws {
        let receiver = try await FlakyReceiver(failures: 2)
        defer { receiver.stop() }
        let (store, applied) = try await storeWithTickets()
        let waits = Mutex<[Duration]>([])
        let webhook = try TicketWebhook(
            url: receiver.url, maximumAttempts: 4, initialBackoff: .milliseconds(100), sleep: { d in waits.withLock { $0.append(d) } })
        let report = await webhook.deliver(applied.events, store: store, at: asOf)
        #expect(report == { var r = TicketWebhook.Report(); r.delivered = 2; return r }())
        #expect(waits.withLock { $0 } == [.milliseconds(100), .milliseconds(200)], "exponential backoff before the 2nd and 3rd attempt")
        let bodies = try receiver.bodies()
        #expect(bodies.count == 4)
        let last = try JSONSerialization.jsonObject(with: bodies[3]) as! [String: Any]
        #expect(last["type"] as? String == "ticket.event")
        let ticket = last["ticket"] as! [String: Any]
        #expect(ticket["id"] as? String == "T-000002" && ticket["state"] as? String == "open" && ticket["deadline"] as? String == "2022-04-06")
        #expect((last["event"] as! [String: Any])["action"] as? String == "create")
        #expect((last["text"] as? String)?.contains("鸿溪市教育局") == true)
        #expect(String(decoding: bodies[3], as: UTF8.self).contains("13800") == false, "evidence stays masked")
        #expect(try await store.notificationFailures().isEmpty)
        await store.close()
    }

    @Test(.requires(ToolAvailability.python3)) func aReceiverThatKeepsFailingIsRecordedAndDoesNotStopTheRest() async throws {
        let receiver = try await FlakyReceiver(failures: 1_000)
        defer { receiver.stop() }
        let (store, applied) = try await storeWithTickets()
        let webhook = try TicketWebhook(url: receiver.url, maximumAttempts: 3, initialBackoff: .milliseconds(1))
        let report = await webhook.deliver(applied.events, store: store, at: asOf)
        #expect(report.failed == 2 && report.delivered == 0)
        #expect(try receiver.bodies().count == 6)
        let failures = try await store.notificationFailures()
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.attempts == 3 && $0.destination == receiver.url && $0.lastError.contains("500") })
        #expect(failures.map(\.ticketEventID) == applied.events.map(\.id))
        #expect(throws: TicketWebhook.InvalidURL.self) { try TicketWebhook(url: "ftp://x") }
        await store.close()
    }

    @Test(.requires(ToolAvailability.python3)) func recordedFailuresAreResentOnceTheReceiverIsBack() async throws {
        let down = try await FlakyReceiver(failures: 1_000)
        defer { down.stop() }
        let (store, applied) = try await storeWithTickets()
        let failing = try TicketWebhook(url: down.url, maximumAttempts: 2, initialBackoff: .milliseconds(1))
        _ = await failing.deliver(applied.events, store: store, at: asOf)
        let recorded = try await store.notificationFailures()
        #expect(recorded.count == 2)

        // Still down: nothing is lost, the attempts and the time are updated.
        let later = asOf.addingTimeInterval(3_600)
        let stillDown = try await failing.resendFailures(store: store, at: later)
        #expect(stillDown.resent == 0 && stillDown.stillFailing == 2)
        let kept = try await store.notificationFailures()
        #expect(kept.map(\.id) == recorded.map(\.id))
        #expect(kept.allSatisfy { $0.attempts == 4 && $0.failedAt == later })

        // The receiver is back (the administrator set a working URL): each payload goes out
        // once, as it was, and the failures are gone.
        let back = try await FlakyReceiver(failures: 0)
        defer { back.stop() }
        let working = try TicketWebhook(url: back.url, maximumAttempts: 2, initialBackoff: .milliseconds(1))
        let resent = try await working.resendFailures(store: store, at: later.addingTimeInterval(3_600))
        #expect(resent.resent == 2 && resent.stillFailing == 0)
        #expect(try back.bodies().map { String(decoding: $0, as: UTF8.self) } == recorded.map(\.payload))
        #expect(try await store.notificationFailures().isEmpty)
        await store.close()
    }

    @Test(.requires(ToolAvailability.python3)) func dailyDigestPerUnitIsWrittenAndPosted() async throws {
        let receiver = try await FlakyReceiver(failures: 0)
        defer { receiver.stop() }
        let (store, _) = try await storeWithTickets()
        _ = try await store.feedback("T-000001", text: "已删除手机号", actor: "张三", at: asOf.addingTimeInterval(3_600))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-digest-\(UUID().uuidString)")
        let sender = DigestSender(store: store, folder: folder, webhook: try TicketWebhook(url: receiver.url))
        let report = try await sender.send(at: asOf.addingTimeInterval(10 * 86_400))
        #expect(report.units == ["鸿溪市教育局"] && report.files.count == 1 && report.posted == 1)
        let text = try String(contentsOf: report.files[0], encoding: .utf8)
        #expect(report.files[0].lastPathComponent == "整改日报-鸿溪市教育局-2022-04-10.txt")
        #expect(text.contains("待整改 1 件（其中逾期 1 件），已反馈待核验 1 件"))
        #expect(text.contains("T-000002  【已逾期】期限 2022-04-06"))
        let posted = try JSONSerialization.jsonObject(with: try receiver.bodies()[0]) as! [String: String]
        #expect(posted["type"] == "unit.digest" && posted["unit"] == "鸿溪市教育局" && posted["text"] == text)
        await store.close()
    }
}
