/// A dictionary term found in a text.
public struct DictionaryMatch: Hashable, Sendable {
    /// The entry that matched (the last one given for the same normalised wrong text).
    public var entry: DictionaryEntry
    /// Where it is in the scanned text.
    public var range: Range<String.Index>
    /// The text as written on the page (invisible characters removed), e.g. "中华人民共 合国".
    public var matchedText: String
}

/// All severe, sensitive and allow terms of a dictionary compiled into one automaton.
///
/// Build it once (it is immutable and `Sendable`) and call `matches(in:)` for every page.
/// Text and terms are compared after folding full-width forms and ASCII case and with
/// spaces and zero-width characters ignored, so "中华人民共 合国", "中华人民共\u{200B}合国"
/// and "ＣＯＶＩＤ" are found as written in the list. A match is dropped when it lies
/// inside an allow-listed text: an `allow` entry, or the correct form of any entry that
/// contains its wrong form (the entry "共产党 → 中国共产党" is not reported inside
/// "中国共产党").
public struct DictionaryMatcher: Sendable {
    /// The reportable entries (severe and sensitive), by pattern index.
    private let entries: [DictionaryEntry]
    /// For each pattern: the index in `entries`, or -1 for an allow pattern.
    private let patternEntry: [Int]
    /// Patterns that begin or end with an ASCII letter or digit need a word boundary there.
    private let needsLeadingBoundary: [Bool]
    private let needsTrailingBoundary: [Bool]
    private let automaton: AhoCorasickAutomaton

    /// Compiles `dictionary`.
    public init(dictionary: ContentDictionary) {
        var reportable: [String: DictionaryEntry] = [:]  // normalised wrong text → entry (later wins)
        var order: [String] = []
        var allowed: Set<String> = []
        for entry in dictionary.entries {
            let key = String(String.UnicodeScalarView(DictionaryCompiler.normalizedPattern(entry.wrong).compactMap(Unicode.Scalar.init)))
            switch entry.category {
            case .allow:
                allowed.insert(key)
            case .severe, .sensitive:
                if reportable[key] == nil { order.append(key) }
                reportable[key] = entry
                let correctKey = String(String.UnicodeScalarView(DictionaryCompiler.normalizedPattern(entry.correct).compactMap(Unicode.Scalar.init)))
                if !correctKey.isEmpty, correctKey != key, correctKey.contains(key) { allowed.insert(correctKey) }
            }
        }
        var patterns: [[UInt32]] = []
        var patternEntry: [Int] = []
        var entries: [DictionaryEntry] = []
        for key in order {
            patterns.append(key.unicodeScalars.map(\.value))
            patternEntry.append(entries.count)
            entries.append(reportable[key]!)
        }
        for key in allowed.sorted() where reportable[key] == nil {
            patterns.append(key.unicodeScalars.map(\.value))
            patternEntry.append(-1)
        }
        self.entries = entries
        self.patternEntry = patternEntry
        self.needsLeadingBoundary = patterns.map { ScalarClass.isAlphanumeric($0.first ?? 0) }
        self.needsTrailingBoundary = patterns.map { ScalarClass.isAlphanumeric($0.last ?? 0) }
        self.automaton = AhoCorasickAutomaton(patterns: patterns)
    }

    /// Number of severe and sensitive terms compiled.
    public var termCount: Int { entries.count }

    /// Every severe or sensitive term in `text`, in text order, outside allow-listed contexts;
    /// a term inside a longer reported term is reported once, as the longer one.
    public func matches(in text: String) -> [DictionaryMatch] {
        let scanned = ScannedText(text)
        return matches(in: scanned).map { match in
            DictionaryMatch(
                entry: entries[patternEntry[match.pattern]], range: scanned.stringRange(match.range),
                matchedText: scanned.writtenTerm(match.range))
        }
    }

    /// The entry of a reportable match returned by `matches(in:)` of a `ScannedText`.
    func entry(of match: AhoCorasickAutomaton.Match) -> DictionaryEntry {
        entries[patternEntry[match.pattern]]
    }

    /// Reportable matches as scalar ranges of `scanned`.
    func matches(in scanned: ScannedText) -> [AhoCorasickAutomaton.Match] {
        var reported: [AhoCorasickAutomaton.Match] = []
        var allowedRanges: [Range<Int>] = []
        for match in automaton.matches(in: scanned.scalars) {
            guard hasWordBoundaries(match, in: scanned) else { continue }
            if patternEntry[match.pattern] < 0 {
                allowedRanges.append(match.range)
            } else {
                reported.append(match)
            }
        }
        guard !reported.isEmpty else { return [] }
        reported.removeAll { match in
            allowedRanges.contains { $0.lowerBound <= match.range.lowerBound && $0.upperBound >= match.range.upperBound }
        }
        // Keep the longest of nested matches ("中国共产共党" over a shorter term inside it).
        reported.sort { ($0.range.lowerBound, -$0.range.upperBound) < ($1.range.lowerBound, -$1.range.upperBound) }
        var result: [AhoCorasickAutomaton.Match] = []
        var coveredUpTo = -1
        for match in reported {
            // Sorted by start, so a kept match reaching this far starts earlier and contains it.
            if match.range.upperBound <= coveredUpTo { continue }
            result.append(match)
            coveredUpTo = max(coveredUpTo, match.range.upperBound)
        }
        return result
    }

    /// ASCII terms ("sex") must not match inside longer words ("Essex").
    private func hasWordBoundaries(_ match: AhoCorasickAutomaton.Match, in scanned: ScannedText) -> Bool {
        if needsLeadingBoundary[match.pattern], let before = scanned.folded(at: match.range.lowerBound - 1),
            ScalarClass.isAlphanumeric(before)
        {
            return false
        }
        if needsTrailingBoundary[match.pattern], let after = scanned.folded(at: match.range.upperBound),
            ScalarClass.isAlphanumeric(after)
        {
            return false
        }
        return true
    }
}

/// How dictionary terms are normalised before compiling.
enum DictionaryCompiler {
    /// The folded scalars of `term` without ignorable characters.
    static func normalizedPattern(_ term: String) -> [UInt32] {
        term.unicodeScalars.compactMap { scalar in
            ScalarClass.isIgnorableInTerm(scalar.value) ? nil : ScalarClass.fold(scalar.value)
        }
    }
}
