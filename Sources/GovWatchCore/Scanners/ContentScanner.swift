/// One problem in a text: personal information, a severe expression error or a sensitive word.
public struct ContentProblem: Hashable, Sendable {
    /// The kind, named as in scan JSON (`id-card`, `mobile`, `bank-card`, `health`, `severe`, `sensitive`).
    public enum Kind: String, Hashable, Sendable, CaseIterable, Codable {
        case idCard = "id-card"
        case mobile
        case bankCard = "bank-card"
        case health
        case severe
        case sensitive

        /// Personal information (`content.privacy`).
        public var isPersonalInformation: Bool {
            switch self {
            case .idCard, .mobile, .bankCard, .health: true
            case .severe, .sensitive: false
            }
        }

        /// The content indicator without its `site.`/`account.` prefix.
        public var indicatorSuffix: String {
            switch self {
            case .idCard, .mobile, .bankCard, .health: "content.privacy"
            case .severe: "content.severe-error"
            case .sensitive: "content.sensitive"
            }
        }

        /// What a civil servant reads: 身份证号, 严重表述错误 …
        public var chineseName: String {
            switch self {
            case .idCard: "个人信息（身份证号）"
            case .mobile: "个人信息（手机号码）"
            case .bankCard: "个人信息（银行卡号）"
            case .health: "个人信息（健康状况）"
            case .severe: "严重表述错误"
            case .sensitive: "敏感词"
            }
        }

        init(_ kind: PersonalInfoHit.Kind) {
            switch kind {
            case .idCard: self = .idCard
            case .mobile: self = .mobile
            case .bankCard: self = .bankCard
            case .health: self = .health
            }
        }
    }

    public var kind: Kind
    public var level: Level
    /// Where it is in the scanned text (`ContentScanResult.location(of:)` gives line and column).
    public var range: Range<String.Index>
    /// Offsets of `range` in the text's UTF-8, for storing and for texts rebuilt elsewhere.
    public var utf8Range: Range<Int>
    /// What may be shown: the masked value for personal information, the text as written for dictionary terms.
    public var evidence: String
    /// The correction: de-identified text for personal information, the correct form for a
    /// severe error, the replacement (or an instruction) for a sensitive word.
    public var suggestion: String
    /// The dictionary entry, for `severe` and `sensitive`.
    public var entry: DictionaryEntry?

    /// The content indicator without its prefix, e.g. `content.privacy`.
    public var indicatorSuffix: String { kind.indicatorSuffix }

    /// The full indicator for a target of `targetKind`: `site.content.privacy`,
    /// `account.content.severe-error`; nil where indicators.md defines none (sensitive
    /// words in posts, anything for a unit).
    public func indicator(for targetKind: Target.Kind) -> IndicatorID? {
        let id: IndicatorID
        switch targetKind {
        case .site: id = IndicatorID(rawValue: "site." + indicatorSuffix)
        case .account: id = IndicatorID(rawValue: "account." + indicatorSuffix)
        case .unit: return nil
        }
        return IndicatorID.all.contains(id) ? id : nil
    }

    /// The indicator-specific `detail` of a finding (interfaces.md): `kind`/`masked` for
    /// privacy, `wrong`/`correct` for severe errors, `word` for sensitive words.
    public var detail: JSONValue {
        switch kind {
        case .idCard, .mobile, .bankCard, .health:
            return ["kind": .string(kind.rawValue), "masked": .string(evidence)]
        case .severe:
            return ["wrong": .string(evidence), "correct": .string(entry?.correct ?? suggestion)]
        case .sensitive:
            return ["word": .string(evidence)]
        }
    }
}

/// The levels content problems get (indicators.md): severe errors veto, personal
/// information deducts (a province may make it a veto), sensitive words are notices.
public struct ContentLevels: Hashable, Sendable {
    public var severe: Level
    public var privacy: Level
    public var sensitive: Level

    public init(severe: Level = .veto, privacy: Level = .deduction, sensitive: Level = .notice) {
        self.severe = severe
        self.privacy = privacy
        self.sensitive = sensitive
    }

    public static let standard = ContentLevels()

    /// Content levels as the indicator set defines them for sites (a province may make
    /// personal information a veto).
    public init(indicators: IndicatorSet) {
        self.init(
            severe: indicators.level(.siteContentSevereError), privacy: indicators.level(.siteContentPrivacy),
            sensitive: indicators.level(.siteContentSensitive))
    }

    public func level(for kind: ContentProblem.Kind) -> Level {
        switch kind {
        case .idCard, .mobile, .bankCard, .health: privacy
        case .severe: severe
        case .sensitive: sensitive
        }
    }
}

/// The content checks of pages, attachments, posts and drafts in one call.
///
/// Build one scanner (the dictionary automaton is compiled in `init`) and share it: it is
/// immutable and `Sendable`.
///
/// ```swift
/// let scanner = try ContentScanner.standard()
/// let result = scanner.scan(pageText)
/// let findings = result.findings(target: site, url: pageURL)
/// ```
public struct ContentScanner: Sendable {
    public private(set) var levels: ContentLevels
    private let personalInfo: PersonalInfoScanner
    private let matcher: DictionaryMatcher

    /// A scanner using `dictionary` (use `ContentDictionary.shipped()` plus any extra lists).
    ///
    /// - Throws: `DictionaryFormatError` when the dictionary cannot be compiled (its terms use
    ///   more distinct characters than the automaton can number).
    public init(dictionary: ContentDictionary, levels: ContentLevels = .standard) throws {
        self.levels = levels
        self.personalInfo = PersonalInfoScanner()
        self.matcher = try DictionaryMatcher(dictionary: dictionary)
    }

