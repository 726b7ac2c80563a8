import Foundation
import GovWatchCore
import GovWatchTestSupport
import Testing

/// `govwatch scan` as a user runs it: the built binary, real files, stdin, exit codes.
@Suite struct ScanCommandTests {
    /// Runs the `govwatch` built next to the test bundle (`.build/debug/` on Linux), with
    /// `stdin` on its standard input (nil: /dev/null).
    static func govwatch(_ arguments: [String], in directory: URL, stdin: Data? = nil) async throws -> ProcessOutput {
        try await GovWatchBinary.run(arguments, in: directory, input: stdin)
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A valid ID number (GB 11643 check character computed here).
    static func validID(_ first17: String = "43010419880314262") -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17.compactMap(\.wholeNumberValue), weights).map { $0 * $1 }.reduce(0, +)
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    struct ScanJSON: Decodable {
        struct Problem: Decodable, Equatable {
            var file: String
            var line: Int
            var column: Int
            var indicator: String
            var level: String
            var kind: String
            var evidence: String
            var suggestion: String
        }
        var problems: [Problem]
    }

    @Test func textReportShowsPlaceContextAndSuggestionAndExitsOne() async throws {
        let directory = try Self.scratch()
        let id = Self.validID()
        try "关于中华人民共合国的通知\n申请人：王五，身份证号\(id)，手机13907315826。\n".write(
            to: directory.appendingPathComponent("draft.txt"), atomically: true, encoding: .utf8)
        let run = try await Self.govwatch(["scan", "draft.txt"], in: directory)
        #expect(run.status == 1)
        #expect(run.stdout.contains("draft.txt:1:3  [单项否决] 严重表述错误：中华人民共合国"))
        #expect(run.stdout.contains("…关于【中华人民共合国】的通知…"))
        #expect(run.stdout.contains("建议：中华人民共和国"))
        #expect(run.stdout.contains("draft.txt:2:12  [扣分] 个人信息（身份证号）：430104********\(id.suffix(4))"))
        #expect(run.stdout.contains("draft.txt:2:33  [扣分] 个人信息（手机号码）：139****5826"))
        #expect(!run.stdout.contains(id))
        #expect(!run.stdout.contains("13907315826"))
        #expect(run.stdout.contains("发现 3 个问题"))
    }

