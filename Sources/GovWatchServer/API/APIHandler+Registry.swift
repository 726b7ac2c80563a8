import Foundation
import GovWatchCore
import GovWatchStore
import OpenAPIRuntime

// The registry (units, sites, accounts), limited to the caller's scope: a unit user sees its
// unit and the units below it; a site or account outside it answers 404, as a missing one.
extension APIHandler {
    /// The caller's scope narrowed to `unit` and its sub-units when a `unit` filter is given.
    /// A unit outside the scope (or not registered) narrows to nothing: the list is empty,
    /// never a hint that the unit exists.
    func scope(narrowedTo unit: String?) async throws -> UnitSubtree? {
        let scope = try identity().scope
        guard let unit else { return scope }
        let requested = try await store.unitSubtree(named: unit) ?? UnitSubtree(root: unit, ids: [], names: [])
        return scope.map { $0.intersection(requested) } ?? requested
    }

    func listUnits(_ input: Operations.ListUnits.Input) async throws -> Operations.ListUnits.Output {
        let paging = try Paging(limit: input.query.limit, offset: input.query.offset)
        let units = try await store.units(within: try identity().scope)
        return .ok(.init(body: .json(.init(items: paging.slice(units).map(APIShapes.unit), total: units.count))))
    }

    func listSites(_ input: Operations.ListSites.Input) async throws -> Operations.ListSites.Output {
        let paging = try Paging(limit: input.query.limit, offset: input.query.offset)
        var sites = try await store.sites(within: try await scope(narrowedTo: input.query.unit))
        if let kind = input.query.kind { sites = sites.filter { $0.kind.rawValue == kind.rawValue } }
        return .ok(.init(body: .json(.init(items: paging.slice(sites).map(APIShapes.site), total: sites.count))))
    }

    func getSite(_ input: Operations.GetSite.Input) async throws -> Operations.GetSite.Output {
        let scope = try identity().scope
        guard let site = try await store.site(input.path.code), scope?.contains(unit: site.unit) ?? true else {
            throw WebError.notFound
        }
        let columns = try await store.columns(site: site.code)
        let latest = try await store.latestScorecard(kind: .site, code: site.code)
        return .ok(
            .init(
                body: .json(
                    .init(
                        site: APIShapes.site(site), columns: columns.map(APIShapes.column), latestRun: latest?.0.code,
                        scorecard: latest.map { APIShapes.scorecard($0.1) }))))
    }

    func listAccounts(_ input: Operations.ListAccounts.Input) async throws -> Operations.ListAccounts.Output {
        let paging = try Paging(limit: input.query.limit, offset: input.query.offset)
        var accounts = try await store.accounts(within: try await scope(narrowedTo: input.query.unit))
        if let platform = input.query.platform { accounts = accounts.filter { $0.platform.rawValue == platform.rawValue } }
        return .ok(.init(body: .json(.init(items: paging.slice(accounts).map(APIShapes.account), total: accounts.count))))
    }

    func getAccount(_ input: Operations.GetAccount.Input) async throws -> Operations.GetAccount.Output {
        let scope = try identity().scope
        // Account ids are unique per platform; the first visible one with this id is shown.
        guard let account = try await store.accounts(within: scope).first(where: { $0.id == input.path.id }) else {
            throw WebError.notFound
        }
        let latest = try await store.latestScorecard(kind: .account, code: account.id)
        return .ok(
            .init(
                body: .json(
                    .init(
                        account: APIShapes.account(account), latestRun: latest?.0.code,
                        scorecard: latest.map { APIShapes.scorecard($0.1) }))))
    }
}
