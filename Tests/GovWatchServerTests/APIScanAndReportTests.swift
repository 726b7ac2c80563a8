import Foundation
import GovWatchCore
import GovWatchStore
import HTTPTypes
import Testing

/// 三审 and the notice through the JSON API.
@Suite struct APIScanAndReportTests {
    @Test func scanFindsAPlantedIDNumberInTextAndInAFile() async throws {
        try await APITestCity.withServer { city, client in
            let draft = "关于张三同志的公示\n身份证号：110101199003077571，联系电话 0838-1234567。\n中华人民共合国"
            let json: HTTPFields = [.contentType: "application/json"]
            let answer = try await client.json(.post, "/api/v1/scan", headers: city.bearer("county") + json, body: jsonBody(["text": draft]))
            #expect(answer.status == .ok)
            let problems = try #require(answer.object["problems"] as? [[String: Any]])
            let id = try #require(problems.first { $0["kind"] as? String == "id-card" })
            #expect(id["file"] as? String == "-" && id["line"] as? Int == 2 && id["column"] as? Int == 6)
            #expect(id["indicator"] as? String == "content.privacy" && (id["evidence"] as? String)?.contains("********") == true)
            #expect(problems.contains { $0["kind"] as? String == "severe" && $0["suggestion"] as? String == "中华人民共和国" })

            var form = MultipartForm()
            form.file("file", fileName: "../草稿.txt", Data(draft.utf8), type: "text/plain")
            let uploaded = try await client.json(.post, "/api/v1/scan", headers: form.headers(city.bearer("inspector")), body: form.body)
            let fromFile = try #require(uploaded.object["problems"] as? [[String: Any]])
            #expect(uploaded.status == .ok && fromFile.count == problems.count)
            #expect(fromFile.allSatisfy { $0["file"] as? String == "草稿.txt" })

            let clean = try await client.json(.post, "/api/v1/scan", headers: city.bearer("admin") + json, body: jsonBody(["text": "鸿溪市人民政府办公室"]))
            #expect(clean.status == .ok && (clean.object["problems"] as? [Any])?.isEmpty == true)
            #expect(try await client.json(.post, "/api/v1/scan", headers: city.bearer("viewer") + json, body: jsonBody(["text": draft])).status == .forbidden)
            #expect(try await client.json(.post, "/api/v1/scan", headers: city.bearer("admin") + json, body: Data("{".utf8)).status == .badRequest)
        }
    }

    @Test func noticeDownloadsInEveryFormatForTheOffice() async throws {
        try await APITestCity.withServer { city, client in
            let markdown = try await client.call(.get, "/api/v1/reports/2022Q1.md", headers: city.bearer("inspector"))
            #expect(markdown.status == .ok && markdown.headers[.contentType]?.hasPrefix("text/markdown") == true)
            #expect(String(decoding: markdown.body, as: UTF8.self).contains("2022年第一季度"))
            #expect(markdown.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"notice-2022Q1.md\"") == true)
            let word = try await client.call(.get, "/api/v1/reports/2022Q1.docx", headers: city.bearer("viewer"))
            #expect(word.status == .ok && word.body.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            let workbook = try await client.call(.get, "/api/v1/reports/2022-03.xlsx", headers: city.bearer("admin"))
            #expect(workbook.status == .ok && workbook.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let page = try await client.call(.get, "/api/v1/reports/2022Q1.html", headers: city.bearer("admin"))
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)

            #expect(try await client.call(.get, "/api/v1/reports/2022Q1.md", headers: city.bearer("county")).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/reports/2022Q5.md", headers: city.bearer("admin")).status == .badRequest)
            #expect(try await client.call(.get, "/api/v1/reports/2022Q1.exe", headers: city.bearer("admin")).status == .badRequest)
        }
    }
}
