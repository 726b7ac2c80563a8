import Foundation
import GovWatchStore

/// The user management the CLI (`govwatch users …`) and the 用户 page share: every change
/// is audited by the store.
public struct UserAdministration: Sendable {
    public let store: Store
    public let bcryptCost: UInt8
    public let clock: @Sendable () -> Date

    public init(store: Store, bcryptCost: UInt8 = 12, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.bcryptCost = bcryptCost
        self.clock = clock
    }

    /// The smallest password length accepted when a person chooses it.
    public static let minimumPasswordLength = 8

    /// Creates a user. Without a password a random one is generated and returned, to be
    /// shown once; with one it must be long enough.
    public func addUser(
        username: String, role: UserRole, unitName: String?, displayName: String?, password: String?, audit: AuditContext
    ) async throws -> (user: UserAccount, generatedPassword: String?) {
        let generated = password == nil ? Credentials.randomPassword() : nil
        let chosen = password ?? generated!
        try Self.checkPassword(chosen)
        let hash = try await Credentials.hashPassword(chosen, cost: bcryptCost)
        let user = try await store.createUser(
            username: username, displayName: displayName, role: role, unitName: unitName, passwordHash: hash, now: clock(),
            audit: audit)
        return (user, generated)
    }

    /// Sets a new password (random when nil, returned to be shown once); ends the user's sessions.
    public func resetPassword(username: String, password: String?, audit: AuditContext) async throws -> String? {
        let generated = password == nil ? Credentials.randomPassword() : nil
        let chosen = password ?? generated!
        try Self.checkPassword(chosen)
        guard try await store.user(named: username) != nil else { throw UserStoreError.unknownUser(username) }
        let hash = try await Credentials.hashPassword(chosen, cost: bcryptCost)
        try await store.setPasswordHash(username, passwordHash: hash, now: clock(), audit: audit)
        return generated
    }

    /// Creates an API token for a user; the token is returned to be shown once.
    public func createToken(username: String, label: String, expiresInDays: Int?, audit: AuditContext) async throws -> (
        token: String, record: APITokenRecord
    ) {
        guard let user = try await store.user(named: username) else { throw UserStoreError.unknownUser(username) }
        if let days = expiresInDays, days <= 0 {
            throw UserStoreError.invalidField(field: "expires", reason: "有效天数必须是正整数")
        }
        let now = clock()
        let token = "gw_" + Credentials.randomToken()
        let record = try await store.createAPIToken(
            userID: user.id, tokenHash: Credentials.tokenHash(token), label: label,
            expiresAt: expiresInDays.map { now.addingTimeInterval(TimeInterval($0) * 86400) }, now: now, audit: audit)
        return (token, record)
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw UserStoreError.invalidField(field: "password", reason: "密码至少 \(minimumPasswordLength) 个字符")
        }
        // bcrypt reads at most 72 bytes; a longer password would silently lose its tail.
        guard password.utf8.count <= 72 else {
            throw UserStoreError.invalidField(field: "password", reason: "密码最长 72 个字节")
        }
    }
}
