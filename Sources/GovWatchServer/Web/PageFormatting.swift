import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore
import Hummingbird

/// Formatting and list helpers the pages share: Chinese dates, rates, verdicts, paging.
enum PageFormatting {
    static let chinaTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = chinaTimeZone
        formatter.dateFormat = format
        return formatter
    }

    /// `2022-03-31`, in China Standard Time.
    static func day(_ date: Date) -> String { formatter("yyyy-MM-dd").string(from: date) }
    /// `2022-03-31 09:15`, in China Standard Time.
    static func minute(_ date: Date) -> String { formatter("yyyy-MM-dd HH:mm").string(from: date) }
    /// `03-31`, for chart labels.
    static func shortDay(_ date: Date) -> String { formatter("MM-dd").string(from: date) }

    /// The day an as-of moment names (`--as-of 2022-03-31` is 24:00 that day).
    static func asOfDay(_ date: Date) -> String { day(date.addingTimeInterval(-1)) }

    /// `85.7%`, or `—` when there is nothing to count.
    static func rate(_ passed: Int, of total: Int) -> String {
        total == 0 ? "—" : String(format: "%.1f%%", Double(passed) * 100 / Double(total))
    }

    /// A score with at most one decimal: `98`, `97.5`.
    static func score(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func runStatusName(_ status: String) -> String {
        ["running": "进行中", "finished": "已完成", "failed": "失败"][status] ?? status
    }

    /// The Chinese name of an indicator, as the notice names its problems.
    static func indicatorName(_ indicator: IndicatorID) -> String {
        ProblemCatalog.type(of: indicator).name
    }

    static func levelName(_ level: Level) -> String { level.chineseName }

    /// The values of a scorecard the lists and target pages show.
    static func scorecardValues(_ card: Scorecard) -> [String: Any] {
        [
            "score": score(card.score), "bonus": score(card.bonus), "hasBonus": card.bonus > 0, "total": score(card.total),
            "deductions": score(100 - card.score), "passed": card.passed, "incomplete": card.incomplete,
            "verdict": card.passed ? "合格" : "不合格",
            "verdictClass": card.incomplete ? "incomplete" : (card.passed ? "pass" : "fail"),
            "vetoes": card.vetoes.map { ["name": indicatorName($0), "id": $0.rawValue] },
            "hasVetoes": !card.vetoes.isEmpty, "notes": card.notes,
        ]
    }

    /// Reads `limit` (1…200, default 50) and `offset` (≥ 0) from the query.
    static func paging(_ request: Request, defaultLimit: Int = 50) -> (limit: Int, offset: Int) {
        let limit = request.uri.queryParameters.get("limit", as: Int.self).map { min(max($0, 1), 200) } ?? defaultLimit
        let offset = request.uri.queryParameters.get("offset", as: Int.self).map { max($0, 0) } ?? 0
        return (limit, offset)
    }

    /// A query parameter, nil when absent or blank.
    static func parameter(_ request: Request, _ name: String) -> String? {
        guard let value = request.uri.queryParameters[Substring(name)].map(String.init),
            !value.trimmingCharacters(in: .whitespaces).isEmpty
        else { return nil }
        return value
    }

    /// The pager under a list: “第 1–50 条，共 120 条” with previous and next links that
    /// keep the filters.
    static func pager(path: String, filters: [(String, String)], limit: Int, offset: Int, total: Int) -> [String: Any] {
        func link(_ newOffset: Int) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let fields = filters + [("limit", String(limit)), ("offset", String(newOffset))]
            return path + "?" + fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&")
        }
        var values: [String: Any] = [
            "total": total, "first": total == 0 ? 0 : offset + 1, "last": min(offset + limit, total),
        ]
        if offset > 0 { values["previous"] = link(max(offset - limit, 0)) }
        if offset + limit < total { values["next"] = link(offset + limit) }
        return values
    }

    /// The URL when it may be a link's target (http or https only: a crawled
    /// `javascript:` address must never become a clickable link); nil otherwise.
    static func safeLink(_ url: String?) -> String? {
        guard let url, let scheme = URLComponents(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { return nil }
        return url
    }

    /// `<option>`s of a filter, the chosen one selected.
    static func options(_ choices: [(value: String, label: String)], selected: String?) -> [[String: Any]] {
        choices.map { ["value": $0.value, "label": $0.label, "selected": $0.value == (selected ?? "")] }
    }
}
