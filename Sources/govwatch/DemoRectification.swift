import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchSampleCity
import GovWatchStore

/// The rectification loop in `govwatch demo` (issue 6): tickets opened from the inspection,
/// a unit's feedback, fixes applied in the sample city, and the re-inspection that closes the
/// fixed tickets and reopens the one reported fixed but unchanged.
extension DemoCommand {
    /// The 卫健委, whose mailbox reply (王建华's illness) it reports fixed but never changes.
    static let demoUnit = "鸿溪市卫生健康委员会"

    /// Opens tickets from the latest run: called right after the first inspection.
    func openTickets(store: Store, outcome: InspectionOutcome, request: InspectionRequest) async throws {
        let loop = RectificationLoop(store: store, now: { outcome.run.asOf.addingTimeInterval(9 * 3_600) })
        let result = try await loop.afterInspection(outcome, request: request)
        say("  \(result.summary)")
    }

    /// Feedback, fixes, re-inspection and the tickets' history.
    func demonstrateLoop(city: SampleCity, store: Store, client: HTTPClientHandle, server: FixtureServer, folder: URL) async throws {
        let database = "sqlite://\(folder.appendingPathComponent("govwatch.sqlite").path)"
        say("\n六、整改闭环")
        let pushed = city.asOf.addingTimeInterval(9 * 3_600)
        let backlog = try await store.backlog(at: pushed)
        say("  已向 \(backlog.count) 个单位下发整改单 \(backlog.map(\.backlog).reduce(0, +)) 件；积压最多的单位：")
        for unit in backlog.prefix(3) {
            say("    \(unit.unit)：待整改 \(unit.open) 件")
        }
        // Its website's content problems (personal information in pages and attachments).
        let own = try await store.tickets(TicketFilter(unit: Self.demoUnit, state: .open))
            .filter { $0.target.kind == .site && $0.indicator.rawValue.hasPrefix("site.content.") }
        for ticket in own {
            _ = try await store.feedback(
                ticket.code, text: "已整改，删除了页面中的个人信息", actor: "卫健委网站管理员", at: pushed.addingTimeInterval(86_400))
        }
        say("  \(Self.demoUnit) 对 \(own.count) 件整改单反馈“已整改”：\(own.map(\.code).joined(separator: "、"))")
        server.setAllFixed()
        say("  示例城市各单位按整改要求修改了页面（服务器切换为“已整改”版本；领导信箱答复仍未修改）")

        say("  复查（再次检查，监测时间点不变）……")
        let request = InspectionRequest(asOf: city.asOf, indicators: .national2019, scanner: try ContentScanner.standard())
        var configuration = CrawlConfiguration()
        configuration.proxy = server.proxyURL
        configuration.maximumPages = maxPages
        let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: configuration)
        let outcome: InspectionOutcome
        do {
            outcome = try await InspectionRunner(store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: client.http))
                .run(request)
            try await crawler.shutdown()
        } catch {
            try? await crawler.shutdown()
            throw error
        }
        let loop = RectificationLoop(store: store, now: { pushed.addingTimeInterval(2 * 86_400) })
        let result = try await loop.afterInspection(outcome, request: request)
        say("  检查批次 \(outcome.run.code)：\(result.summary)")
        let fedBack = Set(own.map(\.id))
        for ticket in try await store.tickets(TicketFilter(unit: Self.demoUnit)) where fedBack.contains(ticket.id) {
            let note = ticket.reopened > 0 ? "（反馈已整改但复查仍存在，重新打开）" : ""
            say("    \(ticket.code)  \(ticket.state.chineseName)\(note)  \(ticket.indicator)  \(ticket.url ?? "")")
        }
        if let reopened = result.application.reopened.first {
            say("  \(reopened.code) 的整改记录：")
            for event in try await store.history(reopened.code) {
                say("    \(ChinaTime.display(event.at))  \(event.actor)  \(event.action.chineseName)  "
                    + "\(event.from?.chineseName ?? "-") → \(event.to.chineseName)  \(event.reason ?? "")")
            }
        }
        let after = try await store.backlog(at: pushed.addingTimeInterval(2 * 86_400))
        say("  已清零单位 \(after.filter(\.cleared).count) 个，未清零 \(after.filter { !$0.cleared }.count) 个")
        let digests = try await DigestSender(store: store, folder: folder.appendingPathComponent("整改日报"), webhook: nil)
            .send(at: pushed.addingTimeInterval(3 * 86_400))
        say("  整改日报：\(digests.files.count) 个单位，见 \(folder.appendingPathComponent("整改日报").path)")
        say("  也可以运行：govwatch tickets list --db \(database)")
        say("             govwatch tickets history T-000001 --db \(database)")
    }
}
