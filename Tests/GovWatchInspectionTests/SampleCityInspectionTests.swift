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

    /// The facts that name one problem of `indicator`, as a finding states them and as the
    /// city plants them: the kind and masked value, the wrong text or the term and the page
    /// they are on; the link; the column (and its last update). Nothing for target-wide
    /// indicators (one finding per target). Compared exactly: a finding of a planted indicator
    /// with other facts is unplanted.
    static func factKeys(_ indicator: IndicatorID) -> [String] {
        switch indicator {
        case .siteLinksBroken, .siteDarkLink: ["link"]
        case .siteColumnStale: ["url", "column", "lastUpdated"]
        case .siteColumnBlank: ["url", "column"]
        case .siteContentPrivacy, .accountContentPrivacy: ["url", "kind", "masked"]
        case .siteContentSevereError, .accountContentSevereError: ["url", "wrong"]
        case .siteContentSensitive: ["url", "term"]
        default: []
        }
    }

    static func facts(of finding: Finding) -> [String: String] {
        var facts: [String: String] = [:]
        for key in factKeys(finding.indicator) {
            facts[key] = key == "url" ? finding.url : finding.detail[key]?.stringValue
        }
        return facts
    }

    static func facts(of planted: PlantedProblem) -> [String: String] {
        var facts: [String: String] = [:]
        for key in factKeys(planted.indicator) {
            // An empty value is a fact the finding states as null (a column with no date).
            facts[key] = key == "url" ? planted.url : planted.detail[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        return facts
    }

    /// Whether `finding` is the one `planted` describes: same indicator, same target, same facts.
    static func matches(_ finding: Finding, _ planted: PlantedProblem) -> Bool {
        finding.indicator == planted.indicator && finding.target.kind == planted.target.kind
            && finding.target.code == planted.target.code && facts(of: finding) == facts(of: planted)
    }

    static func describe(_ finding: Finding) -> String {
        "\(finding.indicator) \(finding.target.code) \(finding.target.name) \(facts(of: finding)) \(finding.evidence ?? "")"
    }

    @Test func everyPlantedProblemIsFound() async throws {
        let (city, outcome) = try await { let i = try await Self.inspected.value; return (i.city, i.outcome) }()
        let expected = city.plantedProblems.filter { $0.mustBeFound && !$0.scenario && !Self.notFromInspection.contains($0.indicator) }
        let missing = expected.filter { planted in !outcome.findings.contains { Self.matches($0, planted) } }
        #expect(missing.isEmpty, "not found:\n\(missing.map { "\($0.id) \($0.indicator) \($0.target.code) \(Self.facts(of: $0)) \($0.note)" }.joined(separator: "\n"))")
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
        // Every finding is exactly one planted problem (indicator, target and facts), and no
        // planted problem is found twice.
        let unplanted = outcome.findings.filter { finding in !city.plantedProblems.contains { Self.matches(finding, $0) } }
        #expect(unplanted.isEmpty, "unplanted findings:\n\(unplanted.map(Self.describe).joined(separator: "\n"))")
        let twice = city.plantedProblems.filter { planted in outcome.findings.filter { Self.matches($0, planted) }.count > 1 }
        #expect(twice.isEmpty, "found more than once: \(twice.map { "\($0.id) \($0.indicator) \($0.target.code) \(Self.facts(of: $0))" })")
        #expect(outcome.scorecards.filter { $0.target.kind == .site }.count == city.sites.count)
        #expect(outcome.scorecards.filter { $0.target.kind == .account }.count == city.accounts.count)
    }
}
