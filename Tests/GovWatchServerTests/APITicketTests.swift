import Foundation
import GovWatchCore
import GovWatchStore
import HTTPTypes
import Testing
import ZIPFoundation

/// Tickets through the JSON API: scope, the unit's feedback with files (types from the
/// bytes, size limits, names never used on disk), downloads, the office's actions, roles
/// and CSRF.
@Suite struct APITicketTests {
    static let pdf = Data("%PDF-1.7\n1 0 obj <<>> endobj\n盖章整改报告\n%%EOF\n".utf8)

    /// A ZIP holding `entries` (path → text), as Word, Excel and OFD files are.
    static func zip(_ entries: [String: String]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in entries.sorted(by: { $0.key < $1.key }) {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count)) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    @Test func ticketsAreScopedAndCarryTheirHistory() async throws {
        try await APITestCity.withServer { city, client in
            let county = try await client.json(.get, "/api/v1/tickets", headers: city.bearer("county"))
            let units = Set((county.object["items"] as? [[String: Any]] ?? []).compactMap { $0["unit"] as? String })
            #expect(county.object["total"] as? Int == 4 && units == ["青川县人民政府", "青川县卫生健康局"])
            let all = try await client.json(.get, "/api/v1/tickets?limit=2", headers: city.bearer("viewer"))
            #expect(all.object["total"] as? Int == 6 && (all.object["items"] as? [Any])?.count == 2)
            let leak = try await client.json(
                .get, "/api/v1/tickets?unit=%E9%B8%BF%E6%BA%AA%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80", headers: city.bearer("county"))
            #expect(leak.object["total"] as? Int == 0)
            let veto = try await client.json(.get, "/api/v1/tickets?indicator=site.homepage.stale&state=open", headers: city.bearer("county"))
            #expect(veto.object["total"] as? Int == 1)
            let overdue = try await client.json(.get, "/api/v1/tickets?overdue=true", headers: city.bearer("admin"))
            #expect(overdue.object["total"] as? Int == 0)

            let cityTicket = try #require(try await city.tickets(of: "鸿溪市教育局").first)
            #expect(try await client.json(.get, "/api/v1/tickets/\(cityTicket.code)", headers: city.bearer("county")).status == .notFound)
            #expect(try await client.json(.get, "/api/v1/tickets/T-999999", headers: city.bearer("admin")).status == .notFound)
            let own = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let detail = try await client.json(.get, "/api/v1/tickets/\(own.code)", headers: city.bearer("county"))
            #expect(detail.status == .ok)
            let ticket = try #require(detail.object["ticket"] as? [String: Any])
            #expect(ticket["id"] as? String == own.code && ticket["state"] as? String == "open" && ticket["overdue"] as? Bool == false)
            #expect(ticket["firstSeen"] as? String == "2022-04-01T00:00:00+08:00" && ticket["deadline"] as? String != nil)
            let history = try #require(detail.object["history"] as? [[String: Any]])
            #expect(history.count == 1 && history[0]["action"] as? String == "create" && history[0]["to"] as? String == "open")
        }
    }

