import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore
import Hummingbird
import NIOCore

/// 检查: the inspection runs, a run's progress while it runs (read from the store, streamed
/// as Server-Sent Events; the page refreshes itself with scripts off), and the office's form
/// that starts an inspection through ``InspectionLauncher`` (as `POST /api/v1/runs` does).
struct RunRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration

    /// Seconds between two progress events, and the page's refresh without scripts.
    static let progressInterval: Int = 3
    /// A stream ends after this many events; the browser's EventSource reconnects by itself.
    static let eventsPerStream = 200

    func register(on routes: Routes) {
        routes.get("/runs", access: .signedIn) { request, context in try await list(request, context) }
        routes.post("/runs", access: .roles([.inspector])) { request, context in try await start(request, context) }
        routes.get("/runs/{code}", access: .signedIn) { request, context in try await show(request, context) }
        routes.get("/runs/{code}/progress", access: .signedIn) { request, context in try await stream(request, context) }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let (limit, offset) = PageFormatting.paging(request, defaultLimit: 20)
        let page = try await store.runs(limit: limit, offset: offset)
        var runs: [[String: Any]] = []
        for run in page.items {
            runs.append(Self.runValues(run, counts: try await store.counts(of: run.code, within: identity.scope)))
        }
        let office = identity.user.role == .admin || identity.user.role == .inspector
        var values: [String: Any] = [
            "runs": runs, "hasRuns": !runs.isEmpty, "office": office,
            "pager": PageFormatting.pager(path: "/runs", filters: [], limit: limit, offset: offset, total: page.total),
            "today": PageFormatting.day(configuration.clock()),
        ]
        if office {
            let sites = try await store.sites(within: nil)
            let accounts = try await store.accounts(within: nil)
            values["siteChoices"] = sites.map { ["code": $0.code, "name": $0.name, "unit": $0.unit] }
            values["accountChoices"] = accounts.map { ["id": $0.id, "name": $0.name, "platform": $0.platform.chineseName] }
            values["siteCount"] = sites.count
            values["accountCount"] = accounts.count
        }
        return try pages.page("runs", frame: PageFrame(title: "检查", identity: identity, path: "/runs"), values: values)
    }

    /// The form posts `asOf`, `scope` (`all` or `chosen`) and the chosen `site`/`account`
    /// boxes; success redirects to the run's page where its progress shows.
    func start(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try context.requireOffice()
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let pairs = Self.formPairs(String(buffer: body))
        let everything = pairs.first { $0.0 == "scope" }?.1 != "chosen"
        let sites = pairs.filter { $0.0 == "site" }.map(\.1)
        let accounts = pairs.filter { $0.0 == "account" }.map(\.1)
        if !everything, sites.isEmpty, accounts.isEmpty {
            throw WebError.badRequest("请选择要检查的网站或新媒体账号，或选择“全部网站和账号”")
        }
        let plan = try await InspectionLauncher(store: store, configuration: configuration).start(
            asOfText: pairs.first { $0.0 == "asOf" }?.1, everything: everything, sites: sites, accounts: accounts,
            audit: context.auditContext)
        return Response(status: .seeOther, headers: [.location: "/runs/\(plan.run.code)"])
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let run = try await knownRun(context)
        let counts = try await store.counts(of: run.code, within: identity.scope)
        let progress = try await visibleProgress(run, identity: identity)
        var values = Self.runValues(run, counts: counts)
        values["progress"] = try await progressValues(progress, run: run, identity: identity)
        values["refreshSeconds"] = Self.progressInterval
        return try pages.page("run", frame: PageFrame(title: "检查 \(run.code)", identity: identity, path: "/runs"), values: values)
    }

    /// `text/event-stream`: a `progress` event (JSON) every few seconds while the run is
    /// running, then one `done` event.
    func stream(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let first = try await knownRun(context)
        let store = self.store
        let routes = self
        let body = ResponseBody { writer in
            var run = first
            for index in 0..<Self.eventsPerStream {
                if index > 0 {
                    try await Task.sleep(for: .seconds(Self.progressInterval))
                    run = try await store.run(run.code)
                }
                let progress = try await routes.visibleProgress(run, identity: identity)
                let counts = try await store.counts(of: run.code, within: identity.scope)
                let event = try Self.eventJSON(run: run, counts: counts, progress: progress)
                let name = run.status == "running" ? "progress" : "done"
                try await writer.write(ByteBuffer(string: "event: \(name)\ndata: \(event)\n\n"))
                if run.status != "running" { break }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"], body: body)
    }

    // MARK: - Values

    func knownRun(_ context: AppRequestContext) async throws -> InspectionRun {
        do {
            return try await store.run(context.parameters.get("code") ?? "")
        } catch is Store.UnknownRun {
            throw WebError.notFound
        }
    }

    /// The run's progress with only the crawls of sites the user may see.
    func visibleProgress(_ run: InspectionRun, identity: Identity) async throws -> (RunProgress, [String: SiteRecord]) {
        var progress = try await store.runProgress(run.code)
        let sites = Dictionary(try await store.sites(within: identity.scope).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        if identity.scope != nil {
            progress.crawls = progress.crawls.filter { sites[$0.siteCode] != nil }
        }
        return (progress, sites)
    }

    func progressValues(_ visible: (RunProgress, [String: SiteRecord]), run: InspectionRun, identity: Identity) async throws
        -> [String: Any]
    {
        let (progress, sites) = visible
        var values: [String: Any] = [
            "queued": progress.tasks > 0, "tasks": progress.tasks, "tasksDone": progress.tasksDone,
            "tasksFailed": progress.tasksFailed, "hasTasksFailed": progress.tasksFailed > 0,
            "percent": progress.tasks == 0 ? 100 : progress.tasksDone * 100 / progress.tasks,
            "crawls": progress.crawls.map { crawl in
                [
                    "siteCode": crawl.siteCode, "siteName": sites[crawl.siteCode]?.name ?? crawl.siteCode,
                    "finished": crawl.status == "finished", "done": crawl.done, "queued": crawl.queued, "errors": crawl.errors,
                    "startedAt": PageFormatting.minute(crawl.startedAt),
                ] as [String: Any]
            },
            "hasCrawls": !progress.crawls.isEmpty,
        ]
        // The office sees which targets failed after every attempt (their errors are the
        // crawler's and the platforms' messages, shown escaped).
        if identity.scope == nil {
            let failed = try await store.failedInspectionTasks(runCode: run.code)
            values["failedTasks"] = failed.map { ["target": $0.target, "error": $0.error] }
            values["hasFailedTasks"] = !failed.isEmpty
        }
        return values
    }

    static func runValues(_ run: InspectionRun, counts: RunCounts) -> [String: Any] {
        var values: [String: Any] = [
            "code": run.code, "asOf": PageFormatting.asOfDay(run.asOf), "indicatorSet": run.indicatorSet,
            "status": run.status, "statusName": PageFormatting.runStatusName(run.status), "running": run.status == "running",
            "startedAt": PageFormatting.minute(run.startedAt),
            "targets": counts.targets, "passed": counts.passed, "failed": counts.failed, "findings": counts.findings,
            "passRate": PageFormatting.rate(counts.passed, of: counts.targets),
        ]
        if let finished = run.finishedAt { values["finishedAt"] = PageFormatting.minute(finished) }
        return values
    }

    /// The JSON of one event (`JSONSerialization` escapes what needs it; the script only
    /// ever sets `textContent`).
    static func eventJSON(run: InspectionRun, counts: RunCounts, progress visible: (RunProgress, [String: SiteRecord])) throws
        -> String
    {
        let (progress, sites) = visible
        let object: [String: Any] = [
            "status": run.status, "statusName": PageFormatting.runStatusName(run.status),
            "finishedAt": run.finishedAt.map(PageFormatting.minute) ?? "",
            "targets": counts.targets, "passed": counts.passed, "failed": counts.failed, "findings": counts.findings,
            "tasks": progress.tasks, "tasksDone": progress.tasksDone, "tasksFailed": progress.tasksFailed,
            "crawls": progress.crawls.map {
                [
                    "siteCode": $0.siteCode, "siteName": sites[$0.siteCode]?.name ?? $0.siteCode,
                    "state": $0.status == "finished" ? "完成" : "进行中", "done": $0.done, "queued": $0.queued, "errors": $0.errors,
                    "startedAt": PageFormatting.minute($0.startedAt),
                ] as [String: Any]
            },
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Every `name=value` pair of a urlencoded body, in order (repeated names kept: the
    /// chosen sites are many boxes named `site`).
    static func formPairs(_ body: String) -> [(String, String)] {
        body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode: (Substring) -> String = { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
