import Foundation
import GovWatchStore
import Metrics
import Synchronization

/// Values the busiest pages compute from many rows (the overview, a site's page, the ticket
/// lists), kept until a table they were computed from changes.
///
/// An entry is found by its key (what was asked: page, scope, role, query) and is used only
/// while its stamp — the versions of the tables it read (`Store.dataVersions()`, shared by
/// every process on the database) plus the time slot it was computed for — is the current
/// one. So a ticket verified by another `serve` process, a worker's new run or a registry
/// import shows on the next request, and no process needs to tell another.
///
/// Concurrent requests for the same missing value wait for one computation instead of each
/// running it. The cache holds at most `capacity` bytes of values (their own estimate) and
/// drops the least recently used past that.
public final class ComputedPageCache: Sendable {
    public struct Statistics: Sendable, Equatable {
        public var hits = 0
        public var misses = 0
        public var entries = 0
        public var bytes = 0
    }

    private struct Entry {
        var stamp: [Int64]
        var task: Task<any Sendable, any Error>
        var bytes: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var statistics = Statistics()
    }

    private let state = Mutex(State())
    public let capacity: Int

    /// `capacity` 0 turns the cache off: every value is computed (for measuring).
    public init(capacity: Int = 64 << 20) {
        self.capacity = capacity
    }

    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.entries = state.entries.count
            statistics.bytes = state.bytes
            return statistics
        }
    }

    /// The value for `key` computed at `stamp`, computing it (once, however many ask at the
    /// same time) when there is none or it was computed at another stamp. `size` estimates
    /// a value's bytes for the capacity. A failed computation is not kept.
    public func value<Value: Sendable>(
        _ key: String, stamp: [Int64], size: @escaping @Sendable (Value) -> Int,
        compute: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        guard capacity > 0 else { return try await compute() }
        let (task, hit) = state.withLock { state -> (Task<any Sendable, any Error>, Bool) in
            state.clock += 1
            if var entry = state.entries[key], entry.stamp == stamp {
                entry.lastUse = state.clock
                state.entries[key] = entry
                state.statistics.hits += 1
                return (entry.task, true)
            }
            if let stale = state.entries.removeValue(forKey: key) { state.bytes -= stale.bytes }
            state.statistics.misses += 1
            let task = Task<any Sendable, any Error> { try await compute() }
            state.entries[key] = Entry(stamp: stamp, task: task, bytes: 0, lastUse: state.clock)
            return (task, false)
        }
        let value: Value
        do {
            guard let computed = try await task.value as? Value else { preconditionFailure("cache key \(key) holds another type") }
            value = computed
        } catch {
            if !hit { forget(key, task: task) }
            throw error
        }
        if !hit { account(key, task: task, bytes: size(value)) }
        // Labelled by the page (the key's first part: a fixed set), never by the key itself.
        Counter(label: "govwatch_page_cache_requests_total", dimensions: [
            ("page", String(key.prefix { $0 != "|" })), ("result", hit ? "hit" : "miss"),
        ]).increment()
        return value
    }

    /// Drops every entry (tests, and a settings change that alters how pages are drawn).
    public func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.bytes = 0
        }
    }

    private func forget(_ key: String, task: Task<any Sendable, any Error>) {
        state.withLock { state in
            guard let entry = state.entries[key], entry.task == task else { return }
            state.entries.removeValue(forKey: key)
            state.bytes -= entry.bytes
        }
    }

    /// Records the size of a computed value, then trims the least recently used entries
    /// to three quarters of the capacity when over it.
    private func account(_ key: String, task: Task<any Sendable, any Error>, bytes: Int) {
        state.withLock { state in
            guard var entry = state.entries[key], entry.task == task else { return }
            entry.bytes = bytes
            state.entries[key] = entry
            state.bytes += bytes
            guard state.bytes > capacity else { return }
            for (oldKey, old) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
                guard state.bytes > capacity * 3 / 4 else { break }
                state.entries.removeValue(forKey: oldKey)
                state.bytes -= old.bytes
            }
        }
    }
}

extension ComputedPageCache {
    /// How long a value computed from the clock (what is overdue, the last 24 hours of
    /// probes, the week's chart) may be shown: data changes count at once, the clock's
    /// passing within this slot.
    public enum TimeSlot: Sendable {
        case minute
        /// A day in China: what is overdue changes at midnight there.
        case chinaDay
        /// Not computed from the clock at all.
        case none

        func number(at moment: Date) -> Int64 {
            switch self {
            case .minute: Int64((moment.timeIntervalSince1970 / 60).rounded(.down))
            case .chinaDay: Int64(((moment.timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down))
            case .none: 0
            }
        }
    }

    /// The value for `key`, kept while none of `tables` is written and the clock stays in
    /// the same `slot`: the tables' versions are read first (see `Store.dataVersions()`).
    public func value<Value: Sendable>(
        _ key: String, reading tables: [DataVersions.Table], in store: Store, slot: TimeSlot, at moment: Date,
        size: @escaping @Sendable (Value) -> Int, compute: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        guard capacity > 0 else { return try await compute() }
        let stamp = try await store.dataVersions().stamp(tables) + [slot.number(at: moment)]
        return try await value(key, stamp: stamp, size: size, compute: compute)
    }

    /// A key: the page's name (a fixed word, the metrics' label) and what the value depends
    /// on. Each part is prefixed with its length, so no text a user sends (a site code in the
    /// path, a unit in the query) can make one key equal another's.
    public static func key(_ page: String, _ parts: [String]) -> String {
        page + "|" + parts.map { "\($0.utf8.count):\($0)" }.joined()
    }

    /// The parts of a key that say what a user may see: role, unit and scope.
    public static func audience(_ identity: Identity) -> [String] {
        [identity.user.role.rawValue, identity.user.unitName ?? "", scopeKey(identity.scope)]
    }

    /// The units a scope holds (`*`: all).
    public static func scopeKey(_ scope: UnitSubtree?) -> String {
        scope.map { "\($0.root):" + $0.ids.sorted().map(String.init).joined(separator: ",") } ?? "*"
    }
}
