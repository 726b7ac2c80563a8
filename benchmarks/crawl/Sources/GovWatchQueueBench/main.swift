// The inspection queue under many workers (benchmarks/queue.sh): how many tasks a second
// `Store.claimInspectionTask` + `completeInspectionTask` hand out when CLAIMERS workers, each
// with its own connection pool (as separate processes have), drain a queue of TASKS site
// tasks. Side by side, on PostgreSQL, the textbook peer: `FOR UPDATE SKIP LOCKED` (the
// claim of Que, GoodJob, graphile-worker), on the same table and the same workers.
//
//   GovWatchQueueBench --db URL --tasks N --claimers K [--peer]
//
// Prints: `claim=govwatch|skip-locked tasks=… claimers=… seconds=… tasks_per_s=… lost=… doubled=…`
// (lost and doubled must be 0: every task claimed exactly once).
import FluentKit
import Foundation
import GovWatchCore
import GovWatchStore
import SQLKit
import Synchronization

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}
guard let url = option("--db"), let location = try? DatabaseLocation.parse(url) else {
    FileHandle.standardError.write(Data("usage: GovWatchQueueBench --db URL --tasks N --claimers K [--peer]\n".utf8))
    exit(2)
}
let taskCount = Int(option("--tasks") ?? "") ?? 14_000
let claimerCount = Int(option("--claimers") ?? "") ?? 8
let peer = CommandLine.arguments.contains("--peer")

let setup = try await Store.open(location)
let asOf = Date(timeIntervalSince1970: 1_648_656_000 + Double.random(in: 0..<86_400).rounded())
let run = try await setup.startRun(asOf: asOf, indicatorSet: "national-2019@1", startedAt: Date())
try await setup.queueInspection(
    runCode: run.code, request: "{}", targets: (0..<taskCount).map { InspectionTask.site(String(format: "43%08d", $0)) }, at: Date())

/// The peer's claim: lock the first free row no other transaction has locked, skip the rest.
func claimSkippingLocked(_ sql: any SQLDatabase, owner: String, now: Date) async throws -> Int? {
    try await sql.raw(
        """
        UPDATE inspection_tasks SET lease_owner = \(bind: owner), lease_expires_at = \(bind: now.addingTimeInterval(600)),
        attempts = attempts + 1 WHERE id = (SELECT id FROM inspection_tasks WHERE done_at IS NULL AND lease_owner IS NULL
        AND run_code = \(bind: run.code) AND target <> 'finish' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id
        """
    ).first()?.decode(column: "id", as: Int.self)
}

let stores = try await (0..<claimerCount).asyncMap { _ in try await Store.open(location) }
let claimed = Mutex<[Int]>([])
let clock = ContinuousClock()
let started = clock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for (index, store) in stores.enumerated() {
        group.addTask {
            let owner = "bench-\(index)"
            var mine: [Int] = []
            if peer {
                let sql = store.database as! any SQLDatabase
                while let id = try await claimSkippingLocked(sql, owner: owner, now: Date()) {
                    mine.append(id)
                    try await sql.update("inspection_tasks").set("done_at", to: Date()).set("lease_owner", to: SQLLiteral.null)
                        .where("id", .equal, id).where("lease_owner", .equal, owner).run()
                }
            } else {
                while let task = try await store.claimInspectionTask(owner: owner, now: Date(), leaseFor: 600) {
                    if task.target == InspectionTask.finish {
                        try await store.completeInspectionTask(task, owner: owner, at: Date())
                        continue
                    }
                    mine.append(task.id)
                    try await store.completeInspectionTask(task, owner: owner, at: Date())
                }
            }
            claimed.withLock { $0 += mine }
        }
    }
    try await group.waitForAll()
}
let elapsed = clock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let ids = claimed.withLock { $0 }
let doubled = ids.count - Set(ids).count
let lost = taskCount - Set(ids).count
print(
    "claim=\(peer ? "skip-locked" : "govwatch") tasks=\(taskCount) claimers=\(claimerCount) seconds=\(String(format: "%.3f", seconds)) "
        + "tasks_per_s=\(String(format: "%.0f", Double(ids.count) / seconds)) lost=\(lost) doubled=\(doubled)")
for store in stores { await store.close() }
await setup.close()

extension Range where Element == Int {
    func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
