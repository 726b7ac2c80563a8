import Foundation
import GovWatchInspection
import GovWatchServer
import GovWatchStore
import Logging
import Yams

/// The configuration every command reads: built-in defaults, then the configuration file
/// (YAML), then environment variables, then the command's own flags — each layer overriding
/// the one before, key by key (README, "Configuration").
///
/// The file is a closed schema: an unknown key, a value of the wrong type or out of range
/// stops the command with one line naming the file, the key and the reason (exit 2), so a
/// typo is never silently ignored.
struct GovWatchConfiguration: Sendable {
    /// The file that was read, or nil when there is none.
    private(set) var filePath: String?
    /// Every key of `SettingKey.all`, resolved.
    private(set) var settings: [String: ResolvedSetting]

    /// Where the file is looked for when neither `--config` nor `GOVWATCH_CONFIG` names one.
    static let defaultLocations = ["govwatch.yaml", "/etc/govwatch/govwatch.yaml"]
    static let pathVariable = "GOVWATCH_CONFIG"

    /// Reads the file of `explicitPath` (`--config`), else of `$GOVWATCH_CONFIG`, else the
    /// first of `defaultLocations` that exists (none is fine), and applies the environment.
    /// A file named by the flag or the variable must exist; `GOVWATCH_CONFIG=` (empty) reads
    /// no file at all.
    static func load(
        explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> GovWatchConfiguration {
        var configuration = GovWatchConfiguration(filePath: nil, settings: [:])
        for key in SettingKey.all {
            configuration.settings[key.name] = ResolvedSetting(key: key, value: key.defaultValue, source: .builtIn)
        }
        let path: String?
        if let explicitPath {
            path = try requireFile(explicitPath, namedBy: "命令行参数 --config")
        } else if let named = environment[pathVariable] {
            path = named.isEmpty ? nil : try requireFile(named, namedBy: "环境变量 \(pathVariable)")
        } else {
            path = defaultLocations.first { FileManager.default.fileExists(atPath: $0) }
        }
        if let path {
            configuration.filePath = absolute(path)
            try configuration.applyFile(at: path)
        }
        for key in SettingKey.all {
            guard let raw = environment[key.environment] else { continue }
            let value = try key.validate(raw, at: .environment(key.environment))
            configuration.settings[key.name] = ResolvedSetting(key: key, value: value, source: .environment(key.environment))
        }
        return configuration
    }

    /// Loads the configuration a command line names (`--config FILE` or `--config=FILE`
    /// before any `--`), to report a bad file before the command starts.
    static func preflight(arguments: [String]) -> Result<GovWatchConfiguration, ConfigurationError> {
        var explicit: String?
        var index = arguments.startIndex
        while index < arguments.endIndex, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == "--config", index + 1 < arguments.endIndex {
                explicit = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--config=") {
                explicit = String(argument.dropFirst("--config=".count))
            }
            index += 1
        }
        return Result { () throws(ConfigurationError) in try load(explicitPath: explicit) }
    }

    /// Applies a command-line flag: `value` nil means the flag was not given.
    mutating func override(_ keyName: String, flag: String, with value: String?) throws(ConfigurationError) {
        guard let value, let key = settings[keyName]?.key else { return }
        let checked = try key.validate(value, at: .flag(flag))
        settings[keyName] = ResolvedSetting(key: key, value: checked, source: .flag(flag))
    }

    /// Applies a flag that can only switch a boolean key to `value` (given when `present`).
    mutating func override(_ keyName: String, flag: String, present: Bool, meaning value: Bool) throws(ConfigurationError) {
        try override(keyName, flag: flag, with: present ? String(value) : nil)
    }

    // MARK: Typed values (keys are validated when read, so these only convert)

    func string(_ name: String) -> String? { settings[name]?.value }
    func integer(_ name: String) -> Int { Int(settings[name]?.value ?? "") ?? 0 }
    func number(_ name: String) -> Double { Double(settings[name]?.value ?? "") ?? 0 }
    func boolean(_ name: String) -> Bool { settings[name]?.value == "true" }
    func list(_ name: String) -> [String] {
        (settings[name]?.value ?? "").split(separator: ",").map(String.init)
    }
    func source(_ name: String) -> SettingSource { settings[name]?.source ?? .builtIn }

    /// The settings in the order of `SettingKey.all`.
    var ordered: [ResolvedSetting] { SettingKey.all.compactMap { settings[$0.name] } }

