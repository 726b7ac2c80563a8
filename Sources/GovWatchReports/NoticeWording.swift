import Foundation
import GovWatchCore

/// The sentences the notice composes from its figures, shared by the template's
/// placeholders and the document's body.
public enum NoticeWording {
    /// `a、b、c`; past `limit` names, `a、b…等12个` with `measure`.
    public static func list(_ names: [String], limit: Int = 12, measure: String = "个") -> String {
        guard names.count > limit else { return names.joined(separator: "、") }
        return names.prefix(limit).joined(separator: "、") + "等\(names.count)\(measure)"
    }

    /// `“a”“b”“c”`: quoted names run together, as notices list account names.
    public static func quoted(_ names: [String]) -> String {
        names.map { "“\($0)”" }.joined()
    }

    /// How the notice names a site: its name, with 网站 added unless it already says so.
    public static func siteLabel(_ name: String) -> String {
        name.hasSuffix("网站") || name.hasSuffix("网") || name.hasSuffix("平台") ? name : name + "网站"
    }

    /// The change against the previous period, one sentence; nil when there is nothing to
    /// compare (no previous inspection, or nothing inspected now).
    public static func changeSentence(_ notice: Notice) -> String? {
        guard let previous = notice.previous, !notice.isEmpty else { return nil }
        var parts: [String] = []
        let now = notice.overview
        if let rate = now.sites.rate, let before = previous.sites.rate {
            parts.append("政府网站合格率\(Formatting.pointsChange((rate - before) * 100))（\(notice.previousName)为\(previous.sites.percent)）")
        }
        if let rate = now.accounts.rate, let before = previous.accounts.rate {
            parts.append("政务新媒体合格率\(Formatting.pointsChange((rate - before) * 100))（\(notice.previousName)为\(previous.accounts.percent)）")
        }
        let delta = now.problemCount - previous.problemCount
        parts.append("发现问题\(delta == 0 ? "数量持平" : Formatting.countChange(delta))（\(notice.previousName)\(previous.problemCount)个）")
        return "与\(notice.previousName)相比，" + parts.joined(separator: "，") + "。"
    }

    /// The backlog in one clause for the template: `截至2022年3月31日，仍有12个问题未完成整改，其中5个已超过整改期限`;
    /// nil when nothing is unresolved.
    public static func backlogClause(_ notice: Notice) -> String? {
        let backlog = notice.backlog
        guard backlog.unresolved > 0 else { return nil }
        var text = "截至\(ChineseDates.full(backlog.asOf))，仍有\(backlog.unresolved)个问题未完成整改"
        if backlog.overdue > 0 { text += "，其中\(backlog.overdue)个已超过整改期限" }
        return text
    }

    /// The values of the template's placeholders (see `NoticeTemplate.placeholderNames`);
    /// a value that does not apply is absent, so paragraphs using it are left out.
    public static func placeholderValues(_ notice: Notice) -> [String: String] {
        var values: [String: String] = [
            "发文机关": notice.office,
            "发文机关简称": notice.officeShort,
            "统计周期": notice.period.chineseName,
            "上期": notice.previousName,
            "统计截止日期": ChineseDates.full(notice.period.lastDay),
        ]
        let overview = notice.overview
        if !notice.isEmpty {
            values["网站总数"] = String(overview.sites.inspected)
            values["网站合格数"] = String(overview.sites.passed)
            values["账号总数"] = String(overview.accounts.inspected)
            values["账号合格数"] = String(overview.accounts.passed)
            values["问题总数"] = String(overview.problemCount)
        }
        if overview.sites.inspected > 0 { values["网站合格率"] = overview.sites.percent }
        if overview.accounts.inspected > 0 { values["账号合格率"] = overview.accounts.percent }
        values["合格率变化"] = changeSentence(notice)
        if notice.backlog.total > 0 {
            if notice.backlog.closed > 0 { values["已销号数"] = String(notice.backlog.closed) }
            values["待整改数"] = String(notice.backlog.unresolved)
            values["逾期数"] = String(notice.backlog.overdue)
        }
        values["整改情况"] = backlogClause(notice)
        if !notice.backlog.clearedUnits.isEmpty { values["清零单位"] = list(notice.backlog.clearedUnits) }
        if !notice.commended.isEmpty {
            values["表扬单位"] = list(notice.commended.map(\.unit), limit: 8)
            values["表扬单位数"] = String(notice.commended.count)
        }
        if !notice.problemSites.isEmpty { values["突出问题网站数"] = String(notice.problemSites.count) }
        if !notice.problemAccounts.isEmpty { values["突出问题账号数"] = String(notice.problemAccounts.count) }
        return values.compactMapValues { $0 }
    }
}
