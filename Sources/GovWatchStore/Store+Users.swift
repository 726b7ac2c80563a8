import FluentKit
import Foundation
import SQLKit

/// What a user may do on the web platform (web.md, "Roles").
public enum UserRole: String, Sendable, CaseIterable, Codable {
    case admin, inspector, unit, viewer

    /// The Chinese name shown to people.
    public var chineseName: String {
        switch self {
        case .admin: "管理员"
        case .inspector: "监管人员"
        case .unit: "单位用户"
        case .viewer: "只读"
        }
    }
}

/// A user as the rest of the product sees it (never the password hash).
public struct UserAccount: Sendable, Equatable, Codable {
    public var id: Int
    public var username: String
    public var displayName: String
    public var role: UserRole
    public var unitID: Int?
    public var unitName: String?
    public var disabled: Bool
    public var createdAt: Date
    public var updatedAt: Date
}

/// Who makes a change and from where, for the audit log.
public struct AuditContext: Sendable, Equatable {
    public var actor: String
    public var address: String?
    public init(actor: String, address: String? = nil) {
        self.actor = actor
        self.address = address
    }
}

/// One audit log entry as read back.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int
    public var at: Date
    public var actor: String
    public var action: String
    public var object: String
    /// The detail as a JSON object of strings.
    public var detail: [String: String]
    public var address: String?
}

/// A browser session found by its token.
public struct SessionRecord: Sendable, Equatable {
    public var id: Int
    public var user: UserAccount
    public var csrfToken: String
    public var createdAt: Date
    public var lastUsedAt: Date
    public var expiresAt: Date
}

/// An API token's description (never the token itself).
public struct APITokenRecord: Sendable, Equatable {
    public var id: Int
    public var userID: Int
    public var label: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revoked: Bool
    public var lastUsedAt: Date?
}

/// Why a user change was refused; the message is Chinese and names the field.
public enum UserStoreError: Error, Equatable, CustomStringConvertible {
    case duplicateUsername(String)
    case unknownUser(String)
    case unknownUnit(String)
    case unitRequired
    case invalidField(field: String, reason: String)

    public var field: String {
        switch self {
        case .duplicateUsername, .unknownUser: "username"
        case .unknownUnit, .unitRequired: "unit"
        case .invalidField(let field, _): field
        }
    }

    public var description: String {
        switch self {
        case .duplicateUsername(let name): "用户名“\(name)”已存在"
        case .unknownUser(let name): "用户“\(name)”不存在"
        case .unknownUnit(let name): "单位“\(name)”不在台账中"
        case .unitRequired: "单位用户必须指定所属单位（--unit）"
        case .invalidField(let field, let reason): "\(field)：\(reason)"
        }
    }
}

extension Store {
    // MARK: users