    // MARK: Reading the file

    private static func requireFile(_ path: String, namedBy origin: String) throws(ConfigurationError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ConfigurationError("\(origin) 指定的配置文件 \(absolute(path)) 不存在")
        }
        return path
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private mutating func applyFile(at path: String) throws(ConfigurationError) {
        let shown = Self.absolute(path)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("配置文件 \(shown) 无法读取（不是 UTF-8 文本或没有读取权限）")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError("配置文件 \(shown)：\(Self.describe(error))")
        } catch {
            throw ConfigurationError("配置文件 \(shown)：不是有效的 YAML")
        }
        guard let root else { return }  // an empty file sets nothing
        if case .scalar(let scalar) = root, scalar.string.isEmpty { return }
        guard case .mapping(let sections) = root else {
            throw ConfigurationError("配置文件 \(shown)：顶层应为各节（database、server、crawl……）的映射")
        }
        var seen: Set<String> = []
        for (sectionNode, body) in sections {
            let section = sectionNode.string ?? ""
            guard let keys = SettingKey.sections[section] else {
                throw ConfigurationError(
                    "配置文件 \(shown)\(Self.line(sectionNode))：未知的节 \(section)（可用的节：\(SettingKey.sectionNames.joined(separator: "、"))）")
            }
            if case .scalar(let scalar) = body, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { continue }
            guard case .mapping(let entries) = body else {
                throw ConfigurationError("配置文件 \(shown)\(Self.line(body))：节 \(section) 应为“键: 值”的映射")
            }
            for (keyNode, valueNode) in entries {
                let name = "\(section).\(keyNode.string ?? "")"
                guard let key = keys.first(where: { $0.name == name }) else {
                    let known = keys.map(\.name).joined(separator: "、")
                    throw ConfigurationError("配置文件 \(shown)\(Self.line(keyNode))：未知的键 \(name)（节 \(section) 可用的键：\(known)）")
                }
                guard seen.insert(name).inserted else {
                    throw ConfigurationError("配置文件 \(shown)\(Self.line(keyNode))：键 \(name) 重复出现")
                }
                let origin = SettingSource.file(shown)
                guard let raw = try key.scalar(of: valueNode, at: origin) else { continue }  // `key:` with no value: the default
                let value = try key.validate(raw, at: origin)
                settings[name] = ResolvedSetting(key: key, value: value, source: origin)
            }
        }
    }

    private static func line(_ node: Node) -> String {
        node.mark.map { "第 \($0.line) 行" }.map { "（\($0)）" } ?? ""
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "第 \(mark.line) 行第 \(mark.column) 列不是有效的 YAML（\(problem)）"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "第 \(context.mark.line) 行：键 \(duplicates.joined(separator: "、")) 重复出现"
        default:
            return "不是有效的 YAML（\(String(describing: error).replacingOccurrences(of: "\n", with: " "))）"
        }
    }
}

/// A key with its value and where the value came from.
struct ResolvedSetting: Sendable {
    var key: SettingKey
    var value: String?
    var source: SettingSource

    /// The value as `config show` prints it: secrets masked.
    var shownValue: String? { value.map(key.mask) }
}

/// Where a value came from, as `config show` names it.
enum SettingSource: Sendable, Equatable {
    case builtIn
    case file(String)
    case environment(String)
    case flag(String)

    var chinese: String {
        switch self {
        case .builtIn: return "默认"
        case .file(let path): return "配置文件 \(path)"
        case .environment(let name): return "环境变量 \(name)"
        case .flag(let flag): return "命令行参数 \(flag)"
        }
    }

    /// The machine-readable kind, for `config show --format json`.
    var origin: String {
        switch self {
        case .builtIn: return "default"
        case .file: return "file"
        case .environment: return "environment"
        case .flag: return "flag"
        }
    }

    var detail: String? {
        switch self {
        case .builtIn: return nil
        case .file(let path): return path
        case .environment(let name): return name
        case .flag(let flag): return flag
        }
    }
}

