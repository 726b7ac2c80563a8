import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchSampleCity
import GovWatchStore
import Testing

/// Issue 6, "Done when", on the sample city: inspect → a ticket for every problem → fix some
/// pages and feed back on them and on some unfixed ones → re-inspect closes the fixed ones and
/// reopens the ones reported fixed but unchanged; no duplicates; every change in the log.
@Suite(.serialized) struct RectificationSampleCityTests {
    static let educationSite = "4390000002"
    static let healthSite = "4390000003"
    static let healthUnit = "鸿溪市卫生健康委员会"
    static let educationUnit = "鸿溪市教育局"

    struct Scenario {
        var city: SampleCity
        var first: InspectionOutcome
        var firstLoop: RectificationLoop.Outcome
        var ticketsAfterFirst: [Ticket]
        var second: InspectionOutcome
        var secondLoop: RectificationLoop.Outcome
        var secondLoopAgain: RectificationLoop.Outcome
        var ticketsAfterSecond: [Ticket]
        /// Tickets fed back on whose problem the fixed variant removes.
        var fedBackFixed: Set<Int>
        /// Tickets fed back on whose problem stays.
        var fedBackUnfixed: Set<Int>
        var runFindings: [Finding]
        var histories: [Int: [TicketEvent]]
        var overdueLater: [Ticket]
        var backlog: [UnitBacklog]
    }

    /// Both inspections run once per process; the tests read the same scenario.
    static let scenario = Task<Scenario, any Error> {
        try await SampleCityHarness.with(probes: true) { harness in
            let (city, server, store, http) = (harness.city, harness.server, harness.store, harness.http)
            let clock = city.asOf.addingTimeInterval(9 * 3_600)
            let loop = RectificationLoop(store: store, now: { clock })
            let request = InspectionRequest(asOf: city.asOf, indicators: .national2019, scanner: try ContentScanner.standard())
            func inspect() async throws -> InspectionOutcome {
                let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: harness.crawlConfiguration())
                let runner = InspectionRunner(store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: http))
                let outcome = try await runner.run(request)
                try await crawler.shutdown()
                return outcome
            }

            let first = try await inspect()
            let firstLoop = try await loop.afterInspection(first, request: request)
            let ticketsAfterFirst = try await store.tickets()

            // Fix some problems: every fixable problem of the health commission and of every
            // other site with a fixable problem, in alternation; the education bureau fixes nothing.
            // Site pages, and posts withdrawn from their feeds; not availability, which is
            // judged from the week of probes already stored (the same as-of window).
            let withdrawnPosts = city.plantedProblems.filter {
                $0.isFixable && ($0.indicator == .accountContentPrivacy || $0.indicator == .accountContentSevereError)
            }
            let fixable = city.plantedProblems.filter {
                $0.isFixable && !$0.scenario && $0.target.kind == .site && $0.indicator != .siteUnreachable
            }
            let health = fixable.filter { $0.target.code == healthSite }
            var chosen = health + withdrawnPosts
            for (index, problem) in fixable.enumerated() where index % 2 == 0 && problem.target.code != healthSite {
                chosen.append(problem)
            }
            server.setFixed(problems: chosen)

            // Feedback on the tickets of the chosen problems, and on unfixed ones: the health
            // commission's mailbox reply (王建华) and one education ticket.
            func tickets(for problem: PlantedProblem) -> [Ticket] {
                let fingerprints = Set(first.findings.filter { SampleCityInspectionTests.matches($0, problem) }.map(\.fingerprint))
                return ticketsAfterFirst.filter { fingerprints.contains($0.fingerprint) }
            }
            let mailbox = city.plantedProblems.first { $0.target.code == healthSite && $0.indicator == .siteContentPrivacy && $0.note.contains("王建华") }!
            let mailboxTickets = ticketsAfterFirst.filter { $0.target.code == healthSite && $0.indicator == .siteContentPrivacy && $0.url == mailbox.url }
            let educationTicket = ticketsAfterFirst.first { $0.target.code == educationSite && $0.indicator == .siteContentPrivacy }!
            let unfixed = Set(mailboxTickets.map(\.id!) + [educationTicket.id!])
            var fedBackFixed: Set<Int> = []
            for problem in chosen where problem.target.kind != .unit {
                for ticket in tickets(for: problem) where !fedBackFixed.contains(ticket.id!) && !unfixed.contains(ticket.id!) {
                    _ = try await store.feedback(ticket.code, text: "已整改：\(problem.note)", actor: "单位网站管理员", at: clock)
                    fedBackFixed.insert(ticket.id!)
                }
            }
            var fedBackUnfixed: Set<Int> = []
            #expect(!mailboxTickets.isEmpty)
            for ticket in mailboxTickets + [educationTicket] {
                _ = try await store.feedback(ticket.code, text: "已整改", actor: "单位网站管理员", at: clock)
                fedBackUnfixed.insert(ticket.id!)
            }

