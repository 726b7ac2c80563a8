import Foundation
import GovWatchTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `govwatch demo` ends by serving its results (web.md "Starting it"): the printed URL and
/// logins work in a browser, and Ctrl+C stops it with exit status 0.
@Suite struct DemoServeTests {
    /// Does not follow redirects: the test reads the login's 303 and its cookie itself.
    final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    @Test func demoServesTheSampleCityWithALoginPerRoleUntilInterrupted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-demo-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = GovWatchBinary.url
        process.arguments = ["demo", "--output", directory.appendingPathComponent("demo").path]
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Read until the serving section has printed its last line.
        var chunks = out.fileHandleForReading.chunks().makeAsyncIterator()
        var printed = ""
        while !printed.contains("按 Ctrl+C 停止") {
            guard let chunk = await chunks.next() else { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let lines = printed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let urlLine = try #require(lines.first { $0.hasPrefix("请在浏览器中打开：") }, "\(printed.suffix(2_000))")
        let base = try #require(URL(string: String(urlLine.dropFirst("请在浏览器中打开：".count))))
        #expect(base.host == "127.0.0.1" && base.port != 8080)
        func login(_ label: String) throws -> (username: String, password: String) {
            let line = try #require(lines.first { $0.hasPrefix(label + "：") }, "no login for \(label)")
            // "管理员：用户名 admin  密码 …"
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            try #require(parts.count == 4 && parts[0].hasSuffix("用户名") && parts[2] == "密码", "\(line)")
            return (parts[1], parts[3])
        }
        for label in ["管理员", "监管人员", "只读用户", "单位用户（鸿溪市卫生健康委员会）"] { _ = try login(label) }

        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        for (label, mark) in [("管理员", "总览"), ("单位用户（鸿溪市卫生健康委员会）", "鸿溪市卫生健康委员会")] {
            let (username, password) = try login(label)
            var request = URLRequest(url: base.appendingPathComponent("login"))
            request.httpMethod = "POST"
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data("username=\(username)&password=\(password)&next=%2F".utf8)
            let (_, loginResponse) = try await session.data(for: request)
            let answer = try #require(loginResponse as? HTTPURLResponse)
            #expect(answer.statusCode == 303, "\(label) signs in")
            let setCookie = try #require(answer.value(forHTTPHeaderField: "Set-Cookie"))
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            var overview = URLRequest(url: base)
            overview.setValue(cookie, forHTTPHeaderField: "Cookie")
            let (body, response) = try await session.data(for: overview)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            let html = String(decoding: body, as: UTF8.self)
            #expect(html.contains(mark) && html.contains("鸿溪市"), "\(label)'s overview")
        }

        kill(process.processIdentifier, SIGINT)
        await process.exited()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
