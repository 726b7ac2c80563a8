import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// Tickets in the store, on SQLite and PostgreSQL: keyed by fingerprint, owned by the unit
/// that runs the target, every change in the audit log, refusals change nothing.
@Suite struct TicketStoreTests {
    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府
        4301000003,鸿溪市公安局,http://gaj.hongxi.gov.cn/,部门网站,鸿溪市公安局,鸿溪市人民政府

        """
    static let accounts = """
        平台,账号ID,账号名称,主办单位
        wechat,hxjy_wx,鸿溪教育,鸿溪市教育局

        """

    let education = Target(kind: .site, code: "4301000002", name: "鸿溪市教育局")
    let police = Target(kind: .site, code: "4301000003", name: "鸿溪市公安局")
    let account = Target(kind: .account, code: "hxjy_wx", name: "鸿溪教育")
    let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    let now = ChinaTime.parseMoment("2022-04-01T09:00:00")!

    func registered(_ store: Store) async throws {
        _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sites.utf8), file: "sites.csv", into: store)
        _ = try await RegistryImporter.importFile(.accounts, data: Data(Self.accounts.utf8), file: "accounts.csv", into: store)
    }

    func finding(_ target: Target, _ key: String, level: Level = .deduction) -> Finding {
        Finding(target: target, indicator: .siteContentPrivacy, level: level, url: "http://x/\(key)", evidence: "138****5678", locationKey: key)
    }

    func apply(_ store: Store, _ findings: [Finding], run: String, asOf: Date, scope: ReinspectionScope = .everything) async throws
        -> TicketApplication
    {
        try await store.applyInspection(findings: findings, run: run, asOf: asOf, scope: scope, policy: RectificationPolicy(), now: now)
    }

    @Test(arguments: TestDatabases.backends)
    func sameProblemIsOneTicketOfTheRunningUnit(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            try await registered(store)
            let findings = [
                finding(education, "a", level: .veto), finding(police, "b"), finding(account, "c"),
                finding(Target(kind: .unit, code: "鸿溪市公安局", name: "鸿溪市公安局"), "d"),
            ]
            let first = try await apply(store, findings, run: "r-1", asOf: asOf)
            #expect(first.result.created.count == 4)
            #expect(first.events.count == 4 && first.events.allSatisfy { $0.id != nil && $0.ticketID != nil })
            var tickets = try await store.tickets()
            #expect(tickets.map(\.unit) == ["鸿溪市教育局", "鸿溪市公安局", "鸿溪市教育局", "鸿溪市公安局"])
            #expect(tickets[0].deadline == ChinaTime.parseDay("2022-04-06"))
            #expect(tickets[1].deadline == ChinaTime.parseDay("2022-04-15"))
            #expect(tickets.map(\.code) == tickets.map { TicketCode.format($0.id!) })

            // Again, a day later: no duplicate, occurrences and last seen updated; the same run twice changes nothing.
            let later = asOf.addingTimeInterval(86_400)
            _ = try await apply(store, findings, run: "r-2", asOf: later)
            _ = try await apply(store, findings, run: "r-2", asOf: later)
            tickets = try await store.tickets()
            #expect(tickets.count == 4)
            #expect(tickets.allSatisfy { $0.occurrences == 2 && $0.lastSeen == later && $0.firstSeen == asOf })
            #expect(try await store.history("T-000001").count == 1)

            #expect(try await store.tickets(TicketFilter(unit: "鸿溪市公安局")).count == 2)
            #expect(try await store.tickets(TicketFilter(overdueAt: ChinaTime.parseMoment("2022-04-07T08:00:00")!)).map(\.code) == ["T-000001"])
            await #expect(throws: TicketError.self) { try await store.tickets(TicketFilter(unit: "不存在的局")) }
        }
    }

    @Test(arguments: TestDatabases.backends)
    func transitionsAreLoggedAndRefusalsChangeNothing(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            try await registered(store)
            _ = try await apply(store, [finding(education, "a"), finding(education, "b"), finding(police, "c")], run: "r-1", asOf: asOf)
            let pdf = Data("%PDF-1.4 盖章整改报告".utf8)
            let feedback = try await store.feedback(
                "T-000001", text: "已删除公示页中的手机号", attachments: [AttachmentInput(fileName: "整改报告.pdf", data: pdf)], actor: "张三", at: now)
            #expect(feedback.from == .open && feedback.to == .feedback)
            let attachments = try await store.attachments(of: "T-000001")
            #expect(attachments.map(\.fileName) == ["整改报告.pdf"])
            #expect(attachments[0].sha256 == AttachmentDigest.sha256Hex(pdf) && attachments[0].eventID == feedback.id)
            #expect(try await store.attachmentContent(attachments[0].id) == pdf)

            _ = try await store.reject("T-000001", reason: "附件未盖章", actor: "市政府办李四", at: now.addingTimeInterval(60))
            _ = try await store.feedback("T-000001", text: "已补充盖章文件", actor: "张三", at: now.addingTimeInterval(120))
            _ = try await store.verify("T-000001", reason: "核验属实", actor: "市政府办李四", at: now.addingTimeInterval(180))
            _ = try await store.assign("T-000002", to: "王五", actor: "市政府办李四", at: now)
            _ = try await store.dismiss("T-000003", reason: "系统误报：为办公电话", actor: "市政府办李四", at: now)

            let history = try await store.history("T-000001")
            #expect(history.map(\.action) == [.create, .feedback, .reject, .feedback, .verify])
            #expect(history.map(\.to) == [.open, .feedback, .open, .feedback, .closed])
            #expect(history.map(\.from) == [nil, .open, .feedback, .open, .feedback])
            #expect(history[2].actor == "市政府办李四" && history[2].reason == "附件未盖章")
            #expect(try await store.ticket("T-000002").assignee == "王五")
            #expect(try await store.ticket("T-000003").state == .dismissed)

            // Refusals: illegal transitions, missing reasons, bad ids — nothing changes.
            let before = try await store.tickets()
            let eventsBefore = try await store.ticketEvents().count
            await #expect(throws: IllegalTicketTransition.self) { try await store.feedback("T-000001", text: "再次反馈", actor: "张三", at: now) }
            await #expect(throws: IllegalTicketTransition.self) { try await store.verify("T-000002", reason: "未反馈", actor: "李四", at: now) }
            await #expect(throws: IllegalTicketTransition.self) { try await store.reject("T-000003", reason: "x", actor: "李四", at: now) }
            await #expect { try await store.reject("T-000002", reason: "  ", actor: "李四", at: now) } throws: {
                "\($0)" == "退回必须说明原因（--reason）"
            }
            await #expect { try await store.feedback("T-000999", text: "x", actor: "张三", at: now) } throws: {
                "\($0)" == "整改单 T-000999 不存在"
            }
            await #expect { try await store.dismiss("abc", reason: "x", actor: "张三", at: now) } throws: {
                "\($0)".contains("整改单编号“abc”无效")
            }
            #expect(try await store.tickets() == before)
            #expect(try await store.ticketEvents().count == eventsBefore)
        }
    }

    @Test(arguments: TestDatabases.backends)
    func reinspectionClosesAndReopensInTheStore(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            try await registered(store)
            _ = try await apply(store, [finding(education, "a"), finding(education, "b"), finding(police, "c")], run: "r-1", asOf: asOf)
            _ = try await store.feedback("T-000001", text: "已整改", actor: "张三", at: now)
            _ = try await store.feedback("T-000002", text: "已整改", actor: "张三", at: now)
            // Only "b" is still there; the run covers the education site only.
            let outcome = try await apply(
                store, [finding(education, "b")], run: "r-2", asOf: asOf.addingTimeInterval(86_400),
                scope: ReinspectionScope(targets: [.init(education)]))
            #expect(outcome.reopened.map(\.code) == ["T-000002"])
            #expect(outcome.open.map(\.code) == ["T-000002", "T-000003"])
            let states = try await store.tickets().map(\.state)
            #expect(states == [.closed, .open, .open], "the police site was not inspected: its ticket stays open")
            #expect(try await store.ticket("T-000002").reopened == 1)
            let log = try await store.history("T-000001")
            #expect(log.last?.action == .reinspectClosed && log.last?.actor == TicketEvent.systemActor)
            #expect(try await store.history("T-000002").last?.action == .reinspectReopened)
            let backlog = try await store.backlog(at: asOf)
            #expect(backlog.first { $0.unit == "鸿溪市教育局" }?.closed == 1)
        }
    }

    @Test(arguments: TestDatabases.backends)
    func twoStoresClaimAJobOnceAndMissedRunsCollapse(_ backend: TestDatabases.Backend) async throws {
        let location = try await TestDatabases.fresh(backend)
        let first = try await Store.open(location)
        let second = try await Store.open(location)
        do {
            let t0 = ChinaTime.parseMoment("2022-04-01T10:00:00")!
            try await first.ensureJob(name: "probe:4301000002", kind: "probe", parameter: "4301000002", firstRunAt: t0)
            try await second.ensureJob(name: "probe:4301000002", kind: "probe", parameter: "4301000002", firstRunAt: t0.addingTimeInterval(99))
            let jobs = try await first.jobs()
            #expect(jobs.count == 1 && jobs[0].nextRunAt == t0)
            let id = jobs[0].id
            #expect(try await first.claimJob(id, slot: t0, owner: "A", now: t0.addingTimeInterval(-1), leaseFor: 60) == false, "not due yet")
            // Both try at once: exactly one wins.
            async let a = first.claimJob(id, slot: t0, owner: "A", now: t0, leaseFor: 600)
            async let b = second.claimJob(id, slot: t0, owner: "B", now: t0, leaseFor: 600)
            let (wonA, wonB) = try await (a, b)
            #expect(wonA != wonB)
            let winner = wonA ? "A" : "B"
            #expect(try await first.dueJobs(at: t0.addingTimeInterval(10)).isEmpty, "leased")
            #expect(try await second.completeJob(id, owner: winner == "A" ? "B" : "A", nextRunAt: t0, finishedAt: t0, error: nil) == false)
            // The lease expires: the other may take over.
            #expect(try await second.claimJob(id, slot: t0, owner: "C", now: t0.addingTimeInterval(601), leaseFor: 600))
            #expect(try await first.completeJob(id, owner: winner, nextRunAt: t0, finishedAt: t0, error: nil) == false, "lease lost")
            #expect(try await second.completeJob(id, owner: "C", nextRunAt: t0.addingTimeInterval(3_600), finishedAt: t0.addingTimeInterval(602), error: "超时"))
            let after = try await first.jobs()[0]
            #expect(after.nextRunAt == t0.addingTimeInterval(3_600) && after.leaseOwner == nil && after.runs == 1)
            #expect(after.lastStatus == "failed" && after.lastError == "超时")
            // A scheduler that read the old slot before C ran it cannot claim the next one
            // under the old slot's name, even once the next slot is due.
            let t1 = t0.addingTimeInterval(3_600)
            #expect(try await first.claimJob(id, slot: t0, owner: "A", now: t1.addingTimeInterval(60), leaseFor: 600) == false)
            #expect(try await first.claimJob(id, slot: after.nextRunAt, owner: "A", now: t1.addingTimeInterval(60), leaseFor: 600))
            // When may a lane find a job to claim? A's own running job does not wake A; for
            // B it is claimable when A's lease expires (should A have died), unless a free job
            // is due sooner.
            #expect(try await first.nextClaimableJobTime(kinds: ["probe"], excludingOwner: "A") == nil)
            #expect(try await second.nextClaimableJobTime(kinds: ["probe"], excludingOwner: "B") == t1.addingTimeInterval(660))
            try await first.ensureJob(name: "probe:4301000003", kind: "probe", parameter: "4301000003", firstRunAt: t1.addingTimeInterval(300))
            try await first.ensureJob(name: "feeds", kind: "feeds", parameter: nil, firstRunAt: t1)
            #expect(try await first.nextClaimableJobTime(kinds: ["probe"], excludingOwner: "A") == t1.addingTimeInterval(300))
            #expect(try await second.nextClaimableJobTime(kinds: ["probe"], excludingOwner: "B") == t1.addingTimeInterval(300))
            #expect(try await second.nextClaimableJobTime(kinds: ["probe", "feeds"], excludingOwner: "B") == t1)
            #expect(try await second.nextClaimableJobTime(kinds: ["digest"], excludingOwner: "B") == nil)
        } catch {
            await first.close()
            await second.close()
            throw error
        }
        await first.close()
        await second.close()
    }
}
