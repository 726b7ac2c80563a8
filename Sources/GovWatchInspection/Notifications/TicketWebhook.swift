import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchStore
import NIOCore
import NIOHTTP1

/// Posts ticket events to a webhook (a chat group's robot, the OA system) as JSON
/// (`TicketEventMessage`), one request per event, retried with exponential backoff; a
/// delivery that fails every attempt is recorded in the store (`notification_failures`) and
/// the others go on, so a down receiver never blocks an inspection.
public struct TicketWebhook: Sendable {
    /// The receiver, `http(s)://…`.
    public var url: String
    /// Signs each body (`WebhookSignature`); nil: unsigned.
    public var secret: String?
    /// Attempts per message, the first included.
    public var maximumAttempts: Int
    /// Wait before the second attempt; doubled before each further one.
    public var initialBackoff: Duration
    /// Deadline of one attempt.
    public var timeout: TimeAmount
    /// How the wait happens (tests pass a recorder instead of sleeping).
    public var sleep: @Sendable (Duration) async throws -> Void

    /// The environment variable naming the webhook URL.
    public static let environmentVariable = "GOVWATCH_WEBHOOK_URL"

    public struct InvalidURL: Error, CustomStringConvertible {
        public var value: String
        public var description: String { "通知地址“\(value)”无效，应为 http:// 或 https:// 开头的网址" }
    }

    public init(
        url: String, secret: String? = nil, maximumAttempts: Int = 4, initialBackoff: Duration = .seconds(1), timeout: TimeAmount = .seconds(10),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            parsed.host != nil
        else { throw InvalidURL(value: url) }
        self.url = url
        self.secret = secret?.isEmpty == false ? secret : nil
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.timeout = timeout
        self.sleep = sleep
    }

    /// The webhook of `option` (e.g. `--webhook`), else of `$GOVWATCH_WEBHOOK_URL`; nil when neither is set.
    public static func configured(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> TicketWebhook?
    {
        guard let value = option ?? environment[environmentVariable], !value.isEmpty else { return nil }
        return try TicketWebhook(url: value)
    }

    /// The webhook of `option`, else of `$GOVWATCH_WEBHOOK_URL`, else the one stored on the
    /// 设置 page (with its secret); nil when none is set.
    public static func configured(
        option: String?, store: Store, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> TicketWebhook? {
        if let explicit = try configured(option: option, environment: environment) { return explicit }
        return try await stored(in: store)
    }

    /// The webhook stored on the 设置 page, nil when none: what a loop, digest or web action
    /// given no webhook of its own posts to, read at each use so a change needs no restart.
    public static func stored(in store: Store) async throws -> TicketWebhook? {
        guard let stored = try await store.webhookSetting() else { return nil }
        return try TicketWebhook(url: stored.url, secret: stored.secret)
    }

    /// What a delivery did.
    public struct Report: Sendable, Hashable {
        public var delivered = 0
        public var failed = 0
        public init() {}
    }

    /// Posts each event with its ticket as it is now; failures are recorded, not thrown.
    public func deliver(_ events: [TicketEvent], store: Store, at moment: Date) async -> Report {
        var report = Report()
        for event in events {
            let payload: Data
            do {
                guard let id = event.ticketID else { continue }
                let ticket = try await store.ticket(TicketCode.format(id))
                payload = try TicketEventMessage(event: event, ticket: ticket, at: moment).encoded()
            } catch {
                report.failed += 1
                continue
            }
            if await send(payload, eventID: event.id, channel: "webhook", store: store, at: moment) {
                report.delivered += 1
            } else {
                report.failed += 1
            }
        }
        return report
    }

    /// Posts one JSON body with retries; records the failure and returns false when every attempt failed.
    public func send(_ payload: Data, eventID: Int?, channel: String, store: Store, at moment: Date) async -> Bool {
        guard let lastError = await postWithRetries(payload) else { return true }
        try? await store.record(
            NotificationFailure(
                channel: channel, destination: url, ticketEventID: eventID, payload: String(decoding: payload, as: UTF8.self),
                attempts: maximumAttempts, lastError: lastError, failedAt: moment))
        return false
    }

    /// What a resend of recorded failures did.
    public struct ResendReport: Sendable, Hashable {
        public var resent = 0
        public var stillFailing = 0
        public init() {}
    }

    /// Posts every recorded failure again (oldest first, to this webhook's current URL, which
    /// an administrator may have corrected): a delivered one is forgotten, one that fails again
    /// keeps its place with its attempts and last error updated.
    public func resendFailures(store: Store, at moment: Date) async throws -> ResendReport {
        var report = ResendReport()
        for failure in try await store.notificationFailures() {
            guard let id = failure.id else { continue }
            if let lastError = await postWithRetries(Data(failure.payload.utf8)) {
                try await store.updateNotificationFailure(
                    id, attempts: failure.attempts + maximumAttempts, lastError: lastError, failedAt: moment)
                report.stillFailing += 1
            } else {
                try await store.removeNotificationFailure(id)
                report.resent += 1
            }
        }
        return report
    }

    /// Posts `payload`, retrying with exponential backoff; nil when delivered, else the last error.
    func postWithRetries(_ payload: Data) async -> String? {
        var lastError = ""
        var wait = initialBackoff
        for attempt in 1...maximumAttempts {
            do {
                try await post(payload)
                return nil
            } catch {
                lastError = "\(error)"
            }
            if attempt < maximumAttempts {
                try? await sleep(wait)
                wait *= 2
            }
        }
        return lastError
    }

    struct HTTPFailure: Error, CustomStringConvertible {
        var status: UInt
        var description: String { "通知接收方返回 HTTP \(status)" }
    }

    /// One attempt: any 2xx is success.
    func post(_ payload: Data) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: InspectionHTTPClient.userAgent)
        if let secret { request.headers.add(name: WebhookSignature.headerName, value: WebhookSignature.sign(payload, secret: secret)) }
        request.body = .bytes(ByteBuffer(bytes: payload))
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        // Drain the body so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else { throw HTTPFailure(status: response.status.code) }
    }
}
