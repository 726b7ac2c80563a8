import Foundation

/// `account.stale` (veto): an active account with no post within 14 days before the as-of time.
///
/// `detail`: `lastPost` (ISO 8601, or null when no post is known), `days` (the threshold),
/// `platform`.
public enum AccountStale {
    public static let indicator = IndicatorID.accountStale

    public static func check(_ evidence: AccountEvidence, indicators: IndicatorSet) -> Finding? {
        let days = indicators.threshold(indicator, "days", default: 14)
        return AccountIdleness.finding(evidence, indicator: indicator, days: days, indicators: indicators)
    }
}

/// `account.zombie` (deduction): no post within 90 days (僵尸账号): to be closed or handed over.
///
/// `detail`: as `account.stale`.
public enum AccountZombie {
    public static let indicator = IndicatorID.accountZombie

    public static func check(_ evidence: AccountEvidence, indicators: IndicatorSet) -> Finding? {
        let days = indicators.threshold(indicator, "days", default: 90)
        return AccountIdleness.finding(evidence, indicator: indicator, days: days, indicators: indicators)
    }
}

/// The shared rule of stale and zombie accounts: no post in the `days` before as-of.
enum AccountIdleness {
    static func finding(_ evidence: AccountEvidence, indicator: IndicatorID, days: Double, indicators: IndicatorSet) -> Finding? {
        guard evidence.isPublishing else { return nil }
        let since = evidence.asOf.addingTimeInterval(-days * 86_400)
        let last = evidence.postsUpToAsOf.first?.published
        if let last, last > since { return nil }
        let lastText = last.map { CalendarDate($0).description }
        let evidenceText =
            lastText.map { "最近一次发布于\($0)，超过\(Int(days))天未更新" } ?? "未获取到任何发布信息，超过\(Int(days))天未更新"
        return Finding(
            target: evidence.target, indicator: indicator, level: indicators.level(indicator), url: nil,
            detail: [
                "lastPost": last.map { .string(ChinaTime.iso8601($0)) } ?? .null, "days": .number(days),
                "platform": .string(evidence.account.platform.rawValue),
            ],
            evidence: "\(evidence.account.platform.chineseName)账号“\(evidence.account.name)”\(evidenceText)",
            locationKey: "account")
    }
}
