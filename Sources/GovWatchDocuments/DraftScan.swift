import Foundation
import GovWatchCore

/// One scanned part of a draft (the whole text, a worksheet, a PDF page) with its problems:
/// what `govwatch scan` and the web platform's 三审 (`POST /api/v1/scan`, the 三审 page) show.
public struct ScannedSection: Sendable {
    /// The file as shown, with its part: `draft.docx`, `list.xlsx#Sheet1`, `-`.
    public var file: String
    public var result: ContentScanResult

    public init(file: String, result: ContentScanResult) {
        self.file = file
        self.result = result
    }

    /// The problems as records of the scan JSON, in text order.
    public var problems: [DraftProblem] {
        result.problems.map { problem in
            let location = result.location(of: problem)
            return DraftProblem(
                file: file, line: location.line, column: location.column, indicator: problem.indicatorSuffix,
                level: problem.level, kind: problem.kind, evidence: problem.evidence, suggestion: problem.suggestion)
        }
    }
}

/// One problem in the scan JSON of `interfaces.md`.
public struct DraftProblem: Hashable, Sendable {
    public var file: String
    /// 1-based, in characters of the decoded text.
    public var line: Int
    public var column: Int
    /// The content indicator without its `site.`/`account.` prefix.
    public var indicator: String
    public var level: Level
    public var kind: ContentProblem.Kind
    /// Masked for personal information.
    public var evidence: String
    public var suggestion: String
}

/// The pre-publication check (三审) of drafts, shared by `govwatch scan` and the server.
public enum DraftScan {
    /// Extracts the text of `data` (named `fileName`, shown as `displayName`) and scans each
    /// part. Throws `DocumentReadError` when the document cannot be read.
    public static func scan(
        data: Data, fileName: String, displayName: String, scanner: ContentScanner,
        extractor: DocumentTextExtractor = DocumentTextExtractor()
    ) throws -> [ScannedSection] {
        try extractor.extract(data: data, fileName: fileName).map { section in
            ScannedSection(file: section.displayName(file: displayName), result: scanner.scan(section.text))
        }
    }

    /// Scans text typed or pasted by a person, shown as `displayName`.
    public static func scan(text: String, displayName: String, scanner: ContentScanner) -> [ScannedSection] {
        [ScannedSection(file: displayName, result: scanner.scan(text))]
    }

    /// The scan JSON (UTF-8), written by hand in exactly the form `JSONEncoder` gives with
    /// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (what `govwatch scan` printed
    /// before): `JSONEncoder` took most of the time of a scan of a large file (a tree of
    /// values, key sorting and hashing for every problem) and several times its output in memory.
    public static func json(_ sections: [ScannedSection]) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "{\n  \"problems\" : [\n".utf8)
        var first = true
        for section in sections {
            for record in section.problems {
                if !first { out.append(contentsOf: ",\n".utf8) }
                first = false
                // Keys in sorted order, as `.sortedKeys` writes them.
                out.append(contentsOf: "    {\n      \"column\" : \(record.column),\n      \"evidence\" : ".utf8)
                JSONText.appendString(record.evidence, to: &out)
                out.append(contentsOf: ",\n      \"file\" : ".utf8)
                JSONText.appendString(record.file, to: &out)
                out.append(contentsOf: ",\n      \"indicator\" : ".utf8)
                JSONText.appendString(record.indicator, to: &out)
                out.append(contentsOf: ",\n      \"kind\" : ".utf8)
                JSONText.appendString(record.kind.rawValue, to: &out)
                out.append(contentsOf: ",\n      \"level\" : ".utf8)
                JSONText.appendString(record.level.rawValue, to: &out)
                out.append(contentsOf: ",\n      \"line\" : \(record.line),\n      \"suggestion\" : ".utf8)
                JSONText.appendString(record.suggestion, to: &out)
                out.append(contentsOf: "\n    }".utf8)
            }
        }
        // An empty array is "[", an empty line and "  ]" in JSONEncoder's pretty form.
        out.append(contentsOf: "\n  ]\n}\n".utf8)
        return out
    }
}
