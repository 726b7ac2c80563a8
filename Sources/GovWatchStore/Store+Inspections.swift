import FluentKit
import Foundation
import GovWatchCore
import SQLKit

/// A stored inspection run, as findings and scorecards print it.
public struct InspectionRun: Sendable, Hashable, Codable {
    /// `r-20220315-0001`.
    public var code: String
    public var asOf: Date
    /// `national-2019@1`.
    public var indicatorSet: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// `running`, `finished` or `failed`.
    public var status: String
}

/// Inspection runs, their findings, and probes.
extension Store {
    public struct UnknownRun: Error, CustomStringConvertible {
        public var reference: String
        public var description: String {
            reference == "latest" ? "还没有任何检查记录，请先运行 govwatch inspect" : "检查批次“\(reference)”不存在"
        }
    }

    /// Starts a run: `r-YYYYMMDD-NNNN` numbered per as-of day.
    public func startRun(asOf: Date, indicatorSet: String, startedAt: Date) async throws -> InspectionRun {
        try await database.transaction { db in
            // Named after the as-of day: `--as-of 2022-03-31` is 24:00 that day.
            let day = CalendarDate(asOf.addingTimeInterval(-1))
            let prefix = String(format: "r-%04d%02d%02d-", day.year, day.month, day.day)
            let count = try await InspectionRunRow.query(on: db).filter(\.$code >= prefix).filter(\.$code < prefix + "~").count()
            let row = InspectionRunRow()
            row.code = prefix + String(format: "%04d", count + 1)
            row.asOf = asOf
            row.indicatorSet = indicatorSet
            row.startedAt = startedAt
            row.status = "running"
            try await row.create(on: db)
            return row.run
        }
    }

    /// The newest run of this as-of time and indicator set that never finished, if any.
    public func unfinishedRun(asOf: Date, indicatorSet: String) async throws -> InspectionRun? {
        try await InspectionRunRow.query(on: database)
            .filter(\.$asOf == asOf).filter(\.$indicatorSet == indicatorSet).filter(\.$status == "running")
            .sort(\.$id, .descending).first()?.run
    }

    /// The run by code, or the newest with `latest`.
    public func run(_ reference: String) async throws -> InspectionRun {
        try await runRow(reference).run
    }

    func runRow(_ reference: String) async throws -> InspectionRunRow {
        let query = InspectionRunRow.query(on: readDatabase)
        let row =
            reference == "latest"
            ? try await query.sort(\.$id, .descending).first()
            : try await query.filter(\.$code == reference).first()
        guard let row else { throw UnknownRun(reference: reference) }
        return row
    }

    /// Stores findings of a run; a finding already stored (same fingerprint) is left as is,
    /// so an interrupted inspection that is rerun cannot duplicate findings.
    public func record(_ findings: [Finding], in runCode: String) async throws {
        let run = try await runRow(runCode)
        let runID = try run.requireID()
        try await database.transaction { db in
            // Only the fingerprints at hand are looked up: a national run holds hundreds of
            // thousands of findings, and each site's are recorded on their own.
            var seen: Set<String> = []
            let candidates = Array(Set(findings.map(\.fingerprint)))
            var offset = 0
            while offset < candidates.count {
                let chunk = Array(candidates[offset..<min(offset + Self.insertBatchSize, candidates.count)])
                for row in try await FindingRow.query(on: db).filter(\.$runID == runID).filter(\.$fingerprint ~~ chunk)
                    .field(\.$fingerprint).all()
                {
                    seen.insert(row.fingerprint)
                }
                offset += chunk.count
            }
            var fresh: [FindingRow] = []
            for finding in findings where seen.insert(finding.fingerprint).inserted {
                fresh.append(FindingRow(finding, runID: runID))
            }
            var start = 0
            while start < fresh.count {
                let end = min(start + Self.insertBatchSize, fresh.count)
                try await Array(fresh[start..<end]).create(on: db)
                start = end
            }
        }
    }

    public func finishRun(_ runCode: String, at: Date, status: String = "finished") async throws {
        let run = try await runRow(runCode)
        run.finishedAt = at
        run.status = status
        try await run.update(on: database)
    }

    /// The findings of a run, in a stable order (target, indicator, url, fingerprint).
    public func findings(of runCode: String) async throws -> (InspectionRun, [Finding]) {
        let run = try await runRow(runCode)
        let rows = try await FindingRow.query(on: database).filter(\.$runID == run.requireID()).all()
        let findings = try rows.map { try $0.finding() }.sorted {
            ($0.target.kind.rawValue, $0.target.code, $0.indicator.rawValue, $0.url ?? "", $0.fingerprint)
                < ($1.target.kind.rawValue, $1.target.code, $1.indicator.rawValue, $1.url ?? "", $1.fingerprint)
        }
        return (run.run, findings)
    }

    /// Stores (or replaces) the scorecards of a run.
    public func record(_ scorecards: [Scorecard], in runCode: String) async throws {
        let runID = try await runRow(runCode).requireID()
        try await database.transaction { db in
            let existing = try await ScorecardRow.query(on: db).filter(\.$runID == runID)
                .filter(\.$targetCode ~~ Array(Set(scorecards.map(\.target.code)))).all()
                .keyed { "\($0.targetKind) \($0.targetCode)" }
            for card in scorecards {
                let row = existing["\(card.target.kind.rawValue) \(card.target.code)"] ?? ScorecardRow()
                row.runID = runID
                row.targetKind = card.target.kind.rawValue
                row.targetCode = card.target.code
                row.targetName = card.target.name
                row.score = card.score
                row.vetoes = card.vetoes.map(\.rawValue).joined(separator: ",")
                row.passed = card.passed
                row.incomplete = card.incomplete
                row.unconfirmedColumns = card.unconfirmedColumns
                try await row.save(on: db)
            }
        }
    }

