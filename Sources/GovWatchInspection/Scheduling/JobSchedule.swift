import Foundation
import GovWatchCore

/// The kinds of recurring work, and when each runs.
public enum JobKind: String, Sendable, Hashable, CaseIterable {
    /// One availability probe of one site's homepage (≥ 20 a day per site).
    case probe
    /// Daily patrol of every site's homepage and imported columns.
    case patrol
    /// Monthly full inspection (crawl, checks, scoring, rectification loop).
    case inspection
    /// Hourly polling of the accounts' feeds.
    case feeds
    /// Daily digest per unit (整改日报).
    case digest
    /// Daily retention: drops the working state of runs beyond `retention.keep_runs`.
    case prune

    public var chineseName: String {
        switch self {
        case .probe: "可用性监测"
        case .patrol: "首页与栏目巡查"
        case .inspection: "全面检查"
        case .feeds: "数据源轮询"
        case .digest: "整改日报"
        case .prune: "数据清理"
        }
    }
}

/// When jobs run: fixed slots with a deterministic jitter per job and slot.
///
/// Slots make the catch-up rule simple: the next run is always the first slot time after
/// *now*, so a scheduler that was down for a day runs each missed job once, not once per
/// missed slot. The jitter (a hash of the job's name and the slot number) spreads the probes of
/// many sites over each slot instead of hitting every homepage at the same second, and stays
/// inside the slot, so a probe job runs exactly once per slot: `probesPerDay` times a day.
public struct JobSchedule: Sendable, Hashable {
    /// Probes per site and day (the indicators require at least 20).
    public var probesPerDay: Int
    /// Hour of the day (CST) of the daily patrol; it starts within the hour after.
    public var patrolHour: Int
    /// Hour of the day (CST) of the monthly inspection on the 1st.
    public var inspectionHour: Int
    /// Hour of the day (CST) the digests go out.
    public var digestHour: Int

    public init(probesPerDay: Int = 24, patrolHour: Int = 2, inspectionHour: Int = 1, digestHour: Int = 8) {
        self.probesPerDay = max(20, probesPerDay)
        self.patrolHour = patrolHour
        self.inspectionHour = inspectionHour
        self.digestHour = digestHour
    }

    /// The first run of the job `name` of `kind` strictly after `now`.
    public func nextRun(kind: JobKind, name: String, after now: Date) -> Date {
        switch kind {
        case .probe:
            return slotted(name: name, interval: 86_400 / Double(probesPerDay), jitterFraction: 0.9, offset: 0, after: now)
        case .feeds:
            return slotted(name: name, interval: 3_600, jitterFraction: 1.0 / 12, offset: 0, after: now)
        case .patrol:
            return slotted(name: name, interval: 86_400, jitterFraction: 1.0 / 24, offset: Double(patrolHour) * 3_600, after: now)
        case .digest:
            return slotted(name: name, interval: 86_400, jitterFraction: 0, offset: Double(digestHour) * 3_600, after: now)
        case .prune:
            // 04:00 CST, after the patrol and the monthly inspection have started their work.
            return slotted(name: name, interval: 86_400, jitterFraction: 0, offset: 4 * 3_600, after: now)
        case .inspection:
            var day = CalendarDate(now)
            day = CalendarDate(year: day.year, month: day.month, day: 1)!
            while true {
                let at = day.startOfDay.addingTimeInterval(Double(inspectionHour) * 3_600)
                if at > now { return at }
                day = day.adding(months: 1)
            }
        }
    }

    /// Slot `k` covers `[k·interval, (k+1)·interval)` counted from a CST midnight plus `offset`;
    /// the job runs at the slot's start plus a jitter below `jitterFraction · interval`.
    func slotted(name: String, interval: TimeInterval, jitterFraction: Double, offset: TimeInterval, after now: Date) -> Date {
        // CST midnight: the Unix epoch is 08:00 CST, so days start at −8 h.
        let origin = -8 * 3_600 + offset
        var slot = ((now.timeIntervalSince1970 - origin) / interval).rounded(.down)
        while true {
            let at = origin + slot * interval + jitter(name: name, slot: Int(slot), range: interval * jitterFraction)
            if at > now.timeIntervalSince1970 { return Date(timeIntervalSince1970: at) }
            slot += 1
        }
    }

    /// A stable pseudo-random offset in `[0, range)` seconds (FNV-1a of name and slot).
    func jitter(name: String, slot: Int, range: TimeInterval) -> TimeInterval {
        guard range >= 1 else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(name)#\(slot)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Double(hash % UInt64(range))
    }
}
