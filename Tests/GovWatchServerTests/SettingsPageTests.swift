import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// 设置 beyond the indicator set: the extra dictionary, the local holiday lines, the
/// scheduler's times and the ticket webhook. Each is validated with a Chinese message naming
/// the field or line, admin only, CSRF-protected, audited, and takes effect where the product
/// reads it (三审 and queued inspections, deadlines, the jobs' next runs, web ticket actions).
@Suite("设置 page")
struct SettingsPageTests {
    static func get(_ client: any TestClientProtocol, _ uri: String, _ cookie: String) async throws -> (HTTPResponse.Status, String) {
        try await OfficePagesTests.get(client, uri, cookie)
    }

    static func post(
        _ client: any TestClientProtocol, _ uri: String, _ cookie: String, csrf: String?, _ fields: [(String, String)]
    ) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        try await OfficePagesTests.post(client, uri, cookie, csrf: csrf, fields)
    }

    @Test func extraDictionaryIsValidatedByLineAndUsedBy三审AndQueuedInspections() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "admin")
            let bad = "# 本地词条\n鸿溪新区管委会\t鸿溪新区管理委员会\tsevere\n错词\t\t严重"
            let (badStatus, _, badPage) = try await Self.post(client, "/settings/dictionary", cookie, csrf: csrf, [("dictionary", bad)])
            #expect(badStatus == .badRequest)
            #expect(badPage.contains("附加词典第 3 行") && badPage.contains("类别“严重”无效"))
            // What was typed is shown again for correction, escaped.
            #expect(badPage.contains("鸿溪新区管委会\t鸿溪新区管理委员会\tsevere"))
            #expect(try await city.store.dictionaryText() == nil)

            let good = "鸿溪新区管委会\t鸿溪新区管理委员会\tsevere\r\n"
            #expect(try await Self.post(client, "/settings/dictionary", cookie, csrf: nil, [("dictionary", good)]).0 == .forbidden)
            #expect(try await city.store.dictionaryText() == nil)
            let (saved, _, savedPage) = try await Self.post(client, "/settings/dictionary", cookie, csrf: csrf, [("dictionary", good)])
            #expect(saved == .ok && savedPage.contains("已保存附加词典 1 条"))
            #expect(try await city.store.dictionaryText() == "鸿溪新区管委会\t鸿溪新区管理委员会\tsevere")

            // 三审 now reports the local term as a severe error.
            let (inspectorCookie, inspectorCSRF) = try await city.session(for: "inspector")
            let (scanned, _, scanPage) = try await Self.post(
                client, "/scan", inspectorCookie, csrf: inspectorCSRF, [("text", "鸿溪新区管委会召开专题会议。")])
            #expect(scanned == .ok && scanPage.contains(#"<mark class="veto""#) && scanPage.contains("鸿溪新区管理委员会"))
            // The pasted text's heading names it.
            #expect(scanPage.contains("检查结果：粘贴的文字"))

            // An inspection started from the web carries it to the workers.
            let (started, _, _) = try await Self.post(
                client, "/runs", inspectorCookie, csrf: inspectorCSRF, [("asOf", "2022-04-15"), ("all", "1")])
            #expect(started == .seeOther || started == .ok)
            let runs = try await city.store.runs(limit: 10, offset: 0).items
            let queuedRun = try #require(runs.first { $0.code != city.run.code })
            let request = try QueuedInspection.decode(try #require(try await city.store.queuedRequest(runCode: queuedRun.code)))
            #expect(request.dictionaries.map(\.text) == ["鸿溪新区管委会\t鸿溪新区管理委员会\tsevere"])

            let entry = try #require(try await city.store.auditEntries(object: "settings").first { $0.action == "settings.dictionary" })
            #expect(entry.actor == "admin" && entry.address != nil && entry.detail["entries"] == "1")

            // Emptied: none stored.
            #expect(try await Self.post(client, "/settings/dictionary", cookie, csrf: csrf, [("dictionary", " \n")]).0 == .ok)
            #expect(try await city.store.dictionaryText() == nil)
        }
    }

    @Test func localHolidayLinesMoveRectificationDeadlines() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "admin")
            let (badStatus, _, badPage) = try await Self.post(
                client, "/settings/holidays", cookie, csrf: csrf, [("holidays", "2022-04-06\tholiday\t本地假日\n2022-04-07\tworkday\t补班")])
            #expect(badStatus == .badRequest && badPage.contains("节假日安排第 2 行") && badPage.contains("不是周六或周日"))

            // 2022-04-06 (a Wednesday) becomes a local holiday.
            let (saved, _, savedPage) = try await Self.post(
                client, "/settings/holidays", cookie, csrf: csrf, [("holidays", "2022-04-06\tholiday\t本地假日")])
            #expect(saved == .ok && savedPage.contains("已保存本地节假日安排 1 天"))
            let holiday = try #require(CalendarDate(year: 2022, month: 4, day: 6))
            #expect(WorkingCalendar.china.isWorkingDay(holiday))
            #expect(try await !city.store.workingCalendar().isWorkingDay(holiday))

            // A veto problem found by an inspection as of 2022-03-31 is due 3 working days
            // after it is pushed: by the national calendar on or after 2022-04-06, one working
            // day later with the local holiday, as the rectification loop computes it.
            let run = try await city.store.startRun(
                asOf: APITestCity.asOf, indicatorSet: "national-2019@1", startedAt: APITestCity.now)
            let finding = Finding(
                target: Target(kind: .site, code: "4301000002", name: "鸿溪市教育局"), indicator: .siteContentSevereError,
                level: .veto, url: "http://jyj.hongxi.gov.cn/a.html", detail: ["wrong": "中华人民共合国"], evidence: "中华人民共合国",
                locationKey: "local-holiday")
            try await city.store.record([finding], in: run.code)
            _ = try await RectificationLoop(store: city.store, now: { APITestCity.now }).apply(
                run: run.code, asOf: APITestCity.asOf, findings: [finding],
                scope: ReinspectionScope(targets: [ReinspectionScope.TargetRef(finding.target)]), indicators: .national2019,
                recordInRun: false)
            let ticket = try #require(try await city.tickets(of: "鸿溪市教育局").first { $0.indicator == .siteContentSevereError })
            let pushed = RectificationPolicy.pushedDay(asOf: APITestCity.asOf)
            let national = RectificationPolicy().deadline(.siteContentSevereError, level: .veto, pushed: pushed)
            let local = RectificationPolicy(calendar: .china.overlaid(with: try WorkingCalendar.parse("2022-04-06\tholiday\t本地假日", file: "-")))
                .deadline(.siteContentSevereError, level: .veto, pushed: pushed)
            #expect(pushed < holiday && holiday <= national && national < local)
            #expect(ticket.deadline == local)

            let entry = try #require(try await city.store.auditEntries(object: "settings").first { $0.action == "settings.holidays" })
            #expect(entry.actor == "admin" && entry.detail["days"] == "1")
        }
    }

    @Test func schedulerTimesAreValidatedAndMoveTheJobs() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "admin")
            try await city.store.ensureJob(name: "patrol", kind: "patrol", parameter: nil, firstRunAt: APITestCity.now)
            try await city.store.ensureJob(name: "digest", kind: "digest", parameter: nil, firstRunAt: APITestCity.now)
            let fields = [("probesPerDay", "30"), ("patrolHour", "25"), ("inspectionHour", "3"), ("digestHour", "9")]
            let (badStatus, _, badPage) = try await Self.post(client, "/settings/schedule", cookie, csrf: csrf, fields)
            #expect(badStatus == .badRequest && badPage.contains("“每日巡查时间（时）”应为 0–23 之间的整数，收到“25”"))
            #expect(badPage.contains(#"name="patrolHour" value="25""#))
            #expect(try await city.store.jobScheduleJSON() == nil)

            var good = fields
            good[1] = ("patrolHour", "5")
            let (saved, _, savedPage) = try await Self.post(client, "/settings/schedule", cookie, csrf: csrf, good)
            #expect(saved == .ok && savedPage.contains("2 项任务已按新时间重新排期"))
            let expected = JobSchedule(probesPerDay: 30, patrolHour: 5, inspectionHour: 3, digestHour: 9)
            #expect(try await JobSchedule.stored(in: city.store, over: JobSchedule()) == expected)
            let jobs = try await city.store.jobs()
            let patrol = try #require(jobs.first { $0.name == "patrol" })
            let digest = try #require(jobs.first { $0.name == "digest" })
            #expect(patrol.nextRunAt == expected.nextRun(kind: .patrol, name: "patrol", after: APITestCity.now))
            #expect(digest.nextRunAt == ChinaTime.parseMoment("2022-04-01T09:00:00")!.addingTimeInterval(86_400))
            #expect(savedPage.contains(#"name="patrolHour" value="5""#))
            let entry = try #require(try await city.store.auditEntries(object: "settings").first { $0.action == "settings.schedule" })
            #expect(entry.detail["patrolHour"] == "5" && entry.detail["rescheduled"] == "2")
        }
    }

    @Test func webhookSecretIsNeverShownAndSignsTheWebsTicketEvents() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "admin")
            let (badStatus, _, badPage) = try await Self.post(
                client, "/settings/webhook", cookie, csrf: csrf, [("url", "ftp://example.org/"), ("secret", "")])
            #expect(badStatus == .badRequest && badPage.contains("“通知地址”") && badPage.contains("http:// 或 https://"))

            let secret = "s3cret-鸿溪-webhook"
            let url = "http://127.0.0.1:\(receiver.port)/hook"
            let (saved, _, savedPage) = try await Self.post(
                client, "/settings/webhook", cookie, csrf: csrf, [("url", url), ("secret", secret)])
            #expect(saved == .ok && savedPage.contains(url) && !savedPage.contains(secret) && savedPage.contains("已设置，不显示"))
            #expect(try await city.store.webhookSetting() == Store.WebhookSetting(url: url, secret: secret))
            // Saved again without a secret: the stored one stays.
            #expect(try await Self.post(client, "/settings/webhook", cookie, csrf: csrf, [("url", url), ("secret", "")]).0 == .ok)
            #expect(try await city.store.webhookSetting()?.secret == secret)
            let (_, settingsPage) = try await Self.get(client, "/settings", cookie)
            #expect(!settingsPage.contains(secret))
            let entries = try await city.store.auditEntries(object: "settings").filter { $0.action == "settings.webhook" }
            #expect(entries.map { $0.detail["secret"] } == ["未变", "已更换"] || entries.map { $0.detail["secret"] } == ["已更换", "未变"])
            #expect(entries.allSatisfy { !$0.detail.values.contains(secret) })

            // The office dismisses a ticket on its page: the event goes to the stored webhook, signed.
            let ticket = try #require(try await city.tickets(of: "鸿溪市教育局").first)
            let (dismissed, _, _) = try await Self.post(
                client, "/tickets/\(ticket.code)/dismiss", cookie, csrf: csrf, [("reason", "经人工核查为误报")])
            #expect(dismissed == .seeOther || dismissed == .ok)
            let delivery = try await receiver.next(waitingAtMost: .seconds(120))
            #expect(delivery.signature == WebhookSignature.sign(delivery.body, secret: secret))
            let message = try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any]
            #expect(String(decoding: delivery.body, as: UTF8.self).contains(ticket.code))
            #expect(message != nil)

            // An empty address removes the webhook and its secret.
            #expect(try await Self.post(client, "/settings/webhook", cookie, csrf: csrf, [("url", ""), ("secret", "")]).0 == .ok)
            #expect(try await city.store.webhookSetting() == nil)
        }
    }

    @Test func onlyAdminsChangeSettings() async throws {
        try await APITestCity.withServer { city, client in
            for user in ["inspector", "viewer", "county"] {
                let (cookie, csrf) = try await city.session(for: user)
                for (path, fields) in [
                    ("/settings/dictionary", [("dictionary", "甲\t乙\tsevere")]), ("/settings/holidays", [("holidays", "")]),
                    ("/settings/schedule", [("probesPerDay", "24")]), ("/settings/webhook", [("url", "")]),
                ] {
                    #expect(try await Self.post(client, path, cookie, csrf: csrf, fields).0 == .forbidden, "\(user) \(path)")
                }
            }
            #expect(try await city.store.dictionaryText() == nil)
        }
    }

    // MARK: - Error pages

    @Test func errorPagesOfASignedInPersonHaveTheNavigation() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, _) = try await city.session(for: "county")
            let (missing, missingPage) = try await Self.get(client, "/no-such-page", cookie)
            #expect(missing == .notFound && missingPage.contains(#"aria-label="主导航""#) && missingPage.contains("county（单位用户"))
            #expect(missingPage.contains("页面不存在") && missingPage.contains(#"action="/logout""#))
            let (forbidden, forbiddenPage) = try await Self.get(client, "/settings", cookie)
            #expect(forbidden == .forbidden && forbiddenPage.contains(#"aria-label="主导航""#) && forbiddenPage.contains("无权访问"))
            let (otherUnit, otherPage) = try await Self.get(client, "/sites/4301000002", cookie)
            #expect(otherUnit == .notFound && otherPage.contains(#"aria-label="主导航""#))

            // Without a session: the minimal page (no navigation, no user).
            let (anonymous, anonymousPage) = try await Self.get(client, "/no-such-page", "")
            #expect(anonymous == .notFound || anonymous == .seeOther)
            #expect(!anonymousPage.contains(#"aria-label="主导航""#))
        }
    }
}

