import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing

/// The security suite over every route of the real router (web.md "Bad input and attacks").
///
/// It enumerates the route catalog of the application `govwatch serve` builds and, for each
/// route, runs the checks that apply: no credentials → 401 (API) or a redirect to `/login`
/// (pages); the county's unit user asking for the education bureau's object → 404, by id and
/// through `?unit=`; a viewer's POST → 403; a session POST without the CSRF token → 403 with the
/// database unchanged. A route without an entry in ``SecuritySuiteTests/cases`` fails the suite
/// with its name: a new route needs its security case here.
@Suite struct SecuritySuiteTests {
    /// How to fill a route's parameters and body, and which checks apply.
    struct RouteCase: Sendable {
        /// Path parameters naming objects the county's unit user may see (and admin may act on).
        var inScope: @Sendable (SecurityFixture) -> [String: String] = { _ in [:] }
        /// Path parameters naming the education bureau's objects: the county user gets 404.
        /// Nil when the route names no object of a unit.
        var outOfScope: (@Sendable (SecurityFixture) -> [String: String])? = nil
        /// A list: the county user sees nothing of the education bureau, unfiltered or with
        /// `?unit=鸿溪市教育局` (or `unit=` as the route's filter parameter).
        var isScopedList = false
        /// The body of a POST, valid for the route.
        var body: RequestBody = .none
        /// Why a viewer may send this POST (nil: a viewer gets 403).
        var viewerMayPostBecause: String? = nil
        /// A unit-wide document only office roles and viewers read: a unit user gets 403 or 404.
        var officeOnly = false
    }

    enum RequestBody: Sendable {
        case none
        case form([String: String])
        case json([String: String])
        case multipart([String: String])
    }

