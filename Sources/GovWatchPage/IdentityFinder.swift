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
        let scalars = Array(plainText.unicodeScalars)
        return SiteIdentity(
            siteCode: siteCode(scalars), icp: icp(scalars), police: police(scalars),
            sponsor: sponsor(scalars), partyGovBadge: hasPartyGovBadge())
    }

    // MARK: 网站标识码

    /// A valid 网站标识码: 10 digits, or `bm` + 8 digits.
    static func validSiteCode(_ raw: String) -> String? {
        let code = raw.trimmingCharacters(in: .whitespaces)
        let lower = code.lowercased()
        if lower.count == 10, lower.hasPrefix("bm"), lower.dropFirst(2).allSatisfy(\.isASCIIDigit) { return lower }
        if code.count == 10, code.allSatisfy(\.isASCIIDigit) { return code }
        return nil
    }

    private func siteCode(_ scalars: [Unicode.Scalar]) -> String? {
        if let meta = document.metaContent("SiteIDCode"), let code = Self.validSiteCode(meta) { return code }
        var result: String?
        for end in occurrences(of: "标识码", in: scalars) {
            var cursor = skipSeparators(scalars, from: end)
            var code = ""
            if cursor + 1 < scalars.count, scalars[cursor] == "b" || scalars[cursor] == "B",
               scalars[cursor + 1] == "m" || scalars[cursor + 1] == "M" {
                code = "bm"
                cursor += 2
            }
            while cursor < scalars.count, DateScanner.isDigit(scalars[cursor]), code.count < 11 {
                code.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            if cursor < scalars.count, DateScanner.isDigit(scalars[cursor]) { continue }
            if let valid = Self.validSiteCode(code) { result = valid }
        }
        return result
    }

    // MARK: ICP备案号

    private func icp(_ scalars: [Unicode.Scalar]) -> String? {
        var result: String?
        for end in occurrences(of: "ICP备", in: scalars) {
            let start = end - 4
            guard start > 0, scalars[start - 1].isHan else { continue }
            var cursor = DateScanner.skipSpaces(scalars, from: end)
            var digits = ""
            while cursor < scalars.count, DateScanner.isDigit(scalars[cursor]) {
                digits.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            guard digits.count >= 4 else { continue }
            cursor = DateScanner.skipSpaces(scalars, from: cursor)
            if cursor < scalars.count, scalars[cursor] == "号" { cursor += 1 }
            var suffix = ""
            if cursor + 1 < scalars.count, scalars[cursor] == "-", DateScanner.isDigit(scalars[cursor + 1]) {
                suffix = "-"
                cursor += 1
                while cursor < scalars.count, DateScanner.isDigit(scalars[cursor]) {
                    suffix.unicodeScalars.append(scalars[cursor])
                    cursor += 1
                }
            }
            result = String(Character(scalars[start - 1])) + "ICP备" + digits + "号" + suffix
        }
        return result
    }

    // MARK: 公安机关备案号

    private func police(_ scalars: [Unicode.Scalar]) -> String? {
        var result: String?
        for end in occurrences(of: "公网安备", in: scalars) {
            let start = end - 4
            guard start > 0, scalars[start - 1].isHan else { continue }
            let digitsStart = DateScanner.skipSpaces(scalars, from: end)
            var cursor = digitsStart
            var digits = ""
            while cursor < scalars.count, DateScanner.isDigit(scalars[cursor]) {
                digits.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            guard digits.count >= 8 else { continue }
            // Keep the page's spacing (with or without a space before the number).
            let space = digitsStart > end ? " " : ""
            result = String(Character(scalars[start - 1])) + "公网安备" + space + digits + "号"
        }
        return result
    }

    // MARK: 主办单位

    /// Labels that end a sponsor's name when a footer runs them together.
    static let followingLabels = [
        "承办", "协办", "运行维护", "运维", "技术支持", "版权所有", "地址", "电话", "邮编", "联系",
        "网站标识码", "政府网站标识码", "备案", "ICP", "Email", "E-mail", "邮箱", "传真", "承建", "网站地图",
    ]
    /// Endings of unit names: a second name after a space continues the sponsor
    /// (`中共某市委 某市人民政府`).
    static let unitEndings = ["委员会", "委", "政府", "厅", "局", "办公室", "办", "室", "部", "院", "中心", "会", "所", "馆", "站", "社", "处", "队", "署", "公司"]

    private func sponsor(_ scalars: [Unicode.Scalar]) -> String? {
        var result: String?
        for end in occurrences(of: "主办", in: scalars) {
            var cursor = end
            for qualifier in ["单位", "方", "机关"] where Self.hasPrefix(scalars, Array(qualifier.unicodeScalars), at: cursor) {
                cursor += qualifier.unicodeScalars.count
                break
            }
            cursor = DateScanner.skipSpaces(scalars, from: cursor)
            guard cursor < scalars.count, scalars[cursor] == ":" || scalars[cursor] == "：" else { continue }
            cursor = DateScanner.skipSpaces(scalars, from: cursor + 1)
            var name = readName(scalars, from: &cursor)
            guard !name.isEmpty else { continue }
            // A second unit after one space: "中共某市委 某市人民政府".
            while cursor < scalars.count, DateScanner.isSpace(scalars[cursor]),
                  Self.unitEndings.contains(where: { name.hasSuffix($0) }) {
                var lookahead = DateScanner.skipSpaces(scalars, from: cursor)
                guard lookahead - cursor == 1 else { break }
                let next = readName(scalars, from: &lookahead)
                guard !next.isEmpty, next.unicodeScalars.allSatisfy(\.isHan),
                      Self.unitEndings.contains(where: { next.hasSuffix($0) }),
                      !Self.followingLabels.contains(where: { next.hasPrefix($0) }),
                      lookahead >= scalars.count || (scalars[lookahead] != ":" && scalars[lookahead] != "：") else { break }
                name += " " + next
                cursor = lookahead
            }
            result = name
        }
        return result
    }

    /// Reads a unit name up to whitespace, punctuation, a line end or a following label.
    private func readName(_ scalars: [Unicode.Scalar], from cursor: inout Int) -> String {
        let stops = Set("|｜,，、;；。:：()（）[]【】<>《》©®\n\t ".unicodeScalars)
        var name = ""
        while cursor < scalars.count {
            let scalar = scalars[cursor]
            if stops.contains(scalar) || scalar.properties.isWhitespace { break }
            if !name.isEmpty, Self.followingLabels.contains(where: { Self.hasPrefix(scalars, Array($0.unicodeScalars), at: cursor) }) {
                break
            }
            name.unicodeScalars.append(scalar)
            cursor += 1
            if name.unicodeScalars.count > 60 { break }
        }
        return name
    }

    // MARK: 党政机关网站标识

    /// The badge is the conac.cn seal: a link or image from `bszs.conac.cn`/`dcs.conac.cn`
    /// (or a script that writes it), the `_ideConac` placeholder, a `dzjg` image, or
    /// an image or link described as 党政机关.
    private func hasPartyGovBadge() -> Bool {
        for element in document.elements {
            if element["id"] == "_ideConac" { return true }
            for name in ["href", "src"] {
                if let value = element[name]?.lowercased(), value.contains("conac.cn") || value.contains("dzjg") { return true }
            }
            for name in ["alt", "title", "aria-label"] {
                if let value = element[name], value.contains("党政机关") { return true }
            }
            if element.name == "script", element["src"] == nil {
                let code = element.textContent
                if code.contains("conac.cn") || code.contains("_ideConac") { return true }
            }
        }
        return false
    }

    // MARK: Scanning helpers

    /// End indices of every occurrence of `needle`.
    private func occurrences(of needle: String, in scalars: [Unicode.Scalar]) -> [Int] {
        let pattern = Array(needle.unicodeScalars)
        guard let first = pattern.first else { return [] }
        var result: [Int] = []
        var index = 0
        while index + pattern.count <= scalars.count {
            if scalars[index] == first, Self.hasPrefix(scalars, pattern, at: index) {
                result.append(index + pattern.count)
                index += pattern.count
            } else {
                index += 1
            }
        }
        return result
    }

    static func hasPrefix(_ scalars: [Unicode.Scalar], _ prefix: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + prefix.count <= scalars.count else { return false }
        for offset in 0..<prefix.count where scalars[index + offset] != prefix[offset] { return false }
        return true
    }

    private func skipSeparators(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
        var cursor = DateScanner.skipSpaces(scalars, from: index)
        if cursor < scalars.count, scalars[cursor] == ":" || scalars[cursor] == "：" { cursor += 1 }
        return DateScanner.skipSpaces(scalars, from: cursor)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
