import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

/// Nothing the crawler or the feed poller read is stored or logged with a citizen's personal
/// data in clear (issue 16): after the sample city's whole inspection by the real `govwatch`
/// process — every site with its pages and attachments of every format, every account with
/// its feed and posts — the database dump (`sqlite3 .dump`, `pg_dump`) and the process's
/// output at the trace log level hold no resident ID number, mobile number or bank card
/// number, except the registry's `people` table (the office's own contact data).
///
/// The dump is scanned as text by `PersonalNumberScan`, written here independently of the
/// product's detector: the test does not trust the product's view of what is personal.
@Suite(.serialized) struct PersonalDataAtRestTests {
    @Test(.requires(ToolAvailability.sqlite3)) func sqliteDumpAndTraceLogHoldNoPersonalNumbers() async throws {
        let directory = try ImportCommandTests.scratch()
        let log = try await Self.inspectWholeCity(in: directory, database: [])
        let file = directory.appendingPathComponent("govwatch.sqlite").path
        let dump = try await Self.run(["sqlite3", file, ".dump"])
        let hashes = try await Self.run(["sqlite3", file, Self.bodyHashesQuery])
        try Self.expectNoPersonalNumbers(dump: dump, log: log, bodyHashes: hashes, peopleRows: Self.sqlitePeopleRows)
    }

    @Test(.requires(ToolAvailability.pgDump)) func postgresDumpAndTraceLogHoldNoPersonalNumbers() async throws {
        let database = try await ScheduleProcessesTests.freshPostgresDatabase()
        let directory = try ImportCommandTests.scratch()
        let log = try await Self.inspectWholeCity(in: directory, database: ["--db", database])
        let dump = try await Self.run(["pg_dump", "--no-owner", "--dbname", database])
        let hashes = try await Self.run(["psql", "-At", "--dbname", database, "-c", Self.bodyHashesQuery])
        try Self.expectNoPersonalNumbers(dump: dump, log: log, bodyHashes: hashes, peopleRows: Self.postgresPeopleRows)
    }

    // MARK: The run

    /// Imports the whole registry (sites, columns, accounts, posts, people), inspects the
    /// whole city through the fixture proxy at the trace level, and returns everything the
    /// processes wrote (standard output and error).
    static func inspectWholeCity(in directory: URL, database: [String]) async throws -> String {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        var log = ""
        do {
            for kind in RegistryFile.allCases {
                try city.registryCSVData(kind).write(to: directory.appendingPathComponent("\(kind.rawValue).csv"))
                let imported = try await govwatch(
                    ["import", kind.rawValue, "\(kind.rawValue).csv", "--log-level", "trace"] + database, in: directory)
                #expect(imported.status == 0, "\(imported.output)")
                // The people file is the registry's own contact data, the one exception: its
                // trace log shows the rows it writes.
                if kind != .people { log += imported.output }
            }
            let inspected = try await govwatch(
                ["inspect", "--as-of", "2022-03-31", "--proxy", server.proxyURL, "--log-level", "trace"] + database, in: directory)
            #expect(inspected.status == 0, "\(inspected.output.suffix(2_000))")
            log += inspected.output
            let findings = try await govwatch(["findings", "--format", "json"] + database, in: directory)
            #expect(findings.status == 0)
            // The inspection did read the planted personal information (else the scan proves nothing).
            #expect(findings.output.contains("content.privacy"), "no privacy finding: the city was not inspected")
            log += findings.output
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
        return log
    }

    struct Output {
        var status: Int32
        /// Standard output, then standard error.
        var output: String
    }

    /// The CLI with its output in files (a trace log fills a pipe long before the end).
    static func govwatch(_ arguments: [String], in directory: URL) async throws -> Output {
        try await run([GovWatchBinary.url.path] + arguments, in: directory)
    }

    static func run(_ command: [String], in directory: URL? = nil) async throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out")
        let errURL = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["GOVWATCH_DB"] = nil
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        try process.run()
        await process.exited()
        try out.close()
        try err.close()
        let text = String(decoding: try Data(contentsOf: outURL), as: UTF8.self) + String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        return Output(status: process.terminationStatus, output: text)
    }

    static func run(_ command: [String]) async throws -> String {
        let result = try await run(command, in: nil)
        try #require(result.status == 0, "\(command[0]) failed: \(result.output.suffix(500))")
        return result.output
    }

    // MARK: The check

    /// The rows of the registry's people table in a dump, which may hold the responsible
    /// people's phone numbers: `INSERT INTO people …` lines of sqlite3, the `COPY public.people`
    /// block of pg_dump.
    static func sqlitePeopleRows(_ dump: String) -> (people: String, rest: String) {
        var people = ""
        var rest = ""
        for line in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("INSERT INTO people ") || line.hasPrefix("INSERT INTO \"people\" ") {
                people += line + "\n"
            } else {
                rest += line + "\n"
            }
        }
        return (people, rest)
    }

    static func postgresPeopleRows(_ dump: String) -> (people: String, rest: String) {
        var people = ""
        var rest = ""
        var inPeople = false
        for line in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("COPY public.people ") { inPeople = true }
            if inPeople {
                people += line + "\n"
                if line == "\\." { inPeople = false }
            } else {
                rest += line + "\n"
            }
        }
        return (people, rest)
    }

    /// The crawl's hashes of response bodies and the servers' ETags: 16 hex digits that are
    /// now and then all decimal and pass Luhn, computed from the bytes, never read text.
    static let bodyHashesQuery =
        "SELECT content_hash FROM crawl_urls WHERE content_hash IS NOT NULL UNION SELECT etag FROM crawl_urls WHERE etag IS NOT NULL"

    static func expectNoPersonalNumbers(
        dump: String, log: String, bodyHashes: String, peopleRows: (String) -> (people: String, rest: String)
    ) throws {
        let allowedCardRuns = Set(PersonalNumberScan.digitRuns(in: bodyHashes))
        let (people, rest) = peopleRows(dump)
        // The scan does find numbers where they are allowed: the people table's phones.
        #expect(PersonalNumberScan.hits(in: people).contains { $0.kind == .mobile }, "the dump's people rows hold no mobile number")
        #expect(rest.contains("crawl_urls") && rest.contains("posts"), "the dump holds the crawl and the posts")
        let inDump = PersonalNumberScan.hits(in: rest).filter { $0.kind != .bankCard || !allowedCardRuns.contains($0.number) }
        #expect(inDump.isEmpty, "personal numbers in the database dump:\n\(inDump.prefix(20).map(\.description).joined(separator: "\n"))")
        // PostgresNIO's trace lines show wire buffers as hex bytes: a digit run inside a hex
        // token is no written number (the values they carry are in the dump, scanned above).
        let inLog = PersonalNumberScan.hits(in: log, ignoringHexTokens: true)
            .filter { $0.kind != .bankCard || !allowedCardRuns.contains($0.number) }
        #expect(inLog.isEmpty, "personal numbers in the trace log:\n\(inLog.prefix(20).map(\.description).joined(separator: "\n"))")
    }
}

