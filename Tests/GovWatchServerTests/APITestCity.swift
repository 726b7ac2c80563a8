import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A small city for the JSON API's tests: the city (a portal and its education bureau) and a
/// county (青川县) with a department, an inspected run with findings, scorecards and a
/// ticket per finding, and one user (with an API token) per role: the county's unit user
/// sees the county and its department only.
struct APITestCity {
    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位
        4301000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府,
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府
        4301210001,青川县人民政府,http://www.qingchuan.gov.cn/,政府门户网站,青川县人民政府,鸿溪市人民政府
        4301210002,青川县卫生健康局,http://wjj.qingchuan.gov.cn/,部门网站,青川县卫生健康局,青川县人民政府

        """
    static let columns = """
        网站标识码,栏目名称,栏目地址,栏目类型
        4301210002,通知公告,http://wjj.qingchuan.gov.cn/tzgg/,通知公告

        """
    static let accounts = """
        平台,账号ID,账号名称,主办单位
        wechat,qc_wjj,青川卫健,青川县卫生健康局
        weibo,hx_jyj,鸿溪教育,鸿溪市教育局

        """
    static let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    static let now = ChinaTime.parseMoment("2022-04-01T09:00:00")!

    let store: Store
    let folder: URL
    let run: InspectionRun
    /// API tokens by user name: admin, inspector, viewer, county (青川县人民政府), education (鸿溪市教育局).
    let tokens: [String: String]

    /// Builds the city in a fresh SQLite database, runs `body` with a client of the real
    /// router, and closes the store.
    static func withServer(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (APITestCity, any TestClientProtocol) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try await Store.open(.sqlite(path: folder.appendingPathComponent("api.sqlite").path))
        do {
            let city = try await APITestCity(store: store, folder: folder)
            var configuration = ServerConfiguration(bcryptCost: 4, clock: { APITestCity.now })
            configure(&configuration)
            let (router, _) = try await GovWatchServer.buildRouter(
                store: store, configuration: configuration, logger: Logger(label: "govwatch.api-tests"))
            try await Application(router: router).test(.router) { client in try await body(city, client) }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    init(store: Store, folder: URL) async throws {
        self.store = store
        self.folder = folder
        _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sites.utf8), file: "sites.csv", into: store)
        _ = try await RegistryImporter.importFile(.columns, data: Data(Self.columns.utf8), file: "columns.csv", into: store)
        _ = try await RegistryImporter.importFile(.accounts, data: Data(Self.accounts.utf8), file: "accounts.csv", into: store)
        let run = try await store.startRun(asOf: Self.asOf, indicatorSet: "national-2019@1", startedAt: Self.now)
        var findings: [Finding] = []
        for (kind, code) in [(Target.Kind.site, "4301000002"), (.site, "4301210001"), (.site, "4301210002"), (.account, "qc_wjj"), (.account, "hx_jyj")] {
            findings.append(
                Finding(
                    target: Target(kind: kind, code: code, name: code), indicator: .siteLinksBroken, level: .deduction,
                    url: "http://x/\(code)/a", detail: ["status": 404, "onHomepage": false], evidence: "<a>失效链接</a>", locationKey: "a"))
        }
        findings.append(
            Finding(
                target: Target(kind: .site, code: "4301210001", name: "青川县人民政府"), indicator: .siteHomepageStale, level: .veto,
                locationKey: "home"))
        try await store.record(findings, in: run.code)
        try await store.record(
            [
                Scorecard(target: Target(kind: .site, code: "4301000002", name: "鸿溪市教育局"), score: 99, vetoes: [], passed: true),
                Scorecard(
                    target: Target(kind: .site, code: "4301210001", name: "青川县人民政府"), score: 99, vetoes: [.siteHomepageStale],
                    passed: false),
                Scorecard(target: Target(kind: .site, code: "4301210002", name: "青川县卫生健康局"), score: 99, vetoes: [], passed: true),
            ], in: run.code)
        try await store.finishRun(run.code, at: Self.now)
        _ = try await store.applyInspection(
            findings: findings, run: run.code, asOf: Self.asOf, scope: .everything, policy: RectificationPolicy(), now: Self.now)
        self.run = try await store.run(run.code)

        var tokens: [String: String] = [:]
        let audit = AuditContext(actor: "tests")
        for (name, role, unit) in [
            ("admin", UserRole.admin, nil), ("inspector", .inspector, nil), ("viewer", .viewer, nil),
            ("county", .unit, "青川县人民政府"), ("education", .unit, "鸿溪市教育局"),
        ] as [(String, UserRole, String?)] {
            let user = try await store.createUser(
                username: name, displayName: name, role: role, unitName: unit, passwordHash: "not-used", now: Self.now, audit: audit)
            let token = Credentials.randomToken()
            try await store.createAPIToken(
                userID: user.id, tokenHash: Credentials.tokenHash(token), label: "tests", expiresAt: nil, now: Self.now, audit: audit)
            tokens[name] = token
        }
        self.tokens = tokens
    }

    /// The tickets of a unit, by the store (not through the API under test).
    func tickets(of unit: String) async throws -> [Ticket] {
        try await store.tickets(TicketFilter(unit: unit))
    }

    /// A session cookie and its CSRF token for `user`, as the login page creates them.
    func session(for user: String) async throws -> (cookie: String, csrf: String) {
        let account = try #require(try await store.user(named: user))
        let token = Credentials.randomToken()
        let csrf = Credentials.randomToken()
        try await store.createSession(
            userID: account.id, tokenHash: Credentials.tokenHash(token), csrfToken: csrf, now: Self.now, idleTimeout: 3_600,
            address: "127.0.0.1")
        return ("govwatch_session=\(token)", csrf)
    }

    func bearer(_ user: String) -> HTTPFields {
        [.authorization: "Bearer \(tokens[user]!)"]
    }
}

/// Requests and answers of the JSON API in tests.
extension TestClientProtocol {
    /// Sends a request and returns the status, the headers and the body's bytes.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: Data? = nil
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            (response.status, response.headers, Data(response.body.readableBytesView))
        }
    }

    /// A JSON object answer.
    func json(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: Data? = nil) async throws
        -> (status: HTTPResponse.Status, object: [String: Any])
    {
        let (status, _, data) = try await call(method, uri, headers: headers, body: body)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (status, object)
    }
}

/// A multipart/form-data body.
struct MultipartForm {
    let boundary = "govwatch-test-\(UUID().uuidString)"
    private(set) var data = Data()

    mutating func field(_ name: String, _ value: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }

    mutating func file(_ name: String, fileName: String, _ bytes: Data, type: String = "application/octet-stream") {
        data.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)\r\n\r\n"
                    .utf8))
        data.append(bytes)
        data.append(Data("\r\n".utf8))
    }

    var body: Data { data + Data("--\(boundary)--\r\n".utf8) }

    func headers(_ base: HTTPFields) -> HTTPFields {
        var headers = base
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return headers
    }
}

func jsonBody(_ object: [String: Any]) -> Data {
    try! JSONSerialization.data(withJSONObject: object)
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var merged = lhs
        for field in rhs { merged[field.name] = field.value }
        return merged
    }
}
