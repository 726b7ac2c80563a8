import Foundation

/// A 1-based line and column, in characters of the scanned text.
public struct TextLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.line, lhs.column) < (rhs.line, rhs.column) }
}

/// Turns string indices into lines and columns (1-based; columns count `Character`s, a
/// line ends at `\n`, and `\r\n` counts as one line break).
public struct TextLocator: Sendable {
    public let text: String
    /// UTF-8 offset where each line starts.
    private let lineStarts: [Int]

    public init(_ text: String) {
        self.text = text
        var starts = [0]
        var contiguous = text
        contiguous.withUTF8 { bytes in
            for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        }
        self.lineStarts = starts
    }

    /// The line and column of `index`.
    public func location(of index: String.Index) -> TextLocation {
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: index)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let lineStart = text.utf8.index(text.utf8.startIndex, offsetBy: lineStarts[low])
        return TextLocation(line: low + 1, column: text[lineStart..<index].count + 1)
    }

    /// The text of line `line` (1-based) without its line break.
    public func line(_ line: Int) -> Substring {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: lineStarts[line - 1])
        var end = line < lineStarts.count ? text.utf8.index(text.utf8.startIndex, offsetBy: lineStarts[line] - 1) : text.endIndex
        if end > start, text.utf8[text.utf8.index(before: end)] == 0x0D { end = text.utf8.index(before: end) }
        return text[start..<end]
    }
}

/// A `TextLocator` built on first use and then shared by the copies of a `ContentScanResult`.
private final class LazyTextLocator: @unchecked Sendable {
    private let text: String
    private let lock = NSLock()
    // Guarded by `lock`.
    private var built: TextLocator?

    init(_ text: String) { self.text = text }

    var locator: TextLocator {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let locator = TextLocator(text)
        built = locator
        return locator
    }
}

/// A problem's context for people, with personal information around it masked.
public struct ContentExcerpt: Hashable, Sendable, CustomStringConvertible {
    /// Text before the problem on its line (at most the radius asked for).
    public var before: String
    /// The problem itself: the masked value, or the wrong text as written.
    public var highlighted: String
    /// Text after the problem on its line.
    public var after: String

    /// `…before【highlighted】after…`, the form stored as a finding's evidence.
    public var description: String { "…\(before)【\(highlighted)】\(after)…" }
}

/// What `ContentScanner.scan` found in one text.
public struct ContentScanResult: Sendable {
    /// The scanned text.
    public let text: String
    /// The problems in text order.
    public let problems: [ContentProblem]
    /// The text with every piece of personal information de-identified (去标识化).
    /// Made on each access (one copy of the text): keep it if you need it twice.
    public var deidentifiedText: String {
        PersonalInfoScanner.applying(privacyRanges, to: scanned)
    }
    private let privacyRanges: [(range: Range<Int>, replacement: String)]
    private let scanned: ScannedText
    /// Line starts, made at the first `location(of:)`: scanning is often all a caller wants.
    private let locator: LazyTextLocator

    init(text: String, problems: [ContentProblem], privacyRanges: [(Range<Int>, String)], scanned: ScannedText) {
        self.text = text
        self.problems = problems
        self.privacyRanges = privacyRanges.map { (range: $0.0, replacement: $0.1) }
        self.scanned = scanned
        self.locator = LazyTextLocator(text)
    }

    /// Whether any problem is veto-level or personal information (what makes `govwatch scan` exit 1).
    public var requiresAction: Bool {
        problems.contains { $0.level == .veto || $0.kind.isPersonalInformation }
    }

    /// The 1-based line and column where `problem` starts.
    public func location(of problem: ContentProblem) -> TextLocation {
        locator.locator.location(of: problem.range.lowerBound)
    }

    /// The problem in its line, `radius` characters each side, other personal information masked.
    public func excerpt(for problem: ContentProblem, radius: Int = 15) -> ContentExcerpt {
        let start = scalarIndex(ofUTF8Offset: problem.utf8Range.lowerBound)
        let end = scalarIndex(ofUTF8Offset: problem.utf8Range.upperBound)
        var windowStart = start
        while windowStart > 0, start - windowStart < radius, !isLineBreak(scanned.scalars[windowStart - 1]) { windowStart -= 1 }
        var windowEnd = end
        while windowEnd < scanned.count, windowEnd - end < radius, !isLineBreak(scanned.scalars[windowEnd]) { windowEnd += 1 }
        let highlighted = problem.kind.isPersonalInformation ? problem.evidence : render(start..<end)
        return ContentExcerpt(before: render(windowStart..<start), highlighted: highlighted, after: render(end..<windowEnd))
    }

    /// Findings for a page or post of `target` (one per distinct problem: the same value
    /// twice on one page is one finding with `occurrences` in its detail). Problems whose
    /// indicator does not exist for the target kind (sensitive words in posts) are left out.
    public func findings(target: Target, url: String?) -> [Finding] {
        var order: [String] = []
        var grouped: [String: (problem: ContentProblem, count: Int)] = [:]
        for problem in problems {
            guard problem.indicator(for: target.kind) != nil else { continue }
            let key = "\(url ?? "")\u{1F}\(problem.kind.rawValue)\u{1F}\(problem.evidence)"
            if let existing = grouped[key] {
                grouped[key] = (existing.problem, existing.count + 1)
            } else {
                grouped[key] = (problem, 1)
                order.append(key)
            }
        }
        return order.map { key in
            let (problem, count) = grouped[key]!
            var detail = problem.detail
            if case .object(var object) = detail {
                object["occurrences"] = .number(Double(count))
                let location = location(of: problem)
                object["line"] = .number(Double(location.line))
                object["column"] = .number(Double(location.column))
                detail = .object(object)
            }
            return Finding(
                target: target, indicator: problem.indicator(for: target.kind)!, level: problem.level, url: url,
                detail: detail, evidence: excerpt(for: problem).description, locationKey: key)
        }
    }

    private func isLineBreak(_ value: UInt32) -> Bool { value == 0x0A || value == 0x0D }

    private func scalarIndex(ofUTF8Offset offset: Int) -> Int {
        scanned.scalarIndex(utf8Offset: offset)
    }

    /// `range` of the text with personal information replaced by its de-identified form.
    private func render(_ range: Range<Int>) -> String {
        var result = ""
        var position = range.lowerBound
        for privacy in privacyRanges.sorted(by: { $0.range.lowerBound < $1.range.lowerBound })
        where privacy.range.overlaps(range) && privacy.range.upperBound > position {
            let from = max(privacy.range.lowerBound, position)
            result += scanned.string(position..<from)
            result += privacy.replacement
            position = min(privacy.range.upperBound, range.upperBound)
            if position >= range.upperBound { break }
        }
        if position < range.upperBound { result += scanned.string(position..<range.upperBound) }
        return result
    }
}
