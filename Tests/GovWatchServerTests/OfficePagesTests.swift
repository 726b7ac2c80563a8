import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// 检查, 通报, 三审, 台账, 设置 and 用户 over the API tests' city (`APITestCity`).
@Suite("Office pages")
struct OfficePagesTests {
    static func get(_ client: any TestClientProtocol, _ uri: String, _ cookie: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { ($0.status, String(buffer: $0.body)) }
    }

    /// Posts a urlencoded form (with `csrf_token` when given).
    static func post(
        _ client: any TestClientProtocol, _ uri: String, _ cookie: String, csrf: String?, _ fields: [(String, String)]
    ) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let all = fields + (csrf.map { [("csrf_token", $0)] } ?? [])
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try await client.execute(
            uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { ($0.status, $0.headers, String(buffer: $0.body)) }
    }

    static func upload(
        _ client: any TestClientProtocol, _ uri: String, _ cookie: String, _ form: MultipartForm
    ) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(
            uri: uri, method: .post, headers: form.headers([.cookie: cookie]), body: ByteBuffer(bytes: form.body)
        ) { ($0.status, String(buffer: $0.body)) }
    }

    // MARK: - 检查

    @Test func runsListShowsCountsAndTheStartFormToTheOfficeOnly() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "inspector")
            let (status, html) = try await Self.get(client, "/runs", cookie)
            #expect(status == .ok)
            #expect(html.contains(#"<a href="/runs/\#(city.run.code)">\#(city.run.code)</a>"#))
            #expect(html.contains("2022-03-31"))
            #expect(html.contains(#"action="/runs""#) && html.contains(#"name="csrf_token" value="\#(csrf)""#))
            #expect(html.contains(#"value="4301210002""#))

            let (viewerCookie, _) = try await city.session(for: "viewer")
            let (_, viewer) = try await Self.get(client, "/runs", viewerCookie)
            #expect(viewer.contains(city.run.code) && !viewer.contains(#"action="/runs""#))

            // The county's user sees the run, counted over its own targets, and no form.
            let (countyCookie, _) = try await city.session(for: "county")
            let (countyStatus, county) = try await Self.get(client, "/runs/\(city.run.code)", countyCookie)
            let office = try await city.store.counts(of: city.run.code, within: nil)
            let scope = try await city.store.unitSubtree(named: "青川县人民政府")
            let own = try await city.store.counts(of: city.run.code, within: scope)
            #expect(countyStatus == .ok && own.findings < office.findings)
            #expect(county.contains(#"id="run-findings">\#(own.findings)<"#))
            #expect(try await Self.get(client, "/runs/r-20990101-0001", countyCookie).0 == .notFound)
        }
    }

    @Test func runPageShowsCrawlProgressWithinScopeAndStreamsIt() async throws {
        try await APITestCity.withServer { city, client in
            let running = try await city.store.startRun(asOf: APITestCity.now, indicatorSet: "national-2019@1", startedAt: APITestCity.now)
            for (site, urls) in [("4301210002", 3), ("4301000002", 2)] {
                let (session, _) = try await city.store.openCrawlSession(
                    key: "\(running.code)/\(site)", siteCode: site, asOf: running.asOf, settings: "{}", startedAt: APITestCity.now)
                var entries = (0..<urls).map {
                    CrawlURLEntry(url: "http://\(site).example/\($0)", depth: 1, role: "page", kind: "page", state: "done", status: 200)
                }
                entries.append(CrawlURLEntry(url: "http://\(site).example/missing", depth: 1, role: "page", kind: "page", state: "done", status: 404))
                entries.append(CrawlURLEntry(url: "http://\(site).example/next", depth: 2, role: "page", kind: "page"))
                try await city.store.commitCrawlBatch(session: session.id, results: [], newURLs: entries)
                // New rows are stored without a status: the failed one is answered as the crawler does.
                var missing = try #require(
                    try await city.store.crawlURLIndex(session: session.id, afterID: 0, limit: 100).first { $0.url.hasSuffix("/missing") })
                missing.status = 404
                missing.error = "HTTP 404"
                try await city.store.commitCrawlBatch(session: session.id, results: [missing], newURLs: [])
            }
            let (cookie, _) = try await city.session(for: "inspector")
            let (status, html) = try await Self.get(client, "/runs/\(running.code)", cookie)
            #expect(status == .ok)
            #expect(html.contains("进行中"))
            // Without scripts the page refreshes itself; with them the script listens to the stream.
            #expect(html.contains(#"<noscript><meta http-equiv="refresh" content="3"></noscript>"#))
            #expect(html.contains(#"<script src="/static/run-progress.js" defer></script>"#))
            #expect(html.contains("青川县卫生健康局") && html.contains(#"<td class="num">4</td><td class="num">1</td><td class="num">1</td>"#))
            #expect(html.contains("鸿溪市教育局"))

            let (educationCookie, _) = try await city.session(for: "education")
            let (_, education) = try await Self.get(client, "/runs/\(running.code)", educationCookie)
            #expect(education.contains("鸿溪市教育局") && !education.contains("青川"))

            // A finished run's stream sends one `done` event and ends.
            try await city.store.finishRun(running.code, at: APITestCity.now)
            let (streamStatus, headers, stream) = try await client.execute(
                uri: "/runs/\(running.code)/progress", method: .get, headers: [.cookie: educationCookie]
            ) { ($0.status, $0.headers, String(buffer: $0.body)) }
            #expect(streamStatus == .ok && headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(stream.hasPrefix("event: done\ndata: {"))
            #expect(stream.contains(#""siteName":"鸿溪市教育局""#) && !stream.contains("青川"))
            let js = try await Self.get(client, "/static/run-progress.js", cookie)
            #expect(js.0 == .ok && js.1.contains("EventSource") && !js.1.contains("innerHTML"))
        }
    }

    @Test func officeStartsAnInspectionFromTheFormAsTheAPIDoes() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "inspector")
            let fields = [("asOf", "2022-06-30"), ("scope", "chosen"), ("site", "4301210002"), ("account", "hx_jyj")]
            let runsBefore = try await city.store.runs(limit: 10, offset: 0).total

            // No CSRF token, a viewer, a unit user: refused and nothing queued.
            #expect(try await Self.post(client, "/runs", cookie, csrf: nil, fields).0 == .forbidden)
            let (viewerCookie, viewerCSRF) = try await city.session(for: "viewer")
            #expect(try await Self.post(client, "/runs", viewerCookie, csrf: viewerCSRF, fields).0 == .forbidden)
            let (countyCookie, countyCSRF) = try await city.session(for: "county")
            #expect(try await Self.post(client, "/runs", countyCookie, csrf: countyCSRF, fields).0 == .forbidden)
            #expect(try await city.store.runs(limit: 10, offset: 0).total == runsBefore)

            let (status, headers, _) = try await Self.post(client, "/runs", cookie, csrf: csrf, fields)
            #expect(status == .seeOther)
            let location = try #require(headers[.location])
            #expect(location.hasPrefix("/runs/r-20220630-"))
            let code = String(location.dropFirst("/runs/".count))
            let progress = try await city.store.runProgress(code)
            #expect(progress.tasks == 3 && progress.tasksDone == 0)  // the site, the accounts, finishing
            let audit = try await city.store.auditEntries(object: code)
            #expect(audit.map(\.action) == ["inspection.start"] && audit.first?.actor == "inspector")

            let (page, html) = try await Self.get(client, location, cookie)
            #expect(page == .ok && html.contains("已完成 <strong id=\"run-tasks-done\">0</strong> / <span id=\"run-tasks\">3</span>"))

            // Chosen scope with nothing chosen, an unknown site, a bad date: 400 in Chinese.
            #expect(try await Self.post(client, "/runs", cookie, csrf: csrf, [("scope", "chosen")]).0 == .badRequest)
            let (unknown, _, unknownPage) = try await Self.post(
                client, "/runs", cookie, csrf: csrf, [("asOf", "2022-07-31"), ("scope", "chosen"), ("site", "9999999999")])
            #expect(unknown == .badRequest && unknownPage.contains("9999999999"))
            #expect(try await Self.post(client, "/runs", cookie, csrf: csrf, [("asOf", "明天"), ("scope", "all")]).0 == .badRequest)
        }
    }

    // MARK: - 通报

    @Test func reportsPageOffersEveryFormatAndDownloadsTheNotice() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, _) = try await city.session(for: "viewer")
            let (status, html) = try await Self.get(client, "/reports?period=2022Q1", cookie)
            #expect(status == .ok && html.contains("2022年第一季度检查情况通报"))
            for format in ["docx", "xlsx", "html", "md"] { #expect(html.contains(#"href="/reports/2022Q1.\#(format)""#)) }

            let (markdownStatus, headers, markdown) = try await client.execute(
                uri: "/reports/2022Q1.md", method: .get, headers: [.cookie: cookie]
            ) { ($0.status, $0.headers, String(buffer: $0.body)) }
            #expect(markdownStatus == .ok && markdown.contains("2022年第一季度"))
            #expect(headers[.contentDisposition]?.hasPrefix(#"attachment; filename="notice-2022Q1.md""#) == true)
            let docx = try await client.execute(uri: "/reports/2022Q1.docx", method: .get, headers: [.cookie: cookie]) {
                ($0.status, Array($0.body.readableBytesView.prefix(2)))
            }
            #expect(docx.0 == .ok && docx.1 == Array("PK".utf8))

            let (bad, badPage) = try await Self.get(client, "/reports?period=2022Q5", cookie)
            #expect(bad == .badRequest && badPage.contains("统计周期“2022Q5”无效"))
            #expect(try await Self.get(client, "/reports/2022Q1.pdf", cookie).0 == .badRequest)

            // The notice ranks every unit: not a unit user's document.
            let (countyCookie, _) = try await city.session(for: "county")
            #expect(try await Self.get(client, "/reports", countyCookie).0 == .forbidden)
            #expect(try await Self.get(client, "/reports/2022Q1.md", countyCookie).0 == .forbidden)
        }
    }

    // MARK: - 三审

    @Test func scanHighlightsProblemsInPlaceAndNeverEchoesTheIDNumber() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "county")
            let (formStatus, form) = try await Self.get(client, "/scan", cookie)
            #expect(formStatus == .ok && form.contains(#"action="/scan?csrf_token=\#(csrf)""#))

            let draft = "关于张三同志的公示<script>alert(1)</script>\n身份证号：110101199003077571，联系电话 0838-1234567。\n中华人民共合国"
            let (status, _, html) = try await Self.post(client, "/scan", cookie, csrf: csrf, [("text", draft)])
            #expect(status == .ok)
            #expect(!html.contains("110101199003077571") && !html.contains("19900307"))
            #expect(html.contains(#"<mark class="privacy""#) && html.contains("********"))
            #expect(html.contains(#"<mark class="veto" title="严重表述错误，建议：中华人民共和国">中华人民共合国<sup>"#))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert(1)"))
            #expect(html.contains("修改前不得发布"))

            var upload = MultipartForm()
            upload.file("file", fileName: "../草稿.txt", Data(draft.utf8), type: "text/plain")
            let (uploaded, uploadedPage) = try await Self.upload(client, "/scan?csrf_token=\(csrf)", cookie, upload)
            #expect(uploaded == .ok && uploadedPage.contains("检查结果：草稿.txt") && !uploadedPage.contains("110101199003077571"))
            #expect(try await Self.upload(client, "/scan", cookie, upload).0 == .forbidden)

            let (clean, _, cleanPage) = try await Self.post(client, "/scan", cookie, csrf: csrf, [("text", "鸿溪市人民政府办公室")])
            #expect(clean == .ok && cleanPage.contains("未发现问题"))
            #expect(try await Self.post(client, "/scan", cookie, csrf: nil, [("text", draft)]).0 == .forbidden)
            let (viewerCookie, viewerCSRF) = try await city.session(for: "viewer")
            #expect(try await Self.post(client, "/scan", viewerCookie, csrf: viewerCSRF, [("text", draft)]).0 == .forbidden)
        }
    }

    // MARK: - 台账

    @Test func registryImportIsAllOrNothingWithTheLineInChineseAndExportReimports() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "inspector")
            let (status, html) = try await Self.get(client, "/registry", cookie)
            #expect(status == .ok && html.contains(#"href="/registry/sites.csv""#))
            #expect(html.contains(#"action="/registry/import?csrf_token=\#(csrf)""#))

            let sitesBefore = try await city.store.sites()
            var bad = MultipartForm()
            bad.field("kind", "sites")
            bad.file(
                "file", fileName: "新台账.csv",
                Data("网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位\n4301000009,鸿溪市<b>民政局</b>,http://mzj.hongxi.gov.cn/,部门网站,鸿溪市民政局,鸿溪市人民政府\n43010,坏行,not-a-url,部门网站,某局,\n".utf8))
            let (rejected, rejectedPage) = try await Self.upload(client, "/registry/import?csrf_token=\(csrf)", cookie, bad)
            #expect(rejected == .unprocessableContent)
            #expect(rejectedPage.contains("导入失败，台账未作任何修改") && rejectedPage.contains("新台账.csv") && rejectedPage.contains("第 3 行"))
            #expect(try await city.store.sites() == sitesBefore)

            var good = MultipartForm()
            good.field("kind", "sites")
            good.file(
                "file", fileName: "新台账.csv",
                Data("网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位\n4301000009,鸿溪市<b>民政局</b>,http://mzj.hongxi.gov.cn/,部门网站,鸿溪市民政局,鸿溪市人民政府\n".utf8))
            #expect(try await Self.upload(client, "/registry/import", cookie, good).0 == .forbidden)
            let (imported, importedPage) = try await Self.upload(client, "/registry/import?csrf_token=\(csrf)", cookie, good)
            #expect(imported == .ok && importedPage.contains("新增 1 条"))
            #expect(try await city.store.sites().count == sitesBefore.count + 1)
            #expect(try await city.store.auditEntries(object: "sites").map(\.action) == ["registry.import.rejected", "registry.import"])

            let (exportStatus, headers, csv) = try await client.execute(
                uri: "/registry/sites.csv", method: .get, headers: [.cookie: cookie]
            ) { ($0.status, $0.headers, String(buffer: $0.body)) }
            #expect(exportStatus == .ok && headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv == (try await RegistryListing.render("sites", format: "csv", from: city.store)))
            #expect(csv.contains("鸿溪市<b>民政局</b>"))
            // The export imports back unchanged.
            let summary = try await RegistryImporter.importFile(.sites, data: Data(csv.utf8), file: "export.csv", into: city.store)
            #expect(summary.inserted == 0 && summary.updated == 0)
            #expect(try await Self.get(client, "/registry/secrets.csv", cookie).0 == .notFound)

            let (countyCookie, _) = try await city.session(for: "county")
            #expect(try await Self.get(client, "/registry", countyCookie).0 == .forbidden)
            #expect(try await Self.get(client, "/registry/people.csv", countyCookie).0 == .forbidden)
            let (viewerCookie, _) = try await city.session(for: "viewer")
            #expect(try await Self.get(client, "/registry/sites.csv", viewerCookie).0 == .forbidden)
        }
    }

    // MARK: - 用户

    @Test func adminManagesUsersPasswordsAndTokensAllAudited() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "admin")
            let (status, html) = try await Self.get(client, "/users", cookie)
            #expect(status == .ok && html.contains(#"<a href="/users/county">county</a>"#) && html.contains("青川县人民政府"))

            #expect(try await Self.post(client, "/users", cookie, csrf: nil, [("username", "wj"), ("role", "unit")]).0 == .forbidden)
            let (created, _, createdPage) = try await Self.post(
                client, "/users", cookie, csrf: csrf,
                [("username", "wj"), ("displayName", "<i>卫健</i>"), ("role", "unit"), ("unit", "青川县卫生健康局"), ("password", "")])
            #expect(created == .ok && createdPage.contains("初始密码") && createdPage.contains("&lt;i&gt;卫健&lt;/i&gt;"))
            let user = try #require(try await city.store.user(named: "wj"))
            #expect(user.role == .unit && user.unitName == "青川县卫生健康局")
            let (missingUnit, _, missingUnitPage) = try await Self.post(
                client, "/users", cookie, csrf: csrf, [("username", "x1"), ("role", "unit"), ("unit", "")])
            #expect(missingUnit == .badRequest && missingUnitPage.contains("单位用户必须指定所属单位"))

            let (_, _, reset) = try await Self.post(client, "/users/wj/password", cookie, csrf: csrf, [])
            #expect(reset.contains("已重置密码，新密码"))
            let (_, _, roled) = try await Self.post(client, "/users/wj/role", cookie, csrf: csrf, [("role", "viewer"), ("unit", "")])
            #expect(roled.contains("已修改角色和所属单位"))
            #expect(try await city.store.user(named: "wj")?.role == .viewer)
            let (_, _, tokenPage) = try await Self.post(client, "/users/wj/tokens", cookie, csrf: csrf, [("label", "报表脚本"), ("expires", "30")])
            #expect(tokenPage.contains("新的 API 令牌：<code class=\"secret\">gw_"))
            let token = try #require(try await city.store.apiTokens(userID: user.id).first)
            #expect(try await Self.post(client, "/users/wj/tokens/\(token.id)/revoke", cookie, csrf: csrf, []).0 == .ok)
            #expect(try await city.store.apiTokens(userID: user.id).first?.revoked == true)
            // Another user's token through this user's path: not found.
            let admin = try #require(try await city.store.user(named: "admin"))
            let adminToken = try #require(try await city.store.apiTokens(userID: admin.id).first)
            #expect(try await Self.post(client, "/users/wj/tokens/\(adminToken.id)/revoke", cookie, csrf: csrf, []).0 == .notFound)
            #expect(try await Self.post(client, "/users/wj/disable", cookie, csrf: csrf, []).0 == .ok)
            #expect(try await city.store.user(named: "wj")?.disabled == true)
            #expect(try await Self.post(client, "/users/admin/disable", cookie, csrf: csrf, []).0 == .badRequest)
            #expect(try await Self.get(client, "/users/nobody", cookie).0 == .notFound)
            // The viewed user's unit stays in the page, not in the header's line of who is signed in.
            let (_, countyPage) = try await Self.get(client, "/users/county", cookie)
            #expect(countyPage.contains("所属单位：青川县人民政府") && countyPage.contains("<span>admin（管理员）</span>"))

            let actions = try await city.store.auditEntries(object: "user:wj").map(\.action)
            #expect(actions == ["user.create", "user.reset-password", "user.role", "token.create", "token.revoke", "user.disable"])
            #expect(try await city.store.auditEntries(object: "user:wj").allSatisfy { $0.actor == "admin" })

            let (inspectorCookie, inspectorCSRF) = try await city.session(for: "inspector")
            #expect(try await Self.get(client, "/users", inspectorCookie).0 == .forbidden)
            #expect(try await Self.post(client, "/users/wj/enable", inspectorCookie, csrf: inspectorCSRF, []).0 == .forbidden)
        }
    }

    // MARK: - 设置

    @Test func adminEditsThresholdsAsANewVersionOfTheSet() async throws {
        try await APITestCity.withServer { city, client in
            let (cookie, csrf) = try await city.session(for: "admin")
            let (status, html) = try await Self.get(client, "/settings", cookie)
            #expect(status == .ok && html.contains("national-2019@1") && html.contains(#"action="/settings/indicators""#))

            #expect(try await Self.post(client, "/settings/indicators", cookie, csrf: nil, [("passMark", "70")]).0 == .forbidden)
            #expect(try await Self.post(client, "/settings/indicators", cookie, csrf: csrf, [("passMark", "七十")]).0 == .badRequest)
            let (saved, _, savedPage) = try await Self.post(client, "/settings/indicators", cookie, csrf: csrf, [("passMark", "70")])
            #expect(saved == .ok && savedPage.contains("已保存为指标体系"))
            let set = try await city.store.indicatorSet()
            #expect(set.passMark == 70 && set.version == IndicatorSet.national2019.version + 1)
            #expect(try await city.store.auditEntries(object: "indicator_set").first?.detail["passMark"] != nil)

            #expect(try await Self.post(client, "/settings/indicators/reset", cookie, csrf: csrf, []).0 == .ok)
            #expect(try await city.store.indicatorSet() == IndicatorSet.national2019)

            let (inspectorCookie, inspectorCSRF) = try await city.session(for: "inspector")
            #expect(try await Self.get(client, "/settings", inspectorCookie).0 == .forbidden)
            #expect(try await Self.post(client, "/settings/indicators", inspectorCookie, csrf: inspectorCSRF, [("passMark", "1")]).0 == .forbidden)
        }
    }
}
