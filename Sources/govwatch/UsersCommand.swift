import ArgumentParser
import Foundation
import GovWatchServer
import GovWatchStore

/// `govwatch users …`: the people who sign in to the web platform (web.md).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "平台用户：新增、列出、停用、启用、重置密码、签发访问令牌。",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, ResetPassword.self, Token.self]
    )

    /// Who makes the change in the audit log: the operating-system user at the terminal.
    static var audit: AuditContext {
        let name = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "未署名用户"
        return AuditContext(actor: "cli:\(name)", address: "命令行")
    }

    /// The password from standard input (one line, the newline dropped).
    static func readPasswordFromStandardInput() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw reportFailure("password：标准输入中没有读到密码")
        }
        return line
    }

    /// Runs a user change, turning the store's refusals into exit 2 naming the field.
    static func run<T>(_ options: GlobalOptions, _ body: (UserAdministration) async throws -> T) async throws -> T {
        try await withStore(options) { store in
            do {
                return try await body(UserAdministration(store: store))
            } catch let error as UserStoreError {
                throw reportFailure("\(error.field)：\(error.description)")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "新增用户（未给 --password-stdin 时生成随机密码并只显示这一次）。")

        @Argument(help: "用户名") var name: String
        @Option(help: "角色：admin（管理员）| inspector（监管人员）| unit（单位用户）| viewer（只读）") var role: String
        @Option(help: "所属单位名称（单位用户必填，须与台账中的单位名称一致）") var unit: String?
        @Option(name: .customLong("display-name"), help: "显示名称（默认同用户名）") var displayName: String?
        @Flag(name: .customLong("password-stdin"), help: "从标准输入读取密码") var passwordStdin = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let role = UserRole(rawValue: role) else {
                throw reportFailure("role：角色“\(role)”无效，可选 admin、inspector、unit、viewer")
            }
            if role != .unit, let unit, !unit.isEmpty {
                throw reportFailure("unit：只有单位用户（--role unit）才能指定所属单位")
            }
            let password = passwordStdin ? try UsersCommand.readPasswordFromStandardInput() : nil
            let (user, generated) = try await UsersCommand.run(global) { administration in
                try await administration.addUser(
                    username: name, role: role, unitName: unit, displayName: displayName, password: password,
                    audit: UsersCommand.audit)
            }
            var text = "已新增用户 \(user.username)（\(user.role.chineseName)\(user.unitName.map { "，\($0)" } ?? "")）\n"
            if let generated { text += "初始密码（只显示这一次）：\(generated)\n" }
            writeOut(text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出用户。")

        @Option(help: "输出格式：text | json | csv") var format: String = "text"
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard ["text", "json", "csv"].contains(format) else {
                throw reportFailure("format：输出格式“\(format)”无效，可选 text、json、csv")
            }
            let users = try await withStore(global) { try await $0.users() }
            switch format {
            case "json":
                let items = users.map { user -> [String: Any] in
                    [
                        "username": user.username, "displayName": user.displayName, "role": user.role.rawValue,
                        "unit": user.unitName ?? NSNull(), "disabled": user.disabled,
                        "createdAt": ISO8601DateFormatter().string(from: user.createdAt),
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])
                writeOut(String(decoding: data, as: UTF8.self) + "\n")
            case "csv":
                var text = "username,display_name,role,unit,disabled,created_at\n"
                for user in users {
                    let fields = [
                        user.username, user.displayName, user.role.rawValue, user.unitName ?? "", user.disabled ? "true" : "false",
                        ISO8601DateFormatter().string(from: user.createdAt),
                    ]
                    text += fields.map(Self.csvField).joined(separator: ",") + "\n"
                }
                writeOut(text)
            default:
                if users.isEmpty {
                    writeOut("还没有用户。用 govwatch users add NAME --role admin 新增第一个管理员。\n")
                    return
                }
                var text = ""
                for user in users {
                    text += "\(user.username)\t\(user.displayName)\t\(user.role.chineseName)\t\(user.unitName ?? "—")"
                    text += user.disabled ? "\t已停用\n" : "\t正常\n"
                }
                writeOut(text)
            }
        }

        static func csvField(_ value: String) -> String {
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "停用用户（立即结束其所有会话）。")
        @Argument(help: "用户名") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await UsersCommand.run(global) { administration in
                try await administration.store.setUserDisabled(
                    name, disabled: true, now: Date(), audit: UsersCommand.audit)
            }
            writeOut("已停用用户 \(name)\n")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "启用已停用的用户。")
        @Argument(help: "用户名") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await UsersCommand.run(global) { administration in
                try await administration.store.setUserDisabled(
                    name, disabled: false, now: Date(), audit: UsersCommand.audit)
            }
            writeOut("已启用用户 \(name)\n")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "重置密码（未给 --password-stdin 时生成随机密码并只显示这一次；其会话全部结束）。")
        @Argument(help: "用户名") var name: String
        @Flag(name: .customLong("password-stdin"), help: "从标准输入读取密码") var passwordStdin = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let password = passwordStdin ? try UsersCommand.readPasswordFromStandardInput() : nil
            let generated = try await UsersCommand.run(global) { administration in
                try await administration.resetPassword(username: name, password: password, audit: UsersCommand.audit)
            }
            var text = "已重置用户 \(name) 的密码\n"
            if let generated { text += "新密码（只显示这一次）：\(generated)\n" }
            writeOut(text)
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "token", abstract: "为用户签发 API 访问令牌（只显示这一次）。")
        @Argument(help: "用户名") var name: String
        @Option(name: .customLong("name"), help: "令牌用途说明") var label: String = "api"
        @Option(help: "有效天数（默认不过期）") var expires: Int?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (token, record) = try await UsersCommand.run(global) { administration in
                try await administration.createToken(
                    username: name, label: label, expiresInDays: expires, audit: UsersCommand.audit)
            }
            var text = "已为用户 \(name) 签发访问令牌“\(record.label)”"
            if let expiresAt = record.expiresAt {
                text += "，有效期至 \(ISO8601DateFormatter().string(from: expiresAt))"
            }
            text += "（只显示这一次，请妥善保存）：\n\(token)\n"
            writeOut(text)
        }
    }
}