    /// Every route of the catalog, keyed `METHOD path` as the catalog writes it.
    static let cases: [String: RouteCase] = [
        // Public and static.
        "GET /healthz": RouteCase(),
        "GET /static/{file}": RouteCase(inScope: { _ in ["file": "govwatch.css"] }),
        "GET /login": RouteCase(),
        "POST /login": RouteCase(body: .form(["username": "nobody", "password": "x"]), viewerMayPostBecause: "signing in"),
        "POST /logout": RouteCase(viewerMayPostBecause: "every user may sign out"),
        "POST /api/v1/tokens": RouteCase(
            body: .json(["username": "nobody", "password": "x"]), viewerMayPostBecause: "exchanging one's own credentials"),
        "GET /api/v1/openapi.yaml": RouteCase(),
        "GET /metrics": RouteCase(),

        // Pages.
        "GET /": RouteCase(isScopedList: true),
        "GET /sites": RouteCase(isScopedList: true),
        "GET /sites/{code}": RouteCase(inScope: { _ in ["code": "4301210002"] }, outOfScope: { _ in ["code": "4301000002"] }),
        "GET /accounts": RouteCase(isScopedList: true),
        "GET /accounts/{id}": RouteCase(inScope: { _ in ["id": "qc_wjj"] }, outOfScope: { _ in ["id": "hx_jyj"] }),
        "GET /findings": RouteCase(isScopedList: true),
        "GET /findings/export.csv": RouteCase(isScopedList: true),
        "GET /findings/export.xlsx": RouteCase(),
        "GET /tickets": RouteCase(isScopedList: true),
        "GET /tickets/clearance": RouteCase(isScopedList: true),
        "GET /tickets/{id}": RouteCase(inScope: { ["id": $0.countyTicket] }, outOfScope: { ["id": $0.educationTicket] }),
        "GET /tickets/{id}/attachments/{n}": RouteCase(
            inScope: { ["id": $0.countyTicketWithFile, "n": "1"] }, outOfScope: { ["id": $0.educationTicketWithFile, "n": "1"] }),
        "POST /tickets/{id}/feedback": RouteCase(
            inScope: { ["id": $0.countyTicket] }, outOfScope: { ["id": $0.educationTicket] },
            body: .multipart(["text": "已整改"])),
        "POST /tickets/{id}/verify": RouteCase(
            inScope: { ["id": $0.countyTicketWithFile] }, outOfScope: { ["id": $0.educationTicketWithFile] },
            body: .form(["reason": "已核验"])),
        "POST /tickets/{id}/reject": RouteCase(
            inScope: { ["id": $0.countyTicketWithFile] }, outOfScope: { ["id": $0.educationTicketWithFile] },
            body: .form(["reason": "附件不清楚"])),
        "POST /tickets/{id}/dismiss": RouteCase(
            inScope: { ["id": $0.countyTicket] }, outOfScope: { ["id": $0.educationTicket] }, body: .form(["reason": "误报"])),
        "POST /tickets/{id}/assign": RouteCase(
            inScope: { ["id": $0.countyTicket] }, outOfScope: { ["id": $0.educationTicket] }, body: .form(["person": "张三"])),
        "GET /runs": RouteCase(),
        "POST /runs": RouteCase(body: .form(["asOf": "2022-03-31", "all": "1"])),
        "GET /runs/{code}": RouteCase(inScope: { ["code": $0.runCode] }),
        "GET /runs/{code}/progress": RouteCase(inScope: { ["code": $0.runCode] }),

        "GET /scan": RouteCase(),
        "POST /scan": RouteCase(body: .form(["text": "中华人民共和国成立于1949年"])),
        "GET /reports": RouteCase(officeOnly: true),
        "GET /reports/{file}": RouteCase(inScope: { _ in ["file": "2022Q1.md"] }, officeOnly: true),

        // The office's administration pages (roles checked by the catalog's access rule).
        "GET /registry": RouteCase(),
        "GET /registry/{file}": RouteCase(inScope: { _ in ["file": "sites.csv"] }),
        "POST /registry/import": RouteCase(body: .multipart(["kind": "sites"])),
        "GET /settings": RouteCase(),
        "POST /settings/indicators": RouteCase(body: .form(["reset": "0"])),
        "POST /settings/indicators/reset": RouteCase(),
        "POST /settings/dictionary": RouteCase(body: .form(["dictionary": "鸿溪新区管委会\t鸿溪新区管理委员会\tsevere"])),
        "POST /settings/holidays": RouteCase(body: .form(["holidays": "2022-04-06\tholiday\t本地假日"])),
        "POST /settings/schedule": RouteCase(
            body: .form(["probesPerDay": "30", "patrolHour": "5", "inspectionHour": "3", "digestHour": "9"])),
        "POST /settings/webhook": RouteCase(body: .form(["url": "http://127.0.0.1:9/hook", "secret": "s3cret"])),
        "GET /users": RouteCase(),
        "POST /users": RouteCase(body: .form(["username": "new-viewer", "role": "viewer", "password": "pw-0123456789"])),
        "GET /users/{username}": RouteCase(inScope: { _ in ["username": "county"] }),
        "POST /users/{username}/role": RouteCase(inScope: { _ in ["username": "county"] }, body: .form(["role": "admin"])),
        "POST /users/{username}/disable": RouteCase(inScope: { _ in ["username": "county"] }),
        "POST /users/{username}/enable": RouteCase(inScope: { _ in ["username": "county"] }),
        "POST /users/{username}/password": RouteCase(inScope: { _ in ["username": "county"] }),
        "POST /users/{username}/tokens": RouteCase(inScope: { _ in ["username": "county"] }, body: .form(["label": "脚本"])),
        "POST /users/{username}/tokens/{id}/revoke": RouteCase(inScope: { _ in ["username": "county", "id": "1"] }),

        // The JSON API.
        "GET /api/v1/me": RouteCase(),
        "GET /api/v1/units": RouteCase(isScopedList: true),
        "GET /api/v1/sites": RouteCase(isScopedList: true),
        "GET /api/v1/sites/{code}": RouteCase(inScope: { _ in ["code": "4301210002"] }, outOfScope: { _ in ["code": "4301000002"] }),
        "GET /api/v1/accounts": RouteCase(isScopedList: true),
        "GET /api/v1/accounts/{id}": RouteCase(inScope: { _ in ["id": "qc_wjj"] }, outOfScope: { _ in ["id": "hx_jyj"] }),
        "GET /api/v1/runs": RouteCase(),
        "POST /api/v1/runs": RouteCase(body: .json(["asOf": "2022-03-31"])),
        "GET /api/v1/runs/{code}": RouteCase(inScope: { ["code": $0.runCode] }),
        "GET /api/v1/runs/{code}/findings": RouteCase(inScope: { ["code": $0.runCode] }, isScopedList: true),
        "GET /api/v1/runs/{code}/scorecards": RouteCase(inScope: { ["code": $0.runCode] }, isScopedList: true),
        "GET /api/v1/tickets": RouteCase(isScopedList: true),
        "GET /api/v1/tickets/{id}": RouteCase(inScope: { ["id": $0.countyTicket] }, outOfScope: { ["id": $0.educationTicket] }),
        "POST /api/v1/tickets/{id}/feedback": RouteCase(
            inScope: { ["id": $0.countyTicket] }, outOfScope: { ["id": $0.educationTicket] }, body: .multipart(["text": "已整改"])),
        "GET /api/v1/tickets/{id}/attachments/{n}": RouteCase(
            inScope: { ["id": $0.countyTicketWithFile, "n": "1"] }, outOfScope: { ["id": $0.educationTicketWithFile, "n": "1"] }),
        "POST /api/v1/tickets/{id}/verify": RouteCase(
            inScope: { ["id": $0.countyTicketWithFile] }, outOfScope: { ["id": $0.educationTicketWithFile] },
            body: .json(["reason": "已核验"])),
        "POST /api/v1/tickets/{id}/reject": RouteCase(
            inScope: { ["id": $0.countyTicketWithFile] }, outOfScope: { ["id": $0.educationTicketWithFile] },
            body: .json(["reason": "附件不清楚"])),
        "POST /api/v1/tickets/{id}/dismiss": RouteCase(
            inScope: { ["id": $0.countyTicket] }, outOfScope: { ["id": $0.educationTicket] }, body: .json(["reason": "误报"])),
        "POST /api/v1/scan": RouteCase(
            body: .json(["text": "中华人民共和国成立于1949年"]),
            viewerMayPostBecause: "三审 checks a draft's text and stores nothing"),
        "GET /api/v1/reports/{report}": RouteCase(inScope: { _ in ["report": "2022Q1.md"] }, officeOnly: true),
    ]

