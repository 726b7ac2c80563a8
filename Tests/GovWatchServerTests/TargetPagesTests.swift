import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// 总览, 网站 and 新媒体 pages over the API tests' city (`APITestCity`): the county's unit user
/// (青川县人民政府) sees the county and its department only; the education bureau's user sees
/// its own site and account only.
@Suite("Overview, site and account pages")
struct TargetPagesTests {
    /// Adds what the pages show beyond the city: a severe error whose crawled excerpt holds
    /// markup, and the week's probes of the county portal, the newest of them failed.
    static func addPageData(_ city: APITestCity) async throws {
        let severe = Finding(
            target: Target(kind: .site, code: "4301210002", name: "青川县卫生健康局"), indicator: .siteContentSevereError,
            level: .veto, url: "javascript:alert(1)",
            detail: ["wrong": "习近平新时期", "correct": "习近平新时代"],
            evidence: "严重表述错误：…<script>alert(1)</script>学习【习近平新时期】中国特色…（应为“习近平新时代”）",
            locationKey: "severe")
        try await city.store.record([severe], in: city.run.code)
        for hour in stride(from: 48, through: 1, by: -1) {
            try await city.store.record(
                Probe(
                    siteCode: "4301210001", at: APITestCity.now.addingTimeInterval(-Double(hour) * 3_600), ok: hour != 1,
                    status: hour == 1 ? 503 : 200, latencyMilliseconds: hour == 1 ? nil : 420, error: hour == 1 ? "服务不可用" : nil))
        }
        try await city.store.record(
            Probe(siteCode: "4301000002", at: APITestCity.now.addingTimeInterval(-1_800), ok: true, status: 200, latencyMilliseconds: 300))
    }

