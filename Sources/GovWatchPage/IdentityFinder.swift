import Foundation
import GovWatchCore

/// Reads the footer identity marks of a government site from the visible text, the
/// `SiteIDCode` meta tag and the links and images of the page.
///
/// Where a mark appears several times (PC and mobile footers), the last occurrence is
/// used: footers come last, and an article body may quote other sites' marks.
struct IdentityFinder {
    let document: HTMLDocument
    let plainText: String

    func identity() -> SiteIdentity {
        // UTF-8 bytes, not scalars (see `DateScanner`): the marks are found with a byte
        // search, and indices below are byte offsets.
        let bytes = Array(plainText.utf8)
        return SiteIdentity(
            siteCode: siteCode(bytes), icp: icp(bytes), police: police(bytes),
            sponsor: sponsor(bytes), partyGovBadge: hasPartyGovBadge())
    }

    // MARK: 网站标识码

    /// A valid 网站标识码: 10 digits, or `bm` + 8 digits.
    static func validSiteCode(_ raw: String) -> String? {
        // What the text scan reads is ASCII letters and digits: nothing to trim or fold
        // beyond ASCII, so skip Foundation's trimming and Unicode lower-casing.
        if raw.utf8.allSatisfy({ $0 < 0x80 && $0 > 0x20 }) { return validASCIISiteCode(raw) }
        let code = raw.trimmingCharacters(in: .whitespaces)
        let lower = code.lowercased()
        if lower.count == 10, lower.hasPrefix("bm"), lower.dropFirst(2).allSatisfy(\.isASCIIDigit) { return lower }
        if code.count == 10, code.allSatisfy(\.isASCIIDigit) { return code }
        return nil
    }

    /// `validSiteCode` for printable ASCII without spaces.
    private static func validASCIISiteCode(_ code: String) -> String? {
        let bytes = Array(code.utf8)
        guard bytes.count == 10 else { return nil }
        if bytes.allSatisfy(DateScanner.isDigit) { return code }
        if bytes[0] | 0x20 == UInt8(ascii: "b"), bytes[1] | 0x20 == UInt8(ascii: "m"), bytes[2...].allSatisfy(DateScanner.isDigit) {
            return "bm" + String(decoding: bytes[2...], as: UTF8.self)
        }
        return nil
    }

    private func siteCode(_ bytes: [UInt8]) -> String? {
        if let meta = document.metaContent("SiteIDCode"), let code = Self.validSiteCode(meta) { return code }
        var result: String?
        for end in occurrences(of: Self.siteCodeMark, in: bytes) {
            var cursor = skipSeparators(bytes, from: end)
            var code = ""
            if cursor + 1 < bytes.count, bytes[cursor] | 0x20 == UInt8(ascii: "b"), bytes[cursor + 1] | 0x20 == UInt8(ascii: "m") {
                code = "bm"
                cursor += 2
            }
            var length = code.utf8.count
            while cursor < bytes.count, DateScanner.isDigit(bytes[cursor]), length < 11 {
                code.unicodeScalars.append(Unicode.Scalar(bytes[cursor]))
                cursor += 1
                length += 1
            }
            if cursor < bytes.count, DateScanner.isDigit(bytes[cursor]) { continue }
            if let valid = Self.validSiteCode(code) { result = valid }
        }
        return result
    }

    static let siteCodeMark = Array("标识码".utf8), icpMark = Array("ICP备".utf8), policeMark = Array("公网安备".utf8)
    static let sponsorMark = Array("主办".utf8), numberSign = Array("号".utf8)

    // MARK: ICP备案号