    /// Every route of the catalog has a case, and every case names a route.
    @Test func everyRouteHasASecurityCase() async throws {
        try await SecurityFixture.withServer { fixture, _ in
            let keys = fixture.catalog.map(\.key)
            for key in keys where Self.cases[key] == nil {
                Issue.record("route \(key) has no security case in SecuritySuiteTests.cases: add one")
            }
            for key in Self.cases.keys where !keys.contains(key) {
                Issue.record("security case \(key) names no route of the catalog: remove or rename it")
            }
            #expect(Set(keys).count == keys.count, "a route is registered twice: \(keys)")
        }
    }

    @Test func withoutCredentialsPagesRedirectToLoginAndTheAPIAnswers401() async throws {
        try await SecurityFixture.withServer { fixture, client in
            for route in fixture.catalog where route.access != .everyone {
                guard let routeCase = Self.cases[route.key] else { continue }
                let uri = fixture.uri(route.path, routeCase.inScope(fixture))
                let answer = try await fixture.send(client, route.method, uri, body: routeCase.body, headers: [:])
                if route.kind == .api {
                    #expect(answer.status == .unauthorized, "\(route.key) without credentials: \(answer.status)")
                } else if route.method == "GET" {
                    #expect(answer.status == .seeOther, "\(route.key) without a session: \(answer.status)")
                    #expect(answer.headers[.location]?.hasPrefix("/login?next=") == true, "\(route.key) redirects to /login")
                } else {
                    #expect(answer.status == .unauthorized, "\(route.key) without a session: \(answer.status)")
                }
            }
        }
    }

    @Test func aUnitUserGets404ForAnotherUnitsObjectsAndSeesNoneOfThemInLists() async throws {
        try await SecurityFixture.withServer { fixture, client in
            let county = try await fixture.city.session(for: "county")
            for route in fixture.catalog {
                guard let routeCase = Self.cases[route.key] else { continue }
                let credentials: HTTPFields =
                    route.kind == .api ? fixture.city.bearer("county") : [.cookie: county.cookie, SecurityFixture.csrfHeader: county.csrf]
                if let outOfScope = routeCase.outOfScope {
                    let before = try await fixture.dump()
                    let answer = try await fixture.send(
                        client, route.method, fixture.uri(route.path, outOfScope(fixture)), body: routeCase.body, headers: credentials)
                    #expect(answer.status == .notFound, "\(route.key) for another unit's object: \(answer.status)")
                    #expect(try await fixture.dump() == before, "\(route.key) for another unit's object changed the database")
                    // The same route on the county's own object answers (the 404 is about scope).
                    if route.method == "GET" {
                        let own = try await fixture.send(
                            client, route.method, fixture.uri(route.path, routeCase.inScope(fixture)), body: .none, headers: credentials)
                        #expect(own.status == .ok, "\(route.key) for the county's own object: \(own.status)")
                    }
                }
                if routeCase.isScopedList {
                    let path = fixture.uri(route.path, routeCase.inScope(fixture))
                    for uri in [path, path + "?unit=" + SecurityFixture.educationUnitQuery] {
                        let answer = try await fixture.send(client, route.method, uri, body: .none, headers: credentials)
                        #expect(answer.status == .ok, "\(route.key) as the county: \(answer.status)")
                        let text = String(decoding: answer.body, as: UTF8.self)
                        for marker in fixture.educationMarkers where text.contains(marker) {
                            Issue.record("\(uri) shows the county user the education bureau's \(marker)")
                        }
                    }
                }
                if routeCase.officeOnly {
                    let answer = try await fixture.send(
                        client, route.method, fixture.uri(route.path, routeCase.inScope(fixture)), body: .none, headers: credentials)
                    #expect(answer.status == .forbidden || answer.status == .notFound, "\(route.key) as a unit user: \(answer.status)")
                }
            }
        }
    }