    static func page(_ client: any TestClientProtocol, _ uri: String, _ cookie: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func officeOverviewShowsRatesTrendBacklogAndAttention() async throws {
        try await APITestCity.withServer { city, client in
            try await Self.addPageData(city)
            let (cookie, csrf) = try await city.session(for: "inspector")
            let (status, html) = try await Self.page(client, "/", cookie)
            #expect(status == .ok)
            #expect(html.contains("最近一次检查：\(city.run.code)"))
            #expect(html.contains("政府门户网站"))
            #expect(html.contains("<svg"))
            // The county portal's veto and its failed newest probe need attention today.
            #expect(html.contains(#"<a href="/sites/4301210001">青川县人民政府</a>"#))
            #expect(html.contains("HTTP 503"))
            #expect(html.contains("整改清零进度"))
            #expect(html.contains(#"name="csrf_token" value="\#(csrf)""#))
        }
    }

    @Test func unitOverviewShowsOnlyItsScope() async throws {
        try await APITestCity.withServer { city, client in
            try await Self.addPageData(city)
            let (cookie, _) = try await city.session(for: "education")
            let (status, html) = try await Self.page(client, "/", cookie)
            #expect(status == .ok)
            #expect(html.contains("鸿溪市教育局"))
            // Nothing of the county: not its veto, tickets, probes or units.
            #expect(!html.contains("青川"))
            #expect(!html.contains("HTTP 503"))

            let (countyCookie, _) = try await city.session(for: "county")
            let (_, county) = try await Self.page(client, "/", countyCookie)
            #expect(county.contains("HTTP 503"))
            #expect(county.contains("青川县卫生健康局"))
            #expect(!county.contains("鸿溪市教育局"))
        }
    }

    @Test func siteListFiltersAndPagesWithinScope() async throws {
        try await APITestCity.withServer { city, client in
            let (office, _) = try await city.session(for: "viewer")
            let (status, all) = try await Self.page(client, "/sites", office)
            #expect(status == .ok)
            for code in ["4301000001", "4301000002", "4301210001", "4301210002"] { #expect(all.contains(">\(code)<")) }
            #expect(all.contains("未评分"))

            let (_, failed) = try await Self.page(client, "/sites?passed=no", office)
            #expect(failed.contains(">4301210001<"))
            #expect(!failed.contains(">4301000002<"))
            #expect(failed.contains(#"<option value="no" selected>"#))

            let (_, portals) = try await Self.page(client, "/sites?kind=portal", office)
            #expect(portals.contains(">4301000001<") && portals.contains(">4301210001<"))
            #expect(!portals.contains(">4301210002<"))

            let (_, county) = try await Self.page(client, "/sites?unit=%E9%9D%92%E5%B7%9D%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C", office)
            #expect(county.contains(">4301210002<") && !county.contains(">4301000002<"))

            let (_, first) = try await Self.page(client, "/sites?limit=2", office)
            #expect(first.contains("第 1–2 条，共 4 条"))
            #expect(first.contains("下一页"))
            #expect(first.contains("offset=2"))

            let (unit, _) = try await city.session(for: "county")
            let (_, scoped) = try await Self.page(client, "/sites", unit)
            #expect(scoped.contains(">4301210001<") && scoped.contains(">4301210002<"))
            #expect(!scoped.contains(">4301000002<") && !scoped.contains(">4301000001<"))
            // A unit filter outside the scope shows nothing rather than the other unit's sites.
            let (_, outside) = try await Self.page(client, "/sites?unit=%E9%B8%BF%E6%BA%AA%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80", unit)
            #expect(!outside.contains(">4301000002<"))
            #expect(outside.contains("没有符合条件的网站"))
        }
    }

    @Test func sitePageShowsScorecardHighlightedEscapedEvidenceProbesAndColumns() async throws {
        try await APITestCity.withServer { city, client in
            try await Self.addPageData(city)
            let (cookie, _) = try await city.session(for: "county")
            let (status, html) = try await Self.page(client, "/sites/4301210002", cookie)
            #expect(status == .ok)
            #expect(html.contains("<mark>习近平新时期</mark>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;学习<mark>"))
            #expect(!html.contains("<script>alert(1)"))
            // A crawled javascript: address is shown as text, never as a link.
            #expect(!html.contains(#"href="javascript:"#))
            #expect(html.contains("基础分"))
            #expect(html.contains("通知公告"))
            #expect(html.contains("没有探测记录"))

            let (_, portal) = try await Self.page(client, "/sites/4301210001", cookie)
            #expect(portal.contains("不合格"))
            #expect(portal.contains("共探测 48 次，失败 1 次"))
            #expect(portal.contains("<svg"))
            #expect(portal.contains("15 秒超时线"))
        }
    }

    @Test func targetsOutsideScopeOrUnknownAnswer404() async throws {
        try await APITestCity.withServer { city, client in
            let (unit, _) = try await city.session(for: "county")
            #expect(try await Self.page(client, "/sites/4301000002", unit).0 == .notFound)
            #expect(try await Self.page(client, "/accounts/hx_jyj", unit).0 == .notFound)
            #expect(try await Self.page(client, "/sites/4301210002", unit).0 == .ok)
            let (office, _) = try await city.session(for: "admin")
            #expect(try await Self.page(client, "/sites/9999999999", office).0 == .notFound)
            #expect(try await Self.page(client, "/accounts/nobody", office).0 == .notFound)
            #expect(try await Self.page(client, "/sites/4301000002", office).0 == .ok)
        }
    }

    @Test func accountListAndPageWithinScope() async throws {
        try await APITestCity.withServer { city, client in
            let (office, _) = try await city.session(for: "inspector")
            let (_, all) = try await Self.page(client, "/accounts", office)
            #expect(all.contains("青川卫健") && all.contains("鸿溪教育"))
            let (_, weibo) = try await Self.page(client, "/accounts?platform=weibo", office)
            #expect(weibo.contains("鸿溪教育") && !weibo.contains("青川卫健"))

            let (unit, _) = try await city.session(for: "county")
            let (_, scoped) = try await Self.page(client, "/accounts", unit)
            #expect(scoped.contains("青川卫健") && !scoped.contains("鸿溪教育"))
            let (status, page) = try await Self.page(client, "/accounts/qc_wjj?platform=wechat", unit)
            #expect(status == .ok)
            #expect(page.contains("微信"))
            #expect(page.contains("&lt;a&gt;失效链接&lt;/a&gt;"))
            #expect(!page.contains("<a>失效链接"))
        }
    }

    @Test func pagesNeedASessionAndRefuseStateChangesWithoutTheToken() async throws {
        try await APITestCity.withServer { city, client in
            for uri in ["/", "/sites", "/sites/4301000002", "/accounts", "/accounts/qc_wjj"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/login") == true)
            }
            // The pages' only state-changing form is the layout's logout form: without the
            // session's token it is refused and the session stays.
            let (cookie, csrf) = try await city.session(for: "viewer")
            let (_, html) = try await Self.page(client, "/sites", cookie)
            #expect(html.contains(#"name="csrf_token" value="\#(csrf)""#))
            let refused = try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf_token=wrong"))
            #expect(refused.status == .forbidden)
            #expect(try await Self.page(client, "/sites", cookie).0 == .ok)
            // Filters are GET forms: they change nothing and carry no token in the address.
            #expect(html.contains(#"<form class="filters" method="get" action="/sites">"#))
        }
    }
}
