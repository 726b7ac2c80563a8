import Foundation

/// The text of a page as a reader sees it, with where each piece came from.
///
/// Block elements (paragraphs, list items, table rows, headings, `<br>`) start new
/// lines; whitespace runs collapse to one space; `script`, `style`, `noscript`,
/// `template`, the `head` and hidden elements (see `InlineStyle`) are left out. When
/// attribute text is included, an image's `alt` is read where the image stands and an
/// element's `title` after its content, unless the content already says it.
///
/// Scanners report problems by line and column of this text (1-based, in characters);
/// `location(ofCharacterOffset:)` and `segments` map back to the page.
public struct PageText: Sendable {
    /// One contiguous piece of the text taken from one text node or attribute.
    public struct Segment: Sendable, Hashable {
        /// Offset of the first character in `PageText.string`, in characters.
        public var offset: Int
        /// Length in characters.
        public var length: Int
        /// 1-based line of the first character.
        public var line: Int
        /// 1-based column (in characters) of the first character.
        public var column: Int
        /// Index of the node (text node, or the element of an attribute) in document order.
        public var nodeIndex: Int
        /// The lower-case tag name of the element holding the text.
        public var element: String
        /// The attribute the text came from (`alt`, `title`), nil for element text.
        public var attribute: String?
    }

    /// The whole text; lines separated by `\n`.
    public let string: String
    /// The pieces in document order.
    public let segments: [Segment]
    /// Character offsets at which each line starts (line 1 at index 0).
    let lineStarts: [Int]

    /// The 1-based line and column of a character offset into `string`.
    public func location(ofCharacterOffset offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    /// The lines of the text.
    public var lines: [Substring] { string.split(separator: "\n", omittingEmptySubsequences: false) }
}

extension HTMLDocument {
    /// The visible text of the page in document order (see `PageText`).
    ///
    /// - Parameter includeAttributes: whether `alt` and `title` attribute text is read.
    public func visibleText(includeAttributes: Bool = true) -> PageText {
        VisibleTextBuilder(storage: storage, includeAttributes: includeAttributes).build()
    }

    /// Whether the element is hidden by its own markup or an ancestor's (see `InlineStyle`).
    public func isHidden(_ element: HTMLElement) -> Bool {
        storage.hidden[element.index]
    }
}

extension HTMLElement {
    /// Whether the element is hidden by its own inline markup or an ancestor's (see
    /// `InlineStyle`); `hiding` also reads the page's `<style>` rules.
    public var isHidden: Bool { storage.hidden[index] }

    /// How the element is hidden from a reader, when it is — by inline markup (see
    /// `isHidden`) or by a rule of the page's `<style>`: `display:none`,
    /// `visibility:hidden`, `zero-size`, `off-screen`, `opacity:0`, `hidden` (the
    /// attribute), with `, class .x in <style>` when a rule does it, and prefixed
    /// `hidden-parent <div>, ` when an ancestor is hidden. What dark links are judged by.
    public var hiding: String? { storage.hiding(index) }
}

/// Tags whose content is never shown as text.
let nonTextElements: Set<String> = [
    "script", "style", "noscript", "template", "head", "title", "iframe", "frame", "frameset",
    "object", "embed", "svg", "math", "applet", "canvas", "audio", "video",
]

/// Tags that begin and end a line of text.
let blockElements: Set<String> = [
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
    "thead", "tr", "ul", "marquee", "select", "textarea",
]

/// Table cells: kept on their row's line, separated by a space.
let cellElements: Set<String> = ["td", "th"]

struct VisibleTextBuilder {
    let storage: HTMLStorage
    let includeAttributes: Bool

    private struct Open {
        var index: Int
        var end: Int
        var isBlock: Bool
        var title: String?
        var startUTF8: Int
    }

