import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchReports
import GovWatchSampleCity
import GovWatchStore
import Testing

/// `prune` on the sample city inspected twice, a quarter apart (2021Q4, then 2022Q1), with
/// probes before each run, tickets from both runs (one with feedback and an attachment) and
/// the open crawl session a killed crawl of the first run leaves: keeping one run drops the
/// first run's crawl rows and its probes, and leaves both quarters' notices byte-identical
/// (the 2022Q1 one compares with 2021Q4), every ticket, its history and its attachment.
@Suite struct PruneRetentionTests {
    static let oldAsOf = ChinaTime.parseMoment("2021-12-31", bareDayMeansEnd: true)!

    /// The notice of a quarter in its three formats.
    static func noticeFiles(_ store: Store, quarter: Int, year: Int, today: String) async throws -> [Data] {
        let notice = NoticeBuilder(today: ChinaTime.parseDay(today)!)
            .build(try await NoticeInput.load(from: store, period: ReportPeriod.quarter(year, quarter)!))
        return [Data(MarkdownWriter.render(notice).utf8), Data(HTMLWriter.render(notice).utf8), try DocxWriter.data(notice)]
    }

    struct TicketState: Equatable {
        var tickets: [Ticket]
        var history: [String: [TicketEvent]]
        var attachments: [String: [Data]]
    }

    static func ticketState(_ store: Store) async throws -> TicketState {
        let tickets = try await store.tickets()
        var history: [String: [TicketEvent]] = [:]
        var attachments: [String: [Data]] = [:]
        for ticket in tickets {
            history[ticket.code] = try await store.history(ticket.code)
            var files: [Data] = []
            for attachment in try await store.attachments(of: ticket.code) { files.append(try await store.attachmentContent(attachment.id)) }
            attachments[ticket.code] = files
        }
        return TicketState(tickets: tickets, history: history, attachments: attachments)
    }

    static func crawlSessionKeys(_ store: Store) async throws -> [String] {
        var keys: [String] = []
        for site in try await store.sites() {
            if let session = try await store.latestFinishedCrawlSession(siteCode: site.code, excluding: nil) { keys.append(session.key) }
        }
        return keys.sorted()
    }

