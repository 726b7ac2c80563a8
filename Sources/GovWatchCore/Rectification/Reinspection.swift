import Foundation

/// Which tickets an inspection re-inspects (回访): those whose problem it looked for.
///
/// An inspection of one site must not close the tickets of another site, and a daily patrol
/// of homepages and columns must not close a broken-link ticket it never checked: a ticket
/// is closed for "no longer found" only when the run covered its target and its indicator.
public struct ReinspectionScope: Sendable, Hashable {
    /// A target by kind and code (names may change; codes do not).
    public struct TargetRef: Sendable, Hashable {
        public var kind: Target.Kind
        public var code: String
        public init(kind: Target.Kind, code: String) {
            self.kind = kind
            self.code = code
        }
        public init(_ target: Target) { self.init(kind: target.kind, code: target.code) }
    }

    /// The targets inspected; nil: every target.
    public var targets: Set<TargetRef>?
    /// The indicators checked; nil: every indicator.
    public var indicators: Set<IndicatorID>?
    /// Indicators evaluated over the whole registry whatever the targets (the staffing rule).
    public var registryWide: Set<IndicatorID>

    public init(targets: Set<TargetRef>? = nil, indicators: Set<IndicatorID>? = nil, registryWide: Set<IndicatorID> = [.unitStaffUnassigned]) {
        self.targets = targets
        self.indicators = indicators
        self.registryWide = registryWide
    }

    /// A full inspection of everything registered.
    public static let everything = ReinspectionScope()

    /// Whether a run of this scope looked for `ticket`'s problem.
    public func covers(_ ticket: Ticket) -> Bool {
        if let indicators, !indicators.contains(ticket.indicator) { return false }
        guard let targets else { return true }
        return targets.contains(TargetRef(ticket.target)) || registryWide.contains(ticket.indicator)
    }
}

/// Re-inspection (回访): what one inspection's findings do to the tickets.
///
/// A pure function of the tickets and findings, so every rule is tested without a database;
/// the store loads the tickets, calls `apply`, and writes the result and its events in one
/// transaction.
///
/// - A finding with no ticket opens one (待整改) with a deadline from the policy.
/// - A finding with a ticket counts an occurrence; a ticket in 已反馈 is reopened (回访未通过,
///   `reopened` + 1), a closed one is reopened as a recurrence (+ 1), a dismissed one stays
///   dismissed unless the problem changed (`Ticket.signature`).
/// - An active ticket the run covered (`ReinspectionScope`) but did not find is closed (已销号).
/// - Applying the same run twice changes nothing (`Ticket.lastRun`); a run older than a
///   ticket's last sighting never closes it.
public enum Reinspection {
    /// Indicators that describe the loop itself; they are reported, never ticketed.
    public static let loopIndicators: Set<IndicatorID> = [.unitRectificationOverdue, .unitRectificationReopened]
    /// Findings for the office's inspectors, not problems of a unit: what the inspection could
    /// not read (a person should look; nothing for the unit to rectify).
    public static let officeIndicators: Set<IndicatorID> = [.siteInspectionIncomplete]

    /// What applying a run did.
    public struct Result: Sendable {
        /// Every ticket created or changed, new ones with a nil id.
        public var tickets: [Ticket] = []
        /// The audit log entries, in order; new tickets' events carry only the fingerprint.
        public var events: [TicketEvent] = []
        public var created: [String] = []
        /// Fingerprints of tickets found again (occurrence counted).
        public var seenAgain: [String] = []
        public var closed: [String] = []
        /// Reopened because the unit reported them fixed (or they were closed) and they are back.
        public var reopened: [String] = []
        /// Dismissed tickets raised again because the problem changed.
        public var raisedAgain: [String] = []
        /// Findings whose target belongs to no registered unit (not ticketed).
        public var unassigned: [Finding] = []

        public init() {}
    }

