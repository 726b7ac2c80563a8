import Foundation

/// Finds the page title a person would name.
///
/// 1. The CMS's own `ArticleTitle` meta tag (TRS, Hanweb, UCAP pages carry it).
/// 2. Otherwise the `<title>`, shortened to its article part when that part (the whole
///    title, or the piece before or after a separator such as `_`, `|`, `-`) is also
///    the entire text of a heading of the body (`h1`–`h6`, `strong`/`b`, or an element
///    whose class or id — or its parent's — names a title) — so
///    `载人航天工程全线备战空间站建造任务_中国载人航天官方网站` becomes the article title, while
///    a homepage's `中国政府网_中央人民政府门户网站` stays whole.
/// 3. Otherwise the whole `<title>`; nil when the page has none.
struct TitleFinder {
    let document: HTMLDocument

    /// Title separators CMS templates put between the article and the site name.
    static let separators: Set<Character> = ["_", "|", "｜", "-", "—", "–", "·", "－", "—"]

    /// `separators.contains(character)` without hashing (and normalising) the character.
    static func isSeparator(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return separators.contains(character) }
        // The separators, and U+0387 GREEK ANO TELEIA (canonically equivalent to "·").
        switch scalar.value {
        case 0x2D, 0x5F, 0x7C, 0xB7, 0x387, 0x2013, 0x2014, 0xFF0D, 0xFF5C: return true
        default: return false
        }
    }

    /// Titles longer than this (in characters) are used whole.
    static let maximumSplitLength = 300

    /// Elements whose whole text can be an article heading whatever their class.
    /// Plain `div`/`p`/`span` qualify only when named as a title (see `namesTitle`): site
    /// names stand alone in such elements all over headers and footers.
    static let headingLike: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "ucaptitle"]

    func title() -> String? {
        if let meta = document.metaContent("ArticleTitle")?.collapsingWhitespace(), !meta.isEmpty {
            return meta
        }
        guard let titleTag = titleElementText() else { return nil }
        let candidates = Self.candidates(of: titleTag)
        guard !candidates.isEmpty else { return titleTag }
        let matched = headingMatches(for: candidates)
        // The longest candidate that some heading shows in full.
        for candidate in candidates where matched.contains(squeezed(candidate)) {
            return candidate
        }
        return titleTag
    }

    /// The first `<title>` outside inline SVG, whitespace collapsed; nil when empty.
    func titleElementText() -> String? {
        for element in document.elements(named: "title") {
            if element.ancestors.contains(where: { $0.name == "svg" }) { continue }
            let text = element.textContent.collapsingWhitespace()
            return text.isEmpty ? nil : text
        }
        return nil
    }

    /// The whole title and every piece before or after a separator, longest first,
    /// at least 4 characters.
    static func candidates(of title: String) -> [String] {
        var result: [String] = [title]
        // Real titles have a handful of separators; a title of thousands is not split.
        // (Never more characters than UTF-8 bytes: most titles are settled without counting.)
        guard title.utf8.count <= maximumSplitLength || title.count <= maximumSplitLength else { return result }
        // The squeezed length of each piece, computed once (the sort below needs it for
        // every comparison).
        var lengths: [Int] = [squeezed(title).count]
        var position = title.startIndex
        while position < title.endIndex {
            let next = title.index(after: position)
            if isSeparator(title[position]) {
                let before = String(title[..<position]).trimmingSeparators()
                let after = String(title[next...]).trimmingSeparators()
                for piece in [before, after] {
                    let length = squeezed(piece).count
                    if length >= 4 && !result.contains(piece) {
                        result.append(piece)
                        lengths.append(length)
                    }
                }
            }
            position = next
        }
        // Same comparisons as sorting the strings by squeezed length, so the same order.
        return zip(result, lengths).sorted { $0.1 > $1.1 }.map(\.0)
    }

    /// The squeezed candidates that equal the whole text of a heading-like body element.
    ///
    /// Only small heading-like elements are measured (their visible non-whitespace length,
    /// outside links, options and non-text elements, must be a candidate's): measuring every
    /// subtree of the page first was most of the title's cost.
    ///
    /// A handful of candidates: arrays, as hashing Chinese strings (normalising them) costs
    /// more than comparing them.
    private func headingMatches(for candidates: [String]) -> [String] {
        let storage = document.storage
        let wanted = candidates.map(squeezed)
        let lengths = wanted.map { $0.unicodeScalars.count }
        guard let maxLength = lengths.max() else { return [] }
        let excluded: HTMLTagKind = [.nonText, .linkOrOption]
        var found: [String] = []
        // Fields are read in place: copying a node record retains its strings and attributes.
        storage.nodes.withUnsafeBufferPointer { nodes in
            // Whether an element's class or id names a title, worked out once per element
            // (every child asks about its parent).
            var titleNamed = [Int8](repeating: -1, count: nodes.count)
            func namesTitle(_ index: Int) -> Bool {
                if titleNamed[index] < 0 { titleNamed[index] = Self.namesTitle(nodes[index]) ? 1 : 0 }
                return titleNamed[index] == 1
            }
            for index in nodes.indices where nodes[index].isElement {
                let end = nodes[index].end, parent = nodes[index].parent
                guard end - index <= 64,
                    nodes[index].kind.contains(.heading) || namesTitle(index) || (parent >= 0 && namesTitle(parent))
                else { continue }
                // Not inside (or itself) a link, an option or a non-text element.
                var ancestor = index
                var inside = false
                while ancestor >= 0 {
                    if !nodes[ancestor].kind.isDisjoint(with: excluded) {
                        inside = true
                        break
                    }
                    ancestor = nodes[ancestor].parent
                }
                if inside { continue }
                var length = 0
                var cursor = index + 1
                while cursor < end, length <= maxLength {
                    if nodes[cursor].isElement {
                        if !nodes[cursor].kind.isDisjoint(with: excluded) {
                            cursor = nodes[cursor].end
                            continue
                        }
                    } else {
                        length += nodes[cursor].text.nonWhitespaceScalarCount
                    }
                    cursor += 1
                }
                guard lengths.contains(length) else { continue }
                let text = squeezed(storage.subtreeText(index, limit: maxLength * 4 + 64))
                if wanted.contains(text), !found.contains(text) { found.append(text) }
            }
        }
        return found
    }

    /// Elements whose class or id says they hold a title (`title`, `bt`, `tit`).
    static func namesTitle(_ node: HTMLNodeRecord) -> Bool {
        node.attributes.contains { attribute in
            guard attribute.name == "class" || attribute.name == "id" else { return false }
            let value = attribute.value
            guard value.utf8.allSatisfy({ $0 < 0x80 }) else {
                let lowered = value.lowercased()
                return titleNames.contains(where: { lowered.utf8Contains($0) })
            }
            // ASCII (nearly every class and id): no lowercased copy per element.
            return titleNameBytes.contains(where: { value.asciiCaseInsensitiveContains($0) })
        }
    }

    /// What `namesTitle` looks for, lower-case ASCII.
    static let titleNames = ["title", "tit", "bt", "headline"]
    static let titleNameBytes = titleNames.map { Array($0.utf8) }
}

