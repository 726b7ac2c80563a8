import Foundation

/// `site.interaction.no-channel` (veto): no working online consultation channel.
///
/// Rule (国办秘函〔2019〕19号, 互动回应差): the site has no consultation channel (咨询/建言:
/// 领导信箱, 咨询留言, 留言板 — a column of category `consultation`, imported or discovered),
/// or none of its channels' pages loads. Judged only when the homepage loaded: a crawl that
/// saw nothing proves no absence (an unreachable site is `site.unreachable`'s finding).
///
/// One target-wide finding (location key `channel`). `detail`: `reason` (`none`: no channel
/// configured or found; `not-loading`: channels exist but none loads), `channels` (each
/// `name`, `url`, for `not-loading`).
public enum SiteInteractionNoChannel {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteInteractionNoChannel

    /// The finding of this indicator for one site, or nil when the rule is met.
    public static func check(
        site: Target, homepage: HomepageEvidence?, columns: [ColumnEvidence], indicators: IndicatorSet
    ) -> Finding? {
        guard SiteCheckSupport.homepageLoaded(homepage) else { return nil }
        var channels: [String: ColumnEvidence] = [:]
        for column in columns where column.column.category == .consultation {
            // The same channel imported and discovered: it works if either fetch loaded it.
            if let existing = channels[column.column.url], existing.loaded { continue }
            channels[column.column.url] = column
        }
        guard !channels.values.contains(where: \.loaded) else { return nil }
        let sorted = channels.values.sorted { $0.column.url < $1.column.url }
        let reason = sorted.isEmpty ? "none" : "not-loading"
        let evidence = sorted.isEmpty
            ? "网站未设置在线咨询或留言渠道（如领导信箱、咨询留言）"
            : "在线咨询渠道\(sorted.map { "“\($0.column.name)”" }.joined(separator: "、"))页面无法打开，网站没有可用的互动渠道"
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: nil,
            detail: [
                "reason": .string(reason),
                "channels": .array(sorted.map { ["name": .string($0.column.name), "url": .string($0.column.url)] }),
            ],
            evidence: evidence, locationKey: "channel")
    }
}
