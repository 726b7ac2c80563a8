import FluentKit
import Foundation

/// A person who signs in to the web platform (`users`).
public final class UserRow: Model, @unchecked Sendable {
    public static let schema = "users"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "role") public var role: String
    @OptionalField(key: "unit_id") public var unitID: Int?
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "disabled") public var disabled: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}
}

/// A browser session: the cookie's token is stored only as its SHA-256.
public final class UserSessionRow: Model, @unchecked Sendable {
    public static let schema = "user_sessions"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "user_id") public var userID: Int
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_used_at") public var lastUsedAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "address") public var address: String?
    public init() {}
}

/// An API token: stored only as the SHA-256 of the random token shown once.
public final class APITokenRow: Model, @unchecked Sendable {
    public static let schema = "api_tokens"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "user_id") public var userID: Int
    @Field(key: "label") public var label: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @Field(key: "revoked") public var revoked: Bool
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    public init() {}
}

/// One login attempt, kept for throttling.
public final class LoginAttemptRow: Model, @unchecked Sendable {
    public static let schema = "login_attempts"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "username") public var username: String
    @Field(key: "address") public var address: String
    @Field(key: "at") public var at: Date
    @Field(key: "succeeded") public var succeeded: Bool
    public init() {}
}

/// One entry of the audit log: who changed what, when, from where.
public final class AuditEntryRow: Model, @unchecked Sendable {
    public static let schema = "audit_log"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "at") public var at: Date
    @Field(key: "actor") public var actor: String
    @Field(key: "action") public var action: String
    @Field(key: "object") public var object: String
    @Field(key: "detail") public var detail: String
    @OptionalField(key: "address") public var address: String?
    public init() {}
}