    /// Applies the findings of the run `run` (as of `asOf`) to `existing` tickets.
    ///
    /// - Parameters:
    ///   - existing: every ticket with a fingerprint among `findings`, and every active ticket.
    ///   - unitOf: the unit that runs a target (site → its unit, account → its unit, unit → itself).
    ///   - actor: who the log names for these changes.
    ///   - now: when the change is made (the audit log's time), not the as-of time.
    public static func apply(
        findings: [Finding], to existing: [Ticket], run: String, asOf: Date, scope: ReinspectionScope,
        policy: RectificationPolicy, unitOf: (Target) -> String?, actor: String = TicketEvent.systemActor, now: Date
    ) -> Result {
        var result = Result()
        var byFingerprint: [String: Ticket] = [:]
        for ticket in existing { byFingerprint[ticket.fingerprint] = ticket }
        var found: Set<String> = []
        let pushed = RectificationPolicy.pushedDay(asOf: asOf)

        func event(_ ticket: Ticket, _ action: TicketAction, from: TicketState?, reason: String) -> TicketEvent {
            TicketEvent(
                ticketID: ticket.id, fingerprint: ticket.fingerprint, at: now, actor: actor, action: action, from: from,
                to: ticket.state, reason: reason)
        }

        for finding in findings where !loopIndicators.contains(finding.indicator) && !officeIndicators.contains(finding.indicator) {
            guard found.insert(finding.fingerprint).inserted else { continue }
            guard var ticket = byFingerprint[finding.fingerprint] else {
                guard let unit = unitOf(finding.target) else {
                    result.unassigned.append(finding)
                    continue
                }
                let ticket = Ticket(
                    fingerprint: finding.fingerprint, unit: unit, target: finding.target, indicator: finding.indicator,
                    level: finding.level, url: finding.url, evidence: finding.evidence, signature: Ticket.signature(of: finding),
                    state: .open, occurrences: 1, firstSeen: asOf, lastSeen: asOf, lastRun: run,
                    deadline: policy.deadline(finding.indicator, level: finding.level, pushed: pushed))
                result.tickets.append(ticket)
                result.events.append(event(ticket, .create, from: nil, reason: "检查（\(run)）发现问题，下发整改，整改期限 \(ticket.deadline!)"))
                result.created.append(ticket.fingerprint)
                continue
            }
            // The same run applied again, or an older run than the last sighting: nothing new.
            guard ticket.lastRun != run, asOf >= ticket.lastSeen else { continue }
            let before = ticket.state
            let signature = Ticket.signature(of: finding)
            ticket.occurrences += 1
            ticket.lastSeen = asOf
            ticket.lastRun = run
            if let unit = unitOf(finding.target) { ticket.unit = unit }
            ticket.target.name = finding.target.name
            switch before {
            case .open:
                break
            case .feedback:
                ticket.state = .open
                ticket.reopened += 1
                result.events.append(
                    event(ticket, .reinspectReopened, from: before, reason: "单位反馈已整改，但复查（\(run)）仍发现该问题"))
                result.reopened.append(ticket.fingerprint)
            case .closed:
                ticket.state = .open
                ticket.reopened += 1
                ticket.deadline = policy.deadline(finding.indicator, level: finding.level, pushed: pushed)
                result.events.append(
                    event(ticket, .recurred, from: before, reason: "已销号的问题在检查（\(run)）中再次出现，整改期限 \(ticket.deadline!)"))
                result.reopened.append(ticket.fingerprint)
            case .dismissed:
                if signature != ticket.signature {
                    ticket.state = .open
                    ticket.deadline = policy.deadline(finding.indicator, level: finding.level, pushed: pushed)
                    result.events.append(
                        event(ticket, .changed, from: before, reason: "已忽略的问题在检查（\(run)）中发生变化，重新下发，整改期限 \(ticket.deadline!)"))
                    result.raisedAgain.append(ticket.fingerprint)
                }
            }
            // Evidence and level follow the newest sighting, except on a dismissed ticket that
            // stays dismissed: its signature is what the office looked at.
            if ticket.state != .dismissed {
                ticket.level = finding.level
                ticket.url = finding.url
                ticket.evidence = finding.evidence
                ticket.signature = signature
            }
            result.tickets.append(ticket)
            result.seenAgain.append(ticket.fingerprint)
        }

        for ticket in existing
        where ticket.state.isActive && !found.contains(ticket.fingerprint) && scope.covers(ticket)
            && ticket.lastRun != run && asOf >= ticket.lastSeen
        {
            var closed = ticket
            closed.state = .closed
            result.tickets.append(closed)
            result.events.append(event(closed, .reinspectClosed, from: ticket.state, reason: "复查（\(run)）未再发现该问题，核验销号"))
            result.closed.append(ticket.fingerprint)
        }
        return result
    }
}
