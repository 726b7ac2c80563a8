import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

/// `govwatch bonus`: 加分 entered by hand for a portal of an inspected run, capped as the
/// indicator set says, shown by `scorecard` and in the notice; bad input is exit 2 naming the field.
@Suite struct BonusCommandTests {
    static func write(_ edit: (inout IndicatorSet) -> Void, to url: URL) throws {
        var set = IndicatorSet.national2019
        edit(&set)
        try JSONEncoder().encode(set).write(to: url)
    }

    /// The portal's scorecard in the latest run, from `scorecard --format json`.
    static func portalCard(in directory: URL) async throws -> [String: Any] {
        let shown = try await ImportCommandTests.govwatch(["scorecard", "--format", "json"], in: directory)
        let json = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let targets = json?["targets"] as? [[String: Any]] ?? []
        return targets.first { ($0["target"] as? [String: Any])?["code"] as? String == "4390000001" } ?? [:]
    }

    @Test func bonusIsEnteredForAPortalCappedAndShownInScorecardsAndTheNotice() async throws {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let directory = try ImportCommandTests.scratch()
        try await InspectResumeTests.prepare(city, in: directory)
        let inspected = try await ImportCommandTests.govwatch(
            ["inspect", "--as-of", "2022-03-31", "--proxy", server.proxyURL, "--site", "4390000001", "--site", "4390000002"], in: directory)
        try await server.shutdown()
        #expect(inspected.status == 0, "\(inspected.stderr)")
        let base = try #require(await Self.portalCard(in: directory)["score"] as? Double, "\(inspected.stdout)")
        #expect(base > 80, "the clean portal enters bonus scoring")

        let entered = try await ImportCommandTests.govwatch(
            ["bonus", "set", "--site", "4390000001", "--points", "12", "--reason", "政务公开专栏创新做法"], in: directory)
        #expect(entered.status == 0, "\(entered.stderr)")
        #expect(entered.stdout.contains("加分 12"))
        var card = try await Self.portalCard(in: directory)
        #expect(card["score"] as? Double == base)
        #expect(card["bonus"] as? Double == 12)
        #expect(card["total"] as? Double == base + 12)
        let text = try await ImportCommandTests.govwatch(["scorecard"], in: directory)
        #expect(text.stdout.contains("加分") && text.stdout.contains("总分"))

        // A province's file with a lower cap: 50 entered, 10 counted.
        let lowCap = directory.appendingPathComponent("low-cap.json")
        try Self.write({ $0.maxBonus = 10 }, to: lowCap)
        let capped = try await ImportCommandTests.govwatch(
            ["bonus", "set", "--run", "latest", "--site", "4390000001", "--points", "50", "--reason", "获评全省优秀政府网站", "--indicators", lowCap.path],
            in: directory)
        #expect(capped.status == 0, "\(capped.stderr)")
        #expect(capped.stdout.contains("按上限计"))
        card = try await Self.portalCard(in: directory)
        #expect(card["bonus"] as? Double == 10)
        #expect(card["total"] as? Double == base + 10)
        let listed = try await ImportCommandTests.govwatch(["bonus", "list", "--format", "csv"], in: directory)
        #expect(listed.stdout.contains("4390000001,鸿溪市人民政府"))
        #expect(listed.stdout.contains("获评全省优秀政府网站"))

        // The notice shows it.
        let notice = try await ImportCommandTests.govwatch(["report", "--period", "2022Q1", "--format", "md"], in: directory)
        #expect(notice.status == 0, "\(notice.stderr)")
        #expect(notice.stdout.contains("鸿溪市人民政府得分\(FindingsFormat.score(base))分、加分10分、总分\(FindingsFormat.score(base + 10))分"))

        // A stricter entry score in another file: the portal does not qualify.
        let strict = directory.appendingPathComponent("strict.json")
        try Self.write({ $0.bonusEntryScore = 100 }, to: strict)
        let refused = try await ImportCommandTests.govwatch(
            ["bonus", "set", "--site", "4390000001", "--points", "5", "--reason", "创新", "--indicators", strict.path], in: directory)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("field '--site'") && refused.stderr.contains("不能加分"))

        // Bad input names the field and changes nothing.
        for (arguments, field) in [
            (["--site", "4390000001", "--points", "十分", "--reason", "创新"], "--points"),
            (["--site", "4390000001", "--points", "-3", "--reason", "创新"], "--points"),
            (["--site", "4390000001", "--points", "5", "--reason", " "], "--reason"),
            (["--site", "4390000002", "--points", "5", "--reason", "创新"], "--site"),
            (["--site", "4399999999", "--points", "5", "--reason", "创新"], "--site"),
            (["--run", "r-20990101-0001", "--site", "4390000001", "--points", "5", "--reason", "创新"], "--run"),
        ] {
            let bad = try await ImportCommandTests.govwatch(["bonus", "set"] + arguments, in: directory)
            #expect(bad.status == 2, "\(arguments)")
            #expect(bad.stderr.contains(field), "\(arguments): \(bad.stderr)")
        }
        #expect(try await Self.portalCard(in: directory)["bonus"] as? Double == 10)

        #expect(try await ImportCommandTests.govwatch(["bonus", "remove", "--site", "4390000001"], in: directory).status == 0)
        #expect(try await Self.portalCard(in: directory)["total"] as? Double == base)
    }
}

/// Scores as the CLI and the notice print them: `90`, `87.5`.
enum FindingsFormat {
    static func score(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}