/// A webhook receiver on a loopback port: real HTTP, answering 204 and keeping each body
/// with its signature header.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var body: Data
        var signature: String?
    }

    let port: Int
    private let deliveries: AsyncStream<Delivery>
    private let task: Task<Void, any Error>

    private init(port: Int, deliveries: AsyncStream<Delivery>, task: Task<Void, any Error>) {
        self.port = port
        self.deliveries = deliveries
        self.task = task
    }

    struct NothingDelivered: Error, CustomStringConvertible {
        var description: String { "the webhook received nothing" }
    }

    static func start() async throws -> WebhookReceiver {
        let (deliveries, continuation) = AsyncStream.makeStream(of: Delivery.self)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            continuation.yield(
                Delivery(body: Data(body.readableBytesView), signature: request.headers[HTTPField.Name(WebhookSignature.headerName)!]))
            return .noContent
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "webhook-receiver"))
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else { throw CancellationError() }
        return WebhookReceiver(port: port, deliveries: deliveries, task: task)
    }

    /// The first delivery (called once). The bound only keeps a webhook that never posts from
    /// hanging the suite; it is far beyond any machine's delivery time, not a speed check.
    func next(waitingAtMost bound: Duration) async throws -> Delivery {
        let deliveries = self.deliveries
        return try await withThrowingTaskGroup(of: Delivery?.self) { group in
            group.addTask {
                var iterator = deliveries.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: bound)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else { throw NothingDelivered() }
            return first
        }
    }

    func stop() { task.cancel() }
}
