import FluentKit
import Foundation

extension Store {
    /// Changes a user's role and unit (the 用户 page's “bind to a unit”): a unit user needs a
    /// registered unit; the office roles and viewers may keep one for display. Ends the
    /// user's sessions, so the new scope applies from the next sign-in. Audited.
    public func setUserRole(_ username: String, role: UserRole, unitName: String?, now: Date, audit: AuditContext) async throws
        -> UserAccount
    {
        let unitName = unitName?.trimmingCharacters(in: .whitespaces)
        if role == .unit && (unitName ?? "").isEmpty { throw UserStoreError.unitRequired }
        return try await database.transaction { db in
            guard let row = try await UserRow.query(on: db).filter(\.$username == username).first(), let id = row.id else {
                throw UserStoreError.unknownUser(username)
            }
            var unitID: Int?
            if let unitName, !unitName.isEmpty {
                guard let unit = try await UnitRow.query(on: db).filter(\.$name == unitName).first() else {
                    throw UserStoreError.unknownUnit(unitName)
                }
                unitID = unit.id
            }
            row.role = role.rawValue
            row.unitID = unitID
            row.updatedAt = now
            try await row.update(on: db)
            try await UserSessionRow.query(on: db).filter(\.$userID == id).delete()
            try await Self.writeAudit(
                on: db, action: "user.role", object: "user:\(username)", detail: ["role": role.rawValue, "unit": unitName ?? ""],
                context: audit, at: now)
            return try await Self.account(from: row, on: db)
        }
    }
}
