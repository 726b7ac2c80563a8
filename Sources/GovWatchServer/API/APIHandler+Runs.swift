import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore
import OpenAPIRuntime

// Inspection runs, their findings and scorecards. Runs are the whole city's; their counts,
// findings and scorecards are limited to the caller's scope.
extension APIHandler {
    func listRuns(_ input: Operations.ListRuns.Input) async throws -> Operations.ListRuns.Output {
        let paging = try Paging(limit: input.query.limit, offset: input.query.offset)
        let scope = try identity().scope
        let page = try await store.runs(limit: paging.limit, offset: paging.offset)
        var items: [Components.Schemas.Run] = []
        for run in page.items {
            items.append(APIShapes.run(run, counts: try await store.counts(of: run.code, within: scope)))
        }
        return .ok(.init(body: .json(.init(items: items, total: page.total))))
    }

    func getRun(_ input: Operations.GetRun.Input) async throws -> Operations.GetRun.Output {
        let scope = try identity().scope
        let run = try await knownRun(input.path.code)
        return .ok(.init(body: .json(APIShapes.run(run, counts: try await store.counts(of: run.code, within: scope)))))
    }

    /// Queues the inspection for the inspection workers (the one `serve` runs, and any
    /// `govwatch worker` on the same database) and answers at once with the run: see
    /// `InspectionWorkerService` for why it is queued rather than run inside the request.
    func startRun(_ input: Operations.StartRun.Input) async throws -> Operations.StartRun.Output {
        let identity = try identity()
        guard identity.user.role == .admin || identity.user.role == .inspector else { throw WebError.forbidden }
        guard case .json(let request) = input.body else { throw WebError.badRequest("请求内容应为 JSON") }
        let plan = try await InspectionLauncher(store: store, configuration: configuration).start(
            asOfText: request.asOf, everything: request.all == true, sites: request.sites ?? [], accounts: request.accounts ?? [],
            audit: AuditContext(actor: identity.user.username, address: RequestIdentity.address))
        let counts = try await store.counts(of: plan.run.code, within: identity.scope)
        return .accepted(.init(body: .json(APIShapes.run(plan.run, counts: counts))))
    }

    func listFindings(_ input: Operations.ListFindings.Input) async throws -> Operations.ListFindings.Output {
        let paging = try Paging(limit: input.query.limit, offset: input.query.offset)
        let run = try await knownRun(input.path.code)
        let filter = FindingFilter(
            target: input.query.target, indicator: input.query.indicator,
            level: input.query.level.flatMap { Level(rawValue: $0.rawValue) }, units: try await scope(narrowedTo: input.query.unit))
        let (_, page) = try await store.findings(of: run.code, filter: filter, limit: paging.limit, offset: paging.offset)
        return .ok(.init(body: .json(.init(items: try page.items.map(APIShapes.finding), total: page.total))))
    }

    func listScorecards(_ input: Operations.ListScorecards.Input) async throws -> Operations.ListScorecards.Output {
        let paging = try Paging(limit: input.query.limit, offset: input.query.offset)
        let run = try await knownRun(input.path.code)
        var (_, cards) = try await store.scorecards(of: run.code, within: try await scope(narrowedTo: input.query.unit))
        if let kind = input.query.kind { cards = cards.filter { $0.target.kind.rawValue == kind.rawValue } }
        if let passed = input.query.passed { cards = cards.filter { $0.passed == passed } }
        return .ok(.init(body: .json(.init(items: paging.slice(cards).map(APIShapes.scorecard), total: cards.count))))
    }

    /// The run by code (or `latest`); 404 when there is none.
    func knownRun(_ reference: String) async throws -> InspectionRun {
        do {
            return try await store.run(reference)
        } catch is Store.UnknownRun {
            throw WebError.notFound
        }
    }
}
