import Foundation
import GovWatchCore
import GovWatchStore

/// The rectification loop (整改闭环) run after every inspection: tickets opened or updated
/// from the run's findings, re-inspection (回访) of the tickets the run covered, the staffing
/// rule, and the loop's own findings (`unit.rectification.overdue`/`.reopened`) added to the
/// run, then notifications of what changed.
///
/// Call `afterInspection(_:request:)` with what `InspectionRunner.run` returned; it is safe
/// to call twice for the same run (nothing changes the second time).
public struct RectificationLoop: Sendable {
    public var store: Store
    public var policy: RectificationPolicy
    /// Where ticket events are posted; nil: the webhook stored on the 设置 page, if any.
    public var webhook: TicketWebhook?
    public var now: @Sendable () -> Date

    public init(
        store: Store, policy: RectificationPolicy = RectificationPolicy(), webhook: TicketWebhook? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.policy = policy
        self.webhook = webhook
        self.now = now
    }

    /// What the loop did after one run.
    public struct Outcome: Sendable {
        public var application: TicketApplication
        /// `unit.staff.unassigned`, `unit.rectification.overdue` and `.reopened` findings added to the run.
        public var findings: [Finding]
        /// Webhook deliveries, when a webhook is configured.
        public var delivery: TicketWebhook.Report?

        /// One line for people: `整改：新下发 12 件，复查销号 3 件，复查未通过重新打开 1 件，逾期 5 件`.
        public var summary: String {
            let result = application.result
            var parts = [
                "新下发 \(result.created.count) 件", "再次发现 \(result.seenAgain.count) 件", "复查销号 \(result.closed.count) 件",
                "重新打开 \(result.reopened.count) 件",
            ]
            if !result.raisedAgain.isEmpty { parts.append("已忽略问题变化后重新下发 \(result.raisedAgain.count) 件") }
            let overdue = findings.filter { $0.indicator == .unitRectificationOverdue }
                .compactMap { $0.detail["count"]?.numberValue }.reduce(0, +)
            parts.append("逾期未整改 \(Int(overdue)) 件")
            if !result.unassigned.isEmpty { parts.append("\(result.unassigned.count) 个问题的对象未登记，未下发") }
            return "整改：" + parts.joined(separator: "，")
        }
    }

    /// Runs the loop for a finished inspection: the run's targets are its scope (everything
    /// for a full inspection).
    public func afterInspection(_ outcome: InspectionOutcome, request: InspectionRequest) async throws -> Outcome {
        let scope: ReinspectionScope =
            request.inspectsEverything
            ? .everything
            : ReinspectionScope(targets: Set(outcome.scorecards.map { ReinspectionScope.TargetRef($0.target) }))
        return try await apply(
            run: outcome.run.code, asOf: outcome.run.asOf, findings: outcome.findings, scope: scope,
            indicators: request.indicators, recordInRun: true)
    }

    /// Runs the loop for findings of `run` (an inspection run's code, or a patrol's label when
    /// `recordInRun` is false: the loop's findings are then only returned).
    public func apply(
        run: String, asOf: Date, findings: [Finding], scope: ReinspectionScope, indicators: IndicatorSet, recordInRun: Bool
    ) async throws -> Outcome {
        var staff: [Finding] = []
        if scope.indicators.map({ $0.contains(.unitStaffUnassigned) }) ?? true {
            staff = try await staffFindings(asOf: asOf, indicators: indicators)
            if recordInRun { try await store.record(staff, in: run) }
        }
        // Deadlines count working days with the local holiday lines of the 设置 page laid
        // over the policy's calendar.
        var policy = self.policy
        policy.calendar = try await store.workingCalendar(over: policy.calendar)
        let application = try await store.applyInspection(
            findings: findings + staff, run: run, asOf: asOf, scope: scope, policy: policy, now: now())
        let loopFindings =
            RectificationFindings.overdue(application.open, asOf: asOf, indicators: indicators)
            + RectificationFindings.reopened(application.reopened, run: run, indicators: indicators)
        if recordInRun { try await store.record(loopFindings, in: run) }
        var delivery: TicketWebhook.Report?
        if !application.events.isEmpty, let webhook = try await resolvedWebhook() {
            delivery = await webhook.deliver(application.events, store: store, at: now())
        }
        return Outcome(application: application, findings: staff + loopFindings, delivery: delivery)
    }

    /// This loop's webhook, else the one stored on the 设置 page (read now: a change there
    /// reaches a running scheduler or worker).
    func resolvedWebhook() async throws -> TicketWebhook? {
        if let webhook { return webhook }
        return try await TicketWebhook.stored(in: store)
    }

    /// `unit.staff.unassigned` over the registry: units running sites or active accounts.
    public func staffFindings(asOf: Date, indicators: IndicatorSet) async throws -> [Finding] {
        var runs: [String: [Target]] = [:]
        for site in try await store.sites() {
            runs[site.unit, default: []].append(Target(kind: .site, code: site.code, name: site.name))
        }
        for account in try await store.accounts() where account.status == .active {
            runs[account.unit, default: []].append(Target(kind: .account, code: account.id, name: account.name))
        }
        return StaffAssignment.findings(
            runs: runs, people: try await store.people(), on: RectificationPolicy.pushedDay(asOf: asOf), indicators: indicators)
    }
}