/// A bad configuration: one Chinese line, exit 2.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One key of the configuration: its name in the file (`section.key`), its environment
/// variable, the flags that override it, its default, and what a valid value is.
struct SettingKey: Sendable {
    enum Kind: Sendable {
        case text
        /// A path to a file or folder (not checked for existence here: the command using it does).
        case path
        /// A URL of one of these schemes, with a host.
        case url(schemes: [String])
        case database
        case integer(ClosedRange<Int>)
        /// A number greater than zero.
        case positiveNumber
        case boolean
        case choice([String])
        /// Some of these, comma-separated (or a YAML list).
        case choices([String])
        /// IPv4 or IPv6 addresses, comma-separated (or a YAML list).
        case addresses
    }

    var name: String
    var kind: Kind
    var defaultValue: String?
    var environment: String
    /// The flags that override this key (for `config show` and the example file).
    var flags: [String]
    var secret = false
    /// What the key means, in Chinese (`config show --format json`).
    var meaning: String

    var section: String { String(name.split(separator: ".").first ?? "") }

    /// Environment variables keep their old names where they existed; the others are
    /// `GOVWATCH_` + the key in capitals (`server.public_url` → `GOVWATCH_SERVER_PUBLIC_URL`).
    static func variable(_ name: String) -> String {
        "GOVWATCH_" + name.replacingOccurrences(of: ".", with: "_").uppercased()
    }

    static let jobKinds = ["probe", "patrol", "inspection", "feeds", "digest"]

    static let all: [SettingKey] = {
        func key(
            _ name: String, _ kind: Kind, _ defaultValue: String?, flags: [String] = [], environment: String? = nil, secret: Bool = false,
            _ meaning: String
        ) -> SettingKey {
            SettingKey(
                name: name, kind: kind, defaultValue: defaultValue, environment: environment ?? variable(name), flags: flags, secret: secret,
                meaning: meaning)
        }
        let web = ["http", "https"]
        return [
            key("database.url", .database, DatabaseLocation.defaultURL, flags: ["--db"], environment: "GOVWATCH_DB", secret: true,
                "数据库地址：sqlite://相对路径、sqlite:///绝对路径 或 postgres://用户:密码@主机:端口/库名"),
            key("server.host", .text, "127.0.0.1", flags: ["--host"], "govwatch serve 的监听地址"),
            key("server.port", .integer(0...65535), "8080", flags: ["--port"], "govwatch serve 的监听端口（0 表示任选空闲端口）"),
            key("server.public_url", .url(schemes: web), nil, flags: ["--public-url"], "用户访问平台的地址；https 时会话 Cookie 加 Secure"),
            key("server.inspection_lanes", .integer(0...256), "2", flags: ["--inspection-lanes"], "serve 同时执行的排队检查任务数（0 表示不执行）"),
            key("server.trusted_proxies", .addresses, nil,
                "反向代理的 IP 地址：来自这些地址的请求按 X-Forwarded-For 认定用户地址（登录限制与审计日志使用）"),
            key("server.page_cache_mib", .integer(0...65_536), "64",
                "serve 缓存的页面数据上限（MiB）：总览、网站页和整改列表在数据变化前重复使用（0 表示不缓存）"),
            key("server.scheduler", .boolean, "false", flags: ["--scheduler"], "serve 是否在同一进程中运行定时检查"),
            key("crawl.proxy", .url(schemes: ["http"]), nil, flags: ["--proxy"], secret: true, "抓取与监测使用的 HTTP 代理（http://主机:端口）"),
            key("crawl.max_pages", .integer(1...10_000_000), "5000", flags: ["--max-pages"], "每个网站最多抓取的页面数"),
            key("crawl.max_depth", .integer(1...1_000), "40", "从首页起最多跟随的链接层数"),
            key("crawl.concurrency", .integer(1...4_096), "16", flags: ["--concurrency"], "同时进行的请求数（本进程所有网站合计）"),
            key("crawl.sites_at_once", .integer(1...1_024), "4", flags: ["--sites-at-once"], "同时检查的网站数"),
            key("crawl.per_host_rate", .positiveNumber, "10", flags: ["--per-host-rate"], "对同一主机每秒最多发出的请求数"),
            key("crawl.per_host_connections", .integer(1...64), "2", flags: ["--per-host-connections"], "对同一主机同时进行的请求数"),
            key("crawl.contact", .text, nil, flags: ["--contact"], "写入 User-Agent 的联系方式（邮箱或网址）"),
            key("crawl.autothrottle", .boolean, "true", flags: ["--no-autothrottle"], "按服务器响应快慢自动放慢请求"),
            key("crawl.obey_robots", .boolean, "true", flags: ["--ignore-robots"], "遵守 robots.txt"),
            key("crawl.connect_timeout_seconds", .positiveNumber, "10", "建立连接的超时（秒）"),
            key("crawl.first_byte_timeout_seconds", .positiveNumber, "15", "等待响应头的超时（秒）"),
            key("crawl.response_timeout_seconds", .positiveNumber, "30", "整个响应的超时（秒）"),
            key("crawl.max_page_bytes", .integer(1_024...1_073_741_824), String(8 * 1024 * 1024), "每个页面最多读取的字节数"),
            key("webhook.url", .url(schemes: web), nil, flags: ["--webhook"], environment: "GOVWATCH_WEBHOOK_URL",
                "整改单变化和整改日报的通知地址"),
            key("webhook.secret", .text, nil, secret: true,
                "通知签名密钥：设置后每个通知带 X-GovWatch-Signature: sha256=HMAC-SHA256(密钥, 请求体) 头"),
            key("scheduler.probes_per_day", .integer(20...1_440), "24", flags: ["--probes-per-day"], "每个网站每天的可用性监测次数（不少于20）"),
            key("scheduler.concurrency", .integer(1...256), "8", flags: ["--concurrency"], "调度器同时执行的任务数"),
            key("scheduler.kinds", .choices(jobKinds), jobKinds.joined(separator: ","), flags: ["--kinds"], "调度器创建并执行的任务类型"),
            key("scheduler.queue_inspections", .boolean, "false", flags: ["--queue-inspections"], "每月全面检查只排队，由 govwatch worker 执行"),
            key("scheduler.digest_dir", .path, nil, flags: ["--digest-dir"], "整改日报的输出目录"),
            key("scheduler.deadlines", .path, nil, flags: ["--deadlines"], "整改期限设置文件（JSON）"),
            key("upload.max_attachment_mib", .integer(1...20), "20", "整改反馈每个附件的最大大小（MiB，不超过20）"),
            key("log.level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), "info", flags: ["--log-level"],
                "日志级别"),
            key("log.format", .choice(["text", "json"]), "text", flags: ["--log-format"], "日志格式：text 或 json（每行一个 JSON 对象）"),
        ]
    }()

