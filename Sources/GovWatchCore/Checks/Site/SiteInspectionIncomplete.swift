import Foundation

/// `site.inspection.incomplete` (notice): part of the site could not be judged automatically.
///
/// Rule (indicators.md): the homepage or a column answered with a bot challenge / WAF page,
/// a column fills its list only with JavaScript from a data source that was not found,
/// robots.txt forbade the page, the host kept answering 429/503, the page did not answer in
/// time (or, for the homepage, did not load at all), or the page limit cut the crawl. No
/// stale, blank, identity, search or channel finding is made from what was not read
/// (`SiteChecks.run` leaves it out); this finding asks a person to look instead.
///
/// One finding per unreadable part (`SiteEvidence.unreadable`); the location key is the
/// reason, the scope and the URL, none of which changes when the same part is found
/// unreadable again, so a rerun or resumed inspection finds the same problem, not a new one.
/// `detail`: `reason` (`challenge`, `javascript`, `robots`, `page-limit`, `rate-limited`,
/// `timeout`, `unreachable`), `url`, `scope` (`homepage`, `column`, `links`, `crawl`),
/// `homepage` (the homepage could not be read: the scorecard says 未能完成检查),
/// `skippedChecks` (indicator ids), `status` (HTTP status or null), `column` (name or null),
/// `count` (pages or links concerned, or null).
public enum SiteInspectionIncomplete {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteInspectionIncomplete

    /// The findings of this indicator for one site, homepage first, then by scope and URL.
    public static func check(site: Target, unreadable: [UnreadablePart], indicators: IndicatorSet) -> [Finding] {
        // One finding per (reason, scope, URL), the skipped checks of duplicates merged.
        var merged: [String: UnreadablePart] = [:]
        for part in unreadable {
            let key = locationKey(part)
            if var existing = merged[key] {
                existing.skippedChecks = Array(Set(existing.skippedChecks + part.skippedChecks))
                existing.status = existing.status ?? part.status
                existing.name = existing.name ?? part.name
                existing.count = [existing.count, part.count].compactMap { $0 }.max()
                merged[key] = existing
            } else {
                merged[key] = part
            }
        }
        let order: [UnreadablePart.Scope: Int] = [.homepage: 0, .homepageDates: 1, .column: 2, .links: 3, .crawl: 4]
        let parts = merged.values.sorted {
            (order[$0.scope] ?? 9, $0.url, $0.reason.rawValue) < (order[$1.scope] ?? 9, $1.url, $1.reason.rawValue)
        }
        return parts.map { part in
            let skipped = part.skippedChecks.sorted { lhs, rhs in
                (IndicatorID.all.firstIndex(of: lhs) ?? .max, lhs.rawValue) < (IndicatorID.all.firstIndex(of: rhs) ?? .max, rhs.rawValue)
            }
            return Finding(
                target: site, indicator: indicator, level: indicators.level(indicator), url: part.url,
                detail: [
                    "reason": .string(part.reason.rawValue), "url": .string(part.url), "scope": .string(part.scope.rawValue),
                    "homepage": .bool(part.scope == .homepage || part.scope == .homepageDates), "skippedChecks": .array(skipped.map { .string($0.rawValue) }),
                    "status": SiteCheckSupport.json(part.status), "column": SiteCheckSupport.json(part.name),
                    "count": SiteCheckSupport.json(part.count),
                ],
                evidence: evidence(part), locationKey: locationKey(part))
        }
    }

    /// What names an unreadable part across runs.
    static func locationKey(_ part: UnreadablePart) -> String {
        "\(part.scope.rawValue)|\(part.reason.rawValue)|\(part.url)"
    }

    /// Why it could not be read, in Chinese.
    public static func chineseReason(_ part: UnreadablePart) -> String {
        switch part.reason {
        case .challenge: return "返回的是防护验证页面（WAF/人机验证，需执行脚本设置Cookie后重新加载）"
        case .javascript: return "内容由JavaScript动态加载，页面中未找到可读取的数据源"
        case .robots: return "网站robots.txt禁止抓取"
        case .pageLimit: return "抓取达到页面数量上限"
        case .rateLimited: return "服务器持续返回\(part.status.map(String.init) ?? "429/503")（请求过于频繁或暂时不可用），重试后仍未成功"
        case .timeout: return "访问超时"
        case .unreachable: return "无法访问（\(part.status.map { "HTTP \($0)" } ?? "连接失败")）"
        case .undated: return "列出的信息均未注明发布时间，且未能打开其文章页面读取发布时间"
        }
    }

    static func evidence(_ part: UnreadablePart) -> String {
        let reason = chineseReason(part)
        switch part.scope {
        case .homepage:
            return "网站首页\(reason)，未能读取首页内容，首页更新、页脚标识、站内搜索、互动渠道等未能自动检查，未能完成检查，请人工核查"
        case .column:
            let name = part.name.map { "栏目“\($0)”" } ?? "栏目"
            return "\(name)\(reason)，未能读取栏目内容，未判断其是否更新或空白（未计入单项否决），请人工核查"
        case .links:
            let count = part.count.map { "\($0)个链接" } ?? "链接"
            let host = SiteCheckSupport.host(of: part.url) ?? part.url
            return "\(host)的\(count)\(reason)，未计为错链，请人工核查"
        case .homepageDates:
            return "网站首页\(reason)，未能判断首页是否更新（未作首页不更新的单项否决），请人工核查"
        case .crawl:
            let count = part.count.map { "，另有\($0)个站内页面只检查了能否打开，未读取内容" } ?? ""
            return "\(reason)\(count)，这些页面中的错链、内容问题和暗链未能检查"
        }
    }
}