            let second = try await inspect()
            let secondLoop = try await loop.afterInspection(second, request: request)
            let secondLoopAgain = try await loop.afterInspection(second, request: request)
            let ticketsAfterSecond = try await store.tickets()
            let runFindings = try await store.findings(of: second.run.code).1
            var histories: [Int: [TicketEvent]] = [:]
            for ticket in ticketsAfterSecond { histories[ticket.id!] = try await store.history(ticket.code) }
            let later = city.asOf.addingTimeInterval(20 * 86_400)
            let overdueLater = try await store.tickets(TicketFilter(overdueAt: later))
            let backlog = try await store.backlog(at: later)

            return Scenario(
                city: city, first: first, firstLoop: firstLoop, ticketsAfterFirst: ticketsAfterFirst, second: second,
                secondLoop: secondLoop, secondLoopAgain: secondLoopAgain, ticketsAfterSecond: ticketsAfterSecond,
                fedBackFixed: fedBackFixed, fedBackUnfixed: fedBackUnfixed, runFindings: runFindings, histories: histories,
                overdueLater: overdueLater, backlog: backlog)
        }
    }

    @Test func everyProblemOfTheFirstInspectionHasExactlyOneTicket() async throws {
        let s = try await Self.scenario.value
        // Incomplete-inspection findings (the planted JavaScript-shell column) are for the
        // office's inspectors and raise no ticket (`Reinspection.officeIndicators`).
        let fingerprints = Set(s.first.findings.filter { !Reinspection.officeIndicators.contains($0.indicator) }.map(\.fingerprint))
        let staff = s.firstLoop.findings.filter { $0.indicator == .unitStaffUnassigned }
        #expect(s.ticketsAfterFirst.count == fingerprints.count + staff.count)
        #expect(Set(s.ticketsAfterFirst.map(\.fingerprint)) == fingerprints.union(staff.map(\.fingerprint)))
        #expect(s.ticketsAfterFirst.allSatisfy { $0.state == .open && $0.occurrences == 1 && !$0.unit.isEmpty && $0.deadline != nil })
        #expect(s.firstLoop.application.result.unassigned.isEmpty)
        // Sites' tickets belong to the unit that runs the site.
        let education = s.ticketsAfterFirst.filter { $0.target.code == Self.educationSite }
        #expect(!education.isEmpty && education.allSatisfy { $0.unit == Self.educationUnit })
        // Veto problems pushed on 2022-03-31 are due 2022-04-06 (清明 and its 调休 Saturday).
        #expect(s.ticketsAfterFirst.filter { $0.level == .veto }.allSatisfy { $0.deadline == ChinaTime.parseDay("2022-04-06") })
        // The staffing rule finds exactly the planted gaps.
        let planted = s.city.plantedProblems.filter { $0.indicator == .unitStaffUnassigned }
        #expect(Set(staff.map(\.target.code)) == Set(planted.map(\.target.code)))
        #expect(staff.first { $0.detail["reason"]?.stringValue == "no-handover" }?.detail["person"]?.stringValue == "刘志强")
    }

    @Test func reinspectionClosesTheFixedAndReopensTheReportedButUnchanged() async throws {
        let s = try await Self.scenario.value
        let after = Dictionary(uniqueKeysWithValues: s.ticketsAfterSecond.map { ($0.id!, $0) })
        #expect(!s.fedBackFixed.isEmpty && s.fedBackUnfixed.count >= 2)
        for id in s.fedBackFixed {
            #expect(after[id]?.state == .closed, "\(after[id].map { "\($0.code) \($0.indicator) \($0.url ?? "")" } ?? "")")
        }
        // Fixing pages brings no new problem.
        #expect(s.secondLoop.application.result.created.isEmpty, "\(s.runFindings.filter { s.secondLoop.application.result.created.contains($0.fingerprint) }.map { "\($0.indicator) \($0.detail)" })")
        // Among them the posts with personal information and a severe error, withdrawn from their feeds.
        let posts = s.fedBackFixed.compactMap { after[$0] }.filter { $0.target.kind == .account }
        #expect(Set(posts.map(\.indicator)) == [.accountContentPrivacy, .accountContentSevereError])
        for id in s.fedBackUnfixed {
            #expect(after[id]?.state == .open && after[id]?.reopened == 1, "\(after[id]?.code ?? "")")
            #expect(s.histories[id]?.map(\.action) == [.create, .feedback, .reinspectReopened])
        }
        // Reported fixed and still there: unit.rectification.reopened for both units, in the run.
        let reopened = s.runFindings.filter { $0.indicator == .unitRectificationReopened }
        #expect(Set(reopened.map(\.target.code)) == [Self.healthUnit, Self.educationUnit])
        // Problems nobody touched and the fixture did not fix stay open, seen twice.
        let untouched = s.ticketsAfterFirst.filter { ticket in
            ticket.target.code == Self.educationSite && !s.fedBackUnfixed.contains(ticket.id!)
        }
        #expect(!untouched.isEmpty && untouched.allSatisfy { after[$0.id!]?.state == .open && after[$0.id!]?.occurrences == 2 })
        // The health commission's other problems were fixed in the fixed variant: closed.
        let health = s.ticketsAfterSecond.filter { $0.target.code == Self.healthSite && !s.fedBackUnfixed.contains($0.id!) }
        #expect(health.contains { $0.state == .closed })
    }

    @Test func anUnchangedReinspectionCreatesNoDuplicates() async throws {
        let s = try await Self.scenario.value
        // Every ticket is one fingerprint; every finding of the second run is one ticket.
        #expect(Set(s.ticketsAfterSecond.map(\.fingerprint)).count == s.ticketsAfterSecond.count)
        let ticketed = s.runFindings.filter { !Reinspection.loopIndicators.contains($0.indicator) && !Reinspection.officeIndicators.contains($0.indicator) }
        let byFingerprint = Set(s.ticketsAfterSecond.map(\.fingerprint))
        #expect(ticketed.allSatisfy { byFingerprint.contains($0.fingerprint) })
        #expect(s.ticketsAfterSecond.count == s.ticketsAfterFirst.count + s.secondLoop.application.result.created.count)
        // Applying the same run again changes nothing.
        #expect(s.secondLoopAgain.application.events.isEmpty)
        #expect(s.secondLoopAgain.application.result.created.isEmpty && s.secondLoopAgain.application.result.closed.isEmpty)
    }

    @Test func theAuditLogHoldsEveryTransitionAndOverdueFollowsTheCalendar() async throws {
        let s = try await Self.scenario.value
        for ticket in s.ticketsAfterSecond {
            let log = s.histories[ticket.id!] ?? []
            #expect(log.first?.action == .create && log.first?.from == nil)
            #expect(log.last?.to == ticket.state, "\(ticket.code)")
            // Consecutive entries chain: each starts where the previous ended.
            for (previous, next) in zip(log, log.dropFirst()) { #expect(next.from == previous.to, "\(ticket.code)") }
        }
        // Twenty days later the education bureau, which never rectified, is overdue; the
        // tickets waiting in 已反馈 are not.
        let education = s.overdueLater.filter { $0.unit == Self.educationUnit }
        #expect(!education.isEmpty && s.overdueLater.allSatisfy { $0.state == .open })
        #expect(s.backlog.first { $0.unit == Self.educationUnit }.map { $0.overdue > 0 && !$0.cleared } == true)
    }
}