    static let sections: [String: [SettingKey]] = Dictionary(grouping: all, by: \.section)
    static var sectionNames: [String] {
        var names: [String] = []
        for key in all where !names.contains(key.section) { names.append(key.section) }
        return names
    }

    /// The text of a file value, or nil for an explicit null (`key:` or `key: null`).
    func scalar(of node: Node, at origin: SettingSource) throws(ConfigurationError) -> String? {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
            // A quoted "8080" is text, not a number: the file says what it means.
            if scalar.style != .plain, !kind.isText {
                throw ConfigurationError("\(origin.chinese)：键 \(name) 的值 \"\(scalar.string)\" 带引号（是文本），\(kind.expectation)")
            }
            return scalar.string
        case .sequence(let items):
            switch kind {
            case .choices, .addresses: break
            default: throw ConfigurationError("\(origin.chinese)：键 \(name) 的值是列表，\(kind.expectation)")
            }
            var values: [String] = []
            for item in items {
                guard case .scalar(let scalar) = item else {
                    throw ConfigurationError("\(origin.chinese)：键 \(name) 的列表中只能有单个值")
                }
                values.append(scalar.string)
            }
            return values.joined(separator: ",")
        case .mapping:
            throw ConfigurationError("\(origin.chinese)：键 \(name) 的值是映射，\(kind.expectation)")
        case .alias:
            throw ConfigurationError("\(origin.chinese)：键 \(name) 的值不能是 YAML 别名")
        }
    }

    /// The value in its canonical form, or the one-line reason it is not valid.
    func validate(_ raw: String, at origin: SettingSource) throws(ConfigurationError) -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        func bad() -> ConfigurationError {
            ConfigurationError("\(origin.chinese)：键 \(name) 的值 \"\(raw)\" \(kind.expectation)")
        }
        switch kind {
        case .text, .path:
            guard !value.isEmpty, !value.contains(where: \.isNewline) else { throw bad() }
            return value
        case .url(let schemes):
            guard let url = URLComponents(string: value), let scheme = url.scheme?.lowercased(), schemes.contains(scheme),
                let host = url.host, !host.isEmpty
            else { throw bad() }
            return value
        case .database:
            guard (try? DatabaseLocation.parse(value)) != nil else { throw bad() }
            if !value.hasPrefix("sqlite://") {
                guard let url = URLComponents(string: value), let host = url.host, !host.isEmpty else { throw bad() }
            }
            return value
        case .integer(let range):
            guard let number = Int(value), range.contains(number) else { throw bad() }
            return String(number)
        case .positiveNumber:
            guard let number = Double(value), number.isFinite, number > 0 else { throw bad() }
            return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .boolean:
            switch value.lowercased() {
            case "true", "yes", "on", "1": return "true"
            case "false", "no", "off", "0": return "false"
            default: throw bad()
            }
        case .choice(let options):
            guard options.contains(value.lowercased()) else { throw bad() }
            return value.lowercased()
        case .choices(let options):
            let picked = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            guard !picked.isEmpty, picked.allSatisfy(options.contains) else { throw bad() }
            return picked.joined(separator: ",")
        case .addresses:
            let addresses = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !addresses.isEmpty, addresses.allSatisfy(ForwardedClientMiddleware.isIPAddress) else { throw bad() }
            return addresses.joined(separator: ",")
        }
    }

    /// A secret hidden: a URL keeps everything but its password; a plain secret is stars.
    func mask(_ value: String) -> String {
        guard secret else { return value }
        if case .text = kind { return "******" }
        guard var components = URLComponents(string: value), components.password != nil else { return value }
        components.password = "******"
        return components.string ?? "******"
    }
}

