import Foundation

/// How long a unit has to rectify a problem: working days per level, counted with China's
/// holiday calendar.
///
/// Defaults (issue 6): veto problems 3 working days, others 10. An administrator changes
/// them without a rebuild in two ways: per indicator in the indicator set (a
/// `rectificationWorkingDays` threshold on the indicator's rule), or per level in a settings
/// file (`RectificationPolicy.load(contentsOf:)`):
///
/// ```json
/// {"workingDays": {"veto": 3, "deduction": 10, "notice": 10}}
/// ```
public struct RectificationPolicy: Sendable, Hashable {
    /// Working days allowed per level.
    public var workingDays: [Level: Int]
    /// Working days allowed per indicator, overriding the level's.
    public var indicatorWorkingDays: [IndicatorID: Int]
    public var calendar: WorkingCalendar

    public init(
        workingDays: [Level: Int] = RectificationPolicy.defaultWorkingDays, indicatorWorkingDays: [IndicatorID: Int] = [:],
        calendar: WorkingCalendar = .china
    ) {
        self.workingDays = workingDays
        self.indicatorWorkingDays = indicatorWorkingDays
        self.calendar = calendar
    }

    /// Veto 3 working days, deduction and notice 10.
    public static let defaultWorkingDays: [Level: Int] = [.veto: 3, .deduction: 10, .notice: 10]

    /// The threshold name an indicator set uses for a per-indicator deadline.
    public static let thresholdName = "rectificationWorkingDays"

    /// The defaults, with the per-indicator deadlines `indicators` gives.
    public init(indicators: IndicatorSet, calendar: WorkingCalendar = .china) {
        var overrides: [IndicatorID: Int] = [:]
        for (id, rule) in indicators.indicators {
            if let days = rule.thresholds?[Self.thresholdName], days >= 0 {
                overrides[IndicatorID(rawValue: id)] = Int(days)
            }
        }
        self.init(indicatorWorkingDays: overrides, calendar: calendar)
    }

    /// Working days allowed for a problem of `indicator` at `level`.
    public func allowedWorkingDays(_ indicator: IndicatorID, level: Level) -> Int {
        indicatorWorkingDays[indicator] ?? workingDays[level] ?? 10
    }

    /// The deadline (last day, inclusive) of a problem pushed on `pushed`: the day on which the
    /// allowed working days have elapsed after it (a problem pushed on Thursday 2022-03-31 with
    /// 3 working days is due Wednesday 2022-04-06: Friday, the 调休 Saturday 04-02, then the
    /// 清明 holiday 04-03…05 does not count).
    public func deadline(_ indicator: IndicatorID, level: Level, pushed: CalendarDate) -> CalendarDate {
        calendar.adding(workingDays: allowedWorkingDays(indicator, level: level), to: pushed)
    }

    /// The day a problem found by an inspection with this as-of time counts as pushed: the as-of
    /// day (`--as-of 2022-03-31` is 24:00 that day, still the 31st).
    public static func pushedDay(asOf: Date) -> CalendarDate {
        CalendarDate(asOf.addingTimeInterval(-1))
    }

    /// A bad settings file; the message is for a person.
    public struct InvalidSettings: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "\(file): 整改期限设置无效：\(reason)" }
    }

    private struct Settings: Decodable {
        var workingDays: [String: Int]?
        var indicators: [String: Int]?
    }

    /// Reads a settings file over `base`: `workingDays` per level (`veto`, `deduction`,
    /// `notice`) and optionally `indicators`, working days per indicator id.
    public static func load(contentsOf url: URL, over base: RectificationPolicy = RectificationPolicy()) throws
        -> RectificationPolicy
    {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InvalidSettings(file: url.path, reason: "无法读取（\(error.localizedDescription)）")
        }
        let settings: Settings
        do {
            settings = try JSONDecoder().decode(Settings.self, from: data)
        } catch {
            throw InvalidSettings(file: url.path, reason: "JSON 格式错误（\(error)）")
        }
        var policy = base
        for (name, days) in settings.workingDays ?? [:] {
            guard let level = Level(rawValue: name) else {
                throw InvalidSettings(file: url.path, reason: "未知的问题级别“\(name)”，应为 veto、deduction 或 notice")
            }
            guard (0...365).contains(days) else {
                throw InvalidSettings(file: url.path, reason: "\(name) 的工作日数 \(days) 应在 0 到 365 之间")
            }
            policy.workingDays[level] = days
        }
        for (id, days) in settings.indicators ?? [:] {
            guard IndicatorID.all.contains(IndicatorID(rawValue: id)) else {
                throw InvalidSettings(file: url.path, reason: "未知的指标“\(id)”")
            }
            guard (0...365).contains(days) else {
                throw InvalidSettings(file: url.path, reason: "\(id) 的工作日数 \(days) 应在 0 到 365 之间")
            }
            policy.indicatorWorkingDays[IndicatorID(rawValue: id)] = days
        }
        return policy
    }
}
