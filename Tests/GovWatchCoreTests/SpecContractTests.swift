import Foundation
import GovWatchCore
import GovWatchTestSupport
import Testing

/// The contract test: the only test that reads the spec beside the clone
/// (`../shared/spec/indicators.md`, there in CI). A lone clone has no spec beside it, so there
/// the test is reported skipped with the reason; in CI its absence fails it.
@Suite struct SpecContractTests {
    static let specFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/spec").standardizedFileURL

    /// Nil when the spec is there, else why not.
    static var specMissing: String? {
        FileManager.default.fileExists(atPath: specFolder.appendingPathComponent("indicators.md").path)
            ? nil : "the spec is not beside the clone (\(specFolder.path) is absent)"
    }

    @Test(.requires(SpecContractTests.specMissing)) func everySpecIndicatorIsKnown() throws {
        // The ids of indicators.md, read from the spec itself so the two cannot drift.
        let text = try String(contentsOf: Self.specFolder.appendingPathComponent("indicators.md"), encoding: .utf8)
        let ids = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).split(separator: "`").first.map(String.init)
        }
        #expect(ids.count == IndicatorID.all.count)
        #expect(Set(ids) == Set(IndicatorID.all.map(\.rawValue)))
    }
}
