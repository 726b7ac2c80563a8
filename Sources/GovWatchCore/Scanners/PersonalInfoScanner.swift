/// Personal information found in a text (`content.privacy`).
public struct PersonalInfoHit: Hashable, Sendable {
    /// The kinds of personal information, named as in findings and scan JSON.
    public enum Kind: String, Hashable, Sendable, CaseIterable, Codable {
        case idCard = "id-card"
        case mobile
        case bankCard = "bank-card"
        case health

        /// The name a civil servant reads.
        public var chineseName: String {
            switch self {
            case .idCard: "身份证号"
            case .mobile: "手机号码"
            case .bankCard: "银行卡号"
            case .health: "个人健康状况"
            }
        }
    }

    public var kind: Kind
    /// Where it is in the scanned text. For `health`, from the person to the condition.
    public var range: Range<String.Index>
    /// The masked value for evidence: 138****5678, 510402********1234, 张**…患有.
    public var masked: String
    /// De-identified text (去标识化) to put in place of `range`.
    public var replacement: String
}

/// Finds 居民身份证号, mobile numbers, bank card numbers and health conditions of an
/// identifiable person, without false alarms on their look-alikes.
///
/// Rules, with the look-alike each one keeps out:
/// - ID numbers: 18 characters with the GB 11643 check character, a province code and a
///   real birth date (rejects 统一社会信用代码, order numbers and 索引号, which also fail
///   on context: a `/` plus year after it, or a 信用代码/索引号 label before it); 15-digit
///   old numbers with a province and a real date. Full-width digits and Ｘ count, as do
///   groups written 6-8-4 or 6-4-4-4.
/// - Mobile numbers: `1[3-9]` and 9 digits, whole (never inside a longer run of digits or
///   letters), also 138-1234-5678, 138 1234 5678 and with +86/0086; not inside URLs and
///   file names, not amounts (followed by 元/万/亿/% or a decimal part).
/// - Bank cards: 16–19 digits passing Luhn, with card or account words (卡号, 账号, 开户行 …)
///   before them on the same line, and no sign of a unit's public account (对公, 专户, 财政 …).
/// - Health: a condition (确诊, 患有, 病史, 残疾, 精神疾病 …) and, in the same sentence, an
///   identifiable person: a surname with 某 (张某某), a name after a word like 村民/患者/申请人,
///   a name with sex or age (王建国，男，), or a personal number. Counts of cases
///   (新增确诊病例0例) carry no person and are not hits.
/// - Masked values (138****1234, 510402********1234) never match: `*` breaks the digits.
public struct PersonalInfoScanner: Sendable {
    public init() {}

    /// Every hit in `text`, in text order.
    public func scan(_ text: String) -> [PersonalInfoHit] {
        let scanned = ScannedText(text)
        return scan(scanned).map { hit in
            PersonalInfoHit(kind: hit.kind, range: scanned.stringRange(hit.range), masked: hit.masked, replacement: hit.replacement)
        }
    }

    /// `text` with every hit replaced by its de-identified form.
    public func deidentify(_ text: String) -> String {
        let scanned = ScannedText(text)
        return Self.applying(scan(scanned), to: scanned)
    }

    // MARK: - Implementation

    struct RawHit: Hashable {
        var kind: PersonalInfoHit.Kind
        var range: Range<Int>
        var masked: String
        var replacement: String
    }

    /// A maximal run of digits, plus a final X when it follows 17 digits. The digit values
    /// are read from the text only for the runs that may be numbers (`digits(in:)`): most
    /// runs on a page are dates and counts, and making an array for each was a cost.
    struct DigitRun {
        var start: Int
        var end: Int
        /// The number of digits, counting at most 21 (longer runs are never a personal number).
        var digitCount: Int
        var finalX: Bool
        var length: Int { digitCount + (finalX ? 1 : 0) }

        /// The values of the (first 21) digits.
        func digits(in scanned: ScannedText) -> [Int] {
            (start..<(start + digitCount)).map { Int(ScalarClass.fold(scanned.scalars[$0]) - 0x30) }
        }

