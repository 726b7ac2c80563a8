import FluentKit
import Foundation
import GovWatchCore

public final class SettingRow: Model, @unchecked Sendable {
    public static let schema = "settings"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "key") public var key: String
    @Field(key: "value") public var value: String
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}
}

/// Stored settings. The indicator set in force is one: provinces adjust thresholds, and an
/// administrator stores their file once instead of passing `--indicators` to every run.
extension Store {
    static let indicatorSetKey = "indicator_set"

    public func setting(_ key: String) async throws -> String? {
        try await SettingRow.query(on: readDatabase).filter(\.$key == key).first()?.value
    }

    public func setSetting(_ key: String, to value: String?, at now: Date = Date()) async throws {
        let existing = try await SettingRow.query(on: database).filter(\.$key == key).first()
        guard let value else {
            try await existing?.delete(on: database)
            return
        }
        let row = existing ?? SettingRow()
        row.key = key
        row.value = value
        row.updatedAt = now
        try await row.save(on: database)
    }

    /// The stored indicator set, or the shipped national one when none is stored.
    public func indicatorSet() async throws -> IndicatorSet {
        guard let json = try await setting(Self.indicatorSetKey) else { return .national2019 }
        return try IndicatorSet.decode(Data(json.utf8), file: "数据库设置 indicator_set")
    }

    /// Stores `set` as the indicator set in force (nil: back to the shipped one).
    public func storeIndicatorSet(_ set: IndicatorSet?) async throws {
        guard let set else { return try await setSetting(Self.indicatorSetKey, to: nil) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try await setSetting(Self.indicatorSetKey, to: String(decoding: try encoder.encode(set), as: UTF8.self))
    }
}

/// The other settings an administrator edits on the 设置 page: the extra dictionary the
/// content scanners add to the shipped lists, the local additions to the holiday calendar,
/// the scheduler's times, and the ticket webhook. Each is read where the product uses it
/// (inspections and the 三审 page, deadlines and the slow-reply check, the scheduler, every
/// command and process that posts ticket events), so a change needs no restart.
extension Store {
    static let dictionaryKey = "content_dictionary"
    static let holidayCalendarKey = "holiday_calendar"
    static let jobScheduleKey = "job_schedule"
    static let webhookURLKey = "webhook_url"
    static let webhookSecretKey = "webhook_secret"

    /// The name stored dictionary lines are cited with in messages and findings' sources.
    public static let storedDictionaryName = "设置·附加词典"
    /// The name stored calendar lines are cited with in messages.
    public static let storedCalendarName = "设置·节假日安排"

    /// The extra dictionary as the administrator wrote it (dictionary file format), nil when none.
    public func dictionaryText() async throws -> String? { try await setting(Self.dictionaryKey) }

    /// The extra dictionary, parsed; nil when none is stored.
    public func storedDictionary() async throws -> ContentDictionary? {
        guard let text = try await dictionaryText() else { return nil }
        return try ContentDictionary.parse(text, file: Self.storedDictionaryName)
    }

    /// Stores the extra dictionary (nil or blank: none). The caller has validated it.
    public func storeDictionaryText(_ text: String?, at now: Date = Date()) async throws {
        let blank = text?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true
        try await setSetting(Self.dictionaryKey, to: blank ? nil : text, at: now)
    }

    /// The local calendar lines (calendar file format), nil when none.
    public func holidayCalendarText() async throws -> String? { try await setting(Self.holidayCalendarKey) }

    /// `base` (the shipped calendar) with the stored local lines laid over it: a stored day
    /// replaces the shipped entry of that day (a year the shipped file does not cover yet, or a
    /// local 调休).
    public func workingCalendar(over base: WorkingCalendar = .china) async throws -> WorkingCalendar {
        guard let text = try await holidayCalendarText() else { return base }
        return base.overlaid(with: try WorkingCalendar.parse(text, file: Self.storedCalendarName))
    }

    /// Stores the local calendar lines (nil or blank: none). The caller has validated them.
    public func storeHolidayCalendarText(_ text: String?, at now: Date = Date()) async throws {
        let blank = text?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true
        try await setSetting(Self.holidayCalendarKey, to: blank ? nil : text, at: now)
    }

    /// The scheduler's times as JSON (`JobSchedule.Stored` in GovWatchInspection), nil when none.
    public func jobScheduleJSON() async throws -> String? { try await setting(Self.jobScheduleKey) }

    public func storeJobScheduleJSON(_ json: String?, at now: Date = Date()) async throws {
        try await setSetting(Self.jobScheduleKey, to: json, at: now)
    }

    /// Moves a job that no scheduler holds to `nextRunAt` (the schedule changed); false when
    /// it is running (it takes the new time when it finishes).
    @discardableResult
    public func rescheduleJob(_ id: Int, nextRunAt: Date) async throws -> Bool {
        guard let row = try await ScheduledJobRow.find(id, on: database), row.leaseOwner == nil else { return false }
        row.nextRunAt = nextRunAt
        try await row.save(on: database)
        return true
    }

    /// The ticket webhook stored on the 设置 page.
    public struct WebhookSetting: Sendable, Hashable {
        public var url: String
        /// Signs every body (HMAC-SHA256); nil when the receiver checks none.
        public var secret: String?

        public init(url: String, secret: String?) {
            self.url = url
            self.secret = secret
        }
    }

    /// The stored webhook, nil when none.
    public func webhookSetting() async throws -> WebhookSetting? {
        guard let url = try await setting(Self.webhookURLKey), !url.isEmpty else { return nil }
        let secret = try await setting(Self.webhookSecretKey)
        return WebhookSetting(url: url, secret: secret?.isEmpty == false ? secret : nil)
    }

    /// Stores the webhook (nil: none, and its secret is forgotten too).
    public func storeWebhookSetting(_ webhook: WebhookSetting?, at now: Date = Date()) async throws {
        try await setSetting(Self.webhookURLKey, to: webhook?.url, at: now)
        try await setSetting(Self.webhookSecretKey, to: webhook?.secret, at: now)
    }
}