    @Test func pruneKeepsNoticesTicketsAndEvidenceAndDropsOldCrawlState() async throws {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-prune-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("city.sqlite").path))
        let client = try InspectionHTTPClient.make(proxy: server.proxyURL)
        do {
            let http = try SimpleHTTP(client: client, proxy: server.proxyURL)
            for kind in RegistryFile.allCases {
                _ = try await RegistryImporter.importFile(kind, data: city.registryCSVData(kind), file: "\(kind).csv", into: store)
            }
            var configuration = CrawlConfiguration()
            configuration.proxy = server.proxyURL
            configuration.maximumPages = 2_000
            var runCodes: [String] = []
            for asOf in [Self.oldAsOf, city.asOf] {
                try await ProbeRound.replay(endingAt: asOf, store: store, http: http)
                let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: configuration)
                let runner = InspectionRunner(store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: http), now: { asOf })
                let outcome = try await runner.run(
                    InspectionRequest(asOf: asOf, indicators: .national2019, scanner: try ContentScanner.standard()))
                try await crawler.shutdown()
                _ = try await store.applyInspection(
                    findings: outcome.findings, run: outcome.run.code, asOf: asOf, scope: .everything,
                    policy: RectificationPolicy(), now: asOf.addingTimeInterval(-3 * 3_600))
                runCodes.append(outcome.run.code)
                if runCodes.count == 1 {
                    // A crawl of the first run killed part-way: its session stays open with its frontier.
                    let site = try #require(city.sites.first)
                    let (session, _) = try await store.openCrawlSession(
                        key: "\(outcome.run.code)/\(site.code)-restart", siteCode: site.code, asOf: asOf, settings: "{}", startedAt: asOf)
                    try await store.commitCrawlBatch(
                        session: session.id, results: [],
                        newURLs: (0..<40).map { CrawlURLEntry(url: "http://abandoned.hongxi.gov.cn/page/\($0).html", depth: 1, role: "page", kind: "page") })
                    // A unit reports one ticket of the first run fixed, with a scanned letter attached.
                    let ticket = try #require(try await store.tickets().first)
                    _ = try await store.feedback(
                        ticket.code, text: "已整改，见盖章说明", attachments: [AttachmentInput(fileName: "整改说明.pdf", data: Data("%PDF-1.4 整改说明".utf8))],
                        actor: "单位管理员", at: asOf.addingTimeInterval(86_400))
                }
            }
            try await client.shutdown()
            try await server.shutdown()

            let oldNotice = try await Self.noticeFiles(store, quarter: 4, year: 2021, today: "2022-01-10")
            let newNotice = try await Self.noticeFiles(store, quarter: 1, year: 2022, today: "2022-04-10")
            let tickets = try await Self.ticketState(store)
            let keptSessions = try await Self.crawlSessionKeys(store)
            #expect(keptSessions.count == city.sites.count && keptSessions.allSatisfy { $0.hasPrefix(runCodes[1] + "/") })
            let oldProbeCount = try await store.probes(site: city.sites[0].code, from: Self.oldAsOf.addingTimeInterval(-8 * 86_400), to: Self.oldAsOf).count
            #expect(oldProbeCount > 0)
            #expect(try await store.crawlSession(key: "\(runCodes[0])/\(city.sites[0].code)-restart") != nil)

            let dryRun = try await store.prune(keepRuns: 1, keepDays: nil, now: city.asOf, dryRun: true)
            #expect(dryRun.prunedRuns == [runCodes[0]] && dryRun.keptRuns == [runCodes[1]])
            #expect(dryRun.crawlSessions == 1 && dryRun.crawlURLs == 40 && dryRun.probes >= oldProbeCount)
            #expect(try await store.crawlSession(key: "\(runCodes[0])/\(city.sites[0].code)-restart") != nil, "a dry run deletes nothing")

            let report = try await store.prune(keepRuns: 1, keepDays: nil, now: city.asOf, dryRun: false)
            #expect(report.crawlSessions == dryRun.crawlSessions && report.crawlURLs == dryRun.crawlURLs && report.probes == dryRun.probes)
            #expect(try await store.crawlSession(key: "\(runCodes[0])/\(city.sites[0].code)-restart") == nil)
            #expect(try await store.probes(site: city.sites[0].code, from: Self.oldAsOf.addingTimeInterval(-8 * 86_400), to: Self.oldAsOf).isEmpty)
            #expect(try await store.probes(site: city.sites[0].code, from: city.asOf.addingTimeInterval(-8 * 86_400), to: city.asOf).count > 0)
            #expect(try await Self.crawlSessionKeys(store) == keptSessions, "the newest finished crawl of every site stays")

            #expect(try await Self.noticeFiles(store, quarter: 4, year: 2021, today: "2022-01-10") == oldNotice)
            #expect(try await Self.noticeFiles(store, quarter: 1, year: 2022, today: "2022-04-10") == newNotice)
            let after = try await Self.ticketState(store)
            #expect(after == tickets)
            #expect(after.attachments.values.contains { $0 == [Data("%PDF-1.4 整改说明".utf8)] })

            let again = try await store.prune(keepRuns: 1, keepDays: nil, now: city.asOf, dryRun: false)
            #expect(again.crawlSessions == 0 && again.crawlURLs == 0 && again.probes == 0, "a second prune finds nothing left")
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test func theStoredRetentionSettingDecidesWhenNotGiven() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-prune-setting-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("empty.sqlite").path))
        #expect(try await store.retentionKeepRuns() == Store.defaultRetentionKeepRuns)
        try await store.setRetentionKeepRuns(3)
        #expect(try await store.retentionKeepRuns() == 3)
        let report = try await store.prune(keepRuns: nil, keepDays: nil, dryRun: true)
        #expect(report.prunedRuns.isEmpty && report.keptRuns.isEmpty)
        await store.close()
    }
}