        /// Whether the run is exactly the digits `expected`.
        func hasDigits(_ expected: [Int], in scanned: ScannedText) -> Bool {
            digitCount == expected.count && !finalX && digits(in: scanned) == expected
        }
    }

    /// `conditions`: the health condition words of `scanned`, when already found (see
    /// `HealthDisclosureDetector.hits`).
    func scan(_ scanned: ScannedText, conditions: [Range<Int>]? = nil) -> [RawHit] {
        let runs = digitRuns(in: scanned)
        var numberHits: [RawHit] = []
        var standalone = [Bool](repeating: false, count: runs.count)
        for (index, run) in runs.enumerated() {
            if let hit = classifySingle(run, in: scanned) {
                numberHits.append(hit)
                standalone[index] = true
            }
        }
        numberHits += groupedHits(runs: runs, standalone: standalone, in: scanned)
        numberHits.sort { $0.range.lowerBound < $1.range.lowerBound }
        var deduplicated: [RawHit] = []
        for hit in numberHits {
            if let last = deduplicated.last, last.range.overlaps(hit.range) { continue }
            deduplicated.append(hit)
        }
        let healthHits = HealthDisclosureDetector.hits(in: scanned, numberHits: deduplicated, conditions: conditions)
        return (deduplicated + healthHits).sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
    }

    static func applying(_ hits: [RawHit], to scanned: ScannedText) -> String {
        applying(hits.map { (range: $0.range, replacement: $0.replacement) }, to: scanned)
    }

    /// The text of `scanned` with each range replaced; where ranges nest, the outer one wins.
    static func applying(_ replacements: [(range: Range<Int>, replacement: String)], to scanned: ScannedText) -> String {
        guard !replacements.isEmpty else { return scanned.text }
        // Outer hits first: a health passage already carries the masked numbers inside it.
        let ordered = replacements.sorted { ($0.range.lowerBound, -$0.range.upperBound) < ($1.range.lowerBound, -$1.range.upperBound) }
        var result = ""
        result.reserveCapacity(scanned.text.utf8.count)
        var position = 0
        for hit in ordered where hit.range.lowerBound >= position {
            result += scanned.string(position..<hit.range.lowerBound)
            result += hit.replacement
            position = hit.range.upperBound
        }
        result += scanned.string(position..<scanned.count)
        return result
    }

    /// The digit runs of the text, from the digit positions found while decoding.
    private func digitRuns(in scanned: ScannedText) -> [DigitRun] {
        var runs: [DigitRun] = []
        let digits = scanned.digitIndices
        var next = 0
        while next < digits.count {
            let start = digits[next]
            var end = start + 1
            next += 1
            while next < digits.count, digits[next] == end {
                end += 1
                next += 1
            }
            let digitCount = min(end - start, 21)
            var finalX = false
            if digitCount == 17, end < scanned.count, ScalarClass.fold(scanned.scalars[end]) == 0x78 {
                finalX = true
                end += 1
            }
            runs.append(DigitRun(start: start, end: end, digitCount: digitCount, finalX: finalX))
        }
        return runs
    }

    // MARK: Single runs

