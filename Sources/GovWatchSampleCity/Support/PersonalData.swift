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
