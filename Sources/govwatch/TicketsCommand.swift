import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore

/// `govwatch tickets …`: the rectification tickets (整改单).
struct TicketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "整改单：查看、反馈、核验销号、退回、忽略、指派，以及整改记录。",
        subcommands: [
            List.self, Show.self, Feedback.self, Verify.self, Reject.self, Dismiss.self, Assign.self, History.self, Backlog.self, Notifications.self,
        ],
        defaultSubcommand: List.self
    )

    /// Who acts, for the audit log.
    struct ActorOptions: ParsableArguments {
        @Option(help: "操作人姓名（默认为环境变量 USER）")
        var actor: String?

        @Option(help: "整改单变化的通知地址（默认为环境变量 GOVWATCH_WEBHOOK_URL）")
        var webhook: String?

        var name: String {
            let value = actor ?? ProcessInfo.processInfo.environment["USER"] ?? ""
            return value.isEmpty ? "未署名用户" : value
        }
    }

    // MARK: list

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出整改单。")

        @Option(help: "只列出该单位的整改单")
        var unit: String?

        @Option(help: "open（待整改）| feedback（已反馈）| closed（已销号）| dismissed（已忽略）")
        var state: String?

        @Flag(help: "只列出已逾期的整改单")
        var overdue = false

        @Option(name: .customLong("as-of"), help: "判断逾期的时间点：YYYY-MM-DD（当天24:00）或 ISO 8601 时间，默认为当前时间")
        var asOf: String?

        @Option(help: "text | json | csv")
        var format: OutputFormat = .text

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let moment = try parseMoment(asOf)
            var filter = TicketFilter(unit: unit)
            if let state {
                guard let parsed = TicketState(word: state) else {
                    throw reportFailure("--state “\(state)” 无效：应为 open、feedback、closed 或 dismissed（待整改、已反馈、已销号、已忽略）")
                }
                filter.state = parsed
            }
            if overdue { filter.overdueAt = moment }
            let tickets = try await withStore(global) { store in
                do {
                    return try await store.tickets(filter)
                } catch let error as TicketError {
                    throw reportFailure(error.message)
                }
            }
            switch format {
            case .json:
                writeOut(try TicketJSON.render(tickets, at: moment))
            case .csv:
                writeOut(Self.csv(tickets, at: moment))
            case .text:
                let rows = tickets.map { ticket in
                    [
                        ticket.code, ticket.state.chineseName + (ticket.isOverdue(at: moment) ? "（逾期）" : ""), ticket.unit,
                        ticket.target.name, ticket.indicator.rawValue, ticket.level.chineseName,
                        ticket.deadline?.description ?? "-", String(ticket.occurrences), ticket.url ?? "",
                    ]
                }
                writeOut(
                    TextTable.render(
                        header: ["编号", "状态", "单位", "对象", "指标", "级别", "整改期限", "发现次数", "网址"], rows: rows,
                        footer: "共 \(tickets.count) 张整改单"))
            }
        }

        static func csv(_ tickets: [Ticket], at moment: Date) -> String {
            let header = [
                "id", "unit", "target_kind", "target_code", "target_name", "indicator", "level", "fingerprint", "url", "state",
                "occurrences", "first_seen", "last_seen", "deadline", "overdue", "reopened", "assignee",
            ]
            var lines = [header.joined(separator: ",")]
            for t in tickets {
                let fields = [
                    t.code, t.unit, t.target.kind.rawValue, t.target.code, t.target.name, t.indicator.rawValue, t.level.rawValue,
                    t.fingerprint, t.url ?? "", t.state.rawValue, String(t.occurrences), ChinaTime.iso8601(t.firstSeen),
                    ChinaTime.iso8601(t.lastSeen), t.deadline?.description ?? "", t.isOverdue(at: moment) ? "true" : "false",
                    String(t.reopened), t.assignee ?? "",
                ]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    // MARK: show

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "查看一张整改单的详情。")

        @Argument(help: "整改单编号，如 T-000123")
        var id: String

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (ticket, attachments) = try await withStore(global) { store in
                try await ticketCall { (try await store.ticket(id), try await store.attachments(of: id)) }
            }
            let now = Date()
            var lines = [
                "整改单 \(ticket.code)  \(ticket.state.chineseName)\(ticket.isOverdue(at: now) ? "（已逾期）" : "")",
                "单位：\(ticket.unit)",
                "对象：\(ticket.target.name)（\(ticket.target.code)）",
                "指标：\(ticket.indicator)  \(ticket.level.chineseName)",
                "整改期限：\(ticket.deadline?.description ?? "-")",
                "首次发现：\(ChinaTime.display(ticket.firstSeen))  最近发现：\(ChinaTime.display(ticket.lastSeen))  共 \(ticket.occurrences) 次  复查未通过 \(ticket.reopened) 次",
            ]
            if let url = ticket.url { lines.append("网址：\(url)") }
            if let evidence = ticket.evidence { lines.append("证据：\(evidence)") }
            if let assignee = ticket.assignee { lines.append("责任人：\(assignee)") }
            if let feedback = ticket.feedbackText { lines.append("整改反馈：\(feedback)") }
            for file in attachments {
                lines.append("附件：\(file.fileName)（\(file.size) 字节，SHA-256 \(file.sha256)）")
            }
            writeOut(lines.joined(separator: "\n") + "\n")
        }
    }

    // MARK: transitions

    struct Feedback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "feedback", abstract: "单位反馈整改情况（待整改 → 已反馈）。")

        @Argument(help: "整改单编号，如 T-000123")
        var id: String

        @Option(help: "整改情况说明")
        var text: String

        @Option(name: .customLong("attach"), help: "附件（如盖章的整改报告 PDF），可重复")
        var attachments: [String] = []

        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            var files: [AttachmentInput] = []
            for path in attachments {
                let url = URL(fileURLWithPath: path)
                guard let data = try? Data(contentsOf: url) else {
                    throw reportFailure("\(path): 无法读取附件")
                }
                files.append(AttachmentInput(fileName: url.lastPathComponent, data: data))
            }
            try await transition(id: id, actor: actor, global: global) { store, who in
                try await store.feedback(id, text: text, attachments: files, actor: who, at: Date())
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "核验整改并销号（已反馈 → 已销号）。")
        @Argument(help: "整改单编号，如 T-000123") var id: String
        @Option(help: "核验意见") var reason: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await transition(id: id, actor: actor, global: global) { store, who in
                try await store.verify(id, reason: reason ?? "", actor: who, at: Date())
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "退回单位的反馈（已反馈 → 待整改），须说明原因。")
        @Argument(help: "整改单编号，如 T-000123") var id: String
        @Option(help: "退回原因") var reason: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await transition(id: id, actor: actor, global: global) { store, who in
                try await store.reject(id, reason: reason ?? "", actor: who, at: Date())
            }
        }
    }

    struct Dismiss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dismiss", abstract: "忽略误报（→ 已忽略），须说明原因；问题内容变化前不再下发。")
        @Argument(help: "整改单编号，如 T-000123") var id: String
        @Option(help: "忽略原因") var reason: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await transition(id: id, actor: actor, global: global) { store, who in
                try await store.dismiss(id, reason: reason ?? "", actor: who, at: Date())
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: "指派整改责任人（状态不变）。")
        @Argument(help: "整改单编号，如 T-000123") var id: String
        @Option(help: "责任人姓名") var to: String
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await transition(id: id, actor: actor, global: global) { store, who in
                try await store.assign(id, to: to, actor: who, at: Date())
            }
        }
    }

    // MARK: history and backlog

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "查看整改单的全部变更记录（谁、何时、从何状态到何状态、原因）。")
        @Argument(help: "整改单编号，如 T-000123") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (ticket, events, attachments) = try await withStore(global) { store in
                try await ticketCall { (try await store.ticket(id), try await store.history(id), try await store.attachments(of: id)) }
            }
            let rows = events.map { event in
                var reason = event.reason ?? ""
                let files = attachments.filter { $0.eventID == event.id }
                if !files.isEmpty {
                    reason += "（附件：" + files.map { "\($0.fileName) sha256:\($0.sha256.prefix(16))…" }.joined(separator: "，") + "）"
                }
                return [
                    ChinaTime.display(event.at), event.actor, event.action.chineseName,
                    (event.from?.chineseName ?? "-") + " → " + event.to.chineseName, reason,
                ]
            }
            writeOut("整改单 \(ticket.code)  \(ticket.unit)  \(ticket.target.name)  \(ticket.indicator)\n")
            writeOut(TextTable.render(header: ["时间", "操作人", "操作", "状态", "原因"], rows: rows, footer: "共 \(events.count) 条记录"))
        }
    }

    struct Backlog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "backlog", abstract: "各单位整改积压与清零情况。")

        @Option(name: .customLong("as-of"), help: "判断逾期的时间点，默认为当前时间")
        var asOf: String?

        @Option(help: "text | json | csv")
        var format: OutputFormat = .text

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let moment = try parseMoment(asOf)
            let backlog = try await withStore(global) { store in try await store.backlog(at: moment) }
            switch format {
            case .json:
                struct Entry: Encodable {
                    var unit: String, open: Int, feedback: Int, closed: Int, dismissed: Int, overdue: Int, reopened: Int, cleared: Bool
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted]
                let entries = backlog.map {
                    Entry(unit: $0.unit, open: $0.open, feedback: $0.feedback, closed: $0.closed, dismissed: $0.dismissed,
                        overdue: $0.overdue, reopened: $0.reopened, cleared: $0.cleared)
                }
                writeOut(String(decoding: try encoder.encode(["units": entries]), as: UTF8.self) + "\n")
            case .csv:
                var lines = ["unit,open,feedback,closed,dismissed,overdue,reopened,cleared"]
                for b in backlog {
                    lines.append([csvField(b.unit), "\(b.open)", "\(b.feedback)", "\(b.closed)", "\(b.dismissed)", "\(b.overdue)", "\(b.reopened)", b.cleared ? "true" : "false"].joined(separator: ","))
                }
                writeOut(lines.joined(separator: "\n") + "\n")
            case .text:
                let rows = backlog.map {
                    [$0.unit, "\($0.open)", "\($0.overdue)", "\($0.feedback)", "\($0.closed)", "\($0.dismissed)", "\($0.reopened)", $0.cleared ? "已清零" : "未清零"]
                }
                writeOut(TextTable.render(header: ["单位", "待整改", "逾期", "已反馈", "已销号", "已忽略", "复查未通过", "清零"], rows: rows,
                    footer: "共 \(backlog.count) 个单位，已清零 \(backlog.filter(\.cleared).count) 个"))
            }
        }
    }
}

