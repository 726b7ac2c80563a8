import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore

/// Starts an inspection for the office: what `POST /api/v1/runs` and the 检查 page's form
/// both call, so the two start runs the same way (queued for `InspectionWorkerService`,
/// audited as `inspection.start`).
struct InspectionLauncher: Sendable {
    let store: Store
    let configuration: ServerConfiguration

    /// Queues the inspection as of `asOfText` (`YYYY-MM-DD` or ISO 8601; now when nil) of
    /// every site and account (`everything`) or the chosen ones. Throws 400 for a bad date or
    /// an unknown target, 409 while the same run is still queued.
    func start(
        asOfText: String?, everything: Bool, sites: [String], accounts: [String], audit context: AuditContext
    ) async throws -> InspectionRunner.Plan {
        let now = configuration.clock()
        var asOf = now
        if let text = asOfText?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let parsed = ChinaTime.parseMoment(text, bareDayMeansEnd: true) else {
                throw WebError.badRequest("asOf “\(text)” 无效：应为 YYYY-MM-DD 或 ISO 8601 时间")
            }
            asOf = parsed
        }
        let queued = QueuedInspection(
            siteCodes: everything ? [] : sites, accountIDs: everything ? [] : accounts, asOf: asOf,
            indicators: try await store.indicatorSet(), dictionaries: try await QueuedInspection.storedDictionaries(in: store))
        let plan: InspectionRunner.Plan
        do {
            plan = try await queued.enqueue(in: store, now: now)
        } catch let error as InspectionRunner.UnknownTargets {
            throw WebError.badRequest(error.description)
        } catch let error as InspectionRunner.RunIsQueued {
            throw WebError.conflict(error.description)
        }
        try await store.audit(
            action: "inspection.start", object: plan.run.code,
            detail: [
                "asOf": ChinaTime.iso8601(asOf), "sites": String(plan.sites.count), "accounts": String(plan.accounts.count),
                "resumed": plan.resumed ? "true" : "false",
            ], context: context, at: now)
        return plan
    }
}
