import Foundation
import GovWatchTestSupport
import Testing

/// The configuration file as an operator uses it: the built binary, a real YAML file, real
/// environment variables, real flags (README, "Configuration").
@Suite struct ConfigurationTests {
    /// Runs govwatch in `directory` with only `environment` of GovWatch's own variables: the
    /// runner's `GOVWATCH_*` settings are left out, so the layers are the test's alone.
    static func govwatch(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> ProcessOutput {
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GOVWATCH_") }
        // A machine's own /etc/govwatch/govwatch.yaml must not leak into a test that means "no file".
        if environment["GOVWATCH_CONFIG"] == nil, !FileManager.default.fileExists(atPath: directory.appendingPathComponent("govwatch.yaml").path) {
            variables["GOVWATCH_CONFIG"] = ""
        }
        variables.merge(environment) { $1 }
        return try await GovWatchBinary.run(arguments, in: directory, environment: variables)
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    struct Shown: Decodable {
        struct Setting: Decodable {
            var key: String
            var value: String?
            var source: String
            var origin: String
            var detail: String?
        }
        var file: String?
        var settings: [Setting]

        subscript(_ key: String) -> Setting? { settings.first { $0.key == key } }
    }

    static func show(in directory: URL, _ arguments: [String] = [], environment: [String: String] = [:]) async throws -> Shown {
        let run = try await govwatch(["config", "show", "--format", "json"] + arguments, in: directory, environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONDecoder().decode(Shown.self, from: Data(run.stdout.utf8))
    }

    @Test("each layer overrides the one before it: default < file < environment < flag")
    func precedence() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write(
            """
            database:
              url: sqlite://from-file.sqlite
            server:
              port: 9001
              host: 0.0.0.0
            crawl:
              per_host_rate: 3
            """, to: "govwatch.yaml", in: folder)

        let defaults = try await Self.show(in: folder, environment: ["GOVWATCH_CONFIG": ""])
        #expect(defaults.file == nil)
        #expect(defaults["database.url"]?.value == "sqlite://govwatch.sqlite")
        #expect(defaults["database.url"]?.source == "默认")
        #expect(defaults["server.port"]?.value == "8080")
        #expect(defaults["crawl.per_host_rate"]?.value == "10")

        let fromFile = try await Self.show(in: folder)
        #expect(fromFile.file == file.path)
        #expect(fromFile["database.url"]?.value == "sqlite://from-file.sqlite")
        #expect(fromFile["database.url"]?.source == "配置文件 \(file.path)")
        #expect(fromFile["server.port"]?.value == "9001")
        #expect(fromFile["server.host"]?.value == "0.0.0.0")
        #expect(fromFile["crawl.per_host_rate"]?.value == "3")
        #expect(fromFile["crawl.per_host_rate"]?.origin == "file")
        #expect(fromFile["server.public_url"]?.value == nil)
        #expect(fromFile["server.public_url"]?.source == "默认")

        let environment = ["GOVWATCH_DB": "sqlite://from-env.sqlite", "GOVWATCH_SERVER_PORT": "9002"]
        let fromEnvironment = try await Self.show(in: folder, environment: environment)
        #expect(fromEnvironment["database.url"]?.value == "sqlite://from-env.sqlite")
        #expect(fromEnvironment["database.url"]?.source == "环境变量 GOVWATCH_DB")
        #expect(fromEnvironment["server.port"]?.value == "9002")
        #expect(fromEnvironment["server.port"]?.source == "环境变量 GOVWATCH_SERVER_PORT")
        #expect(fromEnvironment["server.host"]?.value == "0.0.0.0", "a key the environment does not set keeps the file's value")

        let fromFlag = try await Self.show(in: folder, ["--db", "sqlite://from-flag.sqlite"], environment: environment)
        #expect(fromFlag["database.url"]?.value == "sqlite://from-flag.sqlite")
        #expect(fromFlag["database.url"]?.source == "命令行参数 --db")
        #expect(fromFlag["server.port"]?.value == "9002")

        // The text form names the same sources.
        let text = try await Self.govwatch(["config", "show", "--db", "sqlite://from-flag.sqlite"], in: folder, environment: environment)
        #expect(text.status == 0)
        #expect(text.stdout.contains("配置文件：\(file.path)"))
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("database.url") && $0.hasSuffix("命令行参数 --db") })
        #expect(lines.contains { $0.hasPrefix("server.port") && $0.contains("9002") && $0.hasSuffix("环境变量 GOVWATCH_SERVER_PORT") })
        #expect(lines.contains { $0.hasPrefix("crawl.per_host_rate") && $0.hasSuffix("配置文件 \(file.path)") })
        #expect(lines.contains { $0.hasPrefix("crawl.max_pages") && $0.contains("5000") && $0.hasSuffix("默认") })
    }

