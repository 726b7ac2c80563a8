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

    @Test func textTableAlignsChinese() {
        let table = TextTable.render(header: ["名称", "x"], rows: [["鸿溪", "1"], ["ab", "2"]])
        let lines = table.split(separator: "\n")
        #expect(lines[2] == "鸿溪  1")
        #expect(lines[3] == "ab    2")
    }
}
