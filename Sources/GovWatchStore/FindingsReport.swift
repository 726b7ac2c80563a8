import Foundation
import GovWatchCore

/// Findings and scorecards as `govwatch findings` / `govwatch scorecard` print them, in
/// the JSON shapes of `interfaces.md`.
public enum FindingsReport {
    struct FindingsJSON: Encodable {
        var run: String
        var asOf: String
        var indicatorSet: String
        var findings: [Finding]
    }

    struct ScorecardJSON: Encodable {
        var run: String
        var asOf: String
        var indicatorSet: String
        var targets: [Scorecard]
    }

    /// The columns of `govwatch findings --format csv` (and of the web platform's export).
    public static let csvHeader = [
        "run", "target_kind", "target_code", "target_name", "indicator", "level", "url", "evidence", "detail", "fingerprint",
    ]

    /// One finding's fields in the order of ``csvHeader``.
    public static func csvFields(run: InspectionRun, finding: Finding) -> [String] {
        [
            run.code, finding.target.kind.rawValue, finding.target.code, finding.target.name, finding.indicator.rawValue,
            finding.level.rawValue, finding.url ?? "", finding.evidence ?? "", FindingRow.encode(finding.detail), finding.fingerprint,
        ]
    }

    public static func render(run: InspectionRun, findings: [Finding], format: String) throws -> String {
        switch format {
        case "json":
            return try json(
                FindingsJSON(run: run.code, asOf: ChinaTime.iso8601(run.asOf), indicatorSet: run.indicatorSet, findings: findings))
        case "csv":
            return CSVTable.render(header: csvHeader, rows: findings.map { csvFields(run: run, finding: $0) })
        default:
            let table = TextTable.render(
                header: ["对象", "指标", "级别", "位置", "说明"],
                rows: findings.map {
                    [$0.target.name, $0.indicator.rawValue, $0.level.chineseName, $0.url ?? "（整体）", $0.evidence ?? ""]
                },
                footer: "检查批次 \(run.code)（监测时间点 \(ChinaTime.displayAsOf(run.asOf))，指标 \(run.indicatorSet)）：共 \(findings.count) 个问题")
            return table
        }
    }

    public static func render(run: InspectionRun, scorecards: [Scorecard], format: String) throws -> String {
        switch format {
        case "json":
            return try json(
                ScorecardJSON(run: run.code, asOf: ChinaTime.iso8601(run.asOf), indicatorSet: run.indicatorSet, targets: scorecards))
        case "csv":
            return CSVTable.render(
                header: ["run", "target_kind", "target_code", "target_name", "score", "vetoes", "passed", "incomplete", "unconfirmed_columns", "bonus", "total"],
                rows: scorecards.map {
                    [run.code, $0.target.kind.rawValue, $0.target.code, $0.target.name, formatScore($0.score),
                     $0.vetoes.map(\.rawValue).joined(separator: " "), $0.passed ? "1" : "0", $0.incomplete ? "1" : "0",
                     String($0.unconfirmedColumns), formatScore($0.bonus), formatScore($0.total)]
                })
        default:
            let passed = scorecards.filter(\.passed).count
            let incomplete = scorecards.filter(\.incomplete).count
            let unfinished = incomplete > 0 ? "，其中 \(incomplete) 个未能完成检查（首页未能读取，需人工核查）" : ""
            return TextTable.render(
                header: ["对象", "标识", "得分", "加分", "总分", "结果", "单项否决", "说明"],
                rows: scorecards.map {
                    [$0.target.name, $0.target.code, formatScore($0.score), $0.bonus > 0 ? formatScore($0.bonus) : "",
                     formatScore($0.total), $0.verdict,
                     $0.vetoes.map(\.rawValue).joined(separator: "、"), $0.notes.joined(separator: "；")]
                },
                footer: "检查批次 \(run.code)：共 \(scorecards.count) 个对象，合格 \(passed) 个，不合格 \(scorecards.count - passed) 个\(unfinished)")
        }
    }

    static func formatScore(_ score: Double) -> String {
        score.rounded() == score ? String(Int(score)) : String(format: "%.1f", score)
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
