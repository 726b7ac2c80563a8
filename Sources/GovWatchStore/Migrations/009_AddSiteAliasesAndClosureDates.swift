import FluentKit

/// Two optional registry columns (additive to the import format): a site's other registered
/// domains (`sites.aliases`, for the several-domains rule of `site.domain.noncompliant`) and
/// the day an account or app was stopped or closed (`accounts.closed_on`, from which the
/// filing deadline of `account.closure.unfiled` runs).
struct AddSiteAliasesAndClosureDates: AsyncMigration {
    var name: String { "009_AddSiteAliasesAndClosureDates" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sites").field("aliases", .string).update()
        try await database.schema("accounts").field("closed_on", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("accounts").deleteField("closed_on").update()
        try await database.schema("sites").deleteField("aliases").update()
    }
}
