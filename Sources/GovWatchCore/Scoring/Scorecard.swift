/// One target's result: score, vetoes and 合格/不合格, in the spec's scorecard shape.
public struct Scorecard: Sendable, Hashable, Codable {
    public var target: Target
    /// The base score: 100 minus deductions.
    public var score: Double { didSet { total = score + bonus } }
    /// Veto indicators found, sorted.
    public var vetoes: [IndicatorID]
    public var passed: Bool
    /// The homepage could not be read during the inspection (a challenge page, robots.txt,
    /// time-outs, 429/503, no answer): the checks that read it were skipped, so the result
    /// is not a full judgement (未能完成检查) and a person should look.
    public var incomplete: Bool
    /// Columns the crawler discovered, not yet confirmed by an administrator, with a stale or
    /// blank finding: reported as notices and not counted toward the column vetoes.
    public var unconfirmedColumns: Int
    /// 加分 as applied: the points entered by hand for a portal (`govwatch bonus set`), counted
    /// only when its base score is above the set's `bonusEntryScore`, capped at `maxBonus`
    /// (`BonusRule`); 0 when none.
    public var bonus: Double = 0 { didSet { total = score + bonus } }
    /// The base score plus the bonus.
    public private(set) var total: Double = 0

    public init(
        target: Target, score: Double, vetoes: [IndicatorID], passed: Bool, incomplete: Bool = false, unconfirmedColumns: Int = 0
    ) {
        self.target = target
        self.score = score
        self.total = score
        self.vetoes = vetoes
        self.passed = passed
        self.incomplete = incomplete
        self.unconfirmedColumns = unconfirmedColumns
    }

    /// The result in Chinese: 合格 / 不合格, with 未能完成检查 when the homepage could not be read.
    public var verdict: String {
        let result = passed ? "合格" : "不合格"
        return incomplete ? "\(result)（未能完成检查）" : result
    }

    /// Notes a reader of the scorecard needs beside the result, in Chinese (empty when none).
    public var notes: [String] {
        var notes: [String] = []
        if incomplete { notes.append("首页或其信息日期未能读取，部分指标未能自动检查，未能完成检查，需人工核查") }
        if unconfirmedColumns > 0 { notes.append("另有\(unconfirmedColumns)个自动发现的栏目待确认，未计入单项否决") }
        return notes
    }
}

/// Scores targets from their findings under an indicator set.
///
/// 100 points minus deductions (each deduction indicator: points per finding, or its
/// homepage points for findings on the homepage, capped at its `maxPoints`); any veto makes
/// the target 不合格; otherwise it passes at `passMark` or above. Notices count nothing, nor
/// do the column findings of columns the crawler discovered and no administrator confirmed.
/// A `site.inspection.incomplete` finding about the homepage marks the card `incomplete`.
public struct Scorer: Sendable {
    public var indicators: IndicatorSet

    public init(indicators: IndicatorSet) {
        self.indicators = indicators
    }

    public func score(_ target: Target, findings: [Finding]) -> Scorecard {
        var vetoes = Set<IndicatorID>()
        var deducted: [IndicatorID: Double] = [:]
        var incomplete = false
        var unconfirmedColumns = Set<String>()
        for finding in findings where finding.target == target {
            let rule = indicators.rule(finding.indicator)
            if finding.indicator == .siteInspectionIncomplete, finding.detail["homepage"] == .bool(true) { incomplete = true }
            if finding.indicator == .siteColumnStale || finding.indicator == .siteColumnBlank,
                finding.detail["discovered"] == .bool(true)
            {
                unconfirmedColumns.insert(finding.url ?? finding.fingerprint)
            }
            // A column finding of a discovered, unconfirmed column is a notice whatever its
            // indicator's level (`SiteColumnStale`); every other finding counts at its rule's level.
            let proposal = finding.level == .notice && finding.detail["discovered"] == .bool(true)
            switch proposal ? .notice : rule.level {
            case .veto:
                vetoes.insert(finding.indicator)
            case .deduction:
                let onHomepage = finding.detail["onHomepage"] == .bool(true)
                let points = (onHomepage ? rule.homepagePoints : nil) ?? rule.points ?? 0
                deducted[finding.indicator, default: 0] += points
            case .notice:
                break
            }
        }
        let total = deducted.reduce(0.0) { sum, entry in
            sum + min(entry.value, indicators.rule(entry.key).maxPoints ?? entry.value)
        }
        let score = max(0, 100 - total)
        return Scorecard(
            target: target, score: score, vetoes: vetoes.sorted(),
            passed: vetoes.isEmpty && score >= indicators.passMark, incomplete: incomplete,
            unconfirmedColumns: unconfirmedColumns.count)
    }
}
