import Foundation

/// The spec's Tickets JSON (`govwatch tickets list --format json`), also the `ticket` of
/// every webhook message.
///
/// ```json
/// {"tickets": [{"id": "T-000123", "unit": "…", "target": {"kind": "site", "code": "…", "name": "…"},
///   "indicator": "site.content.privacy", "level": "deduction", "fingerprint": "5f0c…", "url": "…",
///   "state": "open", "occurrences": 2, "firstSeen": "…", "lastSeen": "…", "deadline": "2022-03-25",
///   "overdue": false, "reopened": 0}]}
/// ```
public struct TicketJSON: Encodable, Sendable, Hashable {
    public struct TargetJSON: Encodable, Sendable, Hashable {
        public var kind: String
        public var code: String
        public var name: String
    }

    public var id: String
    public var unit: String
    public var target: TargetJSON
    public var indicator: String
    public var level: String
    public var fingerprint: String
    /// Absent for target-wide problems, as in findings.
    public var url: String?
    public var state: String
    public var occurrences: Int
    public var firstSeen: String
    public var lastSeen: String
    public var deadline: String?
    public var overdue: Bool
    public var reopened: Int

    /// The ticket as of `moment` (which decides `overdue`).
    public init(_ ticket: Ticket, at moment: Date) {
        id = ticket.code
        unit = ticket.unit
        target = TargetJSON(kind: ticket.target.kind.rawValue, code: ticket.target.code, name: ticket.target.name)
        indicator = ticket.indicator.rawValue
        level = ticket.level.rawValue
        fingerprint = ticket.fingerprint
        url = ticket.url
        state = ticket.state.rawValue
        occurrences = ticket.occurrences
        firstSeen = ChinaTime.iso8601(ticket.firstSeen)
        lastSeen = ChinaTime.iso8601(ticket.lastSeen)
        deadline = ticket.deadline?.description
        overdue = ticket.isOverdue(at: moment)
        reopened = ticket.reopened
    }

    private struct Document: Encodable {
        var tickets: [TicketJSON]
    }

    /// `{"tickets": [...]}`, pretty-printed, keys sorted.
    public static func render(_ tickets: [Ticket], at moment: Date) throws -> String {
        let encoder = JSONEncoder()
        // Sorted keys: the same tickets always print the same bytes (diffable, testable).
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(tickets: tickets.map { TicketJSON($0, at: moment) }))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A ticket event as a webhook posts it: the event and the ticket after it.
///
/// ```json
/// {"type": "ticket.event", "event": {"id": 42, "action": "feedback", "actionName": "反馈", "from": "open",
///  "to": "feedback", "actor": "张三", "at": "2022-04-01T09:30:00+08:00", "reason": "…"}, "ticket": {…}}
/// ```
public struct TicketEventMessage: Encodable, Sendable {
    public struct EventJSON: Encodable, Sendable {
        public var id: Int?
        public var action: String
        public var actionName: String
        public var from: String?
        public var to: String
        public var actor: String
        public var at: String
        public var reason: String?
    }

    public var type = "ticket.event"
    public var event: EventJSON
    public var ticket: TicketJSON
    /// A line for people (the unit's operator reads it in a chat group).
    public var text: String

    public init(event: TicketEvent, ticket: Ticket, at moment: Date) {
        self.event = EventJSON(
            id: event.id, action: event.action.rawValue, actionName: event.action.chineseName, from: event.from?.rawValue,
            to: event.to.rawValue, actor: event.actor, at: ChinaTime.iso8601(event.at),
            reason: event.reason.map(PersonalInfoRedaction.masked))
        self.ticket = TicketJSON(ticket, at: moment)
        var text = "【整改单 \(ticket.code) \(event.action.chineseName)】\(ticket.unit)：\(ticket.target.name) \(ticket.indicator)"
        text += "，状态 \(event.from.map { $0.chineseName + "→" } ?? "")\(event.to.chineseName)"
        if let deadline = ticket.deadline, ticket.state == .open { text += "，整改期限 \(deadline)" }
        if let reason = event.reason, !reason.isEmpty { text += "。\(reason)" }
        // A reason is typed by people (a unit's reply may quote what it removed): a webhook
        // payload carries no personal number in clear.
        self.text = PersonalInfoRedaction.masked(text)
    }

    /// The JSON body.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