extension TicketsCommand {
    /// `govwatch tickets notifications [--resend]`: the webhook notifications that failed every
    /// retry, and sending them again once the receiver is back.
    struct Notifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notifications", abstract: "列出推送失败的通知；加 --resend 重新推送（成功的不再列出）。")

        @Flag(help: "重新推送全部失败的通知")
        var resend = false

        @Option(help: "通知地址（默认为环境变量 GOVWATCH_WEBHOOK_URL）")
        var webhook: String?

        @Option(help: "text | json | csv")
        var format: OutputFormat = .text

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            var target: TicketWebhook?
            if resend {
                do {
                    target = try TicketWebhook.configured(option: webhook)
                } catch {
                    throw reportFailure("\(error)")
                }
                guard target != nil else { throw reportFailure("未设置通知地址：请用 --webhook 或环境变量 GOVWATCH_WEBHOOK_URL 指定") }
            }
            let (report, failures) = try await withStore(global) { store in
                let report = try await target?.resendFailures(store: store, at: Date())
                return (report, try await store.notificationFailures())
            }
            if let report { say("重新推送：成功 \(report.resent) 条，仍失败 \(report.stillFailing) 条") }
            switch format {
            case .json:
                struct Entry: Encodable {
                    var id: Int?, channel: String, destination: String, ticketEventID: Int?, attempts: Int, lastError: String, failedAt: String
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let entries = failures.map {
                    Entry(id: $0.id, channel: $0.channel, destination: $0.destination, ticketEventID: $0.ticketEventID, attempts: $0.attempts,
                        lastError: $0.lastError, failedAt: ChinaTime.iso8601($0.failedAt))
                }
                writeOut(String(decoding: try encoder.encode(["failures": entries]), as: UTF8.self) + "\n")
            case .csv:
                var lines = ["failed_at,channel,destination,ticket_event_id,attempts,last_error"]
                for f in failures {
                    lines.append(
                        [ChinaTime.iso8601(f.failedAt), f.channel, csvField(f.destination), f.ticketEventID.map(String.init) ?? "", "\(f.attempts)",
                            csvField(f.lastError)].joined(separator: ","))
                }
                writeOut(lines.joined(separator: "\n") + "\n")
            case .text:
                let rows = failures.map {
                    [ChinaTime.display($0.failedAt), $0.channel == "digest" ? "整改日报" : "整改单变化", $0.destination, "\($0.attempts)", $0.lastError]
                }
                writeOut(TextTable.render(header: ["失败时间", "类型", "通知地址", "已尝试", "最后错误"], rows: rows, footer: "共 \(failures.count) 条推送失败的通知"))
            }
        }
    }
}

