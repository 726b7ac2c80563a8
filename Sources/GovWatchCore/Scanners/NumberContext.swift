/// The context tests that tell a personal number from a look-alike with the same digits.
enum NumberContext {
    /// Words before a number that name an organisation code or a 政府信息公开索引号,
    /// whose 18 characters can pass the ID check by chance.
    static let codeLabels = ["信用代码", "索引号", "机构代码", "注册号", "登记证号"]
    /// Words that make a 16–19 digit number a bank card or account number.
    static let cardWords = [
        "卡号", "银行卡", "账号", "帐号", "账户", "帐户", "开户行", "开户银行", "借记卡", "信用卡",
        "储蓄卡", "社保卡", "工资卡", "存折", "银行", "收款人",
    ]
    /// Words that show a unit's public account (published on purpose in payment notices).
    static let publicAccountWords = [
        "对公", "单位账户", "单位帐户", "专户", "财政", "收款单位", "有限公司", "基本户", "基本账户", "国库",
    ]
    // The same words as scalars: windows are searched in the scanned scalars, no strings made.
    private static let codeLabelScalars = ScalarClass.scalarWords(codeLabels)
    private static let cardWordScalars = ScalarClass.scalarWords(cardWords)
    private static let publicAccountWordScalars = ScalarClass.scalarWords(publicAccountWords)
    private static let urlMarkers = ScalarClass.scalarWords(["://", "www."])

    /// `3.1415…` or `…1234.56`: part of a decimal number or a version, not a standalone number.
    static func isDecimalOrVersion(before start: Int, after end: Int, in scanned: ScannedText) -> Bool {
        if scanned.folded(at: start - 1) == 0x2E, let previous = scanned.folded(at: start - 2), ScalarClass.isDigit(previous) {
            return true
        }
        if scanned.folded(at: end) == 0x2E, let next = scanned.folded(at: end + 1), ScalarClass.isDigit(next) {
            return true
        }
        return false
    }

    /// A 索引号 (`…/2022-00123`) or a number labelled as an organisation code.
    static func isOrganisationOrIndexCode(start: Int, end: Int, in scanned: ScannedText) -> Bool {
        if scanned.folded(at: end) == 0x2F, let next = scanned.folded(at: end + 1), ScalarClass.isDigit(next) {
            return true
        }
        return scanned.containsAny(codeLabelScalars, in: lineWindow(before: start, limit: 20, in: scanned))
    }

    /// Inside a URL, a path or a file name: `…/t20220315_13812345678.html`, `?id=…`.
    static func isURLOrPath(start: Int, end: Int, in scanned: ScannedText) -> Bool {
        if let previous = scanned.folded(at: start - 1) {
            switch previous {
            case 0x5F, 0x3D, 0x26, 0x3F, 0x23, 0x25, 0x5C:  // _ = & ? # % \
                return true
            case 0x2E, 0x2F:  // . or / after a letter: a domain or a path
                if let beforeThat = scanned.folded(at: start - 2), ScalarClass.isLetter(beforeThat) { return true }
            default:
                break
            }
        }
        if let next = scanned.folded(at: end) {
            if next == 0x5F { return true }
            if next == 0x2E || next == 0x2F, let afterThat = scanned.folded(at: end + 1), ScalarClass.isLetter(afterThat) {
                return true
            }
        }
        // Walk back over characters a URL may contain, looking for its scheme or www.
        var index = start - 1
        while index >= 0, start - index <= 300, let value = scanned.folded(at: index), isURLCharacter(value) {
            index -= 1
        }
        let segment = (index + 1)..<start
        guard segment.count >= 3 else { return false }
        // URL characters are ASCII, or full-width forms that fold to it: compare folded.
        for position in segment {
            for marker in urlMarkers where position + marker.count <= segment.upperBound {
                if marker.indices.allSatisfy({ ScalarClass.fold(scanned.scalars[position + $0]) == marker[$0] }) { return true }
            }
        }
        return false
    }

    private static func isURLCharacter(_ folded: UInt32) -> Bool {
        guard folded > 0x20, folded < 0x7F else { return false }
        switch folded {
        case 0x22, 0x27, 0x3C, 0x3E, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D: return false  // " ' < > ( ) [ ] { }
        default: return true
        }
    }

    /// An amount of money or a percentage: followed by 元/万/亿/%, or after ¥/$.
    static func isAmount(start: Int, end: Int, in scanned: ScannedText) -> Bool {
        if let next = scanned.folded(at: end) {
            switch next {
            case 0x5143, 0x4E07, 0x4EBF, 0x25, 0x2030, 0x5757: return true  // 元 万 亿 % ‰ 块
            default: break
            }
        }
        if let previous = scanned.folded(at: start - 1) {
            switch previous {
            case 0xA5, 0xFFE5, 0x24: return true  // ¥ ￥ $
            default: break
            }
        }
        return false
    }

    /// Card or account words near the number on its line, and nothing showing a unit's account.
    static func hasCardContext(start: Int, end: Int, in scanned: ScannedText) -> Bool {
        let before = lineWindow(before: start, limit: 40, in: scanned)
        let after = lineWindow(after: end, limit: 12, in: scanned)
        guard scanned.containsAny(cardWordScalars, in: before) || scanned.containsAny(cardWordScalars, in: after) else {
            return false
        }
        let wideBefore = max(0, start - 80)..<start
        return !scanned.containsAny(publicAccountWordScalars, in: wideBefore)
            && !scanned.containsAny(publicAccountWordScalars, in: after)
    }

    /// Where a country code written before a mobile number starts: `+86 `, `+86-`, `0086 `,
    /// `(+86)`, `（+86）`; nil when there is none.
    static func countryCodePrefixStart(before start: Int, in scanned: ScannedText) -> Int? {
        var index = start - 1
        var closingParenthesis = false
        if let value = scanned.folded(at: index), value == 0x29 {
            closingParenthesis = true
            index -= 1
        } else if let value = scanned.folded(at: index), ScalarClass.isDigitGroupSeparator(value) {
            index -= 1
        }
        guard scanned.folded(at: index) == 0x36, scanned.folded(at: index - 1) == 0x38 else { return nil }
        index -= 2
        if scanned.folded(at: index) == 0x2B {
            index -= 1
        } else if scanned.folded(at: index) == 0x30, scanned.folded(at: index - 1) == 0x30 {
            index -= 2
        } else {
            return nil
        }
        if let value = scanned.folded(at: index), ScalarClass.isAlphanumeric(value) { return nil }
        if closingParenthesis {
            guard scanned.folded(at: index) == 0x28 else { return nil }
            index -= 1
        }
        return index + 1
    }

    /// Up to `limit` characters before `index`, stopping at a line break.
    static func lineWindow(before index: Int, limit: Int, in scanned: ScannedText) -> Range<Int> {
        var start = index
        while start > 0, index - start < limit, scanned.scalars[start - 1] != 0x0A { start -= 1 }
        return start..<index
    }

    /// Up to `limit` characters from `index` on, stopping at a line break.
    static func lineWindow(after index: Int, limit: Int, in scanned: ScannedText) -> Range<Int> {
        var end = index
        while end < scanned.count, end - index < limit, scanned.scalars[end] != 0x0A { end += 1 }
        return index..<end
    }
}