/// An independent scan for personal numbers in any text (not the product's detector):
/// - an 18-character resident ID number (17 digits and a digit or X) with a valid GB 11643
///   check character;
/// - a mainland mobile number `1[3-9]` + 9 digits;
/// - a 16–19 digit number passing the Luhn check (a bank card; China's cards have 16 to 19
///   digits, and the 14-digit 公网安备 numbers every site shows pass Luhn one time in ten), not
///   inside a URL (toutiao and douyin post ids are 19 digits);
/// each as a whole run of digits (ASCII or full-width), not part of a longer one.
enum PersonalNumberScan {
    enum Kind: String { case idNumber = "身份证号", mobile = "手机号", bankCard = "银行卡号" }

    struct Hit: CustomStringConvertible {
        var kind: Kind
        var number: String
        var context: String
        var description: String { "\(kind.rawValue) \(number) in …\(context)…" }
    }

    static func hits(in text: String, ignoringHexTokens: Bool = false) -> [Hit] {
        let scalars = Array(text.unicodeScalars)
        func digit(_ index: Int) -> Int? {
            guard index >= 0, index < scalars.count else { return nil }
            let value = scalars[index].value
            if (0x30...0x39).contains(value) { return Int(value - 0x30) }
            if (0xFF10...0xFF19).contains(value) { return Int(value - 0xFF10) }
            return nil
        }
        func isHexLetter(_ index: Int) -> Bool {
            guard index >= 0, index < scalars.count else { return false }
            return ("a"..."f").contains(scalars[index]) || ("A"..."F").contains(scalars[index])
        }
        func context(_ start: Int, _ end: Int) -> String {
            let from = max(0, start - 30)
            let to = min(scalars.count, end + 30)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[from..<to])
            return String(view).replacingOccurrences(of: "\n", with: "⏎")
        }
        var hits: [Hit] = []
        var index = 0
        while index < scalars.count {
            guard digit(index) != nil else {
                index += 1
                continue
            }
            var digits: [Int] = []
            var end = index
            while let value = digit(end) {
                digits.append(value)
                end += 1
            }
            var number = digits.map(String.init).joined()
            if ignoringHexTokens, isHexLetter(index - 1) || isHexLetter(end) {
                index = end
                continue
            }
            // 17 digits and a final X.
            if digits.count == 17, end < scalars.count, ["X", "x", "Ｘ", "ｘ"].contains(Character(scalars[end])) {
                number += "X"
                end += 1
                if checkCharacter(digits) == "X" { hits.append(Hit(kind: .idNumber, number: number, context: context(index, end))) }
            } else {
                if digits.count == 18, checkCharacter(Array(digits.prefix(17))) == Character(String(digits[17])) {
                    hits.append(Hit(kind: .idNumber, number: number, context: context(index, end)))
                }
                if digits.count == 11, digits[0] == 1, (3...9).contains(digits[1]) {
                    hits.append(Hit(kind: .mobile, number: number, context: context(index, end)))
                }
                if (16...19).contains(digits.count), luhn(digits), !insideURL(scalars, before: index) {
                    hits.append(Hit(kind: .bankCard, number: number, context: context(index, end)))
                }
            }
            index = end
        }
        return hits
    }

    /// Whether the run starting at `start` is part of a URL: `://` earlier in the same token
    /// (no blank, quote or bracket between).
    static func insideURL(_ scalars: [Unicode.Scalar], before start: Int) -> Bool {
        var index = start - 1
        while index >= 2, start - index < 500 {
            let value = scalars[index]
            if value == " " || value == "\"" || value == "'" || value == "\n" || value == "<" || value == ">" || value == "(" { return false }
            if value == "/", scalars[index - 1] == "/", scalars[index - 2] == ":" { return true }
            index -= 1
        }
        return false
    }

    /// The maximal runs of ASCII digits in `text`.
    static func digitRuns(in text: String) -> [String] {
        text.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map(String.init)
    }

    /// GB 11643: weights 2^(17-i) mod 11, check character from the weighted sum.
    static func checkCharacter(_ first17: [Int]) -> Character {
        var sum = 0
        for (position, value) in first17.enumerated() {
            var weight = 1
            for _ in 0..<(17 - position) { weight = weight * 2 % 11 }
            sum += value * weight
        }
        return Array("10X98765432")[sum % 11]
    }

    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (offset, value) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = value * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += value
            }
        }
        return sum % 10 == 0
    }
}