    @Test func aRoleOutsideARoutesAccessGets403AndChangesNothing() async throws {
        try await SecurityFixture.withServer { fixture, client in
            let users: [(name: String, role: UserRole)] = [("inspector", .inspector), ("viewer", .viewer), ("county", .unit)]
            var sessions: [String: (cookie: String, csrf: String)] = [:]
            for user in users { sessions[user.name] = try await fixture.city.session(for: user.name) }
            for route in fixture.catalog {
                guard case .roles(let allowed) = route.access, let routeCase = Self.cases[route.key] else { continue }
                for user in users where !allowed.contains(user.role) {
                    let session = sessions[user.name]!
                    let credentials: HTTPFields =
                        route.kind == .api
                        ? fixture.city.bearer(user.name) : [.cookie: session.cookie, SecurityFixture.csrfHeader: session.csrf]
                    let before = try await fixture.dump()
                    let answer = try await fixture.send(
                        client, route.method, fixture.uri(route.path, routeCase.inScope(fixture)), body: routeCase.body,
                        headers: credentials)
                    #expect(answer.status == .forbidden, "\(route.key) as \(user.name): \(answer.status)")
                    #expect(try await fixture.dump() == before, "\(route.key) as \(user.name) changed the database")
                }
            }
        }
    }

    @Test func aViewersPostsAre403AndChangeNothing() async throws {
        try await SecurityFixture.withServer { fixture, client in
            let viewer = try await fixture.city.session(for: "viewer")
            for route in fixture.catalog where route.method == "POST" {
                guard let routeCase = Self.cases[route.key], routeCase.viewerMayPostBecause == nil else { continue }
                let credentials: HTTPFields =
                    route.kind == .api ? fixture.city.bearer("viewer") : [.cookie: viewer.cookie, SecurityFixture.csrfHeader: viewer.csrf]
                let before = try await fixture.dump()
                let answer = try await fixture.send(
                    client, route.method, fixture.uri(route.path, routeCase.inScope(fixture)), body: routeCase.body, headers: credentials)
                #expect(answer.status == .forbidden, "\(route.key) as a viewer: \(answer.status)")
                #expect(try await fixture.dump() == before, "\(route.key) as a viewer changed the database")
            }
        }
    }

    @Test func aSessionPostWithoutTheCSRFTokenIs403AndChangesNothing() async throws {
        try await SecurityFixture.withServer { fixture, client in
            // The admin may do everything, so only the missing token can refuse the request.
            let admin = try await fixture.city.session(for: "admin")
            for route in fixture.catalog where route.method == "POST" && !["/login", "/api/v1/tokens"].contains(route.path) {
                guard let routeCase = Self.cases[route.key] else { continue }
                let uri = fixture.uri(route.path, routeCase.inScope(fixture))
                let before = try await fixture.dump()
                let answer = try await fixture.send(client, route.method, uri, body: routeCase.body, headers: [.cookie: admin.cookie])
                #expect(answer.status == .forbidden, "\(route.key) without the CSRF token: \(answer.status)")
                #expect(try await fixture.dump() == before, "\(route.key) without the CSRF token changed the database")
                // A wrong token is refused the same way.
                let forged = try await fixture.send(
                    client, route.method, uri, body: routeCase.body, headers: [.cookie: admin.cookie, SecurityFixture.csrfHeader: "forged"])
                #expect(forged.status == .forbidden, "\(route.key) with a forged CSRF token: \(forged.status)")
                #expect(try await fixture.dump() == before, "\(route.key) with a forged CSRF token changed the database")
            }
            // The session survived every refused POST (logout included).
            let home = try await client.call(.get, "/", headers: [.cookie: admin.cookie])
            #expect(home.status == .ok)
        }
    }
}

extension RouteEntry {
    var key: String { "\(method) \(path)" }
}

/// The API test city with a feedback file on one ticket of each unit, and what the suite
/// needs to fill routes: the county's objects (in scope of the `county` unit user) and the
/// education bureau's (out of it).
struct SecurityFixture: Sendable {
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let educationUnitQuery = "%E9%B8%BF%E6%BA%AA%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80"  // 鸿溪市教育局