    @Test func feedbackStoresFilesUnderNoClientNameAndDownloadsThem() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let docx = try Self.zip(["[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"])
            var form = MultipartForm()
            form.field("text", "已删除失效链接，整改报告见附件")
            form.file("files", fileName: "../../../../tmp/整改报告.pdf", Self.pdf)
            form.file("files", fileName: "C:\\Users\\a\\说明.docx", docx)
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: city.folder.path))
            let answer = try await client.json(
                .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("county")), body: form.body)
            #expect(answer.status == .ok)
            #expect((answer.object["ticket"] as? [String: Any])?["state"] as? String == "feedback")
            #expect(answer.object["feedbackText"] as? String == "已删除失效链接，整改报告见附件")
            let files = try #require(answer.object["attachments"] as? [[String: Any]])
            #expect(files.compactMap { $0["fileName"] as? String } == ["整改报告.pdf", "说明.docx"])
            #expect(files.compactMap { $0["n"] as? Int } == [1, 2])
            // Nothing written beside the database, nor where the client's path points.
            let after = Set(try FileManager.default.contentsOfDirectory(atPath: city.folder.path))
            #expect(after.subtracting(before).allSatisfy { $0.hasPrefix("api.sqlite") })
            #expect(!FileManager.default.fileExists(atPath: "/tmp/整改报告.pdf"))
            #expect(try await city.store.auditEntries(object: ticket.code).contains { $0.action == "ticket.feedback" })

            let download = try await client.call(.get, "/api/v1/tickets/\(ticket.code)/attachments/1", headers: city.bearer("county"))
            #expect(download.status == .ok && download.body == Self.pdf)
            #expect(download.headers[.contentType] == "application/pdf")
            let disposition = try #require(download.headers[.contentDisposition])
            #expect(disposition.hasPrefix("attachment; filename=\"attachment-1.pdf\""))
            #expect(disposition.contains("UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf") && !disposition.contains(".."))
            let word = try await client.call(.get, "/api/v1/tickets/\(ticket.code)/attachments/2", headers: city.bearer("inspector"))
            #expect(word.status == .ok && word.body == docx)
            #expect(word.headers[.contentType] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

            // Another unit's user, a number past the end: 404.
            #expect(try await client.call(.get, "/api/v1/tickets/\(ticket.code)/attachments/1", headers: city.bearer("education")).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/tickets/\(ticket.code)/attachments/3", headers: city.bearer("county")).status == .notFound)
            // A second feedback while the first waits for the office: conflict.
            var again = MultipartForm()
            again.field("text", "再次反馈")
            let conflict = try await client.json(
                .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: again.headers(city.bearer("county")), body: again.body)
            #expect(conflict.status == .conflict)
        }
    }

    @Test func uploadsAreCheckedByTheirBytesAndSize() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县人民政府").first)
            func post(_ name: String, _ bytes: Data) async throws -> (status: HTTPResponse.Status, object: [String: Any]) {
                var form = MultipartForm()
                form.field("text", "整改完成")
                form.file("files", fileName: name, bytes, type: "application/pdf")
                return try await client.json(
                    .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("county")), body: form.body)
            }
            let elf = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]) + Data(repeating: 0, count: 64)
            let html = Data("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8)
            let plainZip = try Self.zip(["readme.txt": "不是 Office 文档"])
            for (name, bytes) in [("整改报告.pdf", elf), ("整改报告.pdf", html), ("报告.docx", plainZip)] {
                let refused = try await post(name, bytes)
                #expect(refused.status == .unsupportedMediaType)
                #expect((refused.object["error"] as? [String: Any])?["code"] as? String == "unsupported_type")
            }
            let tooLarge = try await post("大文件.pdf", Data("%PDF-1.7\n".utf8) + Data(repeating: 0x20, count: 20 << 20))
            #expect(tooLarge.status == .contentTooLarge && (tooLarge.object["error"] as? [String: Any])?["code"] as? String == "too_large")
            // Refusals change nothing.
            #expect(try await city.store.ticket(ticket.code).state == .open)
            #expect(try await city.store.attachments(of: ticket.code).isEmpty)

            // Images and OFD are accepted; a file of exactly 20 MiB too.
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 1, count: 32)
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(repeating: 2, count: 32)
            let ofd = try Self.zip(["OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"])
            let exact = Data("%PDF-1.7\n".utf8) + Data(repeating: 0x20, count: (20 << 20) - 9)
            var form = MultipartForm()
            form.field("text", "整改完成，附现场照片")
            for (name, bytes) in [("照片.png", png), ("照片.jpg", jpeg), ("报告.ofd", ofd), ("扫描件.pdf", exact)] {
                form.file("files", fileName: name, bytes)
            }
            let accepted = try await client.json(
                .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("county")), body: form.body)
            #expect(accepted.status == .ok && (accepted.object["attachments"] as? [Any])?.count == 4)
            let ofdDownload = try await client.call(.get, "/api/v1/tickets/\(ticket.code)/attachments/3", headers: city.bearer("county"))
            #expect(ofdDownload.headers[.contentType] == "application/ofd")
        }
    }

    @Test func officeActionsNeedTheOfficeRolesAndAreAudited() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let cityTicket = try #require(try await city.tickets(of: "鸿溪市教育局").first)
            let json: HTTPFields = [.contentType: "application/json"]
            let reason = jsonBody(["reason": "已核实整改到位"])

            // A unit user on its own ticket: 403; on another unit's: 404; a viewer: 403.
            #expect(try await client.json(.post, "/api/v1/tickets/\(ticket.code)/verify", headers: city.bearer("county") + json, body: reason).status == .forbidden)
            #expect(try await client.json(.post, "/api/v1/tickets/\(cityTicket.code)/verify", headers: city.bearer("county") + json, body: reason).status == .notFound)
            for action in ["verify", "reject", "dismiss"] {
                #expect(try await client.json(.post, "/api/v1/tickets/\(ticket.code)/\(action)", headers: city.bearer("viewer") + json, body: reason).status == .forbidden)
            }
            var form = MultipartForm()
            form.field("text", "整改完成")
            #expect(try await client.json(.post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("viewer")), body: form.body).status == .forbidden)
            #expect(try await client.json(.post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("inspector")), body: form.body).status == .forbidden)
            #expect(try await city.store.ticket(ticket.code).state == .open)

            // Verify before any feedback: conflict; reject without a reason: 400.
            #expect(try await client.json(.post, "/api/v1/tickets/\(ticket.code)/verify", headers: city.bearer("inspector") + json, body: reason).status == .conflict)
            #expect(try await client.json(.post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("county")), body: form.body).status == .ok)
            let empty = try await client.json(
                .post, "/api/v1/tickets/\(ticket.code)/reject", headers: city.bearer("inspector") + json, body: jsonBody(["reason": " "]))
            #expect(empty.status == .badRequest)
            let rejected = try await client.json(
                .post, "/api/v1/tickets/\(ticket.code)/reject", headers: city.bearer("inspector") + json,
                body: jsonBody(["reason": "附件未盖章"]))
            #expect(rejected.status == .ok && (rejected.object["ticket"] as? [String: Any])?["state"] as? String == "open")
            #expect(try await client.json(.post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("county")), body: form.body).status == .ok)
            let verified = try await client.json(.post, "/api/v1/tickets/\(ticket.code)/verify", headers: city.bearer("admin") + json, body: reason)
            #expect(verified.status == .ok && (verified.object["ticket"] as? [String: Any])?["state"] as? String == "closed")
            let actions = (verified.object["history"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions == ["create", "feedback", "reject", "feedback", "verify"])
            let audit = try await city.store.auditEntries(object: ticket.code)
            #expect(audit.map(\.action) == ["ticket.feedback", "ticket.reject", "ticket.feedback", "ticket.verify"])
            #expect(audit.map(\.actor) == ["county", "inspector", "county", "admin"] && audit.allSatisfy { $0.address != nil })

            let dismissed = try await client.json(
                .post, "/api/v1/tickets/\(cityTicket.code)/dismiss", headers: city.bearer("inspector") + json, body: jsonBody(["reason": "误报"]))
            #expect(dismissed.status == .ok && (dismissed.object["ticket"] as? [String: Any])?["state"] as? String == "dismissed")
        }
    }

    @Test func aSessionWithoutTheCSRFHeaderChangesNothing() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let session = try await city.session(for: "county")
            var form = MultipartForm()
            form.field("text", "整改完成")
            form.file("files", fileName: "报告.pdf", Self.pdf)
            let cookie: HTTPFields = [.cookie: session.cookie]
            let refused = try await client.json(.post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(cookie), body: form.body)
            #expect(refused.status == .forbidden)
            let wrong = try await client.json(
                .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(cookie + [.init("X-CSRF-Token")!: "forged"]), body: form.body)
            #expect(wrong.status == .forbidden)
            #expect(try await city.store.ticket(ticket.code).state == .open)
            #expect(try await city.store.attachments(of: ticket.code).isEmpty)
            #expect(try await city.store.history(ticket.code).count == 1)

            // Reading needs no token; with the header, the same post goes through.
            #expect(try await client.json(.get, "/api/v1/tickets/\(ticket.code)", headers: cookie).status == .ok)
            let accepted = try await client.json(
                .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(cookie + [.init("X-CSRF-Token")!: session.csrf]),
                body: form.body)
            #expect(accepted.status == .ok)
        }
    }
}
