import Foundation

/// Who may enter bonus scoring (加分) and how much it can add, from the indicator set:
/// a government portal (政府门户网站) whose base score is above `bonusEntryScore` (80) and that
/// has no veto, up to `maxBonus` (30) points (国办秘函〔2019〕19号: 得分超过80分的门户网站进入
/// 加分项评分，加分最多30分). Bonus items are judged by a person and entered by hand.
public struct BonusRule: Sendable, Hashable, Codable {
    /// The base score a portal must be above.
    public var entryScore: Double
    /// The most bonus points a target can receive.
    public var maxBonus: Double

    public init(entryScore: Double, maxBonus: Double) {
        self.entryScore = entryScore
        self.maxBonus = maxBonus
    }

    /// The rule of `indicators`.
    public init(indicators: IndicatorSet) {
        self.init(entryScore: indicators.bonusEntryScore, maxBonus: indicators.maxBonus)
    }

    /// Whether a card may enter bonus scoring: no veto and a base score above the entry score.
    public func admits(_ card: Scorecard) -> Bool {
        card.vetoes.isEmpty && card.score > entryScore
    }

    /// The bonus `entered` points give `card`: 0 when it may not enter, else at most `maxBonus`.
    public func applied(_ entered: Double, to card: Scorecard) -> Double {
        guard admits(card), entered > 0 else { return 0 }
        return min(entered, max(0, maxBonus))
    }
}

/// Bonus points entered by hand for one portal in one run (`govwatch bonus set`), with the
/// rule in force when they were entered.
public struct BonusEntry: Sendable, Hashable, Codable {
    /// The run (`r-20220331-0001`).
    public var run: String
    /// The portal's 网站标识码.
    public var siteCode: String
    /// The points as entered, before the rule is applied.
    public var points: Double
    /// What the points are for (创新做法、获奖等), as the inspector wrote it.
    public var reason: String
    public var rule: BonusRule
    public var enteredAt: Date

    public init(run: String, siteCode: String, points: Double, reason: String, rule: BonusRule, enteredAt: Date) {
        self.run = run
        self.siteCode = siteCode
        self.points = points
        self.reason = reason
        self.rule = rule
        self.enteredAt = enteredAt
    }

    /// `card` with this entry's bonus applied (the card of the same site and run).
    public func apply(to card: Scorecard) -> Scorecard {
        var card = card
        card.bonus = rule.applied(points, to: card)
        return card
    }
}

extension Scorer {
    /// The set's bonus rule.
    public var bonusRule: BonusRule { BonusRule(indicators: indicators) }
}
