import Foundation

/// Personal-data arithmetic for planting realistic leaks and realistic look-alikes:
/// GB 11643 check digits for 居民身份证号, the Luhn check for bank cards, and masking.
///
/// Public so that tests (and other modules' tests) can check what the city plants.
public enum PersonalData {
    /// The GB 11643-1999 check character for the first 17 digits of an ID number.
    public static func idCheckCharacter(_ first17: String) -> Character {
        precondition(first17.count == 17 && first17.allSatisfy(\.isASCII) && first17.allSatisfy(\.isNumber))
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return Array("10X98765432")[sum % 11]
    }

    /// A full 18-character ID number from region (6 digits), birth date (`yyyyMMdd`) and sequence (3 digits).
    public static func idNumber(region: String, birth: String, sequence: String) -> String {
        let first17 = region + birth + sequence
        return first17 + String(idCheckCharacter(first17))
    }

    /// Whether an 18-character ID number has the right check character.
    public static func isValidIDNumber(_ id: String) -> Bool {
        guard id.count == 18 else { return false }
        let first17 = String(id.prefix(17))
        guard first17.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return idCheckCharacter(first17) == Character(id.suffix(1).uppercased())
    }

    /// Whether a digit string passes the Luhn check.
    public static func passesLuhn(_ digits: String) -> Bool {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            var value = Int(String(character))!
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// `payload` followed by the digit that makes it pass the Luhn check.
    public static func luhnComplete(_ payload: String) -> String {
        for digit in 0...9 where passesLuhn(payload + String(digit)) {
            return payload + String(digit)
        }
        preconditionFailure("one of ten digits always completes a Luhn number")
    }

    /// The masked form the spec uses in evidence: `430104********1234`, `139****1234`,
    /// `6217*********1234` — the first 6 (ID), 3 (mobile) or 4 (card) and the last 4 kept.
    public static func mask(_ value: String, kind: PlantedProblem.PrivacyKind) -> String {
        let keepFront: Int
        switch kind {
        case .idCard: keepFront = 6
        case .mobile: keepFront = 3
        case .bankCard: keepFront = 4
        case .health: return String(value.prefix(1)) + String(repeating: "*", count: max(0, value.count - 1))
        }
        let characters = Array(value)
        guard characters.count > keepFront + 4 else { return value }
        return String(characters.prefix(keepFront)) + String(repeating: "*", count: characters.count - keepFront - 4)
            + String(characters.suffix(4))
    }
}

extension PersonalData {
    /// The GB 32100-2015 check character of a 统一社会信用代码's first 17 characters.
    public static func creditCodeCheckCharacter(_ first17: String) -> Character {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let sum = zip(first17, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// A complete 统一社会信用代码 from its first 17 characters.
    public static func creditCode(_ first17: String) -> String {
        first17 + String(creditCodeCheckCharacter(first17))
    }
}

/// The personal data the city leaks (fictional people, valid check digits) and the
/// look-alikes it publishes that are not personal data.
enum PlantedValues {
    // Leaks: each appears in clear exactly where the planted list says.
    static let teacherID = PersonalData.idNumber(region: "430104", birth: "19880314", sequence: "262")
    static let teacherMobile = "13907315826"
    static let xlsxID1 = PersonalData.idNumber(region: "430102", birth: "19930721", sequence: "104")
    static let xlsxID2 = PersonalData.idNumber(region: "430111", birth: "19960109", sequence: "385")
    static let xlsxMobile = "15173162947"
    static let docxID = PersonalData.idNumber(region: "430105", birth: "19570906", sequence: "028")
    static let recruitMobile = "18874025613"
    static let subsidyBankCard = PersonalData.luhnComplete("621700283000012345")
    static let pdfID = PersonalData.idNumber(region: "430121", birth: "19791125", sequence: "153")
    static let lanjiangMobile = "15874123690"
    static let postID = PersonalData.idNumber(region: "430103", birth: "20010418", sequence: "247")
    static let postMobile = "13787206631"
    // Old 15-digit ID numbers carry no check digit; not planted.

    // Look-alikes.
    static let maskedID = "430104********2317"
    static let maskedMobile = "139****5678"
    /// All digits and ID-shaped, but its "birth date" 00005881 is no date and its check fails.
    static let numericCreditCode: String = {
        // Walk the serial until the code fails the ID check too, so no checker can mistake it.
        for serial in 0..<100 {
            let code = PersonalData.creditCode("12439000" + String(format: "%09d", 5_881_230 + serial))
            if code.allSatisfy(\.isNumber) && !PersonalData.isValidIDNumber(code) { return code }
        }
        preconditionFailure("no all-digit credit code found")
    }()
    static let creditCode = PersonalData.creditCode("91439000MA4L0C7K2")
    /// An organisation's bank account (public information), made to fail the Luhn check.
    static let organisationAccount: String = {
        let valid = PersonalData.luhnComplete("190702110900001234")
        let last = Int(String(valid.last!))!
        return String(valid.dropLast()) + String((last + 1) % 10)
    }()
}