    /// Creates a user; the unit is looked up by its exact name in the registry.
    @discardableResult
    public func createUser(
        username: String, displayName: String?, role: UserRole, unitName: String?, passwordHash: String,
        now: Date, audit: AuditContext
    ) async throws -> UserAccount {
        let name = username.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw UserStoreError.invalidField(field: "username", reason: "用户名不能为空、不能含空白，最长 64 个字符")
        }
        if role == .unit && (unitName ?? "").isEmpty { throw UserStoreError.unitRequired }
        return try await database.transaction { db in
            if try await UserRow.query(on: db).filter(\.$username == name).first() != nil {
                throw UserStoreError.duplicateUsername(name)
            }
            var unitID: Int?
            if let unitName, !unitName.isEmpty {
                guard let unit = try await UnitRow.query(on: db).filter(\.$name == unitName).first() else {
                    throw UserStoreError.unknownUnit(unitName)
                }
                unitID = unit.id
            }
            let row = UserRow()
            row.username = name
            row.displayName = (displayName?.isEmpty == false ? displayName! : name)
            row.role = role.rawValue
            row.unitID = unitID
            row.passwordHash = passwordHash
            row.disabled = false
            row.createdAt = now
            row.updatedAt = now
            try await row.create(on: db)
            try await Self.writeAudit(
                on: db, action: "user.create", object: "user:\(name)",
                detail: ["role": role.rawValue, "unit": unitName ?? "", "displayName": row.displayName], context: audit, at: now)
            return try await Self.account(from: row, on: db)
        }
    }

    /// Every user, by user name.
    public func users() async throws -> [UserAccount] {
        let rows = try await UserRow.query(on: database).sort(\.$username).all()
        var accounts: [UserAccount] = []
        for row in rows { accounts.append(try await Self.account(from: row, on: database)) }
        return accounts
    }

    /// The user with this user name, if any.
    public func user(named username: String) async throws -> UserAccount? {
        guard let row = try await UserRow.query(on: database).filter(\.$username == username).first() else { return nil }
        return try await Self.account(from: row, on: database)
    }

    /// The user with this id, if any.
    public func user(id: Int) async throws -> UserAccount? {
        guard let row = try await UserRow.find(id, on: database) else { return nil }
        return try await Self.account(from: row, on: database)
    }

    /// The user and the stored password hash, for signing in.
    public func credentials(username: String) async throws -> (user: UserAccount, passwordHash: String)? {
        guard let row = try await UserRow.query(on: database).filter(\.$username == username).first() else { return nil }
        return (try await Self.account(from: row, on: database), row.passwordHash)
    }

    /// Disables or enables a user; disabling ends every session of the user.
    public func setUserDisabled(_ username: String, disabled: Bool, now: Date, audit: AuditContext) async throws {
        try await database.transaction { db in
            guard let row = try await UserRow.query(on: db).filter(\.$username == username).first(), let id = row.id else {
                throw UserStoreError.unknownUser(username)
            }
            row.disabled = disabled
            row.updatedAt = now
            try await row.update(on: db)
            if disabled { try await UserSessionRow.query(on: db).filter(\.$userID == id).delete() }
            try await Self.writeAudit(
                on: db, action: disabled ? "user.disable" : "user.enable", object: "user:\(username)", detail: [:],
                context: audit, at: now)
        }
    }

    /// Replaces a user's password hash and ends every session of the user.
    public func setPasswordHash(_ username: String, passwordHash: String, now: Date, audit: AuditContext) async throws {
        try await database.transaction { db in
            guard let row = try await UserRow.query(on: db).filter(\.$username == username).first(), let id = row.id else {
                throw UserStoreError.unknownUser(username)
            }
            row.passwordHash = passwordHash
            row.updatedAt = now
            try await row.update(on: db)
            try await UserSessionRow.query(on: db).filter(\.$userID == id).delete()
            try await Self.writeAudit(
                on: db, action: "user.reset-password", object: "user:\(username)", detail: [:], context: audit, at: now)
        }
    }

    // MARK: sessions

    /// How stale a session's or API token's last use may be before it is written again.
    static let credentialUseResolution: TimeInterval = 60

    /// Stores a new browser session (the token's hash, never the token).
    public func createSession(
        userID: Int, tokenHash: String, csrfToken: String, now: Date, idleTimeout: TimeInterval, address: String?
    ) async throws {
        let row = UserSessionRow()
        row.tokenHash = tokenHash
        row.userID = userID
        row.csrfToken = csrfToken
        row.createdAt = now
        row.lastUsedAt = now
        row.expiresAt = now.addingTimeInterval(idleTimeout)
        row.address = address
        try await row.create(on: database)
    }

    /// The live session with this token hash, its expiry pushed back by `idleTimeout`;
    /// nil (and the session deleted) when it expired, or when its user is disabled.
    public func useSession(tokenHash: String, now: Date, idleTimeout: TimeInterval) async throws -> SessionRecord? {
        // Looked up on the read connections (every request passes here); the rare writes below
        // go to the writer.
        guard let row = try await UserSessionRow.query(on: readDatabase).filter(\.$tokenHash == tokenHash).first() else {
            return nil
        }
        guard row.expiresAt > now, let userRow = try await UserRow.find(row.userID, on: readDatabase), !userRow.disabled else {
            try await row.delete(on: database)
            return nil
        }
        // Written at most once a minute: every page and API call passes here, and a write per
        // request serialises readers on one SQLite connection and makes PostgreSQL wait on the
        // row's lock (benchmarks/web.sh). The expiry moves by at most that minute less.
        if now.timeIntervalSince(row.lastUsedAt) >= Self.credentialUseResolution {
            row.lastUsedAt = now
            row.expiresAt = now.addingTimeInterval(idleTimeout)
            try await row.update(on: database)
        }
        return SessionRecord(
            id: row.id!, user: try await Self.account(from: userRow, on: readDatabase), csrfToken: row.csrfToken,
            createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, expiresAt: row.expiresAt)
    }

    /// Ends the session with this token hash (logout).
    public func deleteSession(tokenHash: String) async throws {
        try await UserSessionRow.query(on: database).filter(\.$tokenHash == tokenHash).delete()
    }

    /// How many sessions exist for a user (tests and the users page).
    public func sessionCount(userID: Int) async throws -> Int {
        try await UserSessionRow.query(on: database).filter(\.$userID == userID).count()
    }

    // MARK: API tokens

    /// Stores a new API token by its hash.
    @discardableResult
    public func createAPIToken(
        userID: Int, tokenHash: String, label: String, expiresAt: Date?, now: Date, audit: AuditContext
    ) async throws -> APITokenRecord {
        try await database.transaction { db in
            let row = APITokenRow()
            row.tokenHash = tokenHash
            row.userID = userID
            row.label = label
            row.createdAt = now
            row.expiresAt = expiresAt
            row.revoked = false
            try await row.create(on: db)
            let username = try await UserRow.find(userID, on: db)?.username ?? String(userID)
            try await Self.writeAudit(
                on: db, action: "token.create", object: "user:\(username)",
                detail: ["label": label, "token": String(row.id!), "expiresAt": expiresAt.map(Self.isoString) ?? ""],
                context: audit, at: now)
            return Self.record(row)
        }
    }

    /// The user of a valid (not revoked, not expired) API token; records its use.
    public func useAPIToken(tokenHash: String, now: Date) async throws -> UserAccount? {
        guard let row = try await APITokenRow.query(on: readDatabase).filter(\.$tokenHash == tokenHash).first(),
            !row.revoked, row.expiresAt.map({ $0 > now }) ?? true,
            let userRow = try await UserRow.find(row.userID, on: readDatabase), !userRow.disabled
        else { return nil }
        // Recorded at most once a minute (see `useSession`).
        if row.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.credentialUseResolution }) ?? true {
            row.lastUsedAt = now
            try await row.update(on: database)
        }
        return try await Self.account(from: userRow, on: readDatabase)
    }

    /// A user's API tokens.
    public func apiTokens(userID: Int) async throws -> [APITokenRecord] {
        try await APITokenRow.query(on: database).filter(\.$userID == userID).sort(\.$id).all().map(Self.record)
    }

    /// Revokes an API token; it stops working at once.
    public func revokeAPIToken(id: Int, now: Date, audit: AuditContext) async throws {
        try await database.transaction { db in
            guard let row = try await APITokenRow.find(id, on: db) else {
                throw UserStoreError.invalidField(field: "token", reason: "令牌不存在")
            }
            row.revoked = true
            try await row.update(on: db)
            let username = try await UserRow.find(row.userID, on: db)?.username ?? String(row.userID)
            try await Self.writeAudit(
                on: db, action: "token.revoke", object: "user:\(username)", detail: ["token": String(id), "label": row.label],
                context: audit, at: now)
        }
    }

    // MARK: login attempts

    /// Records one login attempt.
    public func recordLoginAttempt(username: String, address: String, at: Date, succeeded: Bool) async throws {
        let row = LoginAttemptRow()
        row.username = username
        row.address = address
        row.at = at
        row.succeeded = succeeded
        try await row.create(on: database)
    }

    /// Failed attempts since `since` for this user name (counted after its last success)
    /// and from this address.
    public func failedLoginCounts(username: String, address: String, since: Date) async throws -> (
        username: Int, address: Int
    ) {
        var userSince = since
        if let success = try await LoginAttemptRow.query(on: database)
            .filter(\.$username == username).filter(\.$succeeded == true).filter(\.$at >= since)
            .sort(\.$at, .descending).first()
        {
            userSince = success.at
        }
        let byUser = try await LoginAttemptRow.query(on: database)
            .filter(\.$username == username).filter(\.$succeeded == false).filter(\.$at > userSince).count()
        let byAddress = try await LoginAttemptRow.query(on: database)
            .filter(\.$address == address).filter(\.$succeeded == false).filter(\.$at >= since).count()
        return (byUser, byAddress)
    }

    /// The times of failed sign-ins since `since`, oldest first: for the user name (only those
    /// after its last successful sign-in) and for the address. The lock-out needs the times, not
    /// just counts, to hold a lock for its whole length after the failure that set it.
    public func failedLoginTimes(username: String, address: String, since: Date) async throws -> (
        username: [Date], address: [Date]
    ) {
        var userSince = since
        if let success = try await LoginAttemptRow.query(on: database)
            .filter(\.$username == username).filter(\.$succeeded == true).filter(\.$at >= since)
            .sort(\.$at, .descending).first()
        {
            userSince = success.at
        }
        let byUser = try await LoginAttemptRow.query(on: database)
            .filter(\.$username == username).filter(\.$succeeded == false).filter(\.$at > userSince).sort(\.$at).all()
        let byAddress = try await LoginAttemptRow.query(on: database)
            .filter(\.$address == address).filter(\.$succeeded == false).filter(\.$at >= since).sort(\.$at).all()
        return (byUser.map(\.at), byAddress.map(\.at))
    }

    // MARK: audit log

    /// Appends one entry to the audit log.
    public func audit(action: String, object: String, detail: [String: String] = [:], context: AuditContext, at: Date)
        async throws
    {
        try await Self.writeAudit(on: database, action: action, object: object, detail: detail, context: context, at: at)
    }

    /// The audit entries of an object (e.g. `user:admin`, `ticket:12`), oldest first.
    public func auditEntries(object: String) async throws -> [AuditEntry] {
        try await AuditEntryRow.query(on: database).filter(\.$object == object).sort(\.$id).all().map(Self.entry)
    }

    /// The most recent audit entries, newest first.
    public func recentAuditEntries(limit: Int) async throws -> [AuditEntry] {
        try await AuditEntryRow.query(on: database).sort(\.$id, .descending).limit(limit).all().map(Self.entry)
    }

    static func writeAudit(
        on db: any Database, action: String, object: String, detail: [String: String], context: AuditContext, at: Date
    ) async throws {
        let row = AuditEntryRow()
        row.at = at
        row.actor = context.actor
        row.action = action
        row.object = object
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        row.detail = String(decoding: try encoder.encode(detail), as: UTF8.self)
        row.address = context.address
        try await row.create(on: db)
    }

    static func entry(_ row: AuditEntryRow) -> AuditEntry {
        let detail = (try? JSONDecoder().decode([String: String].self, from: Data(row.detail.utf8))) ?? [:]
        return AuditEntry(
            id: row.id!, at: row.at, actor: row.actor, action: row.action, object: row.object, detail: detail,
            address: row.address)
    }

    static func record(_ row: APITokenRow) -> APITokenRecord {
        APITokenRecord(
            id: row.id!, userID: row.userID, label: row.label, createdAt: row.createdAt, expiresAt: row.expiresAt,
            revoked: row.revoked, lastUsedAt: row.lastUsedAt)
    }

    static func isoString(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    static func account(from row: UserRow, on db: any Database) async throws -> UserAccount {
        var unitName: String?
        if let unitID = row.unitID { unitName = try await UnitRow.find(unitID, on: db)?.name }
        return UserAccount(
            id: row.id!, username: row.username, displayName: row.displayName, role: UserRole(rawValue: row.role) ?? .viewer,
            unitID: row.unitID, unitName: unitName, disabled: row.disabled, createdAt: row.createdAt,
            updatedAt: row.updatedAt)
    }
}
