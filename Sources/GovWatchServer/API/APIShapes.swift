import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchStore
import OpenAPIRuntime

// The API's item shapes are the command line's JSON shapes (interfaces.md): each domain
// value is turned into its generated schema type here, field for field, with the same
// optional fields left out when absent and times in China Standard Time (`+08:00`), as
// `govwatch findings|scorecard|tickets list --format json` print them.

/// `limit` (default 50, at most 500) and `offset` of a list, checked.
struct Paging {
    static let defaultLimit = 50
    static let maximumLimit = 500
    /// The document's bound (a 32-bit integer), so a client may not ask for an overflowing page.
    static let maximumOffset = 2_147_483_647

    let limit: Int
    let offset: Int

    init(limit: Int?, offset: Int?) throws {
        let limit = limit ?? Self.defaultLimit
        let offset = offset ?? 0
        guard (1...Self.maximumLimit).contains(limit) else {
            throw WebError.badRequest("limit 应为 1 到 \(Self.maximumLimit) 之间的整数")
        }
        guard (0...Self.maximumOffset).contains(offset) else {
            throw WebError.badRequest("offset 应为 0 到 \(Self.maximumOffset) 之间的整数")
        }
        self.limit = limit
        self.offset = offset
    }

    /// The page of an in-memory list (the registry and scorecards: at most thousands).
    func slice<Item>(_ all: [Item]) -> [Item] {
        guard offset < all.count else { return [] }
        return Array(all[offset..<min(all.count, offset + limit)])
    }
}

enum APIShapes {
    static func target(_ target: Target) -> Components.Schemas.Target {
        .init(kind: .init(rawValue: target.kind.rawValue) ?? .site, code: target.code, name: target.name)
    }

    static func unit(_ unit: UnitListing) -> Components.Schemas.Unit {
        .init(name: unit.name, parent: unit.parent, sites: unit.sites, accounts: unit.accounts)
    }

    static func site(_ site: SiteRecord) -> Components.Schemas.Site {
        .init(
            code: site.code, name: site.name, url: site.url, kind: .init(rawValue: site.kind.rawValue) ?? .department,
            unit: site.unit, parent: site.parent, icp: site.icp, police: site.police, aliases: site.aliases)
    }

    static func column(_ column: ColumnRecord) -> Components.Schemas.Column {
        .init(
            site: column.site, name: column.name, url: column.url, category: .init(rawValue: column.category.rawValue) ?? .other,
            periodDays: column.periodDays, topLevel: column.topLevel)
    }

    static func account(_ account: AccountRecord) -> Components.Schemas.Account {
        .init(
            platform: .init(rawValue: account.platform.rawValue) ?? .other, id: account.id, name: account.name, unit: account.unit,
            main: account.main, status: .init(rawValue: account.status.rawValue) ?? .active, feed: account.feed,
            closureFiled: account.closureFiled?.description, downloadURL: account.downloadURL, interaction: account.interaction,
            closedOn: account.closedOn?.description)
    }

    static func run(_ run: InspectionRun, counts: RunCounts) -> Components.Schemas.Run {
        .init(
            code: run.code, asOf: ChinaTime.iso8601(run.asOf), indicatorSet: run.indicatorSet,
            state: .init(rawValue: run.status) ?? .running, started: ChinaTime.iso8601(run.startedAt),
            finished: run.finishedAt.map(ChinaTime.iso8601),
            counts: .init(targets: counts.targets, passed: counts.passed, failed: counts.failed, findings: counts.findings))
    }

    static func finding(_ finding: Finding) throws -> Components.Schemas.Finding {
        // The detail is indicator-specific JSON: re-read as the generated free-form object.
        let detail = try JSONDecoder().decode(
            Components.Schemas.Finding.DetailPayload.self, from: try JSONEncoder().encode(finding.detail))
        return .init(
            target: target(finding.target), indicator: finding.indicator.rawValue,
            level: .init(rawValue: finding.level.rawValue) ?? .notice, url: finding.url, detail: detail, evidence: finding.evidence,
            fingerprint: finding.fingerprint)
    }

    static func scorecard(_ card: Scorecard) -> Components.Schemas.Scorecard {
        .init(
            target: target(card.target), score: card.score, vetoes: card.vetoes.map(\.rawValue), passed: card.passed,
            incomplete: card.incomplete, unconfirmedColumns: card.unconfirmedColumns, bonus: card.bonus, total: card.total)
    }

    /// A ticket as `govwatch tickets list --format json` prints it (`TicketJSON`), as of `moment`.
    static func ticket(_ ticket: Ticket, at moment: Date) -> Components.Schemas.Ticket {
        let json = TicketJSON(ticket, at: moment)
        return .init(
            id: json.id, unit: json.unit, target: target(ticket.target), indicator: json.indicator,
            level: .init(rawValue: json.level) ?? .notice, fingerprint: json.fingerprint, url: json.url,
            state: .init(rawValue: json.state) ?? .open, occurrences: json.occurrences, firstSeen: json.firstSeen,
            lastSeen: json.lastSeen, deadline: json.deadline, overdue: json.overdue, reopened: json.reopened)
    }

    static func event(_ event: TicketEvent) -> Components.Schemas.TicketEvent {
        .init(
            id: event.id ?? 0, action: event.action.rawValue, actionName: event.action.chineseName,
            from: event.from.flatMap { .init(rawValue: $0.rawValue) }, to: .init(rawValue: event.to.rawValue) ?? .open,
            actor: event.actor, at: ChinaTime.iso8601(event.at), reason: event.reason)
    }

    static func problem(_ problem: DraftProblem) -> Components.Schemas.ScanProblem {
        .init(
            file: problem.file, line: problem.line, column: problem.column, indicator: problem.indicator,
            level: .init(rawValue: problem.level.rawValue) ?? .notice, kind: .init(rawValue: problem.kind.rawValue) ?? .sensitive,
            evidence: problem.evidence, suggestion: problem.suggestion)
    }
}

extension APIHandler {
    /// The parts of a multipart body, where the generated reader's own refusals (a required
    /// part missing, a malformed part) are the client's mistake: 400, not 500.
    static func checkedParts<Parts: AsyncSequence>(_ parts: Parts) -> ClientParts<Parts> {
        ClientParts(base: parts)
    }
}

/// See `APIHandler.checkedParts`.
struct ClientParts<Base: AsyncSequence>: AsyncSequence {
    typealias Element = Base.Element
    let base: Base

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator

        mutating func next() async throws -> Base.Element? {
            do {
                return try await base.next()
            } catch let error as WebError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw WebError.badRequest("multipart/form-data 请求格式有误，或缺少必填的部分")
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator()) }
}
