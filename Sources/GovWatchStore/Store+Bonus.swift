import FluentKit
import Foundation
import GovWatchCore

/// 加分 entered by hand for one portal in one run.
public final class BonusPointsRow: Model, @unchecked Sendable {
    public static let schema = "bonus_points"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "run_id") public var runID: Int
    @Field(key: "site_code") public var siteCode: String
    /// As entered, before the rule is applied.
    @Field(key: "points") public var points: Double
    @Field(key: "reason") public var reason: String
    /// The indicator set's `bonusEntryScore` and `maxBonus` when the points were entered.
    @Field(key: "entry_score") public var entryScore: Double
    @Field(key: "max_bonus") public var maxBonus: Double
    @Field(key: "entered_at") public var enteredAt: Date
    public init() {}

    func entry(run: String) -> BonusEntry {
        BonusEntry(
            run: run, siteCode: siteCode, points: points, reason: reason,
            rule: BonusRule(entryScore: entryScore, maxBonus: maxBonus), enteredAt: enteredAt)
    }
}

/// Bonus points: entered per portal and run, applied whenever the run's scorecards are read
/// (`scorecards(of:)`, `periodResults`), so the CLI, the JSON and the notice show the same.
extension Store {
    /// Stores (or replaces) the bonus of `entry.siteCode` in `entry.run`.
    public func setBonus(_ entry: BonusEntry) async throws {
        let runID = try await runRow(entry.run).requireID()
        let row =
            try await BonusPointsRow.query(on: database).filter(\.$runID == runID).filter(\.$siteCode == entry.siteCode).first()
            ?? BonusPointsRow()
        row.runID = runID
        row.siteCode = entry.siteCode
        row.points = entry.points
        row.reason = entry.reason
        row.entryScore = entry.rule.entryScore
        row.maxBonus = entry.rule.maxBonus
        row.enteredAt = entry.enteredAt
        try await row.save(on: database)
    }

    /// Removes the bonus of a site in a run; whether there was one.
    @discardableResult
    public func removeBonus(run reference: String, siteCode: String) async throws -> Bool {
        let runID = try await runRow(reference).requireID()
        guard let row = try await BonusPointsRow.query(on: database).filter(\.$runID == runID).filter(\.$siteCode == siteCode).first()
        else { return false }
        try await row.delete(on: database)
        return true
    }

    /// The bonus entries of a run (`latest` or a code), by site code.
    public func bonuses(of reference: String) async throws -> (InspectionRun, [BonusEntry]) {
        let run = try await runRow(reference)
        let rows = try await BonusPointsRow.query(on: database).filter(\.$runID == run.requireID()).all()
        return (run.run, rows.map { $0.entry(run: run.code) }.sorted { $0.siteCode < $1.siteCode })
    }

    /// `cards` of the run `runID` with their bonus applied.
    func applyingBonuses(_ cards: [Scorecard], runID: Int, runCode: String) async throws -> [Scorecard] {
        let keys = Dictionary(uniqueKeysWithValues: cards.map { ("\($0.target.kind.rawValue) \($0.target.code)", runID) })
        return try await applyingBonuses(cards, runOfTarget: keys, runCodes: [runID: runCode])
    }

    /// `cards`, each of the run `runOfTarget["site CODE"]`, with their bonus applied.
    func applyingBonuses(_ cards: [Scorecard], runOfTarget: [String: Int], runCodes: [Int: String]) async throws -> [Scorecard] {
        let runIDs = Array(Set(runOfTarget.values))
        guard !runIDs.isEmpty else { return cards }
        let entries = try await BonusPointsRow.query(on: readDatabase).filter(\.$runID ~~ runIDs).all()
            .keyed { "\($0.runID) \($0.siteCode)" }
        guard !entries.isEmpty else { return cards }
        return cards.map { card in
            guard card.target.kind == .site, let runID = runOfTarget["site \(card.target.code)"],
                let row = entries["\(runID) \(card.target.code)"]
            else { return card }
            return row.entry(run: runCodes[runID] ?? "").apply(to: card)
        }
    }
}
