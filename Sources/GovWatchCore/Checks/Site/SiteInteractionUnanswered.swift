import Foundation

/// `site.interaction.unanswered` (veto): a message left unanswered for more than 3 months.
///
/// Rule (国办秘函〔2019〕19号, 互动回应差): a valid message of a consultation column, asked in
/// the `lookbackDays` (365) days up to the as-of day, has no answer on the as-of day and was
/// asked more than `months` (3) calendar months before it — asked 2021-12-31 is not yet
/// overdue on 2022-03-31 and is on 2022-04-01. Messages older than the look-back are the
/// past's problem and not judged. A message is answered when it has a reply date on or
/// before the as-of day, or when its status says it was (已回复, 已答复, 已办结 …) even if
/// no date is shown; a message marked invalid (无效, 重复, 不予受理, 已撤回 …) is not a valid
/// message. A late answer is `site.interaction.slow-reply`'s finding, not this one.
///
/// One finding per message, at the message's URL (location key: the URL, asked day and
/// title, since a list without message pages gives every message the list's URL).
/// `detail`: `title`, `asked` (YYYY-MM-DD), `status` (as shown, or null), `daysUnanswered`,
/// `months` (the limit), `column` (the channel's URL, or null).
public enum SiteInteractionUnanswered {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteInteractionUnanswered

    /// Status words that mark a message as not a valid consultation.
    public static let invalidMarkers = ["无效", "重复", "不予受理", "撤回", "撤销", "测试"]
    /// Status words that mark a message as answered.
    public static let answeredMarkers = ["已回复", "已答复", "已办结", "已处理", "已反馈", "已解答"]

    /// Whether the message counts as a valid consultation.
    public static func isValid(_ message: ConsultationMessage) -> Bool {
        guard let status = message.status else { return true }
        return !invalidMarkers.contains { status.contains($0) }
    }

    /// Whether the message was answered by `day` (a reply date, or a status saying so).
    public static func isAnswered(_ message: ConsultationMessage, by day: CalendarDate) -> Bool {
        if let answered = message.answeredOn, answered <= day { return true }
        if message.answeredOn == nil, let status = message.status, answeredMarkers.contains(where: { status.contains($0) }) {
            return true
        }
        return false
    }

    /// The findings of this indicator for one site, in a stable order.
    public static func check(site: Target, messages: [ConsultationMessage], asOf: Date, indicators: IndicatorSet) -> [Finding] {
        let months = Int(indicators.threshold(indicator, "months", default: 3))
        let lookback = Int(indicators.threshold(indicator, "lookbackDays", default: 365))
        let today = SiteCheckSupport.lastDay(coveredBy: asOf)
        let windowStart = today.adding(days: -lookback)
        var byKey: [String: ConsultationMessage] = [:]
        for message in messages
        where isValid(message) && message.askedOn > windowStart && message.askedOn <= today
            && !isAnswered(message, by: today) && message.askedOn.adding(months: months) < today
        {
            byKey[key(message)] = message
        }
        return byKey.sorted { ($0.value.askedOn, $0.key) < ($1.value.askedOn, $1.key) }.map { key, message in
            let days = message.askedOn.days(to: today)
            let status = message.status.map { "，状态为“\($0)”" } ?? ""
            return Finding(
                target: site, indicator: indicator, level: indicators.level(indicator),
                url: message.url.isEmpty ? message.columnURL : message.url,
                detail: [
                    "title": .string(message.title), "asked": .string(message.askedOn.description),
                    "status": SiteCheckSupport.json(message.status), "daysUnanswered": .number(Double(days)),
                    "months": .number(Double(months)), "column": SiteCheckSupport.json(message.columnURL),
                ],
                evidence: "留言“\(message.title)”于\(message.askedOn)提交，至监测时间点已\(days)天未答复\(status)，超过\(months)个月",
                locationKey: key)
        }
    }

    /// What names a message across runs: its URL with its asked day and title, which never
    /// change for one message — the URL alone is not enough, because a list that links no
    /// message pages gives every message the list's own URL.
    static func key(_ message: ConsultationMessage) -> String {
        "\(message.url)|\(message.askedOn)|\(message.title)"
    }
}
