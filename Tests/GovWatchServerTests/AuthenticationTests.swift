import Foundation
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Signing in and out, sessions, CSRF, API tokens, headers: against the real router and a
/// real SQLite store.
@Suite struct AuthenticationTests {
    @Test func healthzAnswersOkWithoutLoginAndEveryResponseCarriesTheSecurityHeaders() async throws {
        try await TestServer.run { server in
            try await server.test { client in
                for uri in ["/healthz", "/login", "/api/v1/me", "/no-such-page"] {
                    let response = try await client.execute(uri: uri, method: .get)
                    let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                    #expect(csp.contains("frame-ancestors 'none'"))
                    #expect(csp.contains("script-src 'self'"))
                    #expect(!csp.contains("unsafe-inline"))
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                }
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok)
                #expect(String(buffer: health.body) == "ok")
            }
        }
    }

    @Test func loginPageHasTheSpecFieldsAndSuccessRedirectsHomeWithASafeCookie() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.inspector, username: "zhang")
            try await server.test { client in
                let page = String(buffer: try await client.execute(uri: "/login", method: .get).body)
                #expect(page.contains(#"name="username""#))
                #expect(page.contains(#"name="password""#))
                #expect(page.contains(#"action="/login""#))

                let response = try await server.postLogin(client, user.username, password)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/")
                let cookie = try #require(ServerTestSupport.sessionSetCookie(in: response))
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                #expect(!cookie.contains("Secure"))

                let value = try #require(ServerTestSupport.sessionCookieValue(in: response))
                let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: "govwatch_session=\(value)"])
                #expect(home.status == .ok)
                let html = String(buffer: home.body)
                #expect(html.contains("zhang"))
                #expect(html.contains("监管人员"))
                #expect(html.contains("尚未进行过检查"))
                // The office's navigation, without the admin-only pages.
                #expect(html.contains(#"href="/runs""#))
                #expect(!html.contains(#"href="/users""#))
            }
            #expect(try await server.store.auditEntries(object: "user:zhang").map(\.action).contains("login.success"))
        }
    }

    @Test func theSessionCookieIsSecureBehindAnHTTPSPublicURL() async throws {
        try await TestServer.run(publicURL: URL(string: "https://govwatch.example.gov.cn/")) { server in
            let (user, password) = try await server.addUser(.viewer)
            try await server.test { client in
                let response = try await server.postLogin(client, user.username, password)
                #expect(try #require(ServerTestSupport.sessionSetCookie(in: response)).contains("Secure"))
            }
        }
    }

    @Test func aWrongPasswordAndAnUnknownUserGetTheSameMessage() async throws {
        try await TestServer.run { server in
            let (user, _) = try await server.addUser(.viewer)
            try await server.test { client in
                let wrongPassword = try await server.postLogin(client, user.username, "not-the-password")
                let unknownUser = try await server.postLogin(client, "nobody-here", "not-the-password")
                for response in [wrongPassword, unknownUser] {
                    #expect(response.status == .unauthorized)
                    #expect(ServerTestSupport.sessionSetCookie(in: response) == nil)
                    #expect(String(buffer: response.body).contains("用户名或密码错误"))
                }
                #expect(
                    String(buffer: wrongPassword.body).replacingOccurrences(of: user.username, with: "X")
                        == String(buffer: unknownUser.body).replacingOccurrences(of: "nobody-here", with: "X"))
            }
        }
    }

    @Test func fiveFailuresLockTheUserNameFor15MinutesWith429() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.inspector)
            try await server.test { client in
                for _ in 1...5 {
                    #expect(try await server.postLogin(client, user.username, "wrong-password").status == .unauthorized)
                }
                // Locked: even the right password is refused, in Chinese, with 429.
                let locked = try await server.postLogin(client, user.username, password)
                #expect(locked.status == .tooManyRequests)
                #expect(String(buffer: locked.body).contains("登录失败次数过多"))
                #expect(locked.headers[.retryAfter] != nil)
                #expect(ServerTestSupport.sessionSetCookie(in: locked) == nil)
                // The API's token endpoint obeys the same lock, with the JSON error.
                let api = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"\#(user.username)","password":"\#(password)"}"#))
                #expect(api.status == .tooManyRequests)
                #expect(String(buffer: api.body).contains(#""code":"rate_limited""#))

                server.clock.advance(by: 15 * 60 + 1)
                #expect(try await server.postLogin(client, user.username, password).status == .seeOther)
            }
        }
    }

    @Test func aPostWithoutTheCSRFTokenIsRefusedAndChangesNothing() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.viewer)
            try await server.test { client in
                let browser = try await server.login(client, user.username, password)
                let withoutToken = try await client.execute(
                    uri: "/logout", method: .post, headers: browser.headers(form: true), body: ByteBuffer(string: ""))
                #expect(withoutToken.status == .forbidden)
                #expect(String(buffer: withoutToken.body).contains("安全令牌"))
                let wrongToken = try await client.execute(
                    uri: "/logout", method: .post, headers: browser.headers(form: true),
                    body: ByteBuffer(string: "csrf_token=forged"))
                #expect(wrongToken.status == .forbidden)
                #expect(try await server.store.sessionCount(userID: user.id) == 1)
                #expect(try await client.execute(uri: "/", method: .get, headers: browser.headers()).status == .ok)
            }
        }
    }

    @Test func logoutWithTheFormTokenEndsTheSessionInTheDatabase() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.admin)
            try await server.test { client in
                let browser = try await server.login(client, user.username, password)
                #expect(try await server.store.sessionCount(userID: user.id) == 1)
                let logout = try await client.execute(
                    uri: "/logout", method: .post, headers: browser.headers(form: true),
                    body: ByteBuffer(string: "csrf_token=\(browser.csrfToken)"))
                #expect(logout.status == .seeOther)
                #expect(logout.headers[.location] == "/login")
                #expect(try await server.store.sessionCount(userID: user.id) == 0)
                // The old cookie no longer opens anything.
                let after = try await client.execute(uri: "/", method: .get, headers: browser.headers())
                #expect(after.status == .seeOther)
                #expect(after.headers[.location]?.hasPrefix("/login") == true)
                let api = try await client.execute(uri: "/api/v1/me", method: .get, headers: browser.headers())
                #expect(api.status == .unauthorized)
            }
        }
    }

    @Test func aSessionExpiresAfterEightHoursWithoutUse() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.viewer)
            try await server.test { client in
                let browser = try await server.login(client, user.username, password)
                server.clock.advance(by: 7 * 3600)
                #expect(try await client.execute(uri: "/", method: .get, headers: browser.headers()).status == .ok)
                // Seven hours after that use it is still alive: expiry counts from the last use.
                server.clock.advance(by: 7 * 3600)
                #expect(try await client.execute(uri: "/", method: .get, headers: browser.headers()).status == .ok)
                server.clock.advance(by: 8 * 3600 + 1)
                let expired = try await client.execute(uri: "/", method: .get, headers: browser.headers())
                #expect(expired.status == .seeOther)
                #expect(try await server.store.sessionCount(userID: user.id) == 0)
            }
        }
    }

    @Test func theAPIAnswers401WithTheJSONErrorWithoutCredentials() async throws {
        try await TestServer.run { server in
            try await server.test { client in
                let response = try await client.execute(uri: "/api/v1/me", method: .get)
                #expect(response.status == .unauthorized)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: [String: String]]
                #expect(body?["error"]?["code"] == "unauthenticated")
                #expect(body?["error"]?["message"] == "请先登录")
                let badToken = try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer gw_not-a-token"])
                #expect(badToken.status == .unauthorized)
            }
        }
    }

    @Test func bearerTokensWorkUntilRevoked() async throws {
        try await TestServer.run { server in
            try await server.importRegistry()
            let (user, _) = try await server.addUser(.unit, username: "qs", unit: "青山县人民政府")
            let token = try await server.token(for: "qs")
            try await server.test { client in
                let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(me.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(me.body.readableBytesView)) as? [String: String]
                #expect(body == ["username": "qs", "displayName": "qs", "role": "unit", "unit": "青山县人民政府"])

                let record = try #require(try await server.store.apiTokens(userID: user.id).first)
                try await server.store.revokeAPIToken(id: record.id, now: server.clock.now, audit: AuditContext(actor: "test"))
                let revoked = try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(revoked.status == .unauthorized)
            }
        }
    }

    @Test func postTokensExchangesCredentialsForAToken() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.viewer)
            try await server.test { client in
                let response = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"\#(user.username)","password":"\#(password)"}"#))
                #expect(response.status == .created)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                let token = try #require(body["token"] as? String)
                #expect(body["expiresAt"] is String)
                let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(me.status == .ok)
                let wrong = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"\#(user.username)","password":"wrong"}"#))
                #expect(wrong.status == .unauthorized)
                #expect(String(buffer: wrong.body).contains("用户名或密码错误"))
            }
        }
    }

    @Test func aCookieAPICallThatChangesStateNeedsTheCSRFHeader() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.viewer)
            try await server.test { client in
                let browser = try await server.login(client, user.username, password)
                let refused = try await client.execute(
                    uri: "/api/v1/me", method: .post, headers: browser.headers(), body: ByteBuffer(string: "{}"))
                #expect(refused.status == .forbidden)
                #expect(String(buffer: refused.body).contains(#""code":"forbidden""#))
                let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: browser.headers())
                #expect(me.status == .ok)
            }
        }
    }

    @Test func unknownPagesGetTheChinese404PageAndTheOpenAPIDocumentIsPublic() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.viewer)
            try await server.test { client in
                let browser = try await server.login(client, user.username, password)
                let missing = try await client.execute(uri: "/no-such-page", method: .get, headers: browser.headers())
                #expect(missing.status == .notFound)
                #expect(String(buffer: missing.body).contains("页面不存在"))
                let document = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
                #expect(document.status == .ok)
                #expect(String(buffer: document.body).hasPrefix("openapi: "))
                #expect(String(buffer: document.body).contains("/me:"))
                let css = try await client.execute(uri: "/static/govwatch.css", method: .get)
                #expect(css.status == .ok)
                #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
                #expect(try await client.execute(uri: "/static/..%2Fopenapi.yaml", method: .get).status == .notFound)
            }
        }
    }

    @Test func theRouteCatalogListsEveryRouteWithWhoMayCallIt() async throws {
        try await TestServer.run { server in
            let routes = try await server.catalog()
            let byKey = Dictionary(routes.map { ("\($0.method) \($0.path)", $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byKey["GET /healthz"]?.access == .everyone)
            #expect(byKey["GET /login"]?.access == .everyone)
            #expect(byKey["POST /logout"]?.access == .signedIn)
            #expect(byKey["GET /"]?.access == .signedIn)
            #expect(byKey["GET /api/v1/me"]?.access == .signedIn)
            #expect(byKey["GET /api/v1/me"]?.kind == .api)
            #expect(byKey["GET /api/v1/openapi.yaml"]?.access == .everyone)
        }
    }
}
