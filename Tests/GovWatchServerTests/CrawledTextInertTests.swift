import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Crawled text is inert (web.md): a page of a government site whose title, link texts and
/// sentences carry markup reaches every page that shows it (site, findings, tickets, 三审)
/// only escaped — no script from it, no event attribute, no `javascript:` link.
@Suite struct CrawledTextInertTests {
    static let script = "<script>alert(1)</script>"
    static let attribute = "\"onmouseover=alert(1) x=\""
    static let javascriptURL = "javascript:alert(1)"
    static let hostile = "\(script)\(attribute)<a href=\"\(javascriptURL)\">点此</a><img src=x onerror=alert(1)>"

    /// What makes an HTML answer executable beyond the layout's own script file: a `<script>`
    /// that is not `/static/…`, an `on…=` attribute in a tag, or a `javascript:` link.
    static func executableMarkup(in html: String) -> [String] {
        var found: [String] = []
        let patterns = [
            #"<script(?![^>]*\ssrc="/static/)[^>]*>"#, #"<[a-zA-Z][^>]*\son[a-zA-Z]+\s*="#,
            #"(?i)(href|src|action|formaction)\s*=\s*["']?\s*javascript:"#,
        ]
        for pattern in patterns {
            let expression = try! NSRegularExpression(pattern: pattern)
            for match in expression.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                found.append(String(html[Range(match.range, in: html)!]))
            }
        }
        return found
    }

    @Test func theCheckFindsExecutableMarkup() {
        #expect(Self.executableMarkup(in: "<p>\(Self.hostile)</p>").count >= 3)
        #expect(Self.executableMarkup(in: #"<script src="/static/govwatch.js" defer></script><p>&lt;script&gt;</p>"#).isEmpty)
    }

    @Test func hostileCrawledTextIsEscapedOnEveryPageShowingIt() async throws {
        try await APITestCity.withServer { city, client in
            // A second inspection found the hostile page on the county health bureau's site.
            let run = try await city.store.startRun(
                asOf: APITestCity.asOf.addingTimeInterval(86_400), indicatorSet: "national-2019@1", startedAt: APITestCity.now)
            let target = Target(kind: .site, code: "4301210002", name: "青川县卫生健康局")
            let findings = [
                Finding(
                    target: target, indicator: .siteLinksBroken, level: .deduction, url: Self.javascriptURL,
                    detail: ["status": 404, "onHomepage": true, "linkText": .string(Self.hostile), "pageTitle": .string(Self.hostile)],
                    evidence: Self.hostile, locationKey: "hostile-link"),
                Finding(
                    target: target, indicator: .siteContentSevereError, level: .veto, url: "http://wjj.qingchuan.gov.cn/a.html",
                    detail: ["wrong": .string(Self.script), "sentence": .string(Self.hostile)], evidence: Self.hostile,
                    locationKey: "hostile-sentence"),
            ]
            try await city.store.record(findings, in: run.code)
            try await city.store.record(
                [Scorecard(target: target, score: 90, vetoes: [.siteContentSevereError], passed: false)], in: run.code)
            try await city.store.finishRun(run.code, at: APITestCity.now)
            _ = try await city.store.applyInspection(
                findings: findings, run: run.code, asOf: APITestCity.asOf, scope: .everything, policy: RectificationPolicy(),
                now: APITestCity.now)
            let tickets = try await city.store.tickets(TicketFilter(unit: "青川县卫生健康局"))
            let hostileTickets = tickets.filter { $0.evidence == Self.hostile || $0.url == Self.javascriptURL }
            #expect(!hostileTickets.isEmpty)

            var pages = ["/", "/sites/4301210002", "/findings", "/findings?unit=%E9%9D%92%E5%B7%9D%E5%8E%BF%E5%8D%AB%E7%94%9F%E5%81%A5%E5%BA%B7%E5%B1%80", "/tickets", "/tickets/clearance", "/runs/\(run.code)"]
            pages += hostileTickets.map { "/tickets/\($0.code)" }
            for user in ["inspector", "county"] {
                let session = try await city.session(for: user)
                for page in pages {
                    let answer = try await client.call(.get, page, headers: [.cookie: session.cookie])
                    #expect(answer.status == .ok, "\(page) as \(user)")
                    let html = String(decoding: answer.body, as: UTF8.self)
                    #expect(Self.executableMarkup(in: html).isEmpty, "\(page) as \(user): \(Self.executableMarkup(in: html))")
                }
                // 三审 of a pasted draft holding the same text.
                let scan = try await client.call(
                    .post, "/scan", headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: Data(ServerTestSupport.form(["csrf_token": session.csrf, "text": "中华人民共和国成立于1949年。" + Self.hostile]).utf8))
                #expect(scan.status == .ok, "三审 as \(user)")
                let html = String(decoding: scan.body, as: UTF8.self)
                #expect(html.contains("&lt;script&gt;"), "the draft is shown, escaped")
                #expect(Self.executableMarkup(in: html).isEmpty, "三审 as \(user): \(Self.executableMarkup(in: html))")
            }
            // The site page shows the hostile evidence (escaped), so the check saw it.
            let inspector = try await city.session(for: "inspector")
            let site = try await client.call(.get, "/findings", headers: [.cookie: inspector.cookie])
            #expect(String(decoding: site.body, as: UTF8.self).contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}
