import Foundation

/// `site.interaction.slow-reply` (deduction): messages answered late.
///
/// Rule: a valid message (see `SiteInteractionUnanswered.isValid`) asked in the
/// `lookbackDays` (365) days up to the as-of day and answered on or before it took more than
/// `workingDays` (5) working days: the working days after the day it was asked up to and
/// including the day it was answered, by `WorkingCalendar` (holidays and 调休 Saturdays as
/// the State Council's notices set them). Asked on a Monday and answered the next Monday is
/// 5 working days, on time; the Tuesday is 6, late. Unanswered messages are left to
/// `site.interaction.unanswered`.
///
/// One finding per consultation channel (location key: the channel's URL, from
/// `ConsultationMessage.columnURL`, or `messages` when unknown), at the channel's URL.
/// `detail`: `count` (late messages), `limitWorkingDays`, `slowestWorkingDays`, `slowest`
/// (`url`, `title`, `asked`, `answered`, `workingDays`), `messages` (up to 20 of them, slowest
/// first, same keys), `column` (the channel's URL, or null).
public enum SiteInteractionSlowReply {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteInteractionSlowReply

    /// The findings of this indicator for one site, in a stable order.
    public static func check(
        site: Target, messages: [ConsultationMessage], asOf: Date, indicators: IndicatorSet,
        calendar: WorkingCalendar = .china
    ) -> [Finding] {
        let limit = Int(indicators.threshold(indicator, "workingDays", default: 5))
        let lookback = Int(indicators.threshold(indicator, "lookbackDays", default: 365))
        let today = SiteCheckSupport.lastDay(coveredBy: asOf)
        let windowStart = today.adding(days: -lookback)

        struct Late {
            var message: ConsultationMessage
            var answered: CalendarDate
            var workingDays: Int
        }
        var byChannel: [String: [String: Late]] = [:]
        for message in messages where SiteInteractionUnanswered.isValid(message) {
            guard let answered = message.answeredOn, answered <= today,
                message.askedOn > windowStart, message.askedOn <= today
            else { continue }
            let taken = calendar.workingDays(from: message.askedOn, to: answered)
            guard taken > limit else { continue }
            byChannel[message.columnURL ?? "", default: [:]][SiteInteractionUnanswered.key(message)] =
                Late(message: message, answered: answered, workingDays: taken)
        }

        return byChannel.keys.sorted().map { channel in
            let late = byChannel[channel]!.values.sorted {
                ($1.workingDays, $0.message.askedOn.description, $0.message.url)
                    < ($0.workingDays, $1.message.askedOn.description, $1.message.url)
            }
            func summary(_ item: Late) -> JSONValue {
                [
                    "url": .string(item.message.url), "title": .string(item.message.title),
                    "asked": .string(item.message.askedOn.description), "answered": .string(item.answered.description),
                    "workingDays": .number(Double(item.workingDays)),
                ]
            }
            let slowest = late[0]
            return Finding(
                target: site, indicator: indicator, level: indicators.level(indicator),
                url: channel.isEmpty ? nil : channel,
                detail: [
                    "count": .number(Double(late.count)), "limitWorkingDays": .number(Double(limit)),
                    "slowestWorkingDays": .number(Double(slowest.workingDays)), "slowest": summary(slowest),
                    "messages": .array(late.prefix(SiteCheckSupport.detailListLimit).map(summary)),
                    "column": channel.isEmpty ? .null : .string(channel),
                ],
                evidence: "\(late.count)条留言答复超过\(limit)个工作日；最慢一条“\(slowest.message.title)”"
                    + "\(slowest.message.askedOn)提交、\(slowest.answered)答复，用时\(slowest.workingDays)个工作日",
                locationKey: channel.isEmpty ? "messages" : channel)
        }
    }
}