    let city: APITestCity
    let catalog: [RouteEntry]
    let runCode: String
    /// Open tickets, and tickets with feedback and one attachment, of each side.
    let countyTicket: String
    let countyTicketWithFile: String
    let educationTicket: String
    let educationTicketWithFile: String

    /// Texts only the education bureau's objects carry: its site code, account id and tickets.
    var educationMarkers: [String] { ["4301000002", "hx_jyj", educationTicket, educationTicketWithFile] }

    static func withServer(_ body: @escaping @Sendable (SecurityFixture, any TestClientProtocol) async throws -> Void) async throws {
        try await APITestCity.withServer { city, client in
            let catalog = try await GovWatchServer.buildRouter(
                store: city.store, configuration: ServerConfiguration(bcryptCost: 4, clock: { APITestCity.now }),
                logger: Logger(label: "security-suite")
            ).catalog.routes
            let county = try await city.tickets(of: "青川县人民政府") + city.tickets(of: "青川县卫生健康局")
            let education = try await city.tickets(of: "鸿溪市教育局")
            #expect(county.count >= 2 && education.count >= 2, "the test city has two tickets on each side")
            for (ticket, user) in [(county[1], "county"), (education[1], "education")] {
                var form = MultipartForm()
                form.field("text", "已整改，附报告")
                form.file("files", fileName: "整改报告.pdf", APITicketTests.pdf)
                let answer = try await client.call(
                    .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer(user)), body: form.body)
                #expect(answer.status == .ok)
            }
            let fixture = SecurityFixture(
                city: city, catalog: catalog, runCode: city.run.code, countyTicket: county[0].code,
                countyTicketWithFile: county[1].code, educationTicket: education[0].code, educationTicketWithFile: education[1].code)
            // The comparisons below see the rows that matter (a dump of nothing would always match).
            let dump = try await fixture.dump()
            #expect((dump["tickets"]?.count ?? 0) >= 4 && (dump["ticket_attachments"]?.count ?? 0) == 2, "dumped: \(dump.keys.sorted())")
            try await body(fixture, client)
        }
    }

    /// The route's path with its `{parameters}` filled.
    func uri(_ path: String, _ parameters: [String: String]) -> String {
        var filled = path
        for (name, value) in parameters {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            filled = filled.replacingOccurrences(of: "{\(name)}", with: value.addingPercentEncoding(withAllowedCharacters: allowed)!)
        }
        return filled
    }

    func send(
        _ client: any TestClientProtocol, _ method: String, _ uri: String, body: SecuritySuiteTests.RequestBody, headers: HTTPFields
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        var headers = headers
        var data: Data?
        guard method == "POST" else { return try await client.call(HTTPRequest.Method(method)!, uri, headers: headers) }
        switch body {
        case .none:
            headers[.contentType] = "application/x-www-form-urlencoded"
            data = Data()
        case .form(let fields):
            headers[.contentType] = "application/x-www-form-urlencoded"
            data = Data(ServerTestSupport.form(fields).utf8)
        case .json(let fields):
            headers[.contentType] = "application/json"
            data = jsonBody(fields)
        case .multipart(let fields):
            var form = MultipartForm()
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) { form.field(name, value) }
            headers = form.headers(headers)
            data = form.body
        }
        return try await client.call(.post, uri, headers: headers, body: data)
    }

    /// Every row of every table except the ones signing in and using a session touch
    /// (sessions, API tokens' last use, login attempts), as text: equal dumps mean nothing changed.
    func dump() async throws -> [String: [String]] {
        try await Self.dump(city.store)
    }

    static func dump(_ store: Store) async throws -> [String: [String]] {
        let sql = try #require(store.database as? any SQLDatabase)
        struct Name: Decodable { var name: String }
        let tables = try await sql.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).all(decoding: Name.self).map(\.name).filter { !["user_sessions", "api_tokens", "login_attempts", "_fluent_migrations"].contains($0) }
        var dump: [String: [String]] = [:]
        for table in tables {
            let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all(decoding: Name.self).map(\.name)
            guard !columns.isEmpty else { continue }
            struct Line: Decodable { var line: String? }
            let expression = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
            dump[table] = try await sql.raw(SQLQueryString("SELECT \(unsafeRaw: expression) AS line FROM \"\(unsafeRaw: table)\" ORDER BY rowid"))
                .all(decoding: Line.self).map { $0.line ?? "" }
        }
        return dump
    }
}
