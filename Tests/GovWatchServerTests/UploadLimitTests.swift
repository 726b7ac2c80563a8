import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The configuration's `upload.max_attachment_mib` (`ServerConfiguration.maximumAttachmentBytes`):
/// a lower limit refuses a feedback file the 20 MiB default takes.
@Suite struct UploadLimitTests {
    @Test func aLowerAttachmentLimitRefusesLargerFeedbackFiles() async throws {
        try await APITestCity.withServer(configure: { $0.maximumAttachmentBytes = 1 << 20 }) { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县人民政府").first)
            func post(_ bytes: Data) async throws -> (status: HTTPResponse.Status, object: [String: Any]) {
                var form = MultipartForm()
                form.field("text", "整改完成")
                form.file("files", fileName: "整改报告.pdf", bytes, type: "application/pdf")
                return try await client.json(
                    .post, "/api/v1/tickets/\(ticket.code)/feedback", headers: form.headers(city.bearer("county")), body: form.body)
            }
            let pdf = Data("%PDF-1.7\n".utf8)
            let over = try await post(pdf + Data(repeating: 0x20, count: 1 << 20))
            #expect(over.status == .contentTooLarge)
            let error = over.object["error"] as? [String: Any]
            #expect(error?["code"] as? String == "too_large")
            #expect((error?["message"] as? String)?.contains("1 MiB") == true, "\(over.object)")
            #expect(try await city.store.attachments(of: ticket.code).isEmpty)

            let within = try await post(pdf + Data(repeating: 0x20, count: (1 << 20) - pdf.count))
            #expect(within.status == .ok, "\(within.object)")
            #expect(try await city.store.attachments(of: ticket.code).count == 1)
        }
    }
}
