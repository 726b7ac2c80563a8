import FluentKit
import SQLKit

/// A failed inspection task waits before its next attempt (`retry_at`), instead of being
/// claimable at once: a site that is down, or a database that just came back, is not hit again
/// within the same second by every idle worker.
struct AddInspectionTaskRetryTime: AsyncMigration {
    var name: String { "012_AddInspectionTaskRetryTime" }

    func prepare(on database: any Database) async throws {
        try await database.schema("inspection_tasks").field("retry_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inspection_tasks").deleteField("retry_at").update()
    }
}