    func build() -> PageText {
        var output = TextOutput()
        let nodes = storage.nodes
        var stack: [Open] = []
        var index = 0

        func close(_ open: Open) {
            if let title = open.title {
                let written = output.utf8Count - open.startUTF8
                let alreadySaid = written > 0 && written <= 4096
                    && output.suffix(utf8Count: written).collapsingWhitespace().contains(title)
                if !alreadySaid { output.appendWords(title, node: open.index, element: nodes[open.index].name, attribute: "title") }
            }
            if open.isBlock { output.requestNewline() } else if nodes[open.index].kind.contains(.cell) { output.requestSpace() }
        }

        while index < nodes.count {
            while let last = stack.last, last.end <= index {
                stack.removeLast()
                close(last)
            }
            if !nodes[index].isElement {
                let parent = nodes[index].parent
                output.appendText(nodes[index].text, node: index, element: parent >= 0 ? nodes[parent].name : "")
                index += 1
                continue
            }
            let kind = nodes[index].kind
            if kind.contains(.nonText) || storage.hidden[index] {
                index = nodes[index].end
                continue
            }
            let node = nodes[index]
            let isBlock = kind.contains(.block)
            if isBlock { output.requestNewline() } else if kind.contains(.cell) { output.requestSpace() }
            var title: String?
            if includeAttributes {
                if node.name == "img" || node.name == "area" || (node.name == "input" && node.attributes.contains(where: { $0.name == "type" && $0.value.lowercased() == "image" })) {
                    if let alt = node.attributes.first(where: { $0.name == "alt" })?.value.collapsingWhitespace(), !alt.isEmpty {
                        output.appendWords(alt, node: index, element: node.name, attribute: "alt")
                    }
                }
                if let value = node.attributes.first(where: { $0.name == "title" })?.value.collapsingWhitespace(),
                   !value.isEmpty,
                   value != node.attributes.first(where: { $0.name == "alt" })?.value.collapsingWhitespace() {
                    title = value
                }
            }
            stack.append(Open(index: index, end: node.end, isBlock: isBlock, title: title, startUTF8: output.utf8Count))
            index += 1
        }
        while let last = stack.popLast() { close(last) }
        return output.finish()
    }
}

/// Accumulates text with collapsed whitespace and tracks positions.
///
/// The text is kept as UTF-8 bytes and turned into a `String` once, in `finish()`: every
/// piece appended is valid UTF-8 cut at whitespace boundaries, so the result is the same
/// as appending `String`s, without a `String` per text node.
struct TextOutput {
    private var bytes: [UInt8] = []
    private var segments: [PageText.Segment] = []
    private var lineStarts: [Int] = [0]
    private var characterCount = 0
    private var line = 1
    private var column = 1
    private var pendingSpace = false
    private var pendingNewline = false
    private var lastWasNewline = true
    /// Reused buffer for the collapsed form of one text node.
    private var scratch: [UInt8] = []

    var utf8Count: Int { bytes.count }

    /// The last `count` bytes written, as text.
    func suffix(utf8Count count: Int) -> String {
        String(decoding: bytes[(bytes.count - count)...], as: UTF8.self)
    }

    mutating func requestNewline() { pendingNewline = true }
    mutating func requestSpace() { pendingSpace = true }

    /// Appends a raw text node: leading/trailing whitespace become pending separators.
    mutating func appendText(_ raw: String, node: Int, element: String) {
        var raw = raw
        raw.withUTF8 { source in
            guard !source.isEmpty else { return }
            if String.whitespaceLength(source, at: 0, byte: source[0]) > 0 { pendingSpace = true }
            scratch.removeAll(keepingCapacity: true)
            String.appendCollapsingWhitespace(source, to: &scratch)
            if !scratch.isEmpty {
                let words = scratch
                words.withUnsafeBufferPointer { appendWords(utf8: $0, node: node, element: element, attribute: nil) }
            }
            if String.endsWithWhitespace(source) { pendingSpace = true }
        }
    }

    /// Appends already-collapsed text as one segment.
    mutating func appendWords(_ words: String, node: Int, element: String, attribute: String?) {
        var words = words
        words.withUTF8 { appendWords(utf8: $0, node: node, element: element, attribute: attribute) }
    }

