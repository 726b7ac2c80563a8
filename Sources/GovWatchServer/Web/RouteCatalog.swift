import Foundation
import GovWatchStore
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime
import Synchronization

/// Who may call a route.
public enum RouteAccess: Sendable, Hashable, CustomStringConvertible {
    /// Anyone, without logging in (`/healthz`, `/login`, static files).
    case everyone
    /// Any signed-in user (what they see is still limited by their scope).
    case signedIn
    /// Only these roles (admin always included).
    case roles(Set<UserRole>)

    public var description: String {
        switch self {
        case .everyone: "everyone"
        case .signedIn: "signed-in"
        case .roles(let roles): roles.map(\.rawValue).sorted().joined(separator: "|")
        }
    }
}

/// One route of the real router, as the security test suite enumerates them.
public struct RouteEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case page, api, asset }
    public var method: String
    public var path: String
    public var access: RouteAccess
    public var kind: Kind
}

/// The list of every route registered through ``Routes``; a route missing here was
/// registered around the wrapper, which the security suite treats as an error.
public final class RouteCatalog: Sendable {
    private let entries = Mutex<[RouteEntry]>([])

    public init() {}

    public var routes: [RouteEntry] { entries.withLock { $0 } }

    func add(_ entry: RouteEntry) { entries.withLock { $0.append(entry) } }
}

/// The one way routes are added: records each in the catalog, then registers it.
public struct Routes {
    let router: Router<AppRequestContext>
    public let catalog: RouteCatalog

    /// Adds a route with its access rule; the role check runs before the handler.
    public func on(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess, kind: RouteEntry.Kind = .page,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        catalog.add(RouteEntry(method: method.rawValue, path: path, access: access, kind: kind))
        router.on(RouterPath(path), method: method) { request, context in
            try Self.check(access, context: context)
            return try await handler(request, context)
        }
    }

    public func get(
        _ path: String, access: RouteAccess, kind: RouteEntry.Kind = .page,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        on(.get, path, access: access, kind: kind, handler: handler)
    }

    public func post(
        _ path: String, access: RouteAccess, kind: RouteEntry.Kind = .page,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        on(.post, path, access: access, kind: kind, handler: handler)
    }

    static func check(_ access: RouteAccess, context: AppRequestContext) throws {
        switch access {
        case .everyone: return
        case .signedIn: _ = try context.requireIdentity()
        case .roles(let roles):
            let user = try context.requireIdentity().user
            guard user.role == .admin || roles.contains(user.role) else { throw WebError.forbidden }
        }
    }

    /// The transport the generated API registers its operations through, so they too are
    /// recorded (access: signed in, except the operations named as public).
    public func apiTransport(publicPaths: Set<String>) -> CatalogTransport {
        CatalogTransport(router: router, catalog: catalog, publicPaths: publicPaths)
    }
}

/// A `ServerTransport` that records the generated API's routes and hands them to the router.
public struct CatalogTransport: ServerTransport {
    let router: Router<AppRequestContext>
    let catalog: RouteCatalog
    let publicPaths: Set<String>

    public func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
            HTTPResponse, HTTPBody?
        ),
        method: HTTPRequest.Method, path: String
    ) throws {
        let access: RouteAccess = publicPaths.contains(path) ? .everyone : .signedIn
        catalog.add(RouteEntry(method: method.rawValue, path: path, access: access, kind: .api))
        router.register(
            { request, body, metadata in
                if access != .everyone, RequestIdentity.current == nil { throw WebError.unauthenticated }
                var (response, responseBody) = try await handler(request, body, metadata)
                // The generated code writes header values percent-encoded (URI style); a
                // download's Content-Disposition must go out as written (RFC 6266).
                if let disposition = response.headerFields[.contentDisposition], let plain = disposition.removingPercentEncoding {
                    response.headerFields[.contentDisposition] = plain
                }
                return (response, responseBody)
            }, method: method, path: path)
    }
}