/// Parses `--as-of` (a bare day is its end), or now.
private func parseMoment(_ text: String?) throws -> Date {
    guard let text else { return Date() }
    guard let moment = ChinaTime.parseMoment(text, bareDayMeansEnd: true) else {
        throw reportFailure("--as-of “\(text)” 无效：应为 YYYY-MM-DD 或 ISO 8601 时间")
    }
    return moment
}

/// Runs a ticket store call, turning bad ids and illegal transitions into exit 2.
private func ticketCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as TicketError {
        throw reportFailure(error.message)
    } catch let error as IllegalTicketTransition {
        throw reportFailure(error.description)
    }
}

/// One person's action: done in the store, printed, and posted to the webhook when configured.
private func transition(
    id: String, actor: TicketsCommand.ActorOptions, global: GlobalOptions,
    _ body: @escaping (Store, String) async throws -> TicketEvent
) async throws {
    let webhook: TicketWebhook?
    do {
        webhook = try TicketWebhook.configured(option: actor.webhook)
    } catch {
        throw reportFailure("\(error)")
    }
    let who = actor.name
    let event = try await withStore(global) { store in
        let event = try await ticketCall { try await body(store, who) }
        if let webhook {
            let report = await webhook.deliver([event], store: store, at: Date())
            if report.failed > 0 {
                FileHandle.standardError.write(Data("govwatch: 通知发送失败，已记录，稍后可重发\n".utf8))
            }
        }
        return event
    }
    let code = event.ticketID.map(TicketCode.format) ?? id
    writeOut("整改单 \(code)：\(event.action.chineseName)，\(event.from?.chineseName ?? "-") → \(event.to.chineseName)\n")
}

/// A CSV field, quoted when it holds a comma, quote or line break.
private func csvField(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
