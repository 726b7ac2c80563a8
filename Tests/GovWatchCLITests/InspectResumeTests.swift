import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

/// `govwatch inspect` killed with SIGKILL mid-way, then run again, gives the same findings
/// as an uninterrupted run: nothing lost, nothing duplicated.
@Suite(.serialized) struct InspectResumeTests {
    /// Three department sites and two accounts of the sample city, whose pages answer the
    /// same way on every request (the flaky statistics site is left out on purpose).
    static let targets = ["--site", "4390000002", "--site", "4390000006", "--site", "4390000008", "--account", "hxjyfb", "--account", "hxfgw"]

    static func prepare(_ city: SampleCity, in directory: URL) async throws {
        for kind in RegistryFile.allCases {
            try city.registryCSVData(kind).write(to: directory.appendingPathComponent("\(kind.rawValue).csv"))
            let result = try await ImportCommandTests.govwatch(["import", kind.rawValue, "\(kind.rawValue).csv"], in: directory)
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// The latest run's findings, each as canonical JSON, sorted; `database`: `--db URL`.
    static func findings(in directory: URL, database: [String] = []) async throws -> [String] {
        let result = try await ImportCommandTests.govwatch(["findings", "--format", "json"] + database, in: directory)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        return findings.map { finding in
            let data = try! JSONSerialization.data(withJSONObject: finding, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }.sorted()
    }

    @Test func killedInspectionResumesToTheSameFindings() async throws {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let inspect = ["inspect", "--as-of", "2022-03-31", "--proxy", server.proxyURL] + Self.targets

        let whole = try ImportCommandTests.scratch()
        try await Self.prepare(city, in: whole)
        let uninterrupted = try await ImportCommandTests.govwatch(inspect, in: whole)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")

        let killed = try ImportCommandTests.scratch()
        try await Self.prepare(city, in: killed)
        let process = Process()
        process.executableURL = GovWatchBinary.url
        process.arguments = inspect
        process.currentDirectoryURL = killed
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first finished target, then kill at once: the other sites are being
        // crawled (several at a time), their frontiers half stored. (A pause here let the
        // whole inspection end first on a fast machine.)
        var chunks = output.fileHandleForReading.chunks().makeAsyncIterator()
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            guard let chunk = await chunks.next() else { break }
            seen.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        await process.exited()
        #expect(process.terminationReason == .uncaughtSignal, "the inspection ended before it could be killed")

        let resumed = try await ImportCommandTests.govwatch(inspect, in: killed)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("继续未完成的检查批次"))
        try await server.shutdown()

        let expected = try await Self.findings(in: whole)
        let actual = try await Self.findings(in: killed)
        #expect(!expected.isEmpty)
        #expect(actual == expected)
        #expect(Set(actual).count == actual.count, "no duplicated findings")
    }
}
