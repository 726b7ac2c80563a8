/// One target's result: score, vetoes and 合格/不合格, in the spec's scorecard shape.
public struct Scorecard: Sendable, Hashable, Codable {
    public var target: Target
    public var score: Double
    /// Veto indicators found, sorted.
    public var vetoes: [IndicatorID]
    public var passed: Bool

    public init(target: Target, score: Double, vetoes: [IndicatorID], passed: Bool) {
        self.target = target
        self.score = score
        self.vetoes = vetoes
        self.passed = passed
    }
}

/// Scores targets from their findings under an indicator set.
///
/// 100 points minus deductions (each deduction indicator: points per finding, or its
/// homepage points for findings on the homepage, capped at its `maxPoints`); any veto makes
/// the target 不合格; otherwise it passes at `passMark` or above. Notices count nothing.
public struct Scorer: Sendable {
    public var indicators: IndicatorSet

    public init(indicators: IndicatorSet) {
        self.indicators = indicators
    }

    public func score(_ target: Target, findings: [Finding]) -> Scorecard {
        var vetoes = Set<IndicatorID>()
        var deducted: [IndicatorID: Double] = [:]
        for finding in findings where finding.target == target {
            let rule = indicators.rule(finding.indicator)
            switch rule.level {
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
            passed: vetoes.isEmpty && score >= indicators.passMark)
    }
}
