import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Hostile uploads through the feedback form of the ticket page (the browser's path; the JSON
/// API's is in APITicketTests): refused by size and by the bytes' type, file names that try to
/// climb out kept only as display names, nothing written to disk.
@Suite struct UploadAttackTests {
    /// Every file and folder under `folder`, relative to it.
    static func tree(_ folder: URL) -> Set<String> {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var files: Set<String> = []
        while let path = enumerator?.nextObject() as? String { files.insert(path) }
        return files
    }

    static func post(
        _ client: any TestClientProtocol, ticket: String, session: (cookie: String, csrf: String),
        files: [(name: String, bytes: Data)]
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        var form = MultipartForm()
        form.field("text", "已整改")
        for file in files { form.file("files", fileName: file.name, file.bytes, type: "application/pdf") }
        return try await client.call(
            .post, "/tickets/\(ticket)/feedback?csrf_token=\(session.csrf)", headers: form.headers([.cookie: session.cookie]),
            body: form.body)
    }

    @Test func oversizedAndDisguisedFilesAreRefusedAndChangeNothing() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let county = try await city.session(for: "county")
            let before = try await SecurityFixture.dump(city.store)
            let treeBefore = Self.tree(city.folder)
            let elf = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]) + Data(repeating: 0, count: 120)
            let html = Data("<html><body><script>alert(1)</script></body></html>".utf8)
            let oversized = Data("%PDF-1.7\n".utf8) + Data(repeating: 0x20, count: 20 << 20)
            for (name, bytes, status) in [
                ("整改报告.pdf", elf, HTTPResponse.Status.unsupportedMediaType), ("整改报告.pdf", html, .unsupportedMediaType),
                ("大文件.pdf", oversized, .contentTooLarge),
            ] {
                let answer = try await Self.post(client, ticket: ticket.code, session: county, files: [(name, bytes)])
                #expect(answer.status == status, "\(name) of \(bytes.count) bytes")
                let page = String(decoding: answer.body, as: UTF8.self)
                #expect(page.contains("附件") && !page.contains("<script>alert"), "a Chinese error page, nothing echoed raw")
            }
            #expect(try await SecurityFixture.dump(city.store) == before)
            #expect(Self.tree(city.folder).subtracting(treeBefore).allSatisfy { $0.hasPrefix("api.sqlite") })
        }
    }

    @Test func pathTricksInFileNamesAreKeptAsNamesOnly() async throws {
        try await APITestCity.withServer { city, client in
            let ticket = try #require(try await city.tickets(of: "青川县卫生健康局").first)
            let county = try await city.session(for: "county")
            let marker = "govwatch-\(UUID().uuidString.prefix(8))"
            let names = [
                "../../etc/\(marker).pdf", "..\\..\\\(marker).pdf", "/tmp/\(marker).pdf", "C:\\Windows\\\(marker).pdf",
                "\(marker)\u{0}.exe.pdf", "....//....//\(marker).pdf",
            ]
            let treeBefore = Self.tree(city.folder)
            let answer = try await Self.post(
                client, ticket: ticket.code, session: county, files: names.map { ($0, APITicketTests.pdf) })
            #expect(answer.status == .seeOther)
            let stored = try await city.store.attachments(of: ticket.code)
            #expect(stored.count == names.count)
            for attachment in stored {
                #expect(!attachment.fileName.contains("/") && !attachment.fileName.contains("\\"), "\(attachment.fileName)")
                #expect(!attachment.fileName.contains("..") && !attachment.fileName.contains("\u{0}"), "\(attachment.fileName)")
            }
            // Nothing written where the names point, beside the database, or in the working folder.
            for path in ["/etc/\(marker).pdf", "/tmp/\(marker).pdf", "/\(marker).pdf"] {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path)")
            }
            #expect(Self.tree(city.folder).subtracting(treeBefore).allSatisfy { $0.hasPrefix("api.sqlite") })
            let working = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath)
            #expect(working.allSatisfy { !$0.contains(marker) })
            // The download sends a generated name; the client's name only as the encoded display name.
            let download = try await client.call(.get, "/tickets/\(ticket.code)/attachments/1", headers: [.cookie: county.cookie])
            #expect(download.status == .ok && download.body == APITicketTests.pdf)
            let disposition = try #require(download.headers[.contentDisposition])
            #expect(disposition.hasPrefix("attachment; filename=\"attachment-1.pdf\""), "\(disposition)")
            #expect(!disposition.contains("..") && !disposition.contains("/etc"))
        }
    }
}