    private func classifySingle(_ run: DigitRun, in scanned: ScannedText) -> RawHit? {
        let before = scanned.folded(at: run.start - 1) ?? 0x20
        let after = scanned.folded(at: run.end) ?? 0x20
        if NumberContext.isDecimalOrVersion(before: run.start, after: run.end, in: scanned) { return nil }

        switch run.length {
        case 18:
            // An X must end the token: "…17 digits X" followed by letters is a code.
            if run.finalX, ScalarClass.isAlphanumeric(after) { return nil }
            if ResidentIDNumber.isValid(digits: run.digits(in: scanned), finalX: run.finalX),
                !NumberContext.isOrganisationOrIndexCode(start: run.start, end: run.end, in: scanned)
            {
                return idHit(run.start..<run.end, in: scanned)
            }
            return bankCardHit(run, before: before, after: after, in: scanned)
        case 15:
            guard !ScalarClass.isAlphanumeric(before), !ScalarClass.isAlphanumeric(after) else { return nil }
            let digits = run.digits(in: scanned)
            if ResidentIDNumber.isValid(digits: digits, finalX: false),
                !NumberContext.isOrganisationOrIndexCode(start: run.start, end: run.end, in: scanned),
                !NumberContext.isURLOrPath(start: run.start, end: run.end, in: scanned),
                !NumberContext.isAmount(start: run.start, end: run.end, in: scanned)
            {
                return idHit(run.start..<run.end, in: scanned)
            }
            // 0086 + mobile written without a separator.
            if Array(digits.prefix(4)) == [0, 0, 8, 6], isMobile(Array(digits.dropFirst(4))) {
                return mobileHit(run.start..<run.end, checkContextOf: run.start..<run.end, in: scanned)
            }
            return nil
        case 11:
            guard isMobile(run.digits(in: scanned)), !ScalarClass.isAlphanumeric(before), !ScalarClass.isAlphanumeric(after)
            else { return nil }
            return mobileHit(run.start..<run.end, checkContextOf: run.start..<run.end, in: scanned)
        case 13:
            // +8613812345678
            guard before == 0x2B else { return nil }
            let digits = run.digits(in: scanned)
            guard Array(digits.prefix(2)) == [8, 6], isMobile(Array(digits.dropFirst(2))), !ScalarClass.isAlphanumeric(after)
            else { return nil }
            return mobileHit(run.start - 1..<run.end, checkContextOf: run.start..<run.end, in: scanned)
        case 16, 17, 19:
            return bankCardHit(run, before: before, after: after, in: scanned)
        default:
            return nil
        }
    }

    private func isMobile(_ digits: [Int]) -> Bool {
        digits.count == 11 && digits[0] == 1 && digits[1] >= 3
    }

    private func idHit(_ range: Range<Int>, in scanned: ScannedText) -> RawHit {
        let written = scanned.string(range)
        let masked = ResidentIDNumber.masked(written)
        return RawHit(kind: .idCard, range: range, masked: masked, replacement: masked)
    }

    /// A mobile hit for `range`, extended over a +86 / 0086 / (+86) prefix before it.
    private func mobileHit(_ range: Range<Int>, checkContextOf number: Range<Int>, in scanned: ScannedText) -> RawHit? {
        guard !NumberContext.isURLOrPath(start: number.lowerBound, end: number.upperBound, in: scanned),
            !NumberContext.isAmount(start: number.lowerBound, end: number.upperBound, in: scanned)
        else { return nil }
        let start = NumberContext.countryCodePrefixStart(before: range.lowerBound, in: scanned) ?? range.lowerBound
        let written = scanned.string(start..<range.upperBound)
        let masked = PersonalInfoMasking.maskedMobile(written)
        return RawHit(kind: .mobile, range: start..<range.upperBound, masked: masked, replacement: masked)
    }

    private func bankCardHit(_ run: DigitRun, before: UInt32, after: UInt32, in scanned: ScannedText) -> RawHit? {
        guard !run.finalX, (16...19).contains(run.digitCount), !ScalarClass.isAlphanumeric(before),
            !ScalarClass.isAlphanumeric(after)
        else { return nil }
        return bankCardHit(digits: run.digits(in: scanned), range: run.start..<run.end, in: scanned)
    }

    private func bankCardHit(digits: [Int], range: Range<Int>, in scanned: ScannedText) -> RawHit? {
        guard LuhnCheck.isValid(digits: digits),
            NumberContext.hasCardContext(start: range.lowerBound, end: range.upperBound, in: scanned),
            !NumberContext.isURLOrPath(start: range.lowerBound, end: range.upperBound, in: scanned),
            !NumberContext.isAmount(start: range.lowerBound, end: range.upperBound, in: scanned)
        else { return nil }
        let masked = PersonalInfoMasking.maskedBankCard(scanned.string(range))
        return RawHit(kind: .bankCard, range: range, masked: masked, replacement: masked)
    }

    // MARK: Grouped numbers (138 1234 5678, 6222 0212 3456 7890, 510402 19900101 1234)

    private static let mobileGroupings: [[Int]] = [[3, 4, 4], [3, 8], [7, 4]]
    private static let idGroupings: [[Int]] = [[6, 8, 4], [6, 4, 4, 4]]