    /// The same scanner (sharing the compiled automaton) reporting at other levels, e.g. those
    /// of a province's indicator set.
    public func with(levels: ContentLevels) -> ContentScanner {
        var copy = self
        copy.levels = levels
        return copy
    }

    /// A scanner with the lists shipped with the product plus `additional` ones (`--dictionary`).
    public static func standard(additional: [ContentDictionary] = [], levels: ContentLevels = .standard) throws -> ContentScanner {
        let dictionary = additional.reduce(try ContentDictionary.shipped()) { $0.merging($1) }
        return try ContentScanner(dictionary: dictionary, levels: levels)
    }

    /// Number of dictionary terms (severe and sensitive) compiled.
    public var termCount: Int { matcher.termCount }

    /// Every problem in `text`, in text order.
    public func scan(_ text: String) -> ContentScanResult {
        let scanned = ScannedText(text)
        // One automaton walk finds the dictionary terms and the health condition words.
        let (dictionaryMatches, conditions) = matcher.matchesAndConditions(in: scanned)
        let personalHits = personalInfo.scan(scanned, conditions: conditions)
        return result(text: text, scanned: scanned, personalHits: personalHits, dictionaryMatches: dictionaryMatches)
    }

    /// Every problem in `text`, a text stored masked (`PersonalInfoRedaction`), with the
    /// personal information its `marks` say was there when it was read: the masked values
    /// no longer match, so they are taken from the marks, with the same evidence. Nil marks
    /// (text stored before masking) scan the text as it is.
    public func scan(_ text: String, personalInformation marks: [PersonalInfoMark]?) -> ContentScanResult {
        guard let marks else { return scan(text) }
        let scanned = ScannedText(text)
        let dictionaryMatches = matcher.matchesAndConditions(in: scanned).matches
        let length = text.utf8.count
        let personalHits = marks.compactMap { mark -> PersonalInfoScanner.RawHit? in
            // A mark beyond the text (a damaged row) is dropped rather than trusted.
            guard mark.utf8Range.upperBound <= length else { return nil }
            let range = scanned.scalarIndex(utf8Offset: mark.utf8Range.lowerBound)..<scanned.scalarIndex(utf8Offset: mark.utf8Range.upperBound)
            return PersonalInfoScanner.RawHit(kind: mark.kind, range: range, masked: mark.masked, replacement: scanned.string(range))
        }.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        // Each mark's replacement is its own (masked) text: excerpts show a value cut by
        // their window whole, as they did when the value was in clear.
        return result(text: text, scanned: scanned, personalHits: personalHits, dictionaryMatches: dictionaryMatches)
    }

    /// The problems of both kinds merged in text order.
    private func result(
        text: String, scanned: ScannedText, personalHits: [PersonalInfoScanner.RawHit],
        dictionaryMatches: [AhoCorasickAutomaton.Match]
    ) -> ContentScanResult {
        // Both lists are already in text order (start, then end): merge them, personal
        // information first where two problems cover the same characters.
        var problems: [ContentProblem] = []
        problems.reserveCapacity(personalHits.count + dictionaryMatches.count)
        var nextHit = 0
        var nextMatch = 0
        while nextHit < personalHits.count || nextMatch < dictionaryMatches.count {
            if nextMatch == dictionaryMatches.count
                || (nextHit < personalHits.count
                    && (personalHits[nextHit].range.lowerBound, personalHits[nextHit].range.upperBound)
                        <= (dictionaryMatches[nextMatch].range.lowerBound, dictionaryMatches[nextMatch].range.upperBound))
            {
                problems.append(problem(for: personalHits[nextHit], in: scanned))
                nextHit += 1
            } else {
                problems.append(problem(for: dictionaryMatches[nextMatch], in: scanned))
                nextMatch += 1
            }
        }
        // The de-identified text and the line table are made when asked for, not here:
        // most pages have no personal information and most callers want only the problems.
        return ContentScanResult(
            text: text, problems: problems,
            privacyRanges: personalHits.map { ($0.range, $0.replacement) }, scanned: scanned)
    }

    private func problem(for hit: PersonalInfoScanner.RawHit, in scanned: ScannedText) -> ContentProblem {
        let kind = ContentProblem.Kind(hit.kind)
        let utf8Range = scanned.utf8Range(hit.range)
        return ContentProblem(
            kind: kind, level: levels.level(for: kind), range: scanned.stringRange(utf8Range: utf8Range),
            utf8Range: utf8Range,
            evidence: hit.masked, suggestion: hit.replacement, entry: nil)
    }

    private func problem(for match: AhoCorasickAutomaton.Match, in scanned: ScannedText) -> ContentProblem {
        let entry = matcher.entry(of: match)
        let kind: ContentProblem.Kind = entry.category == .severe ? .severe : .sensitive
        let utf8Range = scanned.utf8Range(match.range)
        let range = scanned.stringRange(utf8Range: utf8Range)
        return ContentProblem(
            kind: kind, level: levels.level(for: kind), range: range, utf8Range: utf8Range,
            evidence: scanned.writtenTerm(match.range, stringRange: range), suggestion: entry.correct.isEmpty ? "删除或修改该表述" : entry.correct,
            entry: entry)
    }
}