    @Test("the file is --config, else GOVWATCH_CONFIG, else ./govwatch.yaml; a named file that is missing is an error")
    func lookupOrder() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let local = try Self.write("server:\n  port: 7001\n", to: "govwatch.yaml", in: folder)
        let named = try Self.write("server:\n  port: 7002\n", to: "named.yaml", in: folder)
        let flagged = try Self.write("server:\n  port: 7003\n", to: "flagged.yaml", in: folder)

        #expect(try await Self.show(in: folder)["server.port"]?.value == "7001")
        #expect(try await Self.show(in: folder).file == local.path)
        let byVariable = try await Self.show(in: folder, environment: ["GOVWATCH_CONFIG": named.path])
        #expect(byVariable["server.port"]?.value == "7002")
        #expect(byVariable.file == named.path)
        let byFlag = try await Self.show(in: folder, ["--config", flagged.path], environment: ["GOVWATCH_CONFIG": named.path])
        #expect(byFlag["server.port"]?.value == "7003")
        #expect(byFlag["server.port"]?.source == "配置文件 \(flagged.path)")
        // An empty GOVWATCH_CONFIG reads no file, not even ./govwatch.yaml.
        let none = try await Self.show(in: folder, environment: ["GOVWATCH_CONFIG": ""])
        #expect(none.file == nil)
        #expect(none["server.port"]?.value == "8080")

