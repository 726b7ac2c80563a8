import Foundation

/// A unit's rectification backlog: its tickets by state, how many are overdue, and whether
/// it has cleared them all (清零).
public struct UnitBacklog: Sendable, Hashable, Codable {
    public var unit: String
    /// 待整改.
    public var open: Int
    /// 已反馈, awaiting verification.
    public var feedback: Int
    public var closed: Int
    public var dismissed: Int
    /// 待整改 past the deadline.
    public var overdue: Int
    /// Times problems reported fixed were found again.
    public var reopened: Int

    public init(unit: String, open: Int = 0, feedback: Int = 0, closed: Int = 0, dismissed: Int = 0, overdue: Int = 0, reopened: Int = 0) {
        self.unit = unit
        self.open = open
        self.feedback = feedback
        self.closed = closed
        self.dismissed = dismissed
        self.overdue = overdue
        self.reopened = reopened
    }

    /// 积压: tickets not yet closed or dismissed.
    public var backlog: Int { open + feedback }

    /// 清零: the unit has tickets and none is left open or awaiting verification.
    public var cleared: Bool { backlog == 0 }

    /// Per unit, sorted by backlog (largest first), then name: the notice names the units
    /// with the most open items first.
    public static func compute(_ tickets: [Ticket], at moment: Date) -> [UnitBacklog] {
        var byUnit: [String: UnitBacklog] = [:]
        for ticket in tickets {
            var entry = byUnit[ticket.unit] ?? UnitBacklog(unit: ticket.unit)
            switch ticket.state {
            case .open: entry.open += 1
            case .feedback: entry.feedback += 1
            case .closed: entry.closed += 1
            case .dismissed: entry.dismissed += 1
            }
            if ticket.isOverdue(at: moment) { entry.overdue += 1 }
            entry.reopened += ticket.reopened
            byUnit[ticket.unit] = entry
        }
        return byUnit.values.sorted { ($1.backlog, $0.unit) < ($0.backlog, $1.unit) }
    }
}

/// The supervision findings the loop itself produces: `unit.rectification.overdue` and
/// `unit.rectification.reopened`, one per unit.
///
/// `detail`: `count` (tickets), `tickets` (their `T-000123` ids), and for overdue the
/// `oldestDeadline`. The fingerprint's location key is the indicator alone, so a unit's
/// overdue backlog is one finding from run to run however its tickets change.
public enum RectificationFindings {
    /// `unit.rectification.overdue` for each unit with 待整改 tickets past their deadline at `asOf`.
    public static func overdue(_ tickets: [Ticket], asOf: Date, indicators: IndicatorSet) -> [Finding] {
        let overdue = tickets.filter { $0.isOverdue(at: asOf) }
        return Dictionary(grouping: overdue, by: \.unit).sorted { $0.key < $1.key }.map { unit, tickets in
            let sorted = tickets.sorted { ($0.deadline!, $0.id ?? 0) < ($1.deadline!, $1.id ?? 0) }
            let oldest = sorted.first!.deadline!
            return Finding(
                target: Target(kind: .unit, code: unit, name: unit), indicator: .unitRectificationOverdue,
                level: indicators.level(.unitRectificationOverdue),
                detail: [
                    "count": .number(Double(tickets.count)), "tickets": .array(sorted.map { .string($0.code) }),
                    "oldestDeadline": .string(oldest.description),
                ],
                evidence: "\(tickets.count) 个问题超过整改期限仍未整改，最早期限 \(oldest)",
                locationKey: "overdue")
        }
    }

    /// `unit.rectification.reopened` for each unit whose tickets `reopened` were found again
    /// after being reported fixed (or closed).
    public static func reopened(_ reopened: [Ticket], run: String, indicators: IndicatorSet) -> [Finding] {
        Dictionary(grouping: reopened, by: \.unit).sorted { $0.key < $1.key }.map { unit, tickets in
            let sorted = tickets.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
            return Finding(
                target: Target(kind: .unit, code: unit, name: unit), indicator: .unitRectificationReopened,
                level: indicators.level(.unitRectificationReopened),
                detail: ["count": .number(Double(tickets.count)), "tickets": .array(sorted.map { .string($0.code) }), "run": .string(run)],
                evidence: "\(tickets.count) 个已反馈整改（或已销号）的问题在复查中仍然存在",
                locationKey: "reopened")
        }
    }
}
