import Foundation
import GovWatchCore
import Testing

@Suite struct RectificationStateMachineTests {
    @Test func legalTransitionsLeadWhereTheSpecSays() throws {
        #expect(try TicketStateMachine.next(after: .feedback, from: .open, ticket: "T-000001") == .feedback)
        #expect(try TicketStateMachine.next(after: .verify, from: .feedback, ticket: "T-000001") == .closed)
        #expect(try TicketStateMachine.next(after: .reject, from: .feedback, ticket: "T-000001") == .open)
        #expect(try TicketStateMachine.next(after: .dismiss, from: .open, ticket: "T-000001") == .dismissed)
        #expect(try TicketStateMachine.next(after: .dismiss, from: .feedback, ticket: "T-000001") == .dismissed)
        #expect(try TicketStateMachine.next(after: .assign, from: .feedback, ticket: "T-000001") == .feedback)
        #expect(try TicketStateMachine.next(after: .reinspectClosed, from: .open, ticket: "T-000001") == .closed)
        #expect(try TicketStateMachine.next(after: .reinspectReopened, from: .feedback, ticket: "T-000001") == .open)
        #expect(try TicketStateMachine.next(after: .recurred, from: .closed, ticket: "T-000001") == .open)
        #expect(try TicketStateMachine.next(after: .changed, from: .dismissed, ticket: "T-000001") == .open)
    }

    @Test(arguments: [
        (TicketAction.feedback, TicketState.feedback), (.feedback, .closed), (.feedback, .dismissed), (.verify, .open),
        (.verify, .closed), (.reject, .open), (.reject, .closed), (.dismiss, .closed), (.dismiss, .dismissed), (.assign, .closed),
        (.reinspectReopened, .open), (.recurred, .open), (.changed, .open),
    ])
    func illegalTransitionsAreRefusedInChinese(action: TicketAction, state: TicketState) {
        #expect(throws: IllegalTicketTransition.self) { try TicketStateMachine.next(after: action, from: state, ticket: "T-000007") }
        let message = IllegalTicketTransition(ticket: "T-000007", state: state, action: action).description
        #expect(message.contains("T-000007") && message.contains(state.chineseName) && message.contains(action.chineseName))
    }

    @Test func ticketCodesRoundTrip() {
        #expect(TicketCode.format(123) == "T-000123")
        #expect(TicketCode.parse("T-000123") == 123)
        #expect(TicketCode.parse("t-5") == 5)
        #expect(TicketCode.parse("42") == 42)
        for bad in ["", "T-", "T-abc", "X-000001", "T-0", "-1", "T-1.5", "T-99999999999999"] {
            #expect(TicketCode.parse(bad) == nil, "\(bad)")
        }
        #expect(TicketState(word: "已反馈") == .feedback)
        #expect(TicketState(word: "OPEN") == .open)
        #expect(TicketState(word: "退回") == nil)
    }
}

@Suite struct RectificationDeadlineTests {
    let policy = RectificationPolicy()
    func day(_ text: String) -> CalendarDate { ChinaTime.parseDay(text)! }

    @Test func deadlinesCountWorkingDaysAcrossQingmingAndItsAdjustedSaturday() {
        // Pushed Thursday 2022-03-31: Fri 04-01 (1), the 调休 Saturday 04-02 (2), 清明 04-03…05
        // off, Wed 04-06 (3).
        #expect(policy.deadline(.siteContentSevereError, level: .veto, pushed: day("2022-03-31")) == day("2022-04-06"))
        // 10 working days: 04-01, 04-02, 04-06, 07, 08, 11, 12, 13, 14, 15.
        #expect(policy.deadline(.siteContentPrivacy, level: .deduction, pushed: day("2022-03-31")) == day("2022-04-15"))
        // Across 劳动节 2022: 04-24 (Sunday) and 05-07 (Saturday) are working days, 04-30…05-04 off.
        #expect(policy.deadline(.siteLinksBroken, level: .deduction, pushed: day("2022-04-22")) == day("2022-05-09"))
        #expect(policy.deadline(.siteHomepageStale, level: .veto, pushed: day("2022-04-22")) == day("2022-04-26"))
    }

