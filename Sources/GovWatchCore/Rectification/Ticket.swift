import Crypto
import Foundation

/// 整改单: one problem of one unit, keyed by the finding's fingerprint, so the same problem
/// found again is the same ticket.
public struct Ticket: Sendable, Hashable, Codable {
    /// The database id; nil for a ticket not stored yet. Printed as `T-000123`.
    public var id: Int?
    public var fingerprint: String
    /// The unit that runs the target (the site's or account's 主办单位, or the unit itself).
    public var unit: String
    public var target: Target
    public var indicator: IndicatorID
    public var level: Level
    public var url: String?
    /// Masked, as the finding holds it.
    public var evidence: String?
    /// What the problem looked like when last seen (see `Ticket.signature(of:)`): a dismissed
    /// ticket is raised again only when this changes.
    public var signature: String
    public var state: TicketState
    /// How many inspections (or patrols) found it.
    public var occurrences: Int
    public var firstSeen: Date
    public var lastSeen: Date
    /// The inspection run (or patrol) that last saw it: applying the same run twice changes nothing.
    public var lastRun: String?
    /// The last day to rectify (inclusive), in working days from when it was pushed.
    public var deadline: CalendarDate?
    public var assignee: String?
    public var feedbackText: String?
    /// How often a problem reported fixed (or closed) was found again.
    public var reopened: Int

    public init(
        id: Int? = nil, fingerprint: String, unit: String, target: Target, indicator: IndicatorID, level: Level,
        url: String? = nil, evidence: String? = nil, signature: String = "", state: TicketState = .open,
        occurrences: Int = 1, firstSeen: Date, lastSeen: Date, lastRun: String? = nil, deadline: CalendarDate? = nil,
        assignee: String? = nil, feedbackText: String? = nil, reopened: Int = 0
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.unit = unit
        self.target = target
        self.indicator = indicator
        self.level = level
        self.url = url
        self.evidence = evidence
        self.signature = signature
        self.state = state
        self.occurrences = occurrences
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.lastRun = lastRun
        self.deadline = deadline
        self.assignee = assignee
        self.feedbackText = feedbackText
        self.reopened = reopened
    }

    /// `T-000123`, or `T-??????` before the ticket is stored.
    public var code: String { id.map(TicketCode.format) ?? "T-??????" }

    /// Whether the unit has missed the deadline at `moment`: still 待整改 after the deadline
    /// day has ended. At 24:00 of the deadline day (what `--as-of DEADLINE` means) the unit has
    /// used its last day, not missed it. A ticket in 已反馈 waits for the office, not the unit.
    public func isOverdue(at moment: Date) -> Bool {
        guard state == .open, let deadline else { return false }
        return moment > deadline.endOfDay
    }

    /// What identifies the problem's content, beyond its place: level and masked evidence.
    ///
    /// Details such as counts, ratios and dates move from run to run while the problem is
    /// the same, so they stay out; a different level or different evidence at the same place
    /// is a changed problem.
    public static func signature(of finding: Finding) -> String {
        let material = [finding.level.rawValue, finding.evidence ?? ""].joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(material.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

/// One entry of a ticket's append-only audit log: who, when, from, to, why.
public struct TicketEvent: Sendable, Hashable, Codable {
    /// The log entry's id once stored.
    public var id: Int?
    /// The ticket's id; nil for a ticket created in the same change and not stored yet
    /// (the store fills it in).
    public var ticketID: Int?
    /// The ticket's fingerprint, which names it before it has an id.
    public var fingerprint: String
    public var at: Date
    /// The person (`--actor`, `$USER`) or `TicketEvent.systemActor` for re-inspection.
    public var actor: String
    public var action: TicketAction
    /// nil when the ticket is created.
    public var from: TicketState?
    public var to: TicketState
    public var reason: String?

    public init(
        id: Int? = nil, ticketID: Int?, fingerprint: String, at: Date, actor: String, action: TicketAction,
        from: TicketState?, to: TicketState, reason: String?
    ) {
        self.id = id
        self.ticketID = ticketID
        self.fingerprint = fingerprint
        self.at = at
        self.actor = actor
        self.action = action
        self.from = from
        self.to = to
        self.reason = reason
    }

    /// The actor of changes made by inspections and re-inspections.
    public static let systemActor = "系统复查"
}

/// Ticket ids as people read them: `T-000123`.
public enum TicketCode {
    public static func format(_ id: Int) -> String { String(format: "T-%06d", id) }

    /// The id of `T-000123`, `t-123` or `123`; nil for anything else.
    public static func parse(_ text: String) -> Int? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("T-") || body.hasPrefix("t-") { body = body.dropFirst(2) }
        guard !body.isEmpty, body.count <= 12, body.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int(body), id > 0
        else { return nil }
        return id
    }
}

/// SHA-256 of attachment bytes, as stored beside them and printed in a ticket's history.
public enum AttachmentDigest {
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