    /// Whether the run holds a scorecard of the target: it was inspected to the end.
    public func hasScorecard(in runCode: String, kind: String, code: String) async throws -> Bool {
        let runID = try await runRow(runCode).requireID()
        return try await ScorecardRow.query(on: database).filter(\.$runID == runID).filter(\.$targetKind == kind)
            .filter(\.$targetCode == code).count() > 0
    }

    /// The scorecards of a run, sites first, then accounts and units, by code.
    public func scorecards(of runCode: String) async throws -> (InspectionRun, [Scorecard]) {
        let run = try await runRow(runCode)
        let rows = try await ScorecardRow.query(on: readDatabase).filter(\.$runID == run.requireID()).all()
        let order: [String: Int] = ["site": 0, "account": 1, "unit": 2]
        let cards = rows.map { row in
            Scorecard(
                target: Target(kind: Target.Kind(rawValue: row.targetKind) ?? .site, code: row.targetCode, name: row.targetName),
                score: row.score, vetoes: row.vetoes.split(separator: ",").map { IndicatorID(rawValue: String($0)) },
                passed: row.passed, incomplete: row.incomplete ?? false,
                unconfirmedColumns: row.unconfirmedColumns ?? 0)
        }
        .sorted { (order[$0.target.kind.rawValue] ?? 9, $0.target.code) < (order[$1.target.kind.rawValue] ?? 9, $1.target.code) }
        return (run.run, try await applyingBonuses(cards, runID: run.requireID(), runCode: run.code))
    }

    public func record(_ probe: Probe) async throws {
        guard let site = try await SiteRow.query(on: database).filter(\.$code == probe.siteCode).first() else {
            throw UnknownSite(code: probe.siteCode)
        }
        let row = ProbeRow()
        row.siteID = try site.requireID()
        row.probedAt = probe.at
        row.ok = probe.ok
        row.status = probe.status
        row.latencyMilliseconds = probe.latencyMilliseconds
        row.error = probe.error
        try await row.create(on: database)
    }

    /// Probes of a site in `[from, to)`, oldest first.
    public func probes(site code: String, from: Date, to: Date) async throws -> [Probe] {
        if let sql = readDatabase as? any SQLDatabase {
            // Plain rows: a week of quarter-hourly probes is 672 rows on every site page, and
            // Fluent reflects over a model's fields for every row.
            struct SiteID: Decodable { var id: Int }
            struct Row: Decodable {
                var probed_at: Date
                var ok: Bool
                var status: Int?
                var latency_ms: Int?
                var error: String?
            }
            guard let site = try await sql.select().column("id").from(SiteRow.schema).where("code", .equal, code)
                .first(decoding: SiteID.self)
            else { throw UnknownSite(code: code) }
            return try await sql.select().columns("probed_at", "ok", "status", "latency_ms", "error").from(ProbeRow.schema)
                .where("site_id", .equal, site.id).where("probed_at", .greaterThanOrEqual, from).where("probed_at", .lessThan, to)
                .orderBy("probed_at").all(decoding: Row.self)
                .map {
                    Probe(
                        siteCode: code, at: $0.probed_at, ok: $0.ok, status: $0.status, latencyMilliseconds: $0.latency_ms,
                        error: $0.error)
                }
        }
        return try await probesThroughModels(site: code, from: from, to: to)
    }

    /// `probes(site:from:to:)` read as Fluent models: the reference the plain-row read is
    /// tested against, and the path of a driver without SQL.
    func probesThroughModels(site code: String, from: Date, to: Date) async throws -> [Probe] {
        guard let site = try await SiteRow.query(on: readDatabase).filter(\.$code == code).first() else {
            throw UnknownSite(code: code)
        }
        return try await ProbeRow.query(on: readDatabase)
            .filter(\.$siteID == site.requireID()).filter(\.$probedAt >= from).filter(\.$probedAt < to)
            .sort(\.$probedAt).all()
            .map {
                Probe(
                    siteCode: code, at: $0.probedAt, ok: $0.ok, status: $0.status,
                    latencyMilliseconds: $0.latencyMilliseconds, error: $0.error)
            }
    }

    public struct UnknownSite: Error, CustomStringConvertible {
        public var code: String
        public var description: String { "网站标识码“\(code)”未登记" }
    }
}

extension InspectionRunRow {
    var run: InspectionRun {
        InspectionRun(
            code: code, asOf: asOf, indicatorSet: indicatorSet, startedAt: startedAt, finishedAt: finishedAt,
            status: status)
    }
}

extension FindingRow {
    convenience init(_ finding: Finding, runID: Int) {
        self.init()
        self.runID = runID
        targetKind = finding.target.kind.rawValue
        targetCode = finding.target.code
        targetName = finding.target.name
        indicator = finding.indicator.rawValue
        level = finding.level.rawValue
        url = finding.url
        detail = FindingRow.encode(finding.detail)
        evidence = finding.evidence
        fingerprint = finding.fingerprint
    }

    static func encode(_ detail: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(detail)) ?? Data("{}".utf8), as: UTF8.self)
    }

    func finding() throws -> Finding {
        var finding = Finding(
            target: Target(kind: Target.Kind(rawValue: targetKind) ?? .site, code: targetCode, name: targetName),
            indicator: IndicatorID(rawValue: indicator), level: Level(rawValue: level) ?? .notice, url: url,
            detail: try JSONDecoder().decode(JSONValue.self, from: Data(detail.utf8)), evidence: evidence,
            locationKey: "")
        finding.fingerprint = fingerprint
        return finding
    }
}