    @Test func overdueStartsAfterTheDeadlineDayEnds() {
        let pushed = day("2022-03-31")
        var ticket = Ticket(
            fingerprint: "f", unit: "鸿溪市教育局", target: Target(kind: .site, code: "4301000002", name: "鸿溪市教育局"),
            indicator: .siteContentSevereError, level: .veto, firstSeen: pushed.endOfDay, lastSeen: pushed.endOfDay,
            deadline: policy.deadline(.siteContentSevereError, level: .veto, pushed: pushed))
        #expect(!ticket.isOverdue(at: day("2022-04-06").startOfDay.addingTimeInterval(23 * 3_600)))
        #expect(!ticket.isOverdue(at: day("2022-04-06").endOfDay), "24:00 of the deadline day is still in time")
        #expect(ticket.isOverdue(at: day("2022-04-06").endOfDay.addingTimeInterval(1)))
        // Over the holiday nothing is overdue yet: 04-05 is 清明.
        #expect(!ticket.isOverdue(at: day("2022-04-05").endOfDay))
        ticket.state = .feedback
        #expect(!ticket.isOverdue(at: day("2022-05-01").endOfDay), "a ticket awaiting verification is the office's, not overdue")
    }

    @Test func deadlinesAreConfigurableByIndicatorSetAndSettingsFile() throws {
        var set = IndicatorSet.national2019
        set.indicators["site.links.broken"]?.thresholds = [RectificationPolicy.thresholdName: 5]
        let fromSet = RectificationPolicy(indicators: set)
        #expect(fromSet.allowedWorkingDays(.siteLinksBroken, level: .deduction) == 5)
        #expect(fromSet.allowedWorkingDays(.siteColumnStale, level: .deduction) == 10)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("deadlines-\(UUID().uuidString).json")
        try Data(#"{"workingDays": {"veto": 2, "deduction": 7}, "indicators": {"site.content.privacy": 1}}"#.utf8).write(to: file)
        let loaded = try RectificationPolicy.load(contentsOf: file)
        #expect(loaded.allowedWorkingDays(.siteHomepageStale, level: .veto) == 2)
        #expect(loaded.allowedWorkingDays(.siteColumnStale, level: .deduction) == 7)
        #expect(loaded.allowedWorkingDays(.siteContentPrivacy, level: .deduction) == 1)
        #expect(loaded.allowedWorkingDays(.siteSearchMissing, level: .notice) == 10)

        try Data(#"{"workingDays": {"fatal": 2}}"#.utf8).write(to: file)
        #expect { try RectificationPolicy.load(contentsOf: file) } throws: { "\($0)".contains("未知的问题级别“fatal”") }
    }
}

@Suite struct ReinspectionTests {
    let policy = RectificationPolicy()
    let site = Target(kind: .site, code: "4301000002", name: "鸿溪市教育局")
    let other = Target(kind: .site, code: "4301000003", name: "鸿溪市公安局")
    let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func unitOf(_ target: Target) -> String? {
        switch target.code {
        case "4301000002": "鸿溪市教育局"
        case "4301000003": "鸿溪市公安局"
        default: nil
        }
    }

    func finding(_ target: Target, _ key: String, evidence: String = "…510402********1234…", level: Level = .deduction) -> Finding {
        Finding(target: target, indicator: .siteContentPrivacy, level: level, url: "http://x/\(key)", evidence: evidence, locationKey: key)
    }

    /// Applies findings and gives stored ids to new tickets, as the store does.
    func apply(_ findings: [Finding], to tickets: [Ticket], run: String, asOf: Date, scope: ReinspectionScope = .everything)
        -> ([Ticket], Reinspection.Result)
    {
        let result = Reinspection.apply(
            findings: findings, to: tickets, run: run, asOf: asOf, scope: scope, policy: policy, unitOf: unitOf, now: now)
        var byFingerprint = Dictionary(uniqueKeysWithValues: tickets.map { ($0.fingerprint, $0) })
        var next = (tickets.compactMap(\.id).max() ?? 0) + 1
        for var ticket in result.tickets {
            if ticket.id == nil {
                ticket.id = next
                next += 1
            }
            byFingerprint[ticket.fingerprint] = ticket
        }
        return (byFingerprint.values.sorted { $0.id! < $1.id! }, result)
    }

    /// What the inspection could not read is for the office's inspectors to look at, not a
    /// problem the unit must rectify: no ticket.
    @Test func whatCouldNotBeReadIsNoTicket() {
        let incomplete = Finding(
            target: site, indicator: .siteInspectionIncomplete, level: .notice, url: "http://x/",
            detail: ["reason": .string("challenge")], evidence: "网站首页返回的是防护验证页面", locationKey: "homepage|challenge|http://x/")
        let (tickets, result) = apply([incomplete, finding(site, "a")], to: [], run: "r1", asOf: asOf)
        #expect(tickets.map(\.indicator) == [.siteContentPrivacy])
        #expect(result.unassigned.isEmpty)
    }

    @Test func findingsOpenTicketsOnceAndAgainOnlyCountOccurrences() {
        let findings = [finding(site, "a"), finding(site, "b"), finding(site, "a"), finding(Target(kind: .site, code: "9", name: "?"), "c")]
        let (tickets, first) = apply(findings, to: [], run: "r1", asOf: asOf)
        #expect(tickets.count == 2)
        #expect(first.created.count == 2)
        #expect(first.unassigned.count == 1, "a target of no registered unit is not ticketed")
        #expect(first.events.map(\.action) == [.create, .create])
        #expect(tickets.allSatisfy { $0.state == .open && $0.unit == "鸿溪市教育局" && $0.deadline == ChinaTime.parseDay("2022-04-15") })

        // The same run again: nothing.
        let (same, again) = apply(findings, to: tickets, run: "r1", asOf: asOf)
        #expect(again.tickets.isEmpty && again.events.isEmpty)
        #expect(same == tickets)

        // A later run finding the same problems: same tickets, one more occurrence, no event.
        let later = asOf.addingTimeInterval(86_400)
        let (updated, second) = apply(findings, to: tickets, run: "r2", asOf: later)
        #expect(updated.count == 2)
        #expect(second.created.isEmpty && second.events.isEmpty)
        #expect(updated.allSatisfy { $0.occurrences == 2 && $0.lastSeen == later && $0.firstSeen == asOf })
    }

    @Test func reinspectionClosesFixedAndReopensReportedButUnchanged() {
        let (tickets, _) = apply([finding(site, "a"), finding(site, "b"), finding(site, "c")], to: [], run: "r1", asOf: asOf)
        var reported = tickets
        reported[0].state = .feedback  // reported fixed, and fixed
        reported[1].state = .feedback  // reported fixed, not fixed
        // "c" stays open and is fixed without feedback.
        let (after, result) = apply([finding(site, "b")], to: reported, run: "r2", asOf: asOf.addingTimeInterval(3_600))
        #expect(after.map(\.state) == [.closed, .open, .closed])
        #expect(after[1].reopened == 1)
        #expect(result.reopened == [after[1].fingerprint])
        #expect(Set(result.closed) == [after[0].fingerprint, after[2].fingerprint])
        #expect(result.events.map(\.action).sorted { $0.rawValue < $1.rawValue } == [.reinspectClosed, .reinspectClosed, .reinspectReopened])
        #expect(result.events.allSatisfy { $0.actor == TicketEvent.systemActor && $0.at == now && ($0.reason ?? "").contains("r2") })

        // The problem comes back after it was closed: reopened as a recurrence with a new deadline.
        let (back, recurrence) = apply([finding(site, "a"), finding(site, "b")], to: after, run: "r3", asOf: asOf.addingTimeInterval(20 * 86_400))
        #expect(back[0].state == .open && back[0].reopened == 1 && back[0].deadline! > after[0].deadline!)
        #expect(recurrence.events.first { $0.fingerprint == back[0].fingerprint }?.action == .recurred)
    }

    @Test func aPartialRunOrAnOlderRunClosesNothingItDidNotLookAt() {
        let (tickets, _) = apply([finding(site, "a"), finding(other, "z")], to: [], run: "r1", asOf: asOf)
        let onlyOther = ReinspectionScope(targets: [.init(other)])
        let (after, result) = apply([], to: tickets, run: "r2", asOf: asOf.addingTimeInterval(60), scope: onlyOther)
        #expect(result.closed == [tickets[1].fingerprint])
        #expect(after[0].state == .open)

        let patrol = ReinspectionScope(indicators: [.siteHomepageStale])
        #expect(apply([], to: tickets, run: "p1", asOf: asOf.addingTimeInterval(60), scope: patrol).1.closed.isEmpty)

        let older = apply([], to: tickets, run: "r0", asOf: asOf.addingTimeInterval(-86_400)).1
        #expect(older.closed.isEmpty, "a run older than the last sighting never closes a ticket")
    }

    @Test func dismissedTicketsReturnOnlyWhenTheProblemChanges() {
        var (tickets, _) = apply([finding(site, "a")], to: [], run: "r1", asOf: asOf)
        tickets[0].state = .dismissed
        let (same, quiet) = apply([finding(site, "a")], to: tickets, run: "r2", asOf: asOf.addingTimeInterval(60))
        #expect(same[0].state == .dismissed && same[0].occurrences == 2)
        #expect(quiet.events.isEmpty && quiet.closed.isEmpty)
        // Not found any more: a dismissed ticket is not "closed" either.
        #expect(apply([], to: same, run: "r3", asOf: asOf.addingTimeInterval(120)).1.tickets.isEmpty)

        let changed = finding(site, "a", evidence: "…138****5678…")
        let (raised, result) = apply([changed], to: same, run: "r4", asOf: asOf.addingTimeInterval(180))
        #expect(raised[0].state == .open && raised[0].evidence == "…138****5678…")
        #expect(result.raisedAgain == [raised[0].fingerprint])
        #expect(result.events.map(\.action) == [.changed])
    }
}

@Suite struct RectificationUnitRulesTests {
    let day = ChinaTime.parseDay("2022-03-31")!
    let site = Target(kind: .site, code: "4301000002", name: "鸿溪市教育局")

    @Test func staffRuleFindsNobodyAndLeaversWithoutHandover() {
        let runs: [String: [Target]] = [
            "甲局": [site], "乙局": [Target(kind: .account, code: "wx1", name: "乙局发布")], "丙局": [site], "丁局": [site], "戊局": [site],
        ]
        let people = [
            PersonRecord(unit: "乙局", name: "刘志强", role: "网站管理员", until: day.adding(days: -31)),
            PersonRecord(unit: "丙局", name: "石建军", role: "网站管理员", until: day.adding(days: -80), handoverTo: "钟晓丽"),
            PersonRecord(unit: "丙局", name: "钟晓丽", role: "网站管理员", since: day.adding(days: -80)),
            PersonRecord(unit: "丁局", name: "未到岗", role: "网站管理员", since: day.adding(days: 5)),
            PersonRecord(unit: "戊局", name: "王五", role: "网站管理员", since: day.adding(days: -400)),
            PersonRecord(unit: "戊局", name: "赵六", role: "新媒体编辑", until: day.adding(days: -3)),
        ]
        let findings = StaffAssignment.findings(runs: runs, people: people, on: day, indicators: .national2019)
        let byUnit = Dictionary(uniqueKeysWithValues: findings.map { ($0.target.code, $0) })
        #expect(Set(byUnit.keys) == ["甲局", "乙局", "丁局", "戊局"])
        #expect(byUnit["甲局"]?.detail["reason"]?.stringValue == "none")
        #expect(byUnit["乙局"]?.detail["reason"]?.stringValue == "no-handover")
        #expect(byUnit["乙局"]?.detail["person"]?.stringValue == "刘志强")
        #expect(byUnit["丁局"]?.detail["reason"]?.stringValue == "none", "someone starting later is not on duty today")
        #expect(byUnit["戊局"]?.detail["person"]?.stringValue == "赵六", "a leaver without handover counts even with others on duty")
        #expect(findings.allSatisfy { $0.indicator == .unitStaffUnassigned && $0.level == .notice && $0.target.kind == .unit })
    }

    @Test func backlogCountsStatesOverdueAndClearing() {
        func ticket(_ id: Int, _ unit: String, _ state: TicketState, deadline: String = "2022-04-06") -> Ticket {
            Ticket(
                id: id, fingerprint: "f\(id)", unit: unit, target: site, indicator: .siteLinksBroken, level: .deduction, state: state,
                firstSeen: day.endOfDay, lastSeen: day.endOfDay, deadline: ChinaTime.parseDay(deadline), reopened: id == 2 ? 1 : 0)
        }
        let tickets = [
            ticket(1, "甲局", .open), ticket(2, "甲局", .open, deadline: "2022-04-20"), ticket(3, "甲局", .feedback),
            ticket(4, "乙局", .closed), ticket(5, "乙局", .dismissed),
        ]
        let moment = ChinaTime.parseMoment("2022-04-08", bareDayMeansEnd: true)!
        let backlog = UnitBacklog.compute(tickets, at: moment)
        #expect(backlog.map(\.unit) == ["甲局", "乙局"])
        #expect(backlog[0] == UnitBacklog(unit: "甲局", open: 2, feedback: 1, overdue: 1, reopened: 1))
        #expect(!backlog[0].cleared && backlog[1].cleared)

        let overdue = RectificationFindings.overdue(tickets, asOf: moment, indicators: .national2019)
        #expect(overdue.count == 1)
        #expect(overdue[0].target.code == "甲局" && overdue[0].detail["tickets"] == .array([.string("T-000001")]))
        #expect(overdue[0].detail["oldestDeadline"]?.stringValue == "2022-04-06")
        let reopened = RectificationFindings.reopened([tickets[1]], run: "r2", indicators: .national2019)
        #expect(reopened.map(\.indicator) == [.unitRectificationReopened])
        #expect(reopened[0].detail["count"]?.numberValue == 1)
    }

    @Test func ticketJSONHasTheSpecsFieldsAndDigestNamesOverdueTickets() throws {
        let ticket = Ticket(
            id: 123, fingerprint: "5f0c", unit: "鸿溪市教育局", target: site, indicator: .siteContentPrivacy, level: .deduction,
            url: "http://jyj.hongxi.gov.cn/a.html", evidence: "510402********1234", occurrences: 2, firstSeen: day.endOfDay,
            lastSeen: day.endOfDay, deadline: ChinaTime.parseDay("2022-04-15"))
        let json = try TicketJSON.render([ticket], at: ChinaTime.parseMoment("2022-04-16T10:00:00")!)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let first = (object["tickets"] as! [[String: Any]])[0]
        #expect(Set(first.keys) == [
            "id", "unit", "target", "indicator", "level", "fingerprint", "url", "state", "occurrences", "firstSeen", "lastSeen",
            "deadline", "overdue", "reopened",
        ])
        #expect(first["id"] as? String == "T-000123")
        #expect(first["overdue"] as? Bool == true)
        #expect(first["firstSeen"] as? String == "2022-04-01T00:00:00+08:00")
        #expect((first["target"] as? [String: String]) == ["kind": "site", "code": "4301000002", "name": "鸿溪市教育局"])

        let digest = DailyDigest.render(
            unit: "鸿溪市教育局", tickets: [ticket], events: [], since: day.endOfDay, at: ChinaTime.parseMoment("2022-04-16T10:00:00")!)
        #expect(digest?.contains("待整改 1 件（其中逾期 1 件）") == true, "\(digest ?? "")")
        #expect(digest?.contains("T-000123  【已逾期】期限 2022-04-15") == true)
        #expect(DailyDigest.render(unit: "乙局", tickets: [ticket], events: [], since: day.endOfDay, at: day.endOfDay) == nil)
    }
}
