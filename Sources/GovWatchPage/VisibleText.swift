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
    /// Whether the element is hidden by its own markup or an ancestor's (see `InlineStyle`).
    public var isHidden: Bool { storage.hidden[index] }
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
                    && String(decoding: output.string.utf8.suffix(written), as: UTF8.self).collapsingWhitespace().contains(title)
                if !alreadySaid { output.appendWords(title, node: open.index, element: nodes[open.index].name, attribute: "title") }
            }
            if open.isBlock { output.requestNewline() } else if cellElements.contains(nodes[open.index].name) { output.requestSpace() }
        }

        while index < nodes.count {
            while let last = stack.last, last.end <= index {
                stack.removeLast()
                close(last)
            }
            let node = nodes[index]
            if !node.isElement {
                output.appendText(node.text, node: index, element: node.parent >= 0 ? nodes[node.parent].name : "")
                index += 1
                continue
            }
            if nonTextElements.contains(node.name) || storage.hidden[index] {
                index = node.end
                continue
            }
            let isBlock = blockElements.contains(node.name)
            if isBlock { output.requestNewline() } else if cellElements.contains(node.name) { output.requestSpace() }
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
struct TextOutput {
    private(set) var string = ""
    private(set) var utf8Count = 0
    private var segments: [PageText.Segment] = []
    private var lineStarts: [Int] = [0]
    private var characterCount = 0
    private var line = 1
    private var column = 1
    private var pendingSpace = false
    private var pendingNewline = false
    private var lastWasNewline = true

    mutating func requestNewline() { pendingNewline = true }
    mutating func requestSpace() { pendingSpace = true }

    /// Appends a raw text node: leading/trailing whitespace become pending separators.
    mutating func appendText(_ raw: String, node: Int, element: String) {
        let scalars = raw.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return }
        if first.isWhitespaceFast { pendingSpace = true }
        let core = raw.collapsingWhitespace()
        if !core.isEmpty { appendWords(core, node: node, element: element, attribute: nil) }
        if last.isWhitespaceFast { pendingSpace = true }
    }

    /// Appends already-collapsed text as one segment.
    mutating func appendWords(_ words: String, node: Int, element: String, attribute: String?) {
        guard !words.isEmpty else { return }
        if !string.isEmpty {
            if pendingNewline {
                if !lastWasNewline { write("\n", newline: true) }
            } else if pendingSpace && !lastWasNewline {
                write(" ", newline: false)
            }
        }
        pendingNewline = false
        pendingSpace = false
        if attribute != nil && !lastWasNewline && !string.isEmpty && string.last != " " {
            write(" ", newline: false) // keep attribute text apart from its neighbours
        }
        let count = words.count
        segments.append(PageText.Segment(
            offset: characterCount, length: count, line: line, column: column,
            nodeIndex: node, element: element, attribute: attribute))
        string += words
        utf8Count += words.utf8.count
        characterCount += count
        column += count
        lastWasNewline = false
        if attribute != nil { pendingSpace = true }
    }

    private mutating func write(_ separator: String, newline: Bool) {
        string += separator
        utf8Count += 1
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
        PageText(string: string, segments: segments, lineStarts: lineStarts)
    }
}