    /// Appends already-collapsed text (valid UTF-8, no leading or trailing whitespace) as
    /// one segment.
    private mutating func appendWords(utf8 words: UnsafeBufferPointer<UInt8>, node: Int, element: String, attribute: String?) {
        guard !words.isEmpty else { return }
        if !bytes.isEmpty {
            if pendingNewline {
                if !lastWasNewline { write(0x0A, newline: true) }
            } else if pendingSpace && !lastWasNewline {
                write(0x20, newline: false)
            }
        }
        pendingNewline = false
        pendingSpace = false
        if attribute != nil && !lastWasNewline && !bytes.isEmpty && !lastCharacterIsSpace() {
            write(0x20, newline: false) // keep attribute text apart from its neighbours
        }
        let count = GovWatchPage.characterCount(of: words)
        segments.append(PageText.Segment(
            offset: characterCount, length: count, line: line, column: column,
            nodeIndex: node, element: element, attribute: attribute))
        bytes.append(contentsOf: words)
        characterCount += count
        column += count
        lastWasNewline = false
        if attribute != nil { pendingSpace = true }
    }

    /// Whether the text so far ends with the character `" "` (what `string.last == " "`
    /// would say). Only a written separator ends in a space byte; a space is its own
    /// character unless a prepended-concatenation mark precedes it, so the tail is
    /// decoded to let `Character` decide.
    private func lastCharacterIsSpace() -> Bool {
        guard bytes.last == 0x20 else { return false }
        var start = max(0, bytes.count - 16)
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return String(decoding: bytes[start...], as: UTF8.self).last == " "
    }

    private mutating func write(_ separator: UInt8, newline: Bool) {
        bytes.append(separator)
        characterCount += 1
        if newline {
            line += 1
            column = 1
            lineStarts.append(characterCount)
            lastWasNewline = true
        } else {
            column += 1
        }
    }

    func finish() -> PageText {
        PageText(string: String(decoding: bytes, as: UTF8.self), segments: segments, lineStarts: lineStarts)
    }
}

/// The number of `Character`s (extended grapheme clusters) in valid UTF-8 text — what
/// `String.count` says — without running grapheme breaking when every scalar is one that
/// always stands alone as a character. Grapheme breaking on long Chinese text was a hot
/// spot of page analysis; text with anything that could join (combining marks, joiners,
/// Hangul, emoji modifiers, CR) takes the exact path.
func characterCount(of utf8: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    var index = 0
    let end = utf8.count
    while index < end {
        let byte = utf8[index]
        if byte < 0x80 {
            if byte == 0x0D { return slowCharacterCount(utf8) } // CR LF is one character
            index += 1
        } else if byte >= 0xE4 && byte <= 0xE9 {
            // U+4000–U+9FFF, the bulk of Chinese text: ideographs and Yijing symbols, none of which joins.
            index += 3
        } else if byte < 0xE0 {
            // U+0080–U+07FF: only U+0080–U+02FF never joins (combining marks start at U+0300).
            guard byte < 0xCC, index + 1 < end else { return slowCharacterCount(utf8) }
            index += 2
        } else if byte < 0xF0 {
            guard index + 2 < end else { return slowCharacterCount(utf8) }
            let scalar = (UInt32(byte & 0x0F) << 12) | (UInt32(utf8[index + 1] & 0x3F) << 6) | UInt32(utf8[index + 2] & 0x3F)
            guard standsAlone(scalar) else { return slowCharacterCount(utf8) }
            index += 3
        } else {
            return slowCharacterCount(utf8)
        }
        count += 1
    }
    return count
}

/// Three-byte scalars common in Chinese pages that are never part of a larger character:
/// no Extend, SpacingMark, Prepend, ZWJ, Hangul or regional-indicator scalars among them.
@inline(__always)
private func standsAlone(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, // CJK ideographs
         0x3000...0x3029, 0x3030...0x3098, 0x309B...0x30FF, // CJK punctuation, kana (not U+302A–302F, U+3099–309A)
         0xFF00...0xFF9D, // full-width forms (not the half-width voiced marks U+FF9E–FF9F)
         0x2010...0x2027, 0x2030...0x205E: // general punctuation (not ZWJ/ZWNJ, not format characters)
        return true
    default:
        return false
    }
}

private func slowCharacterCount(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
    String(decoding: utf8, as: UTF8.self).count
}
