import GovWatchCore

/// ID numbers and card numbers computed independently of the code under test.
enum ScannerFixtures {
    /// The GB 11643 check character for 17 digits, written out from the standard.
    static func checkCharacter(_ first17: String) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17.compactMap(\.wholeNumberValue), weights).map { $0 * $1 }.reduce(0, +)
        return Array("10X98765432")[sum % 11]
    }

    /// A valid 18-character ID for `area` (6 digits), `birth` (YYYYMMDD) and `sequence` (3 digits).
    static func id(area: String = "510402", birth: String = "19900101", sequence: String = "123") -> String {
        let first17 = area + birth + sequence
        return first17 + String(checkCharacter(first17))
    }

    /// The same ID with every wrong check character.
    static func wrongCheckVariants(of id: String) -> [String] {
        let first17 = String(id.prefix(17))
        return "0123456789X".map(String.init).filter { $0 != String(id.last!) }.map { first17 + $0 }
    }

    /// A valid ID whose check character is X.
    static func idEndingInX(area: String = "510402", birth: String = "19851231") -> String {
        for sequence in 0..<1000 {
            let candidate = id(area: area, birth: birth, sequence: String(format3(sequence)))
            if candidate.hasSuffix("X") { return candidate }
        }
        fatalError("no X check digit found")
    }

    static func format3(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: 3 - text.count) + text
    }

    /// `prefix` completed with a Luhn check digit to `length` digits.
    static func luhnNumber(prefix: String, length: Int) -> String {
        var body = prefix
        var filler = 3
        while body.count < length - 1 {
            body += String(filler % 10)
            filler += 7
        }
        for check in 0...9 where luhnValid(body + String(check)) { return body + String(check) }
        fatalError("unreachable")
    }

    static func luhnValid(_ number: String) -> Bool {
        let digits = number.compactMap(\.wholeNumberValue).reversed()
        var sum = 0
        for (position, digit) in digits.enumerated() {
            if position % 2 == 1 {
                sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Full-width form of ASCII digits and letters.
    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
        }))
    }

    /// A deterministic pseudo-random generator, so property tests are reproducible.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

extension PersonalInfoScanner {
    /// Kinds and masked values found in `text`, for compact expectations.
    func found(_ text: String) -> [String] {
        scan(text).map { "\($0.kind.rawValue):\($0.masked)" }
    }
}
