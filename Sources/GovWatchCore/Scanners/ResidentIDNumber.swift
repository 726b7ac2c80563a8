/// The rules of the 居民身份证号码 (GB 11643-1999): region, birth date, check digit.
///
/// Used to decide whether an 18- or 15-character run of digits really is an ID number;
/// the check digit alone lets 1 in 11 random numbers pass, so region and birth date are
/// checked too, which rejects 统一社会信用代码, 索引号 and order numbers that happen to fit.
public enum ResidentIDNumber {
    /// The weights of ISO 7064 MOD 11-2 for the first 17 digits.
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check characters indexed by the weighted sum modulo 11.
    private static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Province-level codes (the first two digits) of GB/T 2260, plus 71 台湾, 81 香港,
    /// 82 澳门 and 83 (residence permits of Taiwan residents).
    public static let provinceCodes: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]

    /// The check character (`0`–`9` or `X`) for the first 17 digits, or nil when
    /// `first17` is not 17 ASCII digits.
    public static func checkCharacter(forFirst17 first17: some StringProtocol) -> Character? {
        let digits = first17.compactMap(\.wholeNumberValue)
        guard digits.count == 17, first17.count == 17 else { return nil }
        return checkCharacter(digits: digits)
    }

    static func checkCharacter(digits: [Int]) -> Character {
        var sum = 0
        for index in 0..<17 { sum += digits[index] * weights[index] }
        return checkCharacters[sum % 11]
    }

    /// Whether `number` (18 characters, digits and a final `X`/`x`, ASCII or full-width;
    /// or 15 digits) is a plausible ID number: known province, real birth date, and for
    /// 18 characters the right check character.
    public static func isValid(_ number: some StringProtocol) -> Bool {
        var digits: [Int] = []
        var finalX = false
        for (offset, scalar) in number.unicodeScalars.enumerated() {
            let folded = ScalarClass.fold(scalar.value)
            if ScalarClass.isDigit(folded) {
                digits.append(Int(folded - 0x30))
            } else if folded == 0x78, offset == 17 {
                finalX = true
            } else {
                return false
            }
        }
        return isValid(digits: digits, finalX: finalX)
    }

    /// `digits` are the digit values in order; `finalX` means an X follows the 17th digit.
    static func isValid(digits: [Int], finalX: Bool) -> Bool {
        switch (digits.count, finalX) {
        case (17, true), (18, false):
            guard provinceCodes.contains(digits[0] * 10 + digits[1]) else { return false }
            let year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
            guard isRealBirthDate(year: year, month: digits[10] * 10 + digits[11], day: digits[12] * 10 + digits[13])
            else { return false }
            let expected = checkCharacter(digits: Array(digits.prefix(17)))
            return finalX ? expected == "X" : expected == Character(String(digits[17]))
        case (15, false):
            guard provinceCodes.contains(digits[0] * 10 + digits[1]) else { return false }
            let year = 1900 + digits[6] * 10 + digits[7]
            return isRealBirthDate(year: year, month: digits[8] * 10 + digits[9], day: digits[10] * 10 + digits[11])
        default:
            return false
        }
    }

    /// A day that exists, in the years a living person or a recent record can have.
    static func isRealBirthDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1880...2099).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= CalendarDate.daysIn(month: month, year: year)
    }

    /// The number with all but its first 6 and last 4 characters replaced by `*`
    /// (510402********1234), the form that may appear in evidence and on public pages.
    public static func masked(_ number: String) -> String {
        PersonalInfoMasking.mask(number, keepingFirst: 6, last: 4)
    }
}

/// The masked forms that evidence and de-identified text use.
public enum PersonalInfoMasking {
    /// `value` with every digit or letter except the first `first` and last `last` of them
    /// replaced by `*`; separators (spaces, hyphens, `+`) are kept so the shape stays readable.
    public static func mask(_ value: String, keepingFirst first: Int, last: Int) -> String {
        let scalars = Array(value.unicodeScalars)
        let significant = scalars.indices.filter { ScalarClass.isAlphanumeric(ScalarClass.fold(scalars[$0].value)) }
        guard significant.count > first + last else {
            return String(repeating: "*", count: scalars.count)
        }
        let masked = Set(significant[first..<(significant.count - last)])
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            result.append(masked.contains(index) ? "*" : scalar)
        }
        return String(result)
    }

    /// A mobile number as 138****5678: the 4 digits after the first 3 masked, keeping a
    /// +86 prefix and separators.
    public static func maskedMobile(_ value: String) -> String {
        let scalars = Array(value.unicodeScalars)
        let digitPositions = scalars.indices.filter { ScalarClass.isDigit(ScalarClass.fold(scalars[$0].value)) }
        // The subscriber number is the last 11 digits; anything before is the country code.
        guard digitPositions.count >= 11 else { return String(repeating: "*", count: scalars.count) }
        let subscriber = Array(digitPositions.suffix(11))
        let masked = Set(subscriber[3..<7])
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            result.append(masked.contains(index) ? "*" : scalar)
        }
        return String(result)
    }

    /// A bank card number with all but its first 4 and last 4 digits masked.
    public static func maskedBankCard(_ value: String) -> String {
        mask(value, keepingFirst: 4, last: 4)
    }

    /// A personal name masked the way 公示 pages do: surname and last character kept for
    /// names of three or more characters (张*明, 欧阳*华), surname only otherwise (张*).
    public static func maskedName(_ name: String, surnameLength: Int = 1) -> String {
        let characters = Array(name)
        guard characters.count > surnameLength else { return name }
        let given = characters.count - surnameLength
        if given >= 2 {
            return String(characters.prefix(surnameLength)) + String(repeating: "*", count: given - 1) + String(characters.last!)
        }
        return String(characters.prefix(surnameLength)) + "*"
    }
}

/// The Luhn check (ISO/IEC 7812) that bank card numbers pass.
public enum LuhnCheck {
    /// Whether the digit values `digits` pass the Luhn check.
    public static func isValid(digits: [Int]) -> Bool {
        guard !digits.isEmpty else { return false }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            if position % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Whether `number` (ASCII digits only) passes the Luhn check.
    public static func isValid(_ number: some StringProtocol) -> Bool {
        let digits = number.compactMap(\.wholeNumberValue)
        return digits.count == number.count && isValid(digits: digits)
    }
}
