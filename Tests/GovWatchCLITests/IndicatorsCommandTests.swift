import Foundation
import GovWatchCore
import GovWatchTestSupport
import Testing

/// `govwatch indicators`: a province's own thresholds stored once and shown back.
@Suite struct IndicatorsCommandTests {
    @Test func storedSetIsShownAndBadFilesAreRejected() async throws {
        let directory = try ImportCommandTests.scratch()
        var set = IndicatorSet.national2019
        set.id = "sichuan-2022"
        set.title = "四川省调整后的检查指标"
        set.indicators["site.column.stale"]?.thresholds?["newsDays"] = 7
        try JSONEncoder().encode(set).write(to: directory.appendingPathComponent("sichuan.json"))
        try Data("{\"id\": 1}".utf8).write(to: directory.appendingPathComponent("bad.json"))

        let stored = try await ImportCommandTests.govwatch(["indicators", "set", "sichuan.json"], in: directory)
        #expect(stored.status == 0, "\(stored.stderr)")
        let shown = try await ImportCommandTests.govwatch(["indicators", "show", "--format", "json"], in: directory)
        let decoded = try JSONDecoder().decode(IndicatorSet.self, from: Data(shown.stdout.utf8))
        #expect(decoded.reference == "sichuan-2022@1")
        #expect(decoded.threshold(.siteColumnStale, "newsDays", default: 0) == 7)

        let bad = try await ImportCommandTests.govwatch(["indicators", "set", "bad.json"], in: directory)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.json"))
        // The stored set is unchanged by the rejected file.
        #expect(try await ImportCommandTests.govwatch(["indicators"], in: directory).stdout.contains("sichuan-2022@1"))
        #expect(try await ImportCommandTests.govwatch(["indicators", "reset"], in: directory).status == 0)
        #expect(try await ImportCommandTests.govwatch(["indicators"], in: directory).stdout.contains("national-2019@1"))
    }
}
