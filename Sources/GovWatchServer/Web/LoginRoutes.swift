import Foundation
import GovWatchStore
import HTTPTypes
import Hummingbird
import NIOCore

/// Signing in and out, in the browser (`/login`, `/logout`) and for scripts
/// (`POST /api/v1/tokens`).
struct LoginService: Sendable {
    let store: Store
    let configuration: ServerConfiguration
    /// A bcrypt hash of a random password at the configured cost: unknown user names are
    /// checked against it so they take as long as known ones (no enumeration by timing).
    let dummyHash: String

    static let failureMessage = "用户名或密码错误"

    init(store: Store, configuration: ServerConfiguration) async throws {
        self.store = store
        self.configuration = configuration
        dummyHash = try await Credentials.hashPassword(Credentials.randomPassword(), cost: configuration.bcryptCost)
    }

    /// Checks the credentials, applying the lock-out; the user on success. Every failure
    /// says the same thing.
    func authenticate(username: String, password: String, address: String) async throws -> UserAccount {
        let now = configuration.clock()
        let throttle = configuration.throttle
        // A lock lasts a full window after the failure that reached the limit, so failures up
        // to two windows back can still hold it.
        let failures = try await store.failedLoginTimes(
            username: username, address: address, since: now.addingTimeInterval(-2 * throttle.window))
        let lockEnds = [
            Self.lockEnd(failures.username, limit: throttle.failuresPerUsername, window: throttle.window),
            Self.lockEnd(failures.address, limit: throttle.failuresPerAddress, window: throttle.window),
        ].compactMap { $0 }
        if let lockEnd = lockEnds.max(), lockEnd > now {
            try await store.audit(
                action: "login.locked", object: "user:\(username)", context: AuditContext(actor: username, address: address),
                at: now)
            let seconds = Int(lockEnd.timeIntervalSince(now).rounded(.up))
            throw WebError.rateLimited("登录失败次数过多，已暂时锁定，请 \((seconds + 59) / 60) 分钟后再试", retryAfter: seconds)
        }
        let stored = try await store.credentials(username: username)
        let matches = try await configuration.verifyPassword(password, stored?.passwordHash ?? dummyHash)
        guard let stored, matches, !stored.user.disabled else {
            try await store.recordLoginAttempt(username: username, address: address, at: now, succeeded: false)
            try await store.audit(
                action: "login.failure", object: "user:\(username)", context: AuditContext(actor: username, address: address),
                at: now)
            throw WebError(status: .unauthorized, code: "unauthenticated", message: Self.failureMessage)
        }
        try await store.recordLoginAttempt(username: username, address: address, at: now, succeeded: true)
        try await store.audit(
            action: "login.success", object: "user:\(username)", context: AuditContext(actor: username, address: address),
            at: now)
        return stored.user
    }

    /// When the lock set by these failures (oldest first) ends: a window after the latest
    /// failure that was the `limit`-th within one window; nil when no failure reached the limit.
    static func lockEnd(_ failures: [Date], limit: Int, window: TimeInterval) -> Date? {
        guard limit > 0, failures.count >= limit else { return nil }
        var end: Date?
        for index in (limit - 1)..<failures.count
        where failures[index].timeIntervalSince(failures[index - limit + 1]) < window {
            end = failures[index].addingTimeInterval(window)
        }
        return end
    }

    /// Starts a browser session; returns the cookie to set.
    func startSession(for user: UserAccount, address: String) async throws -> Cookie {
        let token = Credentials.randomToken()
        try await store.createSession(
            userID: user.id, tokenHash: Credentials.tokenHash(token), csrfToken: Credentials.randomToken(),
            now: configuration.clock(), idleTimeout: configuration.sessionIdleTimeout, address: address)
        return Cookie(
            name: AuthenticationMiddleware.sessionCookie, value: token, path: "/", secure: configuration.secureCookies,
            httpOnly: true, sameSite: .lax)
    }

    var clearedCookie: Cookie {
        Cookie(
            name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: configuration.secureCookies,
            httpOnly: true, sameSite: .lax)
    }
}

extension LoginService {
    func register(on routes: Routes, pages: PageRenderer) {
        routes.get("/login", access: .everyone) { request, context in
            if context.identity != nil { return Self.redirect(to: "/") }
            let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
            return try pages.page(
                "login", frame: PageFrame(title: "登录", identity: nil, path: "/login"), values: ["next": next])
        }

        routes.post("/login", access: .everyone) { request, context in
            let fields = context.formFields ?? [:]
            let username = (fields["username"] ?? "").trimmingCharacters(in: .whitespaces)
            let next = Self.safeNext(fields["next"])
            do {
                let user = try await authenticate(
                    username: username, password: fields["password"] ?? "", address: context.remoteAddress)
                var response = Self.redirect(to: next)
                response.setCookie(try await startSession(for: user, address: context.remoteAddress))
                return response
            } catch let error as WebError where error.status == .unauthorized || error.status == .tooManyRequests {
                var response = try pages.page(
                    "login", frame: PageFrame(title: "登录", identity: nil, path: "/login"),
                    values: ["error": error.message, "username": username, "next": next], status: error.status)
                for field in error.headers { response.headers.append(field) }
                return response
            }
        }

        routes.post("/logout", access: .signedIn) { _, context in
            if case .session(let hash, _)? = context.identity?.credential {
                try await store.deleteSession(tokenHash: hash)
                try await store.audit(
                    action: "logout", object: "user:\(context.identity!.user.username)", context: context.auditContext,
                    at: configuration.clock())
            }
            var response = Self.redirect(to: "/login")
            response.setCookie(clearedCookie)
            return response
        }

        routes.post("/api/v1/tokens", access: .everyone, kind: .api) { request, context in
            let body = try await request.body.collect(upTo: 64 * 1024)
            struct TokenRequest: Decodable {
                var username: String
                var password: String
                var label: String?
                var expiresInDays: Int?
            }
            guard let input = try? JSONDecoder().decode(TokenRequest.self, from: Data(body.readableBytesView)) else {
                throw WebError.badRequest("请求体应为 JSON：{\"username\": …, \"password\": …}")
            }
            let user = try await authenticate(
                username: input.username, password: input.password, address: context.remoteAddress)
            let administration = UserAdministration(
                store: store, bcryptCost: configuration.bcryptCost, clock: configuration.clock)
            let (token, record) = try await administration.createToken(
                username: user.username, label: input.label ?? "api", expiresInDays: input.expiresInDays ?? 90,
                audit: AuditContext(actor: user.username, address: context.remoteAddress))
            var object: [String: Any] = ["token": token]
            object["expiresAt"] = record.expiresAt.map { ISO8601DateFormatter().string(from: $0) } ?? NSNull()
            return APIResponses.json(object, status: .created)
        }
    }

    static func redirect(to path: String) -> Response {
        var response = Response(status: .seeOther)
        response.headers[.location] = path
        return response
    }

    /// Only local paths are followed after login (no open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }
}
