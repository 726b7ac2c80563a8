import Foundation
import GovWatchCore
import Testing

@Suite struct FindingTests {
    let site = Target(kind: .site, code: "4301000001", name: "鸿溪市人民政府")

    @Test func fingerprintDependsOnlyOnWhatNamesTheProblem() {
        let a = Finding(
            target: site, indicator: .siteLinksBroken, level: .deduction, url: "http://a/1.html",
            detail: ["link": "http://a/missing.html", "status": 404], locationKey: "http://a/missing.html")
        let b = Finding(
            target: site, indicator: .siteLinksBroken, level: .deduction, url: "http://a/2.html",
            detail: ["link": "http://a/missing.html", "status": 500], locationKey: "http://a/missing.html")
        let c = Finding(target: site, indicator: .siteLinksBroken, level: .deduction, locationKey: "http://a/other.html")
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
        #expect(a.fingerprint.count == 32)
    }

    @Test func findingEncodesInTheSpecShape() throws {
        let finding = Finding(
            target: site, indicator: .siteLinksBroken, level: .deduction, url: "http://a/1.html",
            detail: ["link": "http://a/missing.html", "status": 404, "onHomepage": false], locationKey: "k")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(finding), as: UTF8.self)
        #expect(json.contains(#""detail":{"link":"http://a/missing.html","onHomepage":false,"status":404}"#))
        #expect(json.contains(#""target":{"code":"4301000001","kind":"site","name":"鸿溪市人民政府"}"#))
        #expect(json.contains(#""indicator":"site.links.broken""#))
        let decoded = try JSONDecoder().decode(Finding.self, from: Data(json.utf8))
        #expect(decoded == finding)
    }

    /// The one test that reads `../shared/spec` (beside the clone, as in CI): skipped when a
    /// lone clone has no spec beside it.
    @Test(.requires(ToolAvailability.spec)) func everySpecIndicatorIsKnown() throws {
        // The ids of indicators.md, read from the spec itself so the two cannot drift.
        let spec = ToolAvailability.specFolder.appendingPathComponent("indicators.md")
        let text = try String(contentsOf: spec, encoding: .utf8)
        let ids = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).split(separator: "`").first.map(String.init)
        }
        #expect(ids.count == IndicatorID.all.count)
        #expect(Set(ids) == Set(IndicatorID.all.map(\.rawValue)))
    }

    @Test func textTableAlignsChinese() {
        let table = TextTable.render(header: ["名称", "x"], rows: [["鸿溪", "1"], ["ab", "2"]])
        let lines = table.split(separator: "\n")
        #expect(lines[2] == "鸿溪  1")
        #expect(lines[3] == "ab    2")
    }
}
