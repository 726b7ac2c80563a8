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
    /// For each pattern: whether it is a health condition word
    /// (`HealthDisclosureDetector.conditionTerms`). They are compiled into the same automaton
    /// so that one walk over a page finds both; a separate pass cost about a tenth of a scan.
    private let isCondition: [Bool]
    private let automaton: AhoCorasickAutomaton

    /// Compiles `dictionary`.
    ///
    /// - Throws: `DictionaryFormatError` naming the file and line of the entry at which the
    ///   terms use more distinct characters than the automaton can number
    ///   (`AhoCorasickAutomaton.maximumDistinctCharacters`).
    public init(dictionary: ContentDictionary) throws {
        var reportable: [String: DictionaryEntry] = [:]  // normalised wrong text → entry (later wins)
        var order: [String] = []
        var allowed: [String: String] = [:]  // normalised allowed text → source of the first entry giving it
        for entry in dictionary.entries {
            let key = String(String.UnicodeScalarView(DictionaryCompiler.normalizedPattern(entry.wrong).compactMap(Unicode.Scalar.init)))
            switch entry.category {
            case .allow:
                if allowed[key] == nil { allowed[key] = entry.source }
            case .severe, .sensitive:
                if reportable[key] == nil { order.append(key) }
                reportable[key] = entry
                let correctKey = String(String.UnicodeScalarView(DictionaryCompiler.normalizedPattern(entry.correct).compactMap(Unicode.Scalar.init)))
                if !correctKey.isEmpty, correctKey != key, correctKey.contains(key), allowed[correctKey] == nil {
                    allowed[correctKey] = entry.source
                }
            }
        }
        // The health condition words come first, so that the characters of the dictionary's
        // own terms are what can pass the automaton's limit, and the error names their line.
        var patterns: [[UInt32]] = []
        var patternEntry: [Int] = []
        var patternSource: [String] = []  // for the error only
        var isCondition: [Bool] = []
        var conditionIndex: [[UInt32]: Int] = [:]
        for condition in HealthDisclosureDetector.conditionPatterns where conditionIndex[condition] == nil {
            conditionIndex[condition] = patterns.count
            patterns.append(condition)
            patternEntry.append(Self.conditionOnly)
            patternSource.append("")
            isCondition.append(true)
        }
        // A dictionary term with the text of a condition word is the same pattern, marked both.
        func add(_ key: String, entry: Int, source: String) {
            let pattern = key.unicodeScalars.map(\.value)
            if let index = conditionIndex[pattern] {
                patternEntry[index] = entry
                patternSource[index] = source
            } else {
                patterns.append(pattern)
                patternEntry.append(entry)
                patternSource.append(source)
                isCondition.append(false)
            }
        }
        var entries: [DictionaryEntry] = []
        for key in order {
            add(key, entry: entries.count, source: reportable[key]!.source)
            entries.append(reportable[key]!)
        }
        for key in allowed.keys.sorted() where reportable[key] == nil {
            add(key, entry: -1, source: allowed[key]!)
        }
        self.isCondition = isCondition
        self.entries = entries
        self.patternEntry = patternEntry
        self.needsLeadingBoundary = patterns.map { ScalarClass.isAlphanumeric($0.first ?? 0) }
        self.needsTrailingBoundary = patterns.map { ScalarClass.isAlphanumeric($0.last ?? 0) }
        do {
            self.automaton = try AhoCorasickAutomaton(patterns: patterns)
        } catch let error as AhoCorasickAutomaton.TooManyCharacters {
            throw Self.tooManyCharacters(source: patternSource[error.patternIndex])
        }
    }

    /// The error for a dictionary whose terms use too many distinct characters, naming the
    /// entry (`file:line`, as `ContentDictionary.parse` records it) at which the limit was passed.
    private static func tooManyCharacters(source: String) -> DictionaryFormatError {
        var file = source.isEmpty ? "词典" : source
        var line = 0
        if let colon = source.lastIndex(of: ":"), let number = Int(source[source.index(after: colon)...]) {
            file = String(source[..<colon])
            line = number
        }
        return DictionaryFormatError(
            file: file, line: line,
            reason: "词典中的词条共用到超过 \(AhoCorasickAutomaton.maximumDistinctCharacters) 个不同的字符，超出扫描器的上限（自本行起超出），请精简词典")
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

    /// `patternEntry` of a pattern that is only a health condition word.
    private static let conditionOnly = -2

    /// Reportable matches as scalar ranges of `scanned`.
    func matches(in scanned: ScannedText) -> [AhoCorasickAutomaton.Match] {
        matchesAndConditions(in: scanned).matches
    }

    /// Reportable matches as scalar ranges of `scanned`, and the health condition words in it
    /// (what `HealthDisclosureDetector` would find itself: in order of their end, and only
    /// as written, without spaces or invisible characters inside), from one walk.
    func matchesAndConditions(in scanned: ScannedText) -> (matches: [AhoCorasickAutomaton.Match], conditions: [Range<Int>]) {
        var reported: [AhoCorasickAutomaton.Match] = []
        var allowedRanges: [Range<Int>] = []
        var conditions: [Range<Int>] = []
        for match in automaton.matches(in: scanned.scalars) {
            // A match spanning skipped characters is longer than its pattern; the health
            // detector matches conditions without skipping (skipIgnorable: false).
            if isCondition[match.pattern], match.range.count == automaton.patternLengths[match.pattern] {
                conditions.append(match.range)
            }
            let entry = patternEntry[match.pattern]
            guard entry != Self.conditionOnly, hasWordBoundaries(match, in: scanned) else { continue }
            if entry < 0 {
                allowedRanges.append(match.range)
            } else {
                reported.append(match)
            }
        }
        guard !reported.isEmpty else { return ([], conditions) }
        reported.removeAll { match in
            allowedRanges.contains { $0.lowerBound <= match.range.lowerBound && $0.upperBound >= match.range.upperBound }
        }
        // Keep the longest of nested matches ("中国共产共党" over a shorter term inside it):
        // drop a match when another contains it. `reported` is in the automaton's order: by
        // end, and for one end the longest first. So a match is contained in the first of its
        // end, or in one ending later that starts no later; walking from the back, the
        // smallest start among later ends answers that. The matches kept nest in none other,
        // so in order of end they are in order of start too. (Sorting by start instead, as
        // before: 0.091–0.099 s against 0.087–0.090 s of CPU for a 20 MB scan.)
        var keep = [Bool](repeating: false, count: reported.count)
        var smallestLaterStart = Int.max
        var groupEnd = reported.count
        while groupEnd > 0 {
            let end = reported[groupEnd - 1].range.upperBound
            var groupStart = groupEnd - 1
            while groupStart > 0, reported[groupStart - 1].range.upperBound == end { groupStart -= 1 }
            let start = reported[groupStart].range.lowerBound
            keep[groupStart] = start < smallestLaterStart
            smallestLaterStart = min(smallestLaterStart, start)
            groupEnd = groupStart
        }
        var result: [AhoCorasickAutomaton.Match] = []
        result.reserveCapacity(reported.count)
        for (index, match) in reported.enumerated() where keep[index] { result.append(match) }
        return (result, conditions)
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
