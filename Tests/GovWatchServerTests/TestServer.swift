import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// A clock tests move by hand: session expiry and lock-outs are tested without waiting.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by interval: TimeInterval) { current.withLock { $0 += interval } }
}

/// A signed-in browser: the session cookie and the CSRF token its pages carry.
struct BrowserSession: Sendable {
    var cookie: String
    var csrfToken: String

    /// Headers of a request from this browser; `csrf` adds the `X-CSRF-Token` header.
    func headers(csrf: Bool = false, form: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [.cookie: "\(ServerTestSupport.sessionCookie)=\(cookie)"]
        if csrf { fields[HTTPField.Name("X-CSRF-Token")!] = csrfToken }
        if form { fields[.contentType] = "application/x-www-form-urlencoded" }
        return fields
    }
}

/// The server of one test: a fresh SQLite store, a movable clock, bcrypt at its lowest cost.
///
/// Reuse it for every web test:
/// ```
/// try await TestServer.run { server in
///     try await server.importRegistry()
///     let (user, password) = try await server.addUser(.unit, unit: "青山县人民政府")
///     try await server.test { client in
///         let browser = try await server.login(client, user.username, password)
///         let page = try await client.execute(uri: "/", method: .get, headers: browser.headers())
///     }
/// }
/// ```
struct TestServer: Sendable {
    let store: Store
    let clock: TestClock
    let configuration: ServerConfiguration

    /// A fresh server; call `store.close()` when done (or use ``run(publicURL:_:)``).
    static func start(publicURL: URL? = nil) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-server-tests-\(UUID().uuidString)")
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("test.sqlite").path))
        let clock = TestClock()
        let configuration = ServerConfiguration(publicURL: publicURL, bcryptCost: 4, clock: { clock.now })
        return TestServer(store: store, clock: clock, configuration: configuration)
    }

    /// Runs `body` with a fresh server, closing its store afterwards.
    static func run(publicURL: URL? = nil, _ body: (TestServer) async throws -> Void) async throws {
        let server = try await start(publicURL: publicURL)
        do {
            try await body(server)
        } catch {
            await server.store.close()
            throw error
        }
        await server.store.close()
    }

    /// Imports a small registry: 青山县人民政府 with its 青山县卫生健康局, and 鸿溪市教育局.
    func importRegistry() async throws {
        let csv = """
            网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位,ICP备案号,公安备案号
            4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府,,
            4301000010,青山县人民政府,http://www.qingshan.gov.cn/,portal,青山县人民政府,,,
            4301000011,青山县卫生健康局,http://wjj.qingshan.gov.cn/,department,青山县卫生健康局,青山县人民政府,,

            """
        _ = try await RegistryImporter.importFile(.sites, data: Data(csv.utf8), file: "sites.csv", into: store)
    }

    /// Creates a user of `role` (a unit user needs `unit`, a registered unit name) with a
    /// random password; returns the user and the password.
    func addUser(_ role: UserRole, username: String? = nil, unit: String? = nil) async throws -> (UserAccount, String) {
        let administration = UserAdministration(store: store, bcryptCost: 4, clock: { clock.now })
        let password = "pw-" + UUID().uuidString
        let (user, _) = try await administration.addUser(
            username: username ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))", role: role, unitName: unit,
            displayName: nil, password: password, audit: AuditContext(actor: "test"))
        return (user, password)
    }

    /// An API token for a user.
    func token(for username: String) async throws -> String {
        try await UserAdministration(store: store, bcryptCost: 4, clock: { clock.now })
            .createToken(username: username, label: "test", expiresInDays: nil, audit: AuditContext(actor: "test")).token
    }

    /// Runs `body` against the real router: without a socket, or (`.live`) over loopback,
    /// where the peer's address is 127.0.0.1.
    func test<T: Sendable>(
        _ mode: TestingSetup = .router, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "govwatch.test")
        logger.logLevel = .warning
        let (router, _) = try await GovWatchServer.buildRouter(store: store, configuration: configuration, logger: logger)
        let app = Application(router: router, logger: logger)
        return try await app.test(mode) { client in try await body(client) }
    }

    /// The routes of the real router.
    func catalog() async throws -> [RouteEntry] {
        try await GovWatchServer.buildRouter(store: store, configuration: configuration, logger: Logger(label: "test")).catalog
            .routes
    }

    /// Posts the login form; the raw response.
    func postLogin(_ client: any TestClientProtocol, _ username: String, _ password: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: ServerTestSupport.form(["username": username, "password": password])))
    }

    /// Signs in through the login form and reads the CSRF token from the home page.
    func login(_ client: any TestClientProtocol, _ username: String, _ password: String) async throws -> BrowserSession {
        let response = try await postLogin(client, username, password)
        #expect(response.status == .seeOther)
        let cookie = try #require(ServerTestSupport.sessionCookieValue(in: response))
        let home = try await client.execute(
            uri: "/", method: .get, headers: [.cookie: "\(ServerTestSupport.sessionCookie)=\(cookie)"])
        let csrf = try #require(ServerTestSupport.csrfToken(in: String(buffer: home.body)))
        return BrowserSession(cookie: cookie, csrfToken: csrf)
    }
}

enum ServerTestSupport {
    static let sessionCookie = "govwatch_session"

    static func form(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }

    /// The `Set-Cookie` header of the session cookie.
    static func sessionSetCookie(in response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix(sessionCookie + "=") }
    }

    static func sessionCookieValue(in response: TestResponse) -> String? {
        guard let header = sessionSetCookie(in: response) else { return nil }
        let value = header.dropFirst(sessionCookie.count + 1).prefix { $0 != ";" }
        return value.isEmpty ? nil : String(value)
    }

    /// The CSRF token of a page's forms.
    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf_token" value=""#) else { return nil }
        let token = html[range.upperBound...].prefix { $0 != "\"" }
        return token.isEmpty ? nil : String(token)
    }
}
