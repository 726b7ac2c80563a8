import Foundation
import GovWatchCore
import GovWatchStore
import Hummingbird

/// 设置 (admin only): the indicator set in force (its pass mark and every threshold, edited
/// as a copy stored as the active set, validated as an indicator file is; or back to the
/// national set), and the scheduler's jobs (what `govwatch schedule list` shows). Audited.
struct SettingsRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration

    static let access = RouteAccess.roles([])
    /// Jobs shown at most (one availability job per site, plus the city-wide ones).
    static let jobLimit = 500

    func register(on routes: Routes) {
        routes.get("/settings", access: Self.access) { _, context in try await show(context, outcome: [:]) }
        routes.post("/settings/indicators", access: Self.access) { _, context in try await saveIndicators(context) }
        routes.post("/settings/indicators/reset", access: Self.access) { _, context in try await resetIndicators(context) }
    }

    func show(_ context: AppRequestContext, outcome: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let identity = try context.requireIdentity()
        let set = try await store.indicatorSet()
        let jobs = try await store.jobs()
        var values: [String: Any] = [
            "setTitle": set.title, "reference": set.reference, "passMark": PageFormatting.score(set.passMark),
            "bonusEntryScore": PageFormatting.score(set.bonusEntryScore), "maxBonus": PageFormatting.score(set.maxBonus),
            "isNational": set == IndicatorSet.national2019,
            "indicators": set.indicators.sorted { $0.key < $1.key }.map { id, rule in
                [
                    "id": id, "name": IndicatorID.all.contains(IndicatorID(rawValue: id))
                        ? PageFormatting.indicatorName(IndicatorID(rawValue: id)) : id,
                    "levelName": rule.level.chineseName, "points": rule.points.map(PageFormatting.score) ?? "—",
                    "thresholds": (rule.thresholds ?? [:]).sorted { $0.key < $1.key }.map {
                        ["field": "t.\(id).\($0.key)", "name": $0.key, "label": Self.thresholdNames[$0.key] ?? $0.key, "value": Self.number($0.value)]
                    },
                    "hasThresholds": !(rule.thresholds ?? [:]).isEmpty,
                ] as [String: Any]
            },
            "jobs": jobs.prefix(Self.jobLimit).map { job in
                [
                    "name": job.name, "kindName": Self.jobKindName(job.kind), "next": PageFormatting.minute(job.nextRunAt),
                    "last": job.lastFinishedAt.map(PageFormatting.minute) ?? "尚未执行", "runs": job.runs,
                    "failed": job.lastStatus == "failed", "error": job.lastError ?? "",
                ] as [String: Any]
            },
            "hasJobs": !jobs.isEmpty, "jobCount": jobs.count, "jobsCut": jobs.count > Self.jobLimit,
        ]
        for (key, value) in outcome { values[key] = value }
        return try pages.page(
            "settings", frame: PageFrame(title: "设置", identity: identity, path: "/settings"), values: values, status: status)
    }

    /// Applies the posted pass mark and thresholds to a copy of the set in force, checks the
    /// copy as an indicator file is checked, and stores it with its version raised.
    func saveIndicators(_ context: AppRequestContext) async throws -> Response {
        let fields = context.formFields ?? [:]
        var set = try await store.indicatorSet()
        var changes: [String: String] = [:]
        func number(_ field: String, _ label: String) throws -> Double? {
            guard let text = fields[field]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite, value >= 0 else {
                throw WebError.badRequest("“\(label)”应为不小于 0 的数字，收到“\(text)”")
            }
            return value
        }
        if let passMark = try number("passMark", "合格分数线"), passMark != set.passMark {
            guard passMark <= 100 else { throw WebError.badRequest("合格分数线应在 0–100 之间") }
            changes["passMark"] = "\(Self.number(set.passMark)) → \(Self.number(passMark))"
            set.passMark = passMark
        }
        for (id, rule) in set.indicators {
            guard var thresholds = rule.thresholds else { continue }
            for (name, old) in thresholds {
                guard let value = try number("t.\(id).\(name)", "\(id) 的 \(name)"), value != old else { continue }
                thresholds[name] = value
                changes["\(id).\(name)"] = "\(Self.number(old)) → \(Self.number(value))"
            }
            set.indicators[id]?.thresholds = thresholds
        }
        guard !changes.isEmpty else { return try await show(context, outcome: ["message": "没有修改任何取值。"]) }
        set.version += 1
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            set = try IndicatorSet.decode(try encoder.encode(set), file: "设置页面")
        } catch let error as IndicatorSet.InvalidFile {
            return try await show(context, outcome: ["error": error.description], status: .badRequest)
        }
        try await store.storeIndicatorSet(set)
        var detail = changes
        detail["set"] = set.reference
        try await store.audit(
            action: "settings.indicators", object: "indicator_set", detail: detail, context: context.auditContext,
            at: configuration.clock())
        return try await show(context, outcome: ["message": "已保存为指标体系 \(set.reference)，此后发起的检查按新取值评分。"])
    }

    func resetIndicators(_ context: AppRequestContext) async throws -> Response {
        try await store.storeIndicatorSet(nil)
        try await store.audit(
            action: "settings.indicators.reset", object: "indicator_set", detail: ["set": IndicatorSet.national2019.reference],
            context: context.auditContext, at: configuration.clock())
        return try await show(context, outcome: ["message": "已恢复为国家标准指标体系。"])
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Chinese names of the thresholds of the national set.
    static let thresholdNames: [String: String] = [
        "days": "天数", "filingDays": "备案期限（天）", "newsDays": "动态要闻（天）", "noticeDays": "通知公告（天）",
        "personnelDays": "人事信息（天）", "planningDays": "规划计划（天）", "policyDays": "政策文件（天）", "count": "栏目个数",
        "lookbackDays": "回溯天数", "workingDays": "答复时限（工作日）", "months": "超期月数", "failureRatio": "失败比例",
        "minimumProbes": "最少监测次数", "timeoutSeconds": "超时（秒）", "windowDays": "统计天数",
    ]

    static func jobKindName(_ kind: String) -> String {
        ["probe": "可用性监测", "patrol": "首页与栏目巡查", "inspection": "全面检查", "feeds": "数据源轮询", "digest": "整改日报"][kind] ?? kind
    }
}