    private func icp(_ bytes: [UInt8]) -> String? {
        var result: String?
        for end in occurrences(of: Self.icpMark, in: bytes) {
            let start = end - Self.icpMark.count
            guard start > 0 else { continue }
            let province = UTF8Text.scalar(bytes, before: start)
            guard province.isHan else { continue }
            var cursor = DateScanner.skipSpaces(bytes, from: end)
            let digitsStart = cursor
            while cursor < bytes.count, DateScanner.isDigit(bytes[cursor]) { cursor += 1 }
            guard cursor - digitsStart >= 4 else { continue }
            let digits = String(decoding: bytes[digitsStart..<cursor], as: UTF8.self)
            cursor = DateScanner.skipSpaces(bytes, from: cursor)
            if UTF8Text.matches(bytes, at: cursor, Self.numberSign) { cursor += Self.numberSign.count }
            var suffix = ""
            if cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "-"), DateScanner.isDigit(bytes[cursor + 1]) {
                cursor += 1
                let suffixStart = cursor
                while cursor < bytes.count, DateScanner.isDigit(bytes[cursor]) { cursor += 1 }
                suffix = "-" + String(decoding: bytes[suffixStart..<cursor], as: UTF8.self)
            }
            result = String(Character(province)) + "ICP备" + digits + "号" + suffix
        }
        return result
    }

    // MARK: 公安机关备案号

    private func police(_ bytes: [UInt8]) -> String? {
        var result: String?
        for end in occurrences(of: Self.policeMark, in: bytes) {
            let start = end - Self.policeMark.count
            guard start > 0 else { continue }
            let province = UTF8Text.scalar(bytes, before: start)
            guard province.isHan else { continue }
            let digitsStart = DateScanner.skipSpaces(bytes, from: end)
            var cursor = digitsStart
            while cursor < bytes.count, DateScanner.isDigit(bytes[cursor]) { cursor += 1 }
            guard cursor - digitsStart >= 8 else { continue }
            let digits = String(decoding: bytes[digitsStart..<cursor], as: UTF8.self)
            // Keep the page's spacing (with or without a space before the number).
            let space = digitsStart > end ? " " : ""
            result = String(Character(province)) + "公网安备" + space + digits + "号"
        }
        return result
    }

    // MARK: 主办单位

    /// Labels that end a sponsor's name when a footer runs them together.
    static let followingLabels = [
        "承办", "协办", "运行维护", "运维", "技术支持", "版权所有", "地址", "电话", "邮编", "联系",
        "网站标识码", "政府网站标识码", "备案", "ICP", "Email", "E-mail", "邮箱", "传真", "承建", "网站地图",
    ]
    static let followingLabelBytes = followingLabels.map { Array($0.utf8) }
    /// Endings of unit names: a second name after a space continues the sponsor
    /// (`中共某市委 某市人民政府`).
    static let unitEndings = ["委员会", "委", "政府", "厅", "局", "办公室", "办", "室", "部", "院", "中心", "会", "所", "馆", "站", "社", "处", "队", "署", "公司"]
    static let qualifiers = ["单位", "方", "机关"].map { Array($0.utf8) }
    /// Characters that end a unit name (besides whitespace).
    static let nameStops = Set("|｜,，、;；。:：()（）[]【】<>《》©®\n\t ".unicodeScalars)

    private func sponsor(_ bytes: [UInt8]) -> String? {
        var result: String?
        for end in occurrences(of: Self.sponsorMark, in: bytes) {
            var cursor = end
            for qualifier in Self.qualifiers where UTF8Text.matches(bytes, at: cursor, qualifier) {
                cursor += qualifier.count
                break
            }
            cursor = DateScanner.skipSpaces(bytes, from: cursor)
            guard let afterColon = DateScanner.colonEnd(bytes, at: cursor) else { continue }
            cursor = DateScanner.skipSpaces(bytes, from: afterColon)
            var name = readName(bytes, from: &cursor)
            guard !name.isEmpty else { continue }
            // A second unit after one space: "中共某市委 某市人民政府".
            while DateScanner.spaceLength(bytes, at: cursor) > 0,
                  Self.unitEndings.contains(where: { name.hasSuffix($0) }) {
                let spaces = DateScanner.skipCountingSpaces(bytes, from: cursor)
                guard spaces.count == 1 else { break }
                var lookahead = spaces.end
                let next = readName(bytes, from: &lookahead)
                guard !next.isEmpty, next.unicodeScalars.allSatisfy(\.isHan),
                      Self.unitEndings.contains(where: { next.hasSuffix($0) }),
                      !Self.followingLabels.contains(where: { next.hasPrefix($0) }),
                      DateScanner.colonEnd(bytes, at: lookahead) == nil else { break }
                name += " " + next
                cursor = lookahead
            }
            result = name
        }
        return result
    }

    /// Reads a unit name up to whitespace, punctuation, a line end or a following label.
    private func readName(_ bytes: [UInt8], from cursor: inout Int) -> String {
        let start = cursor
        var characters = 0
        while cursor < bytes.count {
            let (scalar, length) = UTF8Text.scalar(bytes, at: cursor)
            if Self.nameStops.contains(scalar) || scalar.isWhitespaceFast { break }
            if characters > 0, Self.followingLabelBytes.contains(where: { UTF8Text.matches(bytes, at: cursor, $0) }) { break }
            cursor += length
            characters += 1
            if characters > 60 { break }
        }
        return String(decoding: bytes[start..<cursor], as: UTF8.self)
    }

    // MARK: 党政机关网站标识

    static let conac = Array("conac.cn".utf8), dzjg = Array("dzjg".utf8), ideConac = Array("_ideConac".utf8)
    static let partyGov = Array("党政机关".utf8)

    /// The badge is the conac.cn seal: a link or image from `bszs.conac.cn`/`dcs.conac.cn`
    /// (or a script that writes it), the `_ideConac` placeholder, a `dzjg` image, or
    /// an image or link described as 党政机关.
    ///
    /// Reads each element's attributes once (the first of each name counts, as with
    /// `element[name]`) and compares bytes: looking attributes up by name lower-cased the
    /// name and allocated for every element of the page.
    private func hasPartyGovBadge() -> Bool {
        let nodes = document.storage.nodes
        for (index, node) in nodes.enumerated() where node.isElement {
            var seenID = false, seenHref = false, seenSrc = false, seenAlt = false, seenTitle = false, seenLabel = false
            for attribute in node.attributes {
                switch attribute.name {
                case "id":
                    guard !seenID else { continue }
                    seenID = true
                    if attribute.value == "_ideConac" { return true }
                case "href", "src":
                    if attribute.name == "href" {
                        guard !seenHref else { continue }
                        seenHref = true
                    } else {
                        guard !seenSrc else { continue }
                        seenSrc = true
                    }
                    if Self.containsIgnoringASCIICase(attribute.value, Self.conac)
                        || Self.containsIgnoringASCIICase(attribute.value, Self.dzjg) {
                        return true
                    }
                case "alt", "title", "aria-label":
                    switch attribute.name {
                    case "alt":
                        guard !seenAlt else { continue }
                        seenAlt = true
                    case "title":
                        guard !seenTitle else { continue }
                        seenTitle = true
                    default:
                        guard !seenLabel else { continue }
                        seenLabel = true
                    }
                    if attribute.value.utf8Contains("党政机关") { return true }
                default:
                    continue
                }
            }
            if node.name == "script", !seenSrc {
                let code = HTMLElement(storage: document.storage, index: index).textContent
                if code.utf8Contains("conac.cn") || code.utf8Contains("_ideConac") { return true }
            }
        }
        return false
    }

    /// Whether `text`, lower-cased, contains the lower-case ASCII `needle`. (Lower-casing
    /// a non-ASCII character never yields one of the needle's letters, so ASCII folding is
    /// enough.)
    private static func containsIgnoringASCIICase(_ text: String, _ needle: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            let first = needle[0]
            for start in 0...(bytes.count - needle.count) where bytes[start] | 0x20 == first {
                var matched = true
                for offset in 1..<needle.count {
                    let byte = bytes[start + offset]
                    let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    if folded != needle[offset] {
                        matched = false
                        break
                    }
                }
                if matched { return true }
            }
            return false
        }
    }

    // MARK: Scanning helpers

    /// End offsets of every occurrence of `needle`.
    private func occurrences(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { text in
            needle.withUnsafeBufferPointer { pattern in
                UTF8Search.offsets(of: pattern, in: text).map { $0 + needle.count }
            }
        }
    }

    private func skipSeparators(_ bytes: [UInt8], from index: Int) -> Int {
        var cursor = DateScanner.skipSpaces(bytes, from: index)
        if let afterColon = DateScanner.colonEnd(bytes, at: cursor) { cursor = afterColon }
        return DateScanner.skipSpaces(bytes, from: cursor)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
