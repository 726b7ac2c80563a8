import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ZIPFoundation

/// 问题 and 整改 pages on the API's test city: the office sees the whole city, the county's
/// unit user (青川县人民政府) its county and department only; crawled text is escaped; every
/// form needs the CSRF token; actions are checked by role after the scope (404 first).
@Suite struct FindingAndTicketPagesTests {
    static let pdf = Data("%PDF-1.7\n1 0 obj <<>> endobj\n盖章整改报告\n%%EOF\n".utf8)

    /// A page as a browser of `user` gets it.
    static func page(_ client: any TestClientProtocol, _ city: APITestCity, _ user: String, _ uri: String) async throws
        -> (status: HTTPResponse.Status, html: String, headers: HTTPFields)
    {
        let session = try await city.session(for: user)
        let (status, headers, body) = try await client.call(.get, uri, headers: [.cookie: session.cookie])
        return (status, String(decoding: body, as: UTF8.self), headers)
    }

    /// A urlencoded form post of `user`, with or without the CSRF token.
    static func post(
        _ client: any TestClientProtocol, _ city: APITestCity, _ user: String, _ uri: String, _ fields: [String: String],
        csrf: Bool = true
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        let session = try await city.session(for: user)
        var fields = fields
        if csrf { fields["csrf_token"] = session.csrf }
        let (status, headers, body) = try await client.call(
            .post, uri, headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: Data(ServerTestSupport.form(fields).utf8))
        return (status, headers, String(decoding: body, as: UTF8.self))
    }

    /// The feedback form's post as the browser sends it: multipart, the token in the action's query.
    static func postFeedback(
        _ client: any TestClientProtocol, _ city: APITestCity, _ user: String, _ code: String, text: String,
        files: [(String, Data)], csrf: Bool = true
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        let session = try await city.session(for: user)
        var form = MultipartForm()
        form.field("text", text)
        for (name, bytes) in files { form.file("files", fileName: name, bytes) }
        // The second file input left empty, as a browser sends it.
        form.file("files", fileName: "", Data())
        let uri = "/tickets/\(code)/feedback" + (csrf ? "?csrf_token=\(session.csrf)" : "")
        let (status, headers, body) = try await client.call(
            .post, uri, headers: form.headers([.cookie: session.cookie]), body: form.body)
        return (status, headers, String(decoding: body, as: UTF8.self))
    }

    // MARK: 问题

