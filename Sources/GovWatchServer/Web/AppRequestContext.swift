import Foundation
import GovWatchStore
import Hummingbird
import Logging
import NIOCore

/// Who is making a request, once authenticated.
public struct Identity: Sendable, Equatable {
    public enum Credential: Sendable, Equatable {
        /// A browser session: state-changing requests must carry its CSRF token.
        case session(tokenHash: String, csrfToken: String)
        /// An API token (`Authorization: Bearer`): no cookie, so no CSRF.
        case bearer
    }
    public var user: UserAccount
    public var credential: Credential
    /// What the user may see, resolved once per request: nil for the office roles and
    /// viewers (everything), a unit and its sub-units for a unit user (an empty subtree
    /// when the unit user has no unit). Pass it to the store's `within:` queries.
    public var scope: UnitSubtree?

    /// The CSRF token forms must carry, for sessions.
    public var csrfToken: String? {
        if case .session(_, let token) = credential { return token }
        return nil
    }
}

/// The request context of every GovWatch route: the client's address and, after the
/// authentication middleware, the identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address ("unknown" in router tests without a socket).
    public var remoteAddress: String
    public var identity: Identity?
    /// The form fields of a urlencoded POST, read once by the CSRF middleware so handlers
    /// need not read the body again.
    public var formFields: [String: String]?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        identity = nil
        formFields = nil
    }

    /// Uploads may be up to 20 MiB each (web.md); a few files plus the form fit.
    public var maxUploadSize: Int { 100 * 1024 * 1024 }

    /// The identity, or 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw WebError.unauthenticated }
        return identity
    }

    /// The user when their role is one of `roles` (admin is always allowed); 403 otherwise.
    @discardableResult
    public func requireRole(_ roles: UserRole...) throws -> UserAccount {
        let identity = try requireIdentity()
        guard identity.user.role == .admin || roles.contains(identity.user.role) else { throw WebError.forbidden }
        return identity.user
    }

    /// The office roles that may start inspections and act on tickets: inspector, admin.
    @discardableResult
    public func requireOffice() throws -> UserAccount { try requireRole(.inspector) }

    /// Passes when the unit is in the user's scope; 404 otherwise (never 403: that would
    /// confirm the object exists).
    public func requireVisible(unitID: Int) throws {
        let identity = try requireIdentity()
        guard identity.scope?.ids.contains(unitID) ?? true else { throw WebError.notFound }
    }

    /// Passes when the unit (by name) is in the user's scope; 404 otherwise.
    public func requireVisible(unitName: String) throws {
        let identity = try requireIdentity()
        guard identity.scope?.contains(unit: unitName) ?? true else { throw WebError.notFound }
    }

    /// Who acts and from where, for the audit log.
    public var auditContext: AuditContext {
        AuditContext(actor: identity?.user.username ?? "anonymous", address: remoteAddress)
    }
}