        let missing = folder.appendingPathComponent("absent.yaml").path
        for (arguments, environment, origin) in [
            (["list", "sites", "--config", missing], [String: String](), "命令行参数 --config"),
            (["list", "sites"], ["GOVWATCH_CONFIG": missing], "环境变量 GOVWATCH_CONFIG"),
        ] {
            let run = try await Self.govwatch(arguments, in: folder, environment: environment)
            #expect(run.status == 2)
            #expect(run.stderr == "govwatch: \(origin) 指定的配置文件 \(missing) 不存在\n")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("govwatch.sqlite").path))
        }
    }

    @Test("config show hides the database password, the webhook secret and proxy credentials, in text and JSON")
    func masking() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.write(
            """
            database:
              url: postgres://govwatch:Pa55-database@db.example.gov.cn:5432/govwatch
            webhook:
              url: https://hooks.example.gov.cn/govwatch
              secret: s3cret-webhook-key
            crawl:
              proxy: http://crawler:Pr0xy-pass@proxy.example.gov.cn:3128
            """, to: "govwatch.yaml", in: folder)
        for format in ["text", "json"] {
            let run = try await Self.govwatch(["config", "show", "--format", format], in: folder)
            #expect(run.status == 0, "\(run.stderr)")
            for secret in ["Pa55-database", "s3cret-webhook-key", "Pr0xy-pass"] {
                #expect(!run.stdout.contains(secret), "\(format) shows \(secret)")
            }
            #expect(run.stdout.contains("postgres://govwatch:******@db.example.gov.cn:5432/govwatch"))
            #expect(run.stdout.contains("http://crawler:******@proxy.example.gov.cn:3128"))
            #expect(run.stdout.contains("https://hooks.example.gov.cn/govwatch"), "a URL without credentials is shown whole")
        }
        let shown = try await Self.show(in: folder)
        #expect(shown["webhook.secret"]?.value == "******")
        // The same secret from the environment is masked too.
        let fromEnvironment = try await Self.show(in: folder, environment: ["GOVWATCH_WEBHOOK_SECRET": "other-secret"])
        #expect(fromEnvironment["webhook.secret"]?.value == "******")
        #expect(fromEnvironment["webhook.secret"]?.source == "环境变量 GOVWATCH_WEBHOOK_SECRET")
    }

    @Test(
        "a bad value is one line naming the file, the key and the reason, and exit 2, for any command",
        arguments: [
            ("server:\n  prot: 8080\n", "未知的键 server.prot"),
            ("sever:\n  port: 8080\n", "未知的节 sever"),
            ("server:\n  port: abc\n", #"键 server.port 的值 "abc" 不是 0–65535 之间的整数"#),
            ("server:\n  port: 70000\n", #"键 server.port 的值 "70000" 不是 0–65535 之间的整数"#),
            ("server:\n  port: \"8080\"\n", #"键 server.port 的值 "8080" 带引号（是文本），不是 0–65535 之间的整数"#),
            ("server:\n  public_url: ftp://files.example.gov.cn/\n", #"键 server.public_url 的值 "ftp://files.example.gov.cn/" 不是有效的 http/https 地址"#),
            ("database:\n  url: mysql://root@localhost/gov\n", #"键 database.url 的值 "mysql://root@localhost/gov" 不是有效的数据库地址"#),
            ("crawl:\n  max_pages: -5\n", #"键 crawl.max_pages 的值 "-5" 不是 1–10000000 之间的整数"#),
            ("crawl:\n  per_host_rate: 0\n", #"键 crawl.per_host_rate 的值 "0" 不是大于 0 的数"#),
            ("crawl:\n  autothrottle: maybe\n", #"键 crawl.autothrottle 的值 "maybe" 不是 true 或 false"#),
            ("crawl:\n  max_pages: [1, 2]\n", "键 crawl.max_pages 的值是列表"),
            ("scheduler:\n  kinds: [probe, lunch]\n", #"键 scheduler.kinds 的值 "probe,lunch" 应为 probe、patrol、inspection、feeds、digest 中的一个或多个"#),
            ("log:\n  format: xml\n", #"键 log.format 的值 "xml" 不是 text、json 之一"#),
            ("server:\n  port: 8080\n  port: 8081\n", "重复出现"),
            ("server:\n  port: [8080\n", "不是有效的 YAML"),
            ("- server\n- port\n", "顶层应为各节"),
        ])
    func badValue(file text: String, reason: String) async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write(text, to: "bad.yaml", in: folder)
        for arguments in [["config", "show"], ["list", "sites"], ["users", "list"]] {
            let run = try await Self.govwatch(arguments + ["--config", file.path], in: folder)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].isEmpty, "exactly one line: \(run.stderr)")
            #expect(run.stderr.hasPrefix("govwatch: 配置文件 \(file.path)"), "\(run.stderr)")
            #expect(run.stderr.contains(reason), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("govwatch.sqlite").path))
        // A command without database options (`scan`) reads the default file too.
        let page = try Self.write("<p>市政府办公室</p>", to: "page.html", in: folder)
        try FileManager.default.moveItem(at: file, to: folder.appendingPathComponent("govwatch.yaml"))
        let scan = try await Self.govwatch(["scan", page.path], in: folder)
        #expect(scan.status == 2)
        #expect(scan.stderr.hasPrefix("govwatch: 配置文件 \(folder.appendingPathComponent("govwatch.yaml").path)"), "\(scan.stderr)")
        #expect(scan.stderr.contains(reason), "\(scan.stderr)")
    }

    @Test("a bad environment variable or flag value is named the same way")
    func badEnvironmentAndFlag() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try await Self.govwatch(["list", "sites"], in: folder, environment: ["GOVWATCH_SERVER_PORT": "abc"])
        #expect(port.status == 2)
        #expect(port.stderr == "govwatch: 环境变量 GOVWATCH_SERVER_PORT：键 server.port 的值 \"abc\" 不是 0–65535 之间的整数\n")
        let rate = try await Self.govwatch(["list", "sites"], in: folder, environment: ["GOVWATCH_CRAWL_PER_HOST_RATE": "-1"])
        #expect(rate.status == 2)
        #expect(rate.stderr.contains("环境变量 GOVWATCH_CRAWL_PER_HOST_RATE：键 crawl.per_host_rate"))
        let pages = try await Self.govwatch(["inspect", "--all", "--max-pages", "0"], in: folder)
        #expect(pages.status == 2)
        #expect(pages.stderr == "govwatch: 命令行参数 --max-pages：键 crawl.max_pages 的值 \"0\" 不是 1–10000000 之间的整数\n")
    }

    @Test("the example file in deploy/ is valid and sets what it documents")
    func exampleFile() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/govwatch.example.yaml")
        let shown = try await Self.show(in: folder, ["--config", example.path])
        #expect(shown.file == example.path)
        #expect(shown["database.url"]?.value == "postgres://govwatch:******@127.0.0.1:5432/govwatch")
        #expect(shown["server.public_url"]?.value == "https://govwatch.example.gov.cn/")
        #expect(shown["crawl.contact"]?.value == "webmaster@example.gov.cn")
        #expect(shown["crawl.proxy"]?.source == "默认", "an empty key keeps its default")
        #expect(shown["scheduler.kinds"]?.value == "probe,patrol,inspection,feeds,digest")
        // Every key of the schema is in the example, so the example documents them all.
        let text = try String(contentsOf: example, encoding: .utf8)
        for setting in shown.settings {
            let name = String(setting.key.split(separator: ".").last ?? "")
            #expect(text.contains("  \(name):"), "\(setting.key) is not in the example")
        }
    }

    @Test("list, users, inspect, worker, schedule list and serve open the database the file names; serve takes its address from it")
    func everyCommandReadsTheFile() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.write(
            """
            database:
              url: sqlite://from-file.sqlite
            server:
              port: 0
              public_url: http://govwatch.example.test:8443/
            crawl:
              sites_at_once: 2
            """, to: "govwatch.yaml", in: folder)
        let database = folder.appendingPathComponent("from-file.sqlite")
        let fallback = folder.appendingPathComponent("govwatch.sqlite")
        for arguments in [["list", "sites"], ["users", "list"], ["inspect", "--all"], ["worker", "--exit-when-idle"], ["schedule", "list"]] {
            try? FileManager.default.removeItem(at: database)
            let run = try await Self.govwatch(arguments, in: folder)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: database.path), "\(arguments) did not open the file's database")
            #expect(!FileManager.default.fileExists(atPath: fallback.path), "\(arguments) opened the default database")
        }

        try? FileManager.default.removeItem(at: database)
        let process = Process()
        process.executableURL = GovWatchBinary.url
        process.arguments = ["serve"]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GOVWATCH_") }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var chunks = out.fileHandleForReading.chunks().makeAsyncIterator()
        var printed = ""
        while !printed.contains("\n") {
            guard let chunk = await chunks.next() else { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        // The printed address is the file's public URL, and the database is the file's.
        #expect(printed == "GovWatch 网页平台已启动：http://govwatch.example.test:8443/\n")
        #expect(FileManager.default.fileExists(atPath: database.path))
        #expect(!FileManager.default.fileExists(atPath: fallback.path))
        kill(process.processIdentifier, SIGTERM)
        await process.exited()
        #expect(process.terminationStatus == 0)
    }
}
