import Foundation
import GovWatchTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `govwatch users …` and `govwatch serve` as an operator runs them: the built binary, a
/// real database file, stdin for passwords, exit codes and signals.
@Suite struct UsersCommandTests {
    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位
        4301000010,青山县人民政府,http://www.qingshan.gov.cn/,portal,青山县人民政府,
        4301000011,青山县卫生健康局,http://wjj.qingshan.gov.cn/,department,青山县卫生健康局,青山县人民政府

        """

    static func prepared() async throws -> URL {
        let directory = try ScanCommandTests.scratch()
        try sites.write(to: directory.appendingPathComponent("sites.csv"), atomically: true, encoding: .utf8)
        let imported = try await ImportCommandTests.govwatch(["import", "sites", "sites.csv"], in: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        return directory
    }

    @Test func addPrintsARandomPasswordOnceAndListShowsTheUserInEveryFormat() async throws {
        let directory = try await Self.prepared()
        let added = try await ImportCommandTests.govwatch(
            ["users", "add", "qs", "--role", "unit", "--unit", "青山县人民政府", "--display-name", "青山县办公室"], in: directory)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("已新增用户 qs（单位用户，青山县人民政府）"))
        let passwordLine = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("初始密码") })
        #expect(passwordLine.split(separator: "：").last?.count == 16)

        let chosen = try await ScanCommandTests.govwatch(
            ["users", "add", "boss", "--role", "admin", "--password-stdin"], in: directory, stdin: Data("a-long-password\n".utf8))
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(!chosen.stdout.contains("密码"))

        let json = try await ImportCommandTests.govwatch(["users", "list", "--format", "json"], in: directory)
        let users = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(users.map { $0["username"] as? String } == ["boss", "qs"])
        #expect(users[1]["role"] as? String == "unit")
        #expect(users[1]["unit"] as? String == "青山县人民政府")
        #expect(users[1]["displayName"] as? String == "青山县办公室")
        #expect(users[1]["disabled"] as? Bool == false)
        #expect(users[0]["unit"] is NSNull)
        let csv = try await ImportCommandTests.govwatch(["users", "list", "--format", "csv"], in: directory)
        #expect(csv.stdout.hasPrefix("username,display_name,role,unit,disabled,created_at\n"))
        #expect(csv.stdout.contains("qs,青山县办公室,unit,青山县人民政府,false,"))
        let text = try await ImportCommandTests.govwatch(["users", "list"], in: directory)
        #expect(text.stdout.contains("qs\t青山县办公室\t单位用户\t青山县人民政府\t正常"))
    }

    @Test func disableEnableResetPasswordAndTokenChangeTheUser() async throws {
        let directory = try await Self.prepared()
        #expect(try await ImportCommandTests.govwatch(["users", "add", "li", "--role", "viewer"], in: directory).status == 0)
        let disabled = try await ImportCommandTests.govwatch(["users", "disable", "li"], in: directory)
        #expect(disabled.status == 0)
        #expect(disabled.stdout.contains("已停用用户 li"))
        #expect(try await ImportCommandTests.govwatch(["users", "list"], in: directory).stdout.contains("已停用"))
        #expect(try await ImportCommandTests.govwatch(["users", "enable", "li"], in: directory).stdout.contains("已启用用户 li"))
        let reset = try await ImportCommandTests.govwatch(["users", "reset-password", "li"], in: directory)
        #expect(reset.status == 0)
        #expect(reset.stdout.contains("新密码（只显示这一次）："))
        let token = try await ImportCommandTests.govwatch(["users", "token", "li", "--name", "报表脚本", "--expires", "30"], in: directory)
        #expect(token.status == 0, "\(token.stderr)")
        #expect(token.stdout.contains("报表脚本"))
        let tokenLine = try #require(token.stdout.split(separator: "\n").last)
        #expect(tokenLine.hasPrefix("gw_"))
    }

    @Test func badInputExitsWith2NamingTheField() async throws {
        let directory = try await Self.prepared()
        let cases: [([String], String)] = [
            (["users", "add", "x", "--role", "boss"], "role"),
            (["users", "add", "x", "--role", "unit"], "unit"),
            (["users", "add", "x", "--role", "unit", "--unit", "没有这个单位"], "unit"),
            (["users", "add", "x", "--role", "viewer", "--unit", "青山县人民政府"], "unit"),
            (["users", "disable", "nobody"], "username"),
            (["users", "reset-password", "nobody"], "username"),
            (["users", "token", "nobody"], "username"),
            (["users", "list", "--format", "xml"], "format"),
        ]
        for (arguments, field) in cases {
            let result = try await ImportCommandTests.govwatch(arguments, in: directory)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.hasPrefix("govwatch: \(field)："), "\(arguments): \(result.stderr)")
        }
        #expect(try await ImportCommandTests.govwatch(["users", "add", "dup", "--role", "viewer"], in: directory).status == 0)
        let duplicate = try await ImportCommandTests.govwatch(["users", "add", "dup", "--role", "viewer"], in: directory)
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("用户名“dup”已存在"))
        let short = try await ScanCommandTests.govwatch(
            ["users", "add", "p", "--role", "viewer", "--password-stdin"], in: directory, stdin: Data("short\n".utf8))
        #expect(short.status == 2)
        #expect(short.stderr.hasPrefix("govwatch: password："))
    }

    @Test func serveAnswersHealthzAndStopsCleanlyOnSIGTERM() async throws {
        let directory = try await Self.prepared()
        let process = Process()
        process.executableURL = GovWatchBinary.url
        process.arguments = ["serve", "--port", "0"]
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The first line names the bound URL (the port the system chose).
        var chunks = out.fileHandleForReading.chunks().makeAsyncIterator()
        var printed = ""
        while !printed.contains("\n") {
            guard let chunk = await chunks.next() else { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        #expect(printed.hasPrefix("GovWatch 网页平台已启动：http://127.0.0.1:"), "\(printed)")
        let address = try #require(printed.split(separator: "：").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        let url = try #require(URL(string: address + "healthz"))
        let (body, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == "ok")
        kill(process.processIdentifier, SIGTERM)
        await process.exited()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