    @Test func jsonFollowsTheSpecShape() async throws {
        let directory = try Self.scratch()
        let id = Self.validID()
        try "第一行\n\n  身份证号\(id)\n\n\n\n中华人民共合国成立\n".write(
            to: directory.appendingPathComponent("draft.txt"), atomically: true, encoding: .utf8)
        let run = try await Self.govwatch(["scan", "--format", "json", "draft.txt"], in: directory)
        #expect(run.status == 1)
        let document = try JSONDecoder().decode(ScanJSON.self, from: Data(run.stdout.utf8))
        let masked: String = "430104********" + String(id.suffix(4))
        #expect(document.problems == [
            .init(file: "draft.txt", line: 3, column: 7, indicator: "content.privacy", level: "deduction",
                  kind: "id-card", evidence: masked, suggestion: masked),
            .init(file: "draft.txt", line: 7, column: 1, indicator: "content.severe-error", level: "veto",
                  kind: "severe", evidence: "中华人民共合国", suggestion: "中华人民共和国"),
        ])
    }

    /// The JSON is written by hand; it must stay what `JSONEncoder` (pretty, sorted keys,
    /// slashes unescaped) wrote before, escapes included.
    @Test func jsonIsWhatJSONEncoderWrites() async throws {
        struct Problem: Encodable {
            var file: String, line: Int, column: Int, indicator: String, level: String, kind: String, evidence: String, suggestion: String
        }
        struct Document: Encodable { var problems: [Problem] }
        let directory = try Self.scratch()
        // Quote, backslash, control characters and a slash (through a folder) in the file name.
        let name = "子/草稿 \"甲\"\\乙\u{1}\t丙.txt"
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("子"), withIntermediateDirectories: true)
        try "手机13812345678\n中华人民共合国，身份证\(Self.validID())".write(
            to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        try "无问题".write(to: directory.appendingPathComponent("clean.txt"), atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for file in [name, "clean.txt"] {
            let run = try await Self.govwatch(["scan", "--format", "json", file], in: directory)
            let decoded = try JSONDecoder().decode(ScanJSON.self, from: Data(run.stdout.utf8))
            #expect(decoded.problems.count == (file == name ? 3 : 0))
            let expected = Document(problems: decoded.problems.map {
                Problem(file: $0.file, line: $0.line, column: $0.column, indicator: $0.indicator, level: $0.level,
                        kind: $0.kind, evidence: $0.evidence, suggestion: $0.suggestion)
            })
            #expect(run.stdout == String(decoding: try encoder.encode(expected), as: UTF8.self) + "\n")
            #expect(decoded.problems.allSatisfy { $0.file == file })
        }
    }

    @Test func cleanAndSensitiveOnlyDraftsExitZero() async throws {
        let directory = try Self.scratch()
        let clean = """
            鸿溪市人民政府办公室关于做好春耕工作的通知
            索引号：11430100008713456X/2022-00123  统一社会信用代码：91439000MA4L0C7K2B
            咨询电话：0731-88882345，监督电话：12345。联系人：张*明，139****5678，430104********2317。
            3月30日0—24时，全市新增确诊病例0例。中华人民共和国，中国共产党。
            """
        try clean.write(to: directory.appendingPathComponent("clean.txt"), atomically: true, encoding: .utf8)
        let run = try await Self.govwatch(["scan", "clean.txt"], in: directory)
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout == "检查了 1 个文件，未发现问题。\n")

        try "页面被植入六合彩广告".write(to: directory.appendingPathComponent("ad.txt"), atomically: true, encoding: .utf8)
        let sensitive = try await Self.govwatch(["scan", "ad.txt"], in: directory)
        #expect(sensitive.status == 0)
        #expect(sensitive.stdout.contains("[提示] 敏感词：六合彩"))
    }

    @Test func readsStandardInputWithDashOrNoFile() async throws {
        let directory = try Self.scratch()
        let input = Data("联系电话 138-1234-5678".utf8)
        for arguments in [["scan", "-", "--format", "json"], ["scan", "--format", "json"]] {
            let run = try await Self.govwatch(arguments, in: directory, stdin: input)
            #expect(run.status == 1)
            let document = try JSONDecoder().decode(ScanJSON.self, from: Data(run.stdout.utf8))
            #expect(document.problems.map(\.file) == ["-"])
            #expect(document.problems.map(\.evidence) == ["138-****-5678"])
            #expect(document.problems.map(\.column) == [6])
        }
    }

    @Test func extraDictionariesAddTermsAndBadOnesExitTwo() async throws {
        let directory = try Self.scratch()
        try "# 本地词典\n鸿溪县\t鸿溪市\tsevere\n".write(to: directory.appendingPathComponent("local.tsv"), atomically: true, encoding: .utf8)
        try "鸿溪县人民政府".write(to: directory.appendingPathComponent("draft.txt"), atomically: true, encoding: .utf8)
        let run = try await Self.govwatch(["scan", "--dictionary", "local.tsv", "draft.txt"], in: directory)
        #expect(run.status == 1)
        #expect(run.stdout.contains("建议：鸿溪市"))

        try "# 注释\n只有两列\tsevere\n".write(to: directory.appendingPathComponent("bad.tsv"), atomically: true, encoding: .utf8)
        let bad = try await Self.govwatch(["scan", "--dictionary", "bad.tsv", "draft.txt"], in: directory)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.tsv:2"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func aDictionaryWithTooManyDistinctCharactersExitsTwoNamingIt() async throws {
        let directory = try Self.scratch()
        // 70,000 distinct characters (from U+20000 on): more than the scanner's automaton numbers.
        var lines: [String] = []
        for line in 0..<7_000 {
            let scalars = (0..<10).map { Unicode.Scalar(UInt32(0x20000 + line * 10 + $0))! }
            lines.append(String(String.UnicodeScalarView(scalars)) + "\t\tsensitive")
        }
        try lines.joined(separator: "\n").write(to: directory.appendingPathComponent("huge.tsv"), atomically: true, encoding: .utf8)
        try "鸿溪县人民政府".write(to: directory.appendingPathComponent("draft.txt"), atomically: true, encoding: .utf8)
        let run = try await Self.govwatch(["scan", "--dictionary", "huge.tsv", "draft.txt"], in: directory)
        #expect(run.status == 2)
        #expect(run.stderr.contains("huge.tsv:"))
        #expect(run.stderr.contains("不同的字符"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)
        // The same dictionary given to an inspection: the same one-line error, exit 2.
        let inspect = try await Self.govwatch(
            ["inspect", "--dictionary", "huge.tsv", "--proxy", "http://127.0.0.1:9", "--db", "sqlite://huge.sqlite"], in: directory)
        #expect(inspect.status == 2)
        #expect(inspect.stderr.contains("huge.tsv:") && inspect.stderr.contains("不同的字符"))
        #expect(inspect.stderr.split(separator: "\n").count == 1)
    }

    @Test func unreadableInputExitsTwoAndNamesTheFileButOthersAreScanned() async throws {
        let directory = try Self.scratch()
        try Data([0x50, 0x4B, 0x03, 0x04, 9, 9, 9]).write(to: directory.appendingPathComponent("坏.docx"))
        try "中华人民共合国".write(to: directory.appendingPathComponent("ok.txt"), atomically: true, encoding: .utf8)
        let run = try await Self.govwatch(["scan", "坏.docx", "ok.txt", "missing.txt"], in: directory)
        #expect(run.status == 2)
        let errors = run.stderr.split(separator: "\n")
        #expect(errors.count == 2)
        #expect(errors.first?.contains("无法读取 坏.docx") == true)
        #expect(errors.last?.contains("missing.txt") == true)
        #expect(errors.last?.contains("文件不存在") == true)
        #expect(run.stdout.contains("ok.txt:1:1"))
        #expect(run.stdout.contains("另有 2 个文件无法读取"))
    }

    @Test(.requires(ToolAvailability.pdftotext)) func pdfPagesAreNamedInTheFileField() async throws {
        let directory = try Self.scratch()
        let id = Self.validID("43012119791125153")
        // Two pages, ASCII text in Helvetica; offsets computed for the cross-reference table.
        let stream1 = "BT /F1 12 Tf 72 720 Td (Public notice) Tj ET"
        let stream2 = "BT /F1 12 Tf 72 720 Td (No. 1 Name: Zhou Xiaoyan ID: \(id)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [4 0 R 6 0 R] /Count 2 >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            "<< /Length \(stream1.utf8.count) >>\nstream\n\(stream1)\nendstream",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R >>",
            "<< /Length \(stream2.utf8.count) >>\nstream\n\(stream2)\nendstream",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        try Data(pdf.utf8).write(to: directory.appendingPathComponent("list.pdf"))
        let run = try await Self.govwatch(["scan", "--format", "json", "list.pdf"], in: directory)
        #expect(run.status == 1, "\(run.stderr)")
        let document = try JSONDecoder().decode(ScanJSON.self, from: Data(run.stdout.utf8))
        #expect(document.problems.map(\.file) == ["list.pdf#page=2"])
        #expect(document.problems.map(\.kind) == ["id-card"])
        #expect(document.problems.map(\.line) == [1])
    }

    @Test func htmlDraftsAreScannedAsTheirVisibleText() async throws {
        let directory = try Self.scratch()
        let html = "<html><body><script>var m='13812345678';</script>\n<p>通知</p><p>联系人手机：<b>13907315826</b></p></body></html>"
        try html.write(to: directory.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)
        let run = try await Self.govwatch(["scan", "--format", "json", "page.html"], in: directory)
        #expect(run.status == 1)
        let document = try JSONDecoder().decode(ScanJSON.self, from: Data(run.stdout.utf8))
        #expect(document.problems.map(\.evidence) == ["139****5826"])
        #expect(document.problems.map(\.line) == [2])
    }
}
