import FluentKit
import Foundation
import GovWatchCore
import SQLKit

/// How many tickets of a unit were closed (已销号) since a moment.
public struct UnitClosures: Sendable, Hashable {
    public var unit: String
    public var closed: Int
}

/// Queries of the web platform's exports and 清零 table: findings read in batches by id (an
/// export walks a whole run of up to a million findings without loading it and without the
/// cost of ever larger offsets), and tickets closed in a period, counted in the database.
extension Store {
    /// Up to `limit` findings of a run matching `filter` whose id is above `afterID`, in id
    /// order, with the id of the last one (pass it as `afterID` for the next batch; nil when
    /// the batch is empty).
    public func findingBatch(of runCode: String, filter: FindingFilter, afterID: Int, limit: Int) async throws
        -> (findings: [Finding], lastID: Int?)
    {
        let runID = try await runRow(runCode).requireID()
        let targets: [Target.Kind: Set<String>]? = if let units = filter.units { try await targetCodes(within: units) } else { nil }
        let query = FindingRow.query(on: database).filter(\.$runID == runID).filter(\.$id > afterID)
        if let target = filter.target { query.filter(\.$targetCode == target) }
        if let indicator = filter.indicator { query.filter(\.$indicator == indicator) }
        if let level = filter.level { query.filter(\.$level == level.rawValue) }
        if let targets {
            query.group(.or) { any in
                for kind in Target.Kind.allCases {
                    let codes = Array(targets[kind] ?? [])
                    any.group(.and) { all in all.filter(\.$targetKind == kind.rawValue).filter(\.$targetCode ~~ codes) }
                }
            }
        }
        let rows = try await query.sort(\.$id).limit(limit).all()
        return (try rows.map { try $0.finding() }, rows.last?.id)
    }

    /// Per unit within `scope`, the tickets whose latest move to 已销号 (by the office's
    /// verification or a re-inspection) happened at or after `since`; units with none are left out.
    public func ticketsClosed(since: Date, within scope: UnitSubtree?) async throws -> [UnitClosures] {
        let closedIDs = try await TicketEventRow.query(on: database)
            .filter(\.$toState == TicketState.closed.rawValue).filter(\.$at >= since)
            .field(\.$ticketID).all().map(\.ticketID)
        guard !closedIDs.isEmpty else { return [] }
        var counts: [Int: Int] = [:]
        // In chunks: a database takes only so many parameters in one `IN`.
        let unique = Array(Set(closedIDs)).sorted()
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            let query = TicketRow.query(on: database).filter(\.$id ~~ chunk).filter(\.$state == TicketState.closed.rawValue)
            if let scope { query.filter(\.$unitID ~~ Array(scope.ids)) }
            for row in try await query.field(\.$id).field(\.$unitID).all() { counts[row.unitID, default: 0] += 1 }
        }
        let names = try await UnitRow.query(on: database).filter(\.$id ~~ Array(counts.keys)).all().keyed(by: \.id).mapValues(\.name)
        return counts.compactMap { id, count in names[id].map { UnitClosures(unit: $0, closed: count) } }.sorted { $0.unit < $1.unit }
    }
}