extension SettingKey.Kind {
    var isText: Bool {
        switch self {
        case .text, .path, .url, .database, .choice, .choices, .addresses: return true
        case .integer, .positiveNumber, .boolean: return false
        }
    }

    /// What a valid value is, for the error line.
    var expectation: String {
        switch self {
        case .text: return "不是有效的文本（不能为空，不能换行）"
        case .path: return "不是有效的路径"
        case .url(let schemes): return "不是有效的 \(schemes.joined(separator: "/")) 地址"
        case .database: return "不是有效的数据库地址（sqlite://相对路径、sqlite:///绝对路径 或 postgres://用户:密码@主机:端口/库名）"
        case .integer(let range): return "不是 \(range.lowerBound)–\(range.upperBound) 之间的整数"
        case .positiveNumber: return "不是大于 0 的数"
        case .boolean: return "不是 true 或 false"
        case .choice(let options): return "不是 \(options.joined(separator: "、")) 之一"
        case .choices(let options): return "应为 \(options.joined(separator: "、")) 中的一个或多个（用逗号分隔或写成列表）"
        case .addresses: return "应为一个或多个 IP 地址（用逗号分隔或写成列表）"
        }
    }
}

extension GovWatchConfiguration {
    /// The webhook of `webhook.url` with `webhook.secret`, nil when no URL is configured.
    func ticketWebhook() throws(ConfigurationError) -> TicketWebhook? {
        guard let url = string("webhook.url") else { return nil }
        do {
            return try TicketWebhook(url: url, secret: string("webhook.secret"))
        } catch {
            throw ConfigurationError("\(source("webhook.url").chinese)：键 webhook.url 的值 \"\(url)\" 不是有效的 http/https 地址")
        }
    }
}

extension GovWatchConfiguration {
    /// `govwatch serve`'s settings: the `server.*` and `upload.*` keys.
    var server: ServerConfiguration {
        var server = ServerConfiguration(
            host: string("server.host") ?? "127.0.0.1", port: integer("server.port"),
            publicURL: string("server.public_url").flatMap { URL(string: $0) })
        server.maximumAttachmentBytes = integer("upload.max_attachment_mib") << 20
        server.trustedProxies = Set((string("server.trusted_proxies") ?? "").split(separator: ",").map(String.init))
        server.pageCacheBytes = integer("server.page_cache_mib") << 20
        return server
    }

    /// `log.level` for swift-log.
    var logLevel: Logger.Level { Logger.Level(rawValue: string("log.level") ?? "info") ?? .info }

    /// `log.format`: `text` or `json` (the `--log-format` flag overrides it where a command has one).
    var logFormat: String { string("log.format") ?? "text" }

    /// The scheduler's job kinds (`scheduler.kinds`).
    var jobKinds: Set<JobKind> { Set(list("scheduler.kinds").compactMap(JobKind.init(rawValue:))) }
}
