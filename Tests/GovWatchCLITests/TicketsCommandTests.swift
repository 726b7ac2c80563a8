import Foundation
import GovWatchCore
import GovWatchTestSupport
import Testing

/// `govwatch tickets` as people run it: the real binary on a database where an inspection
/// (through a proxy that refuses every connection) opened tickets for two units without staff.
@Suite struct TicketsCommandTests {
    static func govwatch(_ arguments: [String], in directory: URL) async throws -> ProcessOutput {
        try await ImportCommandTests.govwatch(arguments + ["--db", "sqlite://tickets.sqlite"], in: directory)
    }

    /// A folder with two sites of two units (nobody on record, so each unit gets a
    /// `unit.staff.unassigned` ticket) inspected as of 2022-03-31.
    static func prepared() async throws -> URL {
        let directory = try ImportCommandTests.scratch()
        let sites = """
            网站标识码,网站名称,首页网址,网站类型,主办单位
            4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局
            4301000003,鸿溪市公安局,http://gaj.hongxi.gov.cn/,部门网站,鸿溪市公安局

            """
        try Data(sites.utf8).write(to: directory.appendingPathComponent("sites.csv"))
        let imported = try await govwatch(["import", "sites", "sites.csv"], in: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        let inspected = try await govwatch(
            ["inspect", "--as-of", "2022-03-31", "--proxy", "http://127.0.0.1:9", "--max-pages", "2"], in: directory)
        #expect(inspected.status == 0, "\(inspected.stderr)")
        #expect(inspected.stdout.contains("整改：新下发 2 件"))
        return directory
    }

    @Test func listShowsTicketsAsTheSpecsJSONAndFilters() async throws {
        let directory = try await Self.prepared()
        let json = try await Self.govwatch(["tickets", "list", "--format", "json", "--as-of", "2022-04-01"], in: directory)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: [[String: Any]]]
        let tickets = object["tickets"]!
        #expect(tickets.map { $0["id"] as? String } == ["T-000001", "T-000002"])
        #expect(tickets.allSatisfy { $0["state"] as? String == "open" && $0["overdue"] as? Bool == false && $0["deadline"] as? String == "2022-04-15" })
        #expect(tickets.map { $0["unit"] as? String } == ["鸿溪市公安局", "鸿溪市教育局"] || tickets.map { $0["unit"] as? String } == ["鸿溪市教育局", "鸿溪市公安局"])

        let overdue = try await Self.govwatch(["tickets", "list", "--overdue", "--as-of", "2022-04-16", "--unit", "鸿溪市教育局", "--format", "csv"], in: directory)
        let lines = overdue.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("id,unit,") && lines[1].contains("鸿溪市教育局") && lines[1].contains(",true,"))
        #expect(try await Self.govwatch(["tickets", "list", "--overdue", "--as-of", "2022-04-15"], in: directory).stdout.contains("共 0 张整改单"))

        let badState = try await Self.govwatch(["tickets", "list", "--state", "退回"], in: directory)
        #expect(badState.status == 2 && badState.stderr.contains("--state “退回” 无效"))
        let badUnit = try await Self.govwatch(["tickets", "list", "--unit", "不存在局"], in: directory)
        #expect(badUnit.status == 2 && badUnit.stderr == "govwatch: 单位“不存在局”未登记\n")
    }

    @Test func failedNotificationsAreListedAndResendNeedsAWebhook() async throws {
        let directory = try ImportCommandTests.scratch()
        let empty = try await Self.govwatch(["tickets", "notifications"], in: directory)
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout.contains("共 0 条推送失败的通知"))
        let json = try await Self.govwatch(["tickets", "notifications", "--format", "json"], in: directory)
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["failures"] as? [Any] != nil)
        let noWebhook = try await Self.govwatch(["tickets", "notifications", "--resend"], in: directory)
        #expect(noWebhook.status == 2)
        #expect(noWebhook.stderr.contains("未设置通知地址"))
    }

    @Test func transitionsAreLoggedAndBadRequestsExitTwoChangingNothing() async throws {
        let directory = try await Self.prepared()
        let report = directory.appendingPathComponent("整改报告.pdf")
        try Data("%PDF-1.4 盖章".utf8).write(to: report)
        let fed = try await Self.govwatch(
            ["tickets", "feedback", "T-000001", "--text", "已补录网站管理员", "--attach", report.path, "--actor", "张三"], in: directory)
        #expect(fed.status == 0, "\(fed.stderr)")
        #expect(fed.stdout == "整改单 T-000001：反馈，待整改 → 已反馈\n")

        let snapshot = { try await Self.govwatch(["tickets", "list", "--format", "json", "--as-of", "2022-04-01"], in: directory).stdout }
        let historyOf = { (id: String) in try await Self.govwatch(["tickets", "history", id], in: directory).stdout }
        let before = try await snapshot()
        let historyBefore = try await historyOf("T-000001")

        let refusals: [([String], String)] = [
            (["tickets", "feedback", "T-000001", "--text", "又改了"], "整改单 T-000001 当前状态为“已反馈”，不能反馈"),
            (["tickets", "verify", "T-000002", "--reason", "核验"], "整改单 T-000002 当前状态为“待整改”，不能核验销号"),
            (["tickets", "reject", "T-000001"], "退回必须说明原因（--reason）"),
            (["tickets", "dismiss", "T-000001", "--reason", " "], "忽略必须说明原因（--reason）"),
            (["tickets", "verify", "T-000999", "--reason", "x"], "整改单 T-000999 不存在"),
            (["tickets", "reject", "X-1", "--reason", "x"], "整改单编号“X-1”无效，应为 T-000123 形式"),
            (["tickets", "history", "T-000042"], "整改单 T-000042 不存在"),
            (["tickets", "feedback", "T-000002", "--text", "x", "--attach", "missing.pdf"], "missing.pdf: 无法读取附件"),
        ]
        for (arguments, message) in refusals {
            let result = try await Self.govwatch(arguments, in: directory)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.hasPrefix("govwatch: " + message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        #expect(try await snapshot() == before)
        #expect(try await historyOf("T-000001") == historyBefore)

        #expect(try await Self.govwatch(["tickets", "reject", "T-000001", "--reason", "附件未盖章", "--actor", "李四"], in: directory).status == 0)
        #expect(try await Self.govwatch(["tickets", "assign", "T-000002", "--to", "王五", "--actor", "李四"], in: directory).status == 0)
        #expect(try await Self.govwatch(["tickets", "dismiss", "T-000002", "--reason", "已在人员表补录", "--actor", "李四"], in: directory).status == 0)
        let history = try await historyOf("T-000001")
        for expected in ["系统复查", "下发", "张三", "反馈", "待整改 → 已反馈", "整改报告.pdf sha256:", "李四", "退回", "已反馈 → 待整改", "附件未盖章", "共 3 条记录"] {
            #expect(history.contains(expected), "\(expected) in \(history)")
        }
        let show = try await Self.govwatch(["tickets", "show", "T-000002"], in: directory).stdout
        #expect(show.contains("已忽略") && show.contains("责任人：王五"))
        let backlog = try await Self.govwatch(["tickets", "backlog", "--as-of", "2022-04-20", "--format", "json"], in: directory)
        #expect(backlog.status == 0 && backlog.stdout.contains("\"cleared\" : true") && backlog.stdout.contains("\"overdue\" : 1"))
    }
}
