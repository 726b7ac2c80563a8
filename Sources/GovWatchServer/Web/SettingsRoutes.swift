import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore
import Hummingbird

/// 设置 (admin only): the indicator set in force (its pass mark and every threshold, edited
/// as a copy stored as the active set, validated as an indicator file is; or back to the
/// national set); the extra dictionary the content scanners add to the shipped lists; the
/// local lines of the holiday calendar deadlines and the slow-reply rule count with; the
/// scheduler's times and jobs (what `govwatch schedule list` shows); the ticket webhook and
/// its signing secret (never shown back). Every change is validated with a Chinese message
/// naming the field or line, and audited.
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
        routes.post("/settings/dictionary", access: Self.access) { _, context in try await saveDictionary(context) }
        routes.post("/settings/holidays", access: Self.access) { _, context in try await saveHolidays(context) }
        routes.post("/settings/schedule", access: Self.access) { _, context in try await saveSchedule(context) }
        routes.post("/settings/webhook", access: Self.access) { _, context in try await saveWebhook(context) }
    }

    func show(_ context: AppRequestContext, outcome: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let identity = try context.requireIdentity()
        let set = try await store.indicatorSet()
        let jobs = try await store.jobs()
        let schedule = try await JobSchedule.stored(in: store, over: JobSchedule())
        let webhook = try await store.webhookSetting()
        let shipped = WorkingCalendar.china.coveredYears
        var values: [String: Any] = [
            "dictionaryText": try await store.dictionaryText() ?? "",
            "dictionaryCount": (try? await store.storedDictionary())?.entries.count ?? 0,
            "holidayText": try await store.holidayCalendarText() ?? "",
            "shippedYears": shipped.map { "\($0.lowerBound)–\($0.upperBound) 年" } ?? "—",
            "probesPerDay": schedule.probesPerDay, "patrolHour": schedule.patrolHour,
            "inspectionHour": schedule.inspectionHour, "digestHour": schedule.digestHour,
            "scheduleStored": try await store.jobScheduleJSON() != nil,
            "webhookURL": webhook?.url ?? "", "hasWebhook": webhook != nil, "hasSecret": webhook?.secret != nil,
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

    /// Where a validation error belongs: its section's form is shown again with what was typed.
    func invalid(_ context: AppRequestContext, _ message: String, keep values: [String: Any]) async throws -> Response {
        var outcome = values
        outcome["error"] = message
        return try await show(context, outcome: outcome, status: .badRequest)
    }

    func audit(_ action: String, _ detail: [String: String], _ context: AppRequestContext) async throws {
        try await store.audit(action: action, object: "settings", detail: detail, context: context.auditContext, at: configuration.clock())
    }

    /// The extra dictionary (dictionary file format: `错误写法<TAB>正确写法<TAB>类别`), checked
    /// line by line and compiled as the scanner compiles it before it is stored.
    func saveDictionary(_ context: AppRequestContext) async throws -> Response {
        let text = Self.normalizedText(context.formFields?["dictionary"] ?? "")
        do {
            let dictionary = try ContentDictionary.parse(text, file: "附加词典")
            _ = try ContentScanner.standard(additional: [dictionary])
            try await store.storeDictionaryText(text, at: configuration.clock())
            try await audit("settings.dictionary", ["entries": String(dictionary.entries.count)], context)
            let message = dictionary.entries.isEmpty
                ? "已清空附加词典，此后只用系统自带词典。" : "已保存附加词典 \(dictionary.entries.count) 条，此后的检查和三审一并使用。"
            return try await show(context, outcome: ["message": message])
        } catch let error as DictionaryFormatError {
            let place = error.line > 0 ? "附加词典第 \(error.line) 行：" : "附加词典："
            return try await invalid(context, place + error.reason, keep: ["dictionaryText": text])
        }
    }

    /// The local holiday lines (calendar file format: `YYYY-MM-DD<TAB>holiday|workday<TAB>名称`),
    /// laid over the shipped calendar.
    func saveHolidays(_ context: AppRequestContext) async throws -> Response {
        let text = Self.normalizedText(context.formFields?["holidays"] ?? "")
        do {
            let local = try WorkingCalendar.parse(text, file: "节假日安排")
            try await store.storeHolidayCalendarText(text, at: configuration.clock())
            try await audit("settings.holidays", ["days": String(local.entries.count)], context)
            let message = local.entries.isEmpty
                ? "已清空本地节假日安排，此后按国务院办公厅通知计算工作日。"
                : "已保存本地节假日安排 \(local.entries.count) 天，此后计算整改期限和答复时限时使用。"
            return try await show(context, outcome: ["message": message])
        } catch let error as WorkingCalendar.FormatError {
            return try await invalid(context, "节假日安排第 \(error.line) 行：\(error.reason)", keep: ["holidayText": text])
        }
    }

    /// The scheduler's times; the jobs no scheduler is running move to their new slots now.
    func saveSchedule(_ context: AppRequestContext) async throws -> Response {
        let fields = context.formFields ?? [:]
        var typed: [String: Any] = [:]
        for name in ["probesPerDay", "patrolHour", "inspectionHour", "digestHour"] { typed[name] = fields[name] ?? "" }
        func integer(_ field: String, _ label: String, _ range: ClosedRange<Int>) throws -> Int {
            let text = (fields[field] ?? "").trimmingCharacters(in: .whitespaces)
            guard let value = Int(text), range.contains(value) else {
                throw WebError.badRequest("“\(label)”应为 \(range.lowerBound)–\(range.upperBound) 之间的整数，收到“\(text)”")
            }
            return value
        }
        let schedule: JobSchedule
        do {
            schedule = JobSchedule(
                probesPerDay: try integer("probesPerDay", "每个网站每天监测次数", 20...288),
                patrolHour: try integer("patrolHour", "每日巡查时间（时）", 0...23),
                inspectionHour: try integer("inspectionHour", "每月全面检查时间（时）", 0...23),
                digestHour: try integer("digestHour", "整改日报发送时间（时）", 0...23))
        } catch let error as WebError {
            return try await invalid(context, error.message, keep: typed)
        }
        let moved = try await JobSchedule.save(schedule, in: store, now: configuration.clock())
        try await audit(
            "settings.schedule",
            [
                "probesPerDay": String(schedule.probesPerDay), "patrolHour": String(schedule.patrolHour),
                "inspectionHour": String(schedule.inspectionHour), "digestHour": String(schedule.digestHour),
                "rescheduled": String(moved),
            ], context)
        return try await show(context, outcome: ["message": "已保存调度时间，\(moved) 项任务已按新时间重新排期。"])
    }

    /// The webhook: an empty address removes it; an empty secret field keeps the stored
    /// secret (it is never sent back to the browser), `clearSecret` removes it.
    func saveWebhook(_ context: AppRequestContext) async throws -> Response {
        let fields = context.formFields ?? [:]
        let url = (fields["url"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let newSecret = (fields["secret"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let old = try await store.webhookSetting()
        let now = configuration.clock()
        guard !url.isEmpty else {
            try await store.storeWebhookSetting(nil, at: now)
            try await audit("settings.webhook", ["url": "", "secret": old?.secret == nil ? "无" : "已清除"], context)
            return try await show(context, outcome: ["message": "已删除通知地址，整改事件不再推送。"])
        }
        do {
            _ = try TicketWebhook(url: url)
        } catch let error as TicketWebhook.InvalidURL {
            return try await invalid(context, "“通知地址”：\(error.description)", keep: ["webhookURL": url])
        }
        guard newSecret.count <= 256 else {
            return try await invalid(context, "“签名密钥”不能超过 256 个字符", keep: ["webhookURL": url])
        }
        let secret: String?
        let secretChange: String
        if fields["clearSecret"] != nil {
            (secret, secretChange) = (nil, old?.secret == nil ? "无" : "已清除")
        } else if !newSecret.isEmpty {
            (secret, secretChange) = (newSecret, "已更换")
        } else {
            (secret, secretChange) = (old?.secret, old?.secret == nil ? "无" : "未变")
        }
        try await store.storeWebhookSetting(Store.WebhookSetting(url: url, secret: secret), at: now)
        try await audit("settings.webhook", ["url": url, "secret": secretChange], context)
        return try await show(context, outcome: ["message": "已保存通知地址，此后的整改事件和整改日报推送到该地址。"])
    }

    /// A textarea's text with Windows line ends made plain and trailing blank lines dropped.
    static func normalizedText(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
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
