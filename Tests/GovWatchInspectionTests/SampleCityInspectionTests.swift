import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchSampleCity
import GovWatchStore
import Testing

/// The whole product on the sample city: import its registry, replay a week of probes,
/// inspect everything through the fixture proxy, and compare the findings with the list of
/// planted problems. Real HTTP over loopback, a real SQLite file.
@Suite(.serialized) struct SampleCityInspectionTests {
    /// Indicators produced by the rectification loop and the staff registry (issue 6), not
    /// by an inspection of pages and posts.
    static let notFromInspection: Set<IndicatorID> = [.unitRectificationOverdue, .unitRectificationReopened, .unitStaffUnassigned]

    struct Inspected {
        var city: SampleCity
        var outcome: InspectionOutcome
    }

    /// Runs the inspection once per process; both tests read the same outcome.
    static let inspected = Task<Inspected, any Error> {
        try await SampleCityHarness.with(probes: true) { harness in
            let crawler = try CrawlingSiteEvidenceSource(store: harness.store, configuration: harness.crawlConfiguration())
            let runner = InspectionRunner(store: harness.store, sites: crawler, accounts: AccountEvidenceBuilder(http: harness.http))
            let outcome = try await runner.run(
                InspectionRequest(asOf: harness.city.asOf, indicators: .national2019, scanner: try ContentScanner.standard()))
            try await crawler.shutdown()
            return Inspected(city: harness.city, outcome: outcome)
        }
    }

    /// Whether `finding` is the one `planted` describes.
    static func matches(_ finding: Finding, _ planted: PlantedProblem) -> Bool {
        guard finding.indicator == planted.indicator, finding.target.kind == planted.target.kind,
            finding.target.code == planted.target.code
        else { return false }
        if let link = planted.detail["link"] {
            return finding.detail["link"]?.stringValue == link
        }
        if planted.indicator == .siteColumnStale || planted.indicator == .siteColumnBlank, let url = planted.url {
            return finding.url == url || finding.detail["column"]?.stringValue == url || finding.detail["url"]?.stringValue == url
        }
        if planted.indicator.rawValue.contains(".content."), let url = planted.url {
            return (finding.url ?? "").hasPrefix(url) || url.hasPrefix(finding.url ?? "\u{0}")
                || (finding.detail["pages"].map { "\($0)".contains(url) } ?? false)
        }
        return true
    }

    @Test func everyPlantedProblemIsFound() async throws {
        let (city, outcome) = try await { let i = try await Self.inspected.value; return (i.city, i.outcome) }()
        let expected = city.plantedProblems.filter { $0.mustBeFound && !$0.scenario && !Self.notFromInspection.contains($0.indicator) }
        let missing = expected.filter { planted in !outcome.findings.contains { Self.matches($0, planted) } }
        #expect(missing.isEmpty, "not found: \(missing.map { "\($0.id) \($0.indicator) \($0.target.code) \($0.url ?? "") \($0.note)" }.joined(separator: "\n"))")
    }

    @Test func cleanTargetsHaveNoFindingsAndNothingUnplantedIsReported() async throws {
        let (city, outcome) = try await { let i = try await Self.inspected.value; return (i.city, i.outcome) }()
        let cleanSites = Set(city.cleanSites.map(\.code))
        let cleanAccounts = Set(city.cleanAccounts.map(\.id))
        let onClean = outcome.findings.filter { finding in
            (finding.target.kind == .site && cleanSites.contains(finding.target.code) && finding.indicator != .siteHTTPSMissing)
                || (finding.target.kind == .account && cleanAccounts.contains(finding.target.code))
        }
        #expect(onClean.isEmpty, "findings on clean targets: \(onClean.map { "\($0.indicator) \($0.target.name) \($0.url ?? "") \($0.evidence ?? "")" }.joined(separator: "\n"))")
        // Every finding corresponds to a planted problem of the same indicator and target
        // (aggregate vetoes follow from their planted parts).
        let unplanted = outcome.findings.filter { finding in
            !city.plantedProblems.contains { $0.indicator == finding.indicator && $0.target.code == finding.target.code }
        }
        #expect(unplanted.isEmpty, "unplanted findings: \(unplanted.map { "\($0.indicator) \($0.target.name) \($0.url ?? "") \($0.evidence ?? "")" }.joined(separator: "\n"))")
        #expect(outcome.scorecards.filter { $0.target.kind == .site }.count == city.sites.count)
        #expect(outcome.scorecards.filter { $0.target.kind == .account }.count == city.accounts.count)
    }
}
