import Foundation

/// Where a rectification ticket (整改单) stands.
///
/// The raw values are the `state` of the spec's Tickets JSON; a rejected feedback goes back
/// to `open` and stays visible in the ticket's history rather than being a state of its own.
public enum TicketState: String, Sendable, Hashable, Codable, CaseIterable {
    /// 待整改: pushed to the unit, not yet reported fixed.
    case open
    /// 已反馈: the unit reports it fixed; the next inspection (or the office) verifies.
    case feedback
    /// 已销号: verified fixed.
    case closed
    /// 已忽略: dismissed by the office as a false alarm; not raised again unless it changes.
    case dismissed

    /// The word a civil servant reads.
    public var chineseName: String {
        switch self {
        case .open: "待整改"
        case .feedback: "已反馈"
        case .closed: "已销号"
        case .dismissed: "已忽略"
        }
    }

    /// Whether the ticket still waits for something (the unit's fix or the office's check):
    /// these make up a unit's backlog (未清零).
    public var isActive: Bool { self == .open || self == .feedback }

    /// Parses `open` or `待整改` (and the other states), as `--state` accepts both.
    public init?(word: String) {
        let trimmed = word.trimmingCharacters(in: .whitespaces)
        if let state = TicketState(rawValue: trimmed.lowercased()) {
            self = state
            return
        }
        guard let state = TicketState.allCases.first(where: { $0.chineseName == trimmed }) else { return nil }
        self = state
    }
}

/// What happens to a ticket; every action is one entry of the append-only audit log.
public enum TicketAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// An inspection found a new problem: the ticket is created (下发).
    case create
    /// The unit reports the problem fixed (反馈), with text and attachments.
    case feedback
    /// The office verifies the fix by hand (核验销号).
    case verify
    /// The office rejects the feedback (退回), with a reason: back to 待整改.
    case reject
    /// The office dismisses the ticket as a false alarm (忽略), with a reason.
    case dismiss
    /// The office hands the ticket to a person (指派); the state does not change.
    case assign
    /// Re-inspection (回访) no longer finds the problem: closed.
    case reinspectClosed = "reinspect-closed"
    /// Re-inspection still finds a problem the unit reported fixed: reopened and counted.
    case reinspectReopened = "reinspect-reopened"
    /// A closed problem is found again: reopened and counted.
    case recurred
    /// A dismissed problem changed (different evidence or level): raised again.
    case changed

    /// The word shown in `tickets history`.
    public var chineseName: String {
        switch self {
        case .create: "下发"
        case .feedback: "反馈"
        case .verify: "核验销号"
        case .reject: "退回"
        case .dismiss: "忽略"
        case .assign: "指派"
        case .reinspectClosed: "复查销号"
        case .reinspectReopened: "复查未通过，重新打开"
        case .recurred: "问题再次出现，重新打开"
        case .changed: "已忽略的问题发生变化，重新下发"
        }
    }

    /// Whether a person must say why (退回、忽略 need a reason; so does a manual 销号).
    public var needsReason: Bool {
        switch self {
        case .reject, .dismiss, .verify: true
        default: false
        }
    }
}

/// An action that the ticket's state does not allow; the message is for a person.
public struct IllegalTicketTransition: Error, Sendable, Hashable, CustomStringConvertible {
    public var ticket: String
    public var state: TicketState
    public var action: TicketAction

    public init(ticket: String, state: TicketState, action: TicketAction) {
        self.ticket = ticket
        self.state = state
        self.action = action
    }

    public var description: String {
        let allowed = TicketStateMachine.allowedStates(for: action).map(\.chineseName).joined(separator: "或")
        return "整改单 \(ticket) 当前状态为“\(state.chineseName)”，不能\(action.chineseName)"
            + (allowed.isEmpty ? "" : "（仅“\(allowed)”状态可以\(action.chineseName)）")
    }
}

/// The state machine of a ticket: which action is allowed in which state, and where it leads.
///
/// ```
/// 待整改 open ──feedback──▶ 已反馈 feedback ──verify / re-inspection──▶ 已销号 closed
///    ▲  │                      │  │
///    │  └─ re-inspection ─▶ 已销号│  └─reject (reason) / re-inspection still finds it─▶ 待整改
///    └──── recurrence (closed), change (dismissed)
/// open / feedback ──dismiss (reason)──▶ 已忽略 dismissed
/// ```
public enum TicketStateMachine {
    /// The states in which `action` may be taken.
    public static func allowedStates(for action: TicketAction) -> [TicketState] {
        switch action {
        case .create: []
        case .feedback: [.open]
        case .verify: [.feedback]
        case .reject: [.feedback]
        case .dismiss: [.open, .feedback]
        case .assign: [.open, .feedback]
        case .reinspectClosed: [.open, .feedback]
        case .reinspectReopened: [.feedback]
        case .recurred: [.closed]
        case .changed: [.dismissed]
        }
    }

    /// The state after `action`, or `IllegalTicketTransition` naming the ticket `code`.
    public static func next(after action: TicketAction, from state: TicketState, ticket code: String) throws(IllegalTicketTransition)
        -> TicketState
    {
        guard allowedStates(for: action).contains(state) else {
            throw IllegalTicketTransition(ticket: code, state: state, action: action)
        }
        switch action {
        case .create, .reject, .reinspectReopened, .recurred, .changed: return .open
        case .feedback: return .feedback
        case .verify, .reinspectClosed: return .closed
        case .dismiss: return .dismissed
        case .assign: return state
        }
    }
}
