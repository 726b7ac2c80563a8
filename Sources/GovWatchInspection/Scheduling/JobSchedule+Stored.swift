import Foundation
import GovWatchCore
import GovWatchStore

/// The scheduler's times as the 设置 page stores them: the scheduler reads them when it
/// syncs its jobs and each time it reschedules one, so a change reaches a running
/// `serve --scheduler` or `schedule run` without a restart.
extension JobSchedule {
    /// The stored form (JSON in the settings table).
    public struct Stored: Codable, Sendable, Hashable {
        public var probesPerDay: Int
        public var patrolHour: Int
        public var inspectionHour: Int
        public var digestHour: Int

        public init(probesPerDay: Int, patrolHour: Int, inspectionHour: Int, digestHour: Int) {
            self.probesPerDay = probesPerDay
            self.patrolHour = patrolHour
            self.inspectionHour = inspectionHour
            self.digestHour = digestHour
        }
    }

    public var stored: Stored {
        Stored(probesPerDay: probesPerDay, patrolHour: patrolHour, inspectionHour: inspectionHour, digestHour: digestHour)
    }

    public init(_ stored: Stored) {
        self.init(
            probesPerDay: stored.probesPerDay, patrolHour: stored.patrolHour, inspectionHour: stored.inspectionHour,
            digestHour: stored.digestHour)
    }

    /// The stored schedule, or `base` when none is stored (or the stored one cannot be read:
    /// a scheduler keeps running on its own defaults rather than stop).
    public static func stored(in store: Store, over base: JobSchedule) async throws -> JobSchedule {
        guard let json = try await store.jobScheduleJSON(),
            let stored = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8))
        else { return base }
        return JobSchedule(stored)
    }

    /// Stores `schedule` (nil: back to the defaults) and moves every job no scheduler holds to
    /// its first slot after `now` under it. Returns how many jobs moved.
    @discardableResult
    public static func save(_ schedule: JobSchedule?, in store: Store, now: Date) async throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try await store.storeJobScheduleJSON(try schedule.map { String(decoding: try encoder.encode($0.stored), as: UTF8.self) }, at: now)
        let effective = schedule ?? JobSchedule()
        var moved = 0
        for job in try await store.jobs() {
            guard let kind = JobKind(rawValue: job.kind) else { continue }
            let next = effective.nextRun(kind: kind, name: job.name, after: now)
            if next != job.nextRunAt, try await store.rescheduleJob(job.id, nextRunAt: next) { moved += 1 }
        }
        return moved
    }
}