    private func groupedHits(runs: [DigitRun], standalone: [Bool], in scanned: ScannedText) -> [RawHit] {
        var hits: [RawHit] = []
        var chainStart = 0
        while chainStart < runs.count {
            var chainEnd = chainStart
            while chainEnd + 1 < runs.count, !runs[chainEnd].finalX,
                runs[chainEnd + 1].start == runs[chainEnd].end + 1,
                let separator = scanned.folded(at: runs[chainEnd].end),
                ScalarClass.isDigitGroupSeparator(separator)
            {
                chainEnd += 1
            }
            if chainEnd > chainStart {
                hits += groupedHits(chain: Array(runs[chainStart...chainEnd]), standalone: Array(standalone[chainStart...chainEnd]), in: scanned)
            }
            chainStart = chainEnd + 1
        }
        return hits
    }

    private func groupedHits(chain: [DigitRun], standalone: [Bool], in scanned: ScannedText) -> [RawHit] {
        var hits: [RawHit] = []
        var first = 0
        while first < chain.count {
            if let (hit, last) = groupedHit(chain: chain, standalone: standalone, first: first, in: scanned) {
                hits.append(hit)
                first = last + 1
            } else {
                first += 1
            }
        }
        return hits
    }

    /// A grouped number starting at `chain[first]`, accepted only when it is delimited within
    /// the chain (by the chain's ends, a country code, or numbers that are hits themselves),
    /// so that a row of statistics "130 2345 6789 1024" is not read as a phone number.
    private func groupedHit(chain: [DigitRun], standalone: [Bool], first: Int, in scanned: ScannedText) -> (RawHit, Int)? {
        guard !standalone[first] else { return nil }
        let before = scanned.folded(at: chain[first].start - 1) ?? 0x20
        if ScalarClass.isAlphanumeric(before) { return nil }
        let leftDelimited =
            first == 0 || standalone[first - 1]
            || (chain[first - 1].hasDigits([8, 6], in: scanned) && scanned.folded(at: chain[first - 1].start - 1) == 0x2B)
            || chain[first - 1].hasDigits([0, 0, 8, 6], in: scanned)
        guard leftDelimited else { return nil }

        func delimited(last: Int) -> Bool {
            let after = scanned.folded(at: chain[last].end) ?? 0x20
            return !ScalarClass.isAlphanumeric(after) && (last == chain.count - 1 || standalone[last + 1])
        }
        func lengths(_ count: Int) -> [Int]? {
            guard first + count <= chain.count else { return nil }
            return chain[first..<(first + count)].map(\.length)
        }
        func digits(through last: Int) -> [Int] { chain[first...last].flatMap { $0.digits(in: scanned) } }

        // ID numbers first: they must never be missed.
        for grouping in Self.idGroupings where lengths(grouping.count) == grouping {
            let last = first + grouping.count - 1
            guard chain[first..<last].allSatisfy({ !$0.finalX }), delimited(last: last) else { continue }
            if ResidentIDNumber.isValid(digits: digits(through: last), finalX: chain[last].finalX) {
                return (idHit(chain[first].start..<chain[last].end, in: scanned), last)
            }
        }
        for grouping in Self.mobileGroupings where lengths(grouping.count) == grouping {
            let last = first + grouping.count - 1
            guard delimited(last: last), !chain[last].finalX, isMobile(digits(through: last)) else { continue }
            let range = chain[first].start..<chain[last].end
            if let hit = mobileHit(range, checkContextOf: range, in: scanned) { return (hit, last) }
        }
        // Bank cards in groups of four, the last group 1 to 4 digits, 16 to 19 in all.
        var total = 0
        var last = first - 1
        var index = first
        while index < chain.count, !chain[index].finalX {
            total += chain[index].digitCount
            last = index
            if chain[index].digitCount != 4 { break }
            index += 1
        }
        if last >= first, (16...19).contains(total), last - first >= 3, chain[last].digitCount <= 4, delimited(last: last) {
            let range = chain[first].start..<chain[last].end
            if let hit = bankCardHit(digits: digits(through: last), range: range, in: scanned) { return (hit, last) }
        }
        return nil
    }
}
