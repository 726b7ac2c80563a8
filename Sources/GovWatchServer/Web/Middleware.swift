import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GovWatchStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// The identity of the request being handled, for the generated API's handlers (which
/// do not receive the request context).
public enum RequestIdentity {
    @TaskLocal public static var current: Identity?
    /// The client's address, for the audit entries the API's handlers write.
    @TaskLocal public static var address: String?
}

/// One log line per request: method, path, status and latency.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            logger.info(
                "\(request.method.rawValue) \(request.uri.path) \(status) \(String(format: "%.1f", milliseconds))ms \(context.remoteAddress)")
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}

/// Behind a reverse proxy every connection comes from the proxy, so the client's address is
/// the one the proxy appended to `X-Forwarded-For`. Only a configured proxy is believed:
/// anyone else could write the header to dodge the per-address login throttle or to put
/// another address into the audit log.
public struct ForwardedClientMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    let trustedProxies: Set<String>

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.remoteAddress = Self.clientAddress(
            peer: context.remoteAddress, forwardedFor: request.headers[values: Self.forwardedFor], trustedProxies: trustedProxies)
        return try await next(request, context)
    }

    /// The nearest address in the chain that is not a trusted proxy, read from the right
    /// (each proxy appends the address it was connected from); the peer itself when it is
    /// not trusted or the header is missing or malformed.
    public static func clientAddress(peer: String, forwardedFor: [String], trustedProxies: Set<String>) -> String {
        guard trustedProxies.contains(peer) else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !chain.isEmpty, chain.allSatisfy(isIPAddress) else { return peer }
        return chain.last { !trustedProxies.contains($0) } ?? chain[0]
    }

    public static func isIPAddress(_ text: String) -> Bool {
        var address4 = in_addr()
        var address6 = in6_addr()
        return inet_pton(AF_INET, text, &address4) == 1 || inet_pton(AF_INET6, text, &address6) == 1
    }
}

/// Security headers on every response (web.md, "Browser").
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        Self.apply(to: &response.headers)
        return response
    }

    static func apply(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "same-origin"
        headers[.init("X-Frame-Options")!] = "DENY"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }
}

/// Turns every error into the API's JSON error or a Chinese error page, so no request
/// leaks an English message or a stack of internals.
struct ErrorRenderingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let webError = Self.webError(for: error)
            if webError.status == .internalServerError {
                logger.error("\(request.method.rawValue) \(request.uri.path) failed: \(String(reflecting: error))")
            }
            var response: Response
            if Self.isAPI(request) {
                response = APIResponses.error(webError)
            } else if webError.status == .unauthorized && request.method == .get {
                let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                response = Response(status: .seeOther)
                response.headers[.location] = "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
            } else {
                response = pages.errorPage(webError, identity: context.identity)
            }
            for field in webError.headers { response.headers.append(field) }
            return response
        }
    }

    static func isAPI(_ request: Request) -> Bool { request.uri.path.hasPrefix("/api/") }

    static func webError(for error: any Error) -> WebError {
        switch error {
        case let webError as WebError: return webError
        case let serverError as ServerError:
            // The generated code could not read the request (a missing or malformed parameter
            // or body): the client's mistake, not the server's.
            if serverError.underlyingError is WebError || serverError.httpStatus.kind != .clientError {
                return webError(for: serverError.underlyingError)
            }
            switch serverError.httpStatus {
            case .unsupportedMediaType: return .unsupportedType("请求内容的类型（Content-Type）不支持")
            case .notAcceptable: return WebError(status: .notAcceptable, code: "bad_request", message: "无法以请求的格式（Accept）返回")
            default: return .badRequest("请求格式有误：参数或请求内容无法解析")
            }
        case let userError as UserStoreError: return .badRequest(userError.description)
        case let httpError as HTTPError:
            switch httpError.status {
            case .notFound: return .notFound
            case .contentTooLarge: return .tooLarge("上传的内容超过大小限制")
            case .unsupportedMediaType: return .unsupportedType("不支持的内容类型")
            case .badRequest: return .badRequest("请求格式有误")
            case .methodNotAllowed: return WebError(status: .methodNotAllowed, code: "bad_request", message: "不支持此请求方法")
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            default: return .internalError
            }
        case is DecodingError: return .badRequest("请求内容无法解析")
        default: return .internalError
        }
    }
}

/// Finds who is calling: `Authorization: Bearer TOKEN`, or the session cookie. Invalid or
/// expired credentials leave the request anonymous (routes then answer 401 or redirect).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let sessionCookie = "govwatch_session"
    let store: Store
    let configuration: ServerConfiguration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let now = configuration.clock()
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw WebError.unauthenticated }
            guard let user = try await store.useAPIToken(tokenHash: Credentials.tokenHash(String(parts[1])), now: now) else {
                throw WebError(status: .unauthorized, code: "unauthenticated", message: "访问令牌无效、已过期或已被撤销")
            }
            context.identity = Identity(user: user, credential: .bearer, scope: try await Self.scope(of: user, in: store))
        } else if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty {
            let hash = Credentials.tokenHash(token)
            if let session = try await store.useSession(
                tokenHash: hash, now: now, idleTimeout: configuration.sessionIdleTimeout)
            {
                context.identity = Identity(
                    user: session.user, credential: .session(tokenHash: hash, csrfToken: session.csrfToken),
                    scope: try await Self.scope(of: session.user, in: store))
            }
        }
        return try await RequestIdentity.$current.withValue(context.identity) {
            try await RequestIdentity.$address.withValue(context.remoteAddress) {
                try await next(request, context)
            }
        }
    }
}

extension AuthenticationMiddleware {
    /// A unit user's subtree; nil (everything) for the other roles.
    static func scope(of user: UserAccount, in store: Store) async throws -> UnitSubtree? {
        guard user.role == .unit else { return nil }
        guard let unitID = user.unitID, let subtree = try await store.unitSubtree(id: unitID) else {
            return UnitSubtree(root: "", ids: [], names: [])
        }
        return subtree
    }
}

/// Every state-changing request made with a session cookie must carry the session's CSRF
/// token, in the form field `csrf_token` or the `X-CSRF-Token` header; otherwise 403 and
/// the handler never runs. Bearer-token calls carry no cookie and need none; `POST /login`
/// and `POST /api/v1/tokens` carry the credentials themselves.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let formField = "csrf_token"
    static let header = HTTPField.Name("X-CSRF-Token")!
    static let exempt: Set<String> = ["/login", "/api/v1/tokens"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        var request = request
        var context = context
        if Self.isForm(request) {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            request.body = .init(buffer: body)
            context.formFields = FormFields.parse(String(buffer: body))
        }
        if Self.exempt.contains(request.uri.path) { return try await next(request, context) }
        guard case .session(_, let expected) = context.identity?.credential else {
            // No session: either a bearer call (no CSRF possible) or anonymous (the route answers 401).
            return try await next(request, context)
        }
        // Multipart forms (uploads) carry the token in the action URL's query, as the body
        // is streamed to the handler unread.
        let supplied =
            request.headers[Self.header] ?? context.formFields?[Self.formField]
            ?? (Self.isMultipart(request) ? request.uri.queryParameters[Substring(Self.formField)].map(String.init) : nil) ?? ""
        guard Credentials.constantTimeEquals(supplied, expected) else { throw WebError.csrfRejected }
        return try await next(request, context)
    }

    static func isMultipart(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") ?? false
    }

    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
    }
}

/// `application/x-www-form-urlencoded` bodies.
public enum FormFields {
    public static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode: (Substring) -> String = { text in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            let key = decode(parts[0])
            if fields[key] == nil { fields[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
