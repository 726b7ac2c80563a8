import Foundation
import GovWatchCore
import GovWatchStore

/// The daily digest per unit (`DailyDigest`): written as one text file per unit into a
/// folder, and/or posted to the webhook as `{"type": "unit.digest", "unit": …, "text": …}`.
public struct DigestSender: Sendable {
    public var store: Store
    /// Folder for `整改日报-<unit>-<YYYY-MM-DD>.txt`; nil: no files.
    public var folder: URL?
    public var webhook: TicketWebhook?

    public init(store: Store, folder: URL?, webhook: TicketWebhook?) {
        self.store = store
        self.folder = folder
        self.webhook = webhook
    }

    /// What was sent, per unit.
    public struct Report: Sendable {
        public var units: [String] = []
        public var files: [URL] = []
        public var posted = 0
        public var failed = 0
    }

    /// Digests of every unit with something open or changed in the day before `moment`.
    public func send(at moment: Date) async throws -> Report {
        let tickets = try await store.tickets()
        let since = moment.addingTimeInterval(-86_400)
        var events: [TicketEvent] = []
        var after = 0
        // The log is append-only and ids grow, so page through it from the start of the window.
        while true {
            let page = try await store.ticketEvents(after: after, limit: 2_000)
            events += page.filter { $0.at >= since }
            guard let last = page.last?.id, page.count == 2_000 else { break }
            after = last
        }
        var report = Report()
        // This sender's webhook, else the one stored on the 设置 page (read at each send).
        var resolvedWebhook = webhook
        if resolvedWebhook == nil { resolvedWebhook = try await TicketWebhook.stored(in: store) }
        let day = CalendarDate(moment.addingTimeInterval(-1)).description
        for unit in Set(tickets.map(\.unit)).sorted() {
            guard let text = DailyDigest.render(unit: unit, tickets: tickets, events: events, since: since, at: moment) else { continue }
            report.units.append(unit)
            if let folder {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let safe = unit.replacingOccurrences(of: "/", with: "／")
                let file = folder.appendingPathComponent("整改日报-\(safe)-\(day).txt")
                try Data(text.utf8).write(to: file)
                report.files.append(file)
            }
            if let webhook = try await resolvedWebhook {
                let body: [String: String] = ["type": "unit.digest", "unit": unit, "day": day, "text": text]
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                if await webhook.send(try encoder.encode(body), eventID: nil, channel: "digest", store: store, at: moment) {
                    report.posted += 1
                } else {
                    report.failed += 1
                }
            }
        }
        return report
    }
}