    @Test func officeSeesEveryFindingWithEscapedHighlightedEvidence() async throws {
        try await APITestCity.withServer { city, client in
            let (status, html, _) = try await Self.page(client, city, "inspector", "/findings")
            #expect(status == .ok)
            #expect(html.contains("<h1>问题</h1>") && html.contains(city.run.code))
            for code in ["4301000002", "4301210001", "4301210002", "qc_wjj", "hx_jyj"] { #expect(html.contains(code)) }
            // Crawled markup is text on the page, never markup.
            #expect(html.contains("&lt;a&gt;失效链接&lt;/a&gt;"))
            #expect(!html.contains("<a>失效链接</a>"))
            #expect(html.contains("共 6 条"))
            #expect(html.contains("/findings/export.csv?run=\(city.run.code)") && html.contains("/findings/export.xlsx?run="))
        }
    }

    @Test func unitUserSeesOnlyItsSubtreesFindings() async throws {
        try await APITestCity.withServer { city, client in
            let (status, html, _) = try await Self.page(client, city, "county", "/findings")
            #expect(status == .ok)
            for code in ["4301210001", "4301210002", "qc_wjj"] { #expect(html.contains(code)) }
            for code in ["4301000002", "hx_jyj"] { #expect(!html.contains(code)) }
            // The unit picker lists the county's units only; naming another unit finds nothing.
            #expect(!html.contains("<option value=\"鸿溪市教育局\""))
            let other = try await Self.page(client, city, "county", "/findings?unit=%E9%B8%BF%E6%BA%AA%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80")
            #expect(other.status == .ok && other.html.contains("没有符合条件的问题") && !other.html.contains("4301000002"))
            // Asking for the other unit's target by code finds nothing either.
            let target = try await Self.page(client, city, "county", "/findings?target=4301000002")
            #expect(target.html.contains("没有符合条件的问题"))
        }
    }

    @Test func filtersPagingAndRunPicker() async throws {
        try await APITestCity.withServer { city, client in
            let veto = try await Self.page(client, city, "admin", "/findings?level=veto")
            #expect(veto.html.contains("共 1 条") && veto.html.contains("4301210001") && !veto.html.contains("qc_wjj"))
            let first = try await Self.page(client, city, "admin", "/findings?limit=2")
            #expect(first.html.contains("第 1–2 条，共 6 条") && first.html.contains("offset=2"))
            let picked = try await Self.page(client, city, "admin", "/findings?run=\(city.run.code)&indicator=site.links.broken")
            #expect(picked.html.contains("共 5 条"))
            let unknown = try await Self.page(client, city, "admin", "/findings?run=R-NOPE")
            #expect(unknown.status == .notFound && unknown.html.contains("页面不存在"))
        }
    }

    @Test func csvExportHasTheCommandsColumnsWithinScope() async throws {
        try await APITestCity.withServer { city, client in
            let county = try await Self.page(client, city, "county", "/findings/export.csv")
            #expect(county.status == .ok)
            #expect(county.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(county.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"findings-") == true)
            let lines = county.html.dropFirst().split(separator: "\n").map(String.init)
            #expect(lines.first == FindingsReport.csvHeader.joined(separator: ","))
            #expect(lines.count == 1 + 4)
            #expect(!county.html.contains("4301000002") && !county.html.contains("hx_jyj"))
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(city.run.code + ",") })
            let filtered = try await Self.page(client, city, "admin", "/findings/export.csv?level=veto")
            #expect(filtered.html.split(separator: "\n").count == 2)
        }
    }

    @Test func excelExportIsAWorkbookOfTheFilteredFindings() async throws {
        try await APITestCity.withServer { city, client in
            let session = try await city.session(for: "county")
            let (status, headers, body) = try await client.call(
                .get, "/findings/export.xlsx?indicator=site.links.broken", headers: [.cookie: session.cookie])
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(AttachmentType.detect(body) == .xlsx)
            let archive = try Archive(data: body, accessMode: .read, pathEncoding: nil)
            let entry = try #require(archive["xl/worksheets/sheet1.xml"])
            var sheet = Data()
            _ = try archive.extract(entry) { sheet.append($0) }
            let xml = String(decoding: sheet, as: UTF8.self)
            #expect(xml.contains("4301210002") && xml.contains("qc_wjj") && !xml.contains("hx_jyj"))
            #expect(xml.components(separatedBy: "<row ").count - 1 == 1 + 3)
            #expect(xml.contains("&lt;a&gt;失效链接&lt;/a&gt;"))
        }
    }

    // MARK: 整改

    @Test func ticketListsByScopeAndFilters() async throws {
        try await APITestCity.withServer { city, client in
            let office = try await Self.page(client, city, "viewer", "/tickets")
            #expect(office.status == .ok && office.html.contains("共 6 条"))
            let county = try await Self.page(client, city, "county", "/tickets")
            #expect(county.html.contains("共 4 条") && county.html.contains("青川县卫生健康局"))
            #expect(!county.html.contains("鸿溪市教育局</td>"))
            let vetoes = try await Self.page(client, city, "admin", "/tickets?indicator=site.homepage.stale")
            #expect(vetoes.html.contains("共 1 条"))
            let closed = try await Self.page(client, city, "admin", "/tickets?state=closed")
            #expect(closed.html.contains("没有符合条件的整改单"))
        }
    }

    @Test func ticketOutsideTheScopeIsNotFoundEverywhere() async throws {
        try await APITestCity.withServer { city, client in
            let education = try #require(try await city.tickets(of: "鸿溪市教育局").first)
            for uri in ["/tickets/\(education.code)", "/tickets/\(education.code)/attachments/1"] {
                #expect(try await Self.page(client, city, "county", uri).status == .notFound)
            }
            let feedback = try await Self.postFeedback(client, city, "county", education.code, text: "已整改", files: [])
            #expect(feedback.status == .notFound)
            for action in ["verify", "reject", "dismiss", "assign"] {
                let answer = try await Self.post(client, city, "county", "/tickets/\(education.code)/\(action)", ["reason": "x", "person": "张三"])
                #expect(answer.status == .notFound)
            }
            #expect(try await city.store.ticket(education.code).state == .open)
        }
    }

    @Test func unitGivesFeedbackWithFilesAndTheOfficeVerifies() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let page = try await Self.page(client, city, "county", "/tickets/\(ticket.code)")
            #expect(page.status == .ok && page.html.contains("提交整改情况") && page.html.contains("enctype=\"multipart/form-data\""))
            #expect(page.html.contains("&lt;a&gt;失效链接&lt;/a&gt;") && !page.html.contains("<a>失效链接</a>"))
            // Units answer; they do not verify.
            #expect(!page.html.contains("核验通过，销号"))

            let sent = try await Self.postFeedback(
                client, city, "county", ticket.code, text: "已修复失效链接<script>", files: [("../盖章件.pdf", Self.pdf)])
            #expect(sent.status == .seeOther)
            #expect(sent.headers[.location] == "/tickets/\(ticket.code)?done=feedback")
            #expect(try await city.store.ticket(ticket.code).state == .feedback)

            let after = try await Self.page(client, city, "inspector", "/tickets/\(ticket.code)?done=verify")
            #expect(after.html.contains("已修复失效链接&lt;script&gt;") && after.html.contains("盖章件.pdf"))
            #expect(after.html.contains("核验通过，销号") && after.html.contains("退回"))
            #expect(after.html.contains("提交整改情况") && after.html.contains("county"))  // the audit entry: who
            let download = try await client.call(
                .get, "/tickets/\(ticket.code)/attachments/1", headers: [.cookie: try await city.session(for: "county").cookie])
            #expect(download.status == .ok && download.body == Self.pdf && download.headers[.contentType] == "application/pdf")

            // Only the office decides, and a reason is required.
            #expect(try await Self.post(client, city, "county", "/tickets/\(ticket.code)/verify", ["reason": "好"]).status == .forbidden)
            #expect(try await Self.post(client, city, "viewer", "/tickets/\(ticket.code)/verify", ["reason": "好"]).status == .forbidden)
            let empty = try await Self.post(client, city, "inspector", "/tickets/\(ticket.code)/reject", ["reason": "  "])
            #expect(empty.status == .badRequest && empty.body.contains("退回必须填写退回意见"))
            let rejected = try await Self.post(client, city, "inspector", "/tickets/\(ticket.code)/reject", ["reason": "链接仍然失效"])
            #expect(rejected.status == .seeOther)
            #expect(try await city.store.ticket(ticket.code).state == .open)
            let entries = try await city.store.auditEntries(object: ticket.code)
            #expect(entries.map(\.action) == ["ticket.feedback", "ticket.reject"])
            #expect(entries.map(\.actor) == ["county", "inspector"] && entries.allSatisfy { $0.address != nil })
        }
    }

    @Test func feedbackFilesAreTypedFromTheirBytesAndLimited() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县人民政府").first)
            let html = Data("<html><body>不是 PDF</body></html>".utf8)
            let wrong = try await Self.postFeedback(client, city, "county", ticket.code, text: "已整改", files: [("报告.pdf", html)])
            #expect(wrong.status == .unsupportedMediaType && wrong.body.contains("类型不支持") && wrong.body.contains("<html"))
            let large = Data("%PDF-1.7\n".utf8) + Data(repeating: 0x20, count: 20 << 20)
            let tooLarge = try await Self.postFeedback(client, city, "county", ticket.code, text: "已整改", files: [("大.pdf", large)])
            #expect(tooLarge.status == .contentTooLarge && tooLarge.body.contains("20 MiB"))
            let noText = try await Self.postFeedback(client, city, "county", ticket.code, text: " ", files: [])
            #expect(noText.status == .badRequest)
            // The office does not answer tickets.
            let office = try await Self.postFeedback(client, city, "inspector", ticket.code, text: "已整改", files: [])
            #expect(office.status == .forbidden)
            #expect(try await city.store.ticket(ticket.code).state == .open)
            #expect(try await city.store.attachments(of: ticket.code).isEmpty)
        }
    }

    @Test func everyTicketFormNeedsTheCSRFToken() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let feedback = try await Self.postFeedback(
                client, city, "county", ticket.code, text: "已整改", files: [("a.pdf", Self.pdf)], csrf: false)
            #expect(feedback.status == .forbidden)
            for (user, action) in [("county", "assign"), ("inspector", "dismiss"), ("inspector", "verify"), ("inspector", "reject")] {
                let answer = try await Self.post(
                    client, city, user, "/tickets/\(ticket.code)/\(action)", ["reason": "原因", "person": "张三"], csrf: false)
                #expect(answer.status == .forbidden && answer.body.contains("CSRF"))
            }
            #expect(try await city.store.ticket(ticket.code).state == .open)
            #expect(try await city.store.auditEntries(object: ticket.code).isEmpty)
        }
    }

    @Test func unitAssignsToItsPeopleAndTheOfficeDismisses() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县人民政府").first)
            let assigned = try await Self.post(client, city, "county", "/tickets/\(ticket.code)/assign", ["person": "李四<b>"])
            #expect(assigned.status == .seeOther)
            #expect(try await city.store.ticket(ticket.code).assignee == "李四<b>")
            #expect(try await Self.post(client, city, "viewer", "/tickets/\(ticket.code)/assign", ["person": "王五"]).status == .forbidden)
            let list = try await Self.page(client, city, "county", "/tickets")
            #expect(list.html.contains("李四&lt;b&gt;") && !list.html.contains("李四<b>"))
            #expect(try await Self.post(client, city, "inspector", "/tickets/\(ticket.code)/dismiss", ["reason": ""]).status == .badRequest)
            let dismissed = try await Self.post(client, city, "inspector", "/tickets/\(ticket.code)/dismiss", ["reason": "误报"])
            #expect(dismissed.status == .seeOther)
            let page = try await Self.page(client, city, "county", "/tickets/\(ticket.code)")
            #expect(page.html.contains("已忽略") && page.html.contains("误报") && page.html.contains("李四&lt;b&gt;"))
            // Nothing left to do on a dismissed ticket.
            #expect(!page.html.contains("提交整改情况</button>"))
        }
    }

    @Test func clearanceTableByScope() async throws {
        try await APITestCity.withServer { city, client in
            // The education bureau's tickets all end: it has cleared its backlog.
            for ticket in try await city.tickets(of: "鸿溪市教育局") {
                _ = try await city.store.dismiss(ticket.code, reason: "误报", actor: "inspector", at: APITestCity.now)
            }
            let office = try await Self.page(client, city, "inspector", "/tickets/clearance")
            #expect(office.status == .ok && office.html.contains("<h1>清零情况</h1>"))
            let education = try #require(office.html.components(separatedBy: "<tr>").first { $0.contains("<td>鸿溪市教育局</td>") })
            #expect(education.contains("已清零"))
            let county = try #require(office.html.components(separatedBy: "<tr>").first { $0.contains("<td>青川县卫生健康局</td>") })
            #expect(county.contains("未清零"))
            let unit = try await Self.page(client, city, "county", "/tickets/clearance")
            #expect(unit.html.contains("青川县卫生健康局") && !unit.html.contains("鸿溪市教育局"))
        }
    }

    @Test func routesAreCatalogued() async throws {
        try await TestServer.run { server in
            let routes = try await server.catalog()
            for (method, path) in [
                ("GET", "/findings"), ("GET", "/findings/export.csv"), ("GET", "/findings/export.xlsx"), ("GET", "/tickets"),
                ("GET", "/tickets/clearance"), ("GET", "/tickets/{id}"), ("GET", "/tickets/{id}/attachments/{n}"),
                ("POST", "/tickets/{id}/feedback"), ("POST", "/tickets/{id}/verify"), ("POST", "/tickets/{id}/reject"),
                ("POST", "/tickets/{id}/dismiss"), ("POST", "/tickets/{id}/assign"),
            ] {
                #expect(routes.contains { $0.method == method && $0.path == path && $0.kind == .page && $0.access == .signedIn })
            }
        }
    }
}