extension String {
    /// The number of Unicode scalars that are not whitespace (`isWhitespaceFast`), counted
    /// on the UTF-8 bytes.
    var nonWhitespaceScalarCount: Int {
        var text = self
        return text.withUTF8 { bytes in
            var count = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    if !(byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)) { count += 1 }
                    index += 1
                    continue
                }
                let whitespace = String.whitespaceLength(bytes, at: index, byte: byte)
                if whitespace > 0 {
                    index += whitespace
                    continue
                }
                count += 1
                index += byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            }
            return count
        }
    }

    func trimmingSeparators() -> String {
        var characters = Substring(self)
        while let first = characters.first, first.isWhitespace || TitleFinder.isSeparator(first) { characters.removeFirst() }
        while let last = characters.last, last.isWhitespace || TitleFinder.isSeparator(last) { characters.removeLast() }
        return String(characters)
    }
}

extension String {
    /// Whether `needle` (lower-case ASCII bytes) occurs, ASCII letters compared without case.
    func asciiCaseInsensitiveContains(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        func search(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard bytes.count >= needle.count else { return false }
            func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
            for start in 0...(bytes.count - needle.count) where lower(bytes[start]) == first {
                var offset = 1
                while offset < needle.count, lower(bytes[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            return false
        }
        if let found = utf8.withContiguousStorageIfAvailable(search) { return found }
        return Array(utf8).withUnsafeBufferPointer(search)
    }
}
