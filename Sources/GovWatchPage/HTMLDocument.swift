import CHTMLParser
import Foundation

/// A parsed HTML page: a read-only tree of elements and text, built by libxml2's HTML
/// parser (through the `CHTMLParser` facade) in recovery mode, so it copes with what
/// government CMSs actually serve — unquoted attributes, unclosed tags, stray markup.
///
/// The tree is stored flat, in document order (pre-order), with parent and sibling
/// indices. Nothing is recursive: building, querying and freeing a document of any depth
/// or size runs in linear time without growing the call stack.
public struct HTMLDocument: Sendable {
    /// Elements nested deeper than this are folded into their ancestor (their text is
    /// kept, their links are not). Unclosed tags in long CMS lists nest thousands deep,
    /// so the cap is generous; every algorithm over the tree is linear in its size
    /// whatever the depth.
    public static let maximumDepth = 10_000

    let storage: HTMLStorage

    /// How the bytes were decoded, when the document was made from bytes.
    public let decoding: DecodedText.Source?
    /// The character encoding the page was read in (an IANA-style name such as `UTF-8`
    /// or `GB18030`), when the document was made from bytes.
    public let charset: String?

    /// Parses already-decoded HTML.
    public init(html: String) {
        self.storage = HTMLStorage.parse(html)
        self.decoding = nil
        self.charset = nil
    }

    /// Decodes raw bytes (see `CharsetDetector`) and parses them.
    ///
    /// - Parameters:
    ///   - bytes: the response body or file contents.
    ///   - contentType: the HTTP `Content-Type` header, if any; its `charset` wins over
    ///     `<meta>` unless the bytes contradict it.
    public init(bytes: some Collection<UInt8>, contentType: String? = nil) {
        let decoded = CharsetDetector.decode(bytes, contentType: contentType)
        self.storage = HTMLStorage.parse(decoded.text)
        self.decoding = decoded.source
        self.charset = decoded.charset
    }

    /// The number of nodes (elements and text runs) in the tree.
    public var nodeCount: Int { storage.nodes.count }

    /// The outermost element (normally `<html>`), or nil for an empty document.
    public var root: HTMLElement? {
        var index = 0
        while index < storage.nodes.count {
            if storage.nodes[index].isElement { return HTMLElement(storage: storage, index: index) }
            index = storage.nodes[index].end
        }
        return nil
    }

    /// Every element in document order.
    public var elements: HTMLElementSequence {
        HTMLElementSequence(storage: storage, range: 0..<storage.nodes.count, name: nil)
    }

    /// Every element with the given tag name (lower case, e.g. `"a"`), in document order.
    public func elements(named name: String) -> HTMLElementSequence {
        HTMLElementSequence(storage: storage, range: 0..<storage.nodes.count, name: name.lowercased())
    }

    /// The first element with the given tag name, in document order.
    public func firstElement(named name: String) -> HTMLElement? {
        elements(named: name).first(where: { _ in true })
    }

    /// The `<base href>` of the document, if one is declared.
    public var baseHref: String? {
        for base in elements(named: "base") {
            if let href = base["href"]?.trimmingCharacters(in: .whitespacesAndNewlines), !href.isEmpty {
                return href
            }
        }
        return nil
    }

    /// The content of the first `<meta>` whose `name` (or `http-equiv`, or `property`)
    /// equals `name`, compared case-insensitively; nil when absent or empty.
    public func metaContent(_ name: String) -> String? {
        let wanted = name.lowercased()
        for meta in elements(named: "meta") {
            let key = (meta["name"] ?? meta["http-equiv"] ?? meta["property"])?.lowercased()
            guard key == wanted, let content = meta["content"] else { continue }
            let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { return trimmed }
        }
        return nil
    }
}

/// One attribute of an element, as written in the page (the name in lower case).
public struct HTMLAttribute: Hashable, Sendable {
    /// The attribute name in lower case.
    public var name: String
    /// The attribute value with character references resolved; empty for bare attributes.
    public var value: String
}

/// A node of the flat tree.
struct HTMLNodeRecord: Sendable {
    /// The lower-case tag name for elements; empty for text.
    var name: String
    /// The character data for text nodes; empty for elements.
    var text: String
    var attributes: [HTMLAttribute]
    /// Index of the parent element, -1 for top-level nodes.
    var parent: Int
    /// One past the index of the last descendant: descendants are `index + 1 ..< end`.
    var end: Int
    /// Index of the next sibling, -1 when last.
    var nextSibling: Int
    /// Depth in the tree (top-level nodes have depth 0).
    var depth: Int

    var isElement: Bool { !name.isEmpty }
}

/// The immutable node array shared by a document and the element handles into it.
final class HTMLStorage: Sendable {
    let nodes: [HTMLNodeRecord]
    /// Per node: hidden by its own markup or an ancestor's (see `InlineStyle`).
    let hidden: [Bool]

    init(nodes: [HTMLNodeRecord]) {
        self.nodes = nodes
        // Parents precede their children in the array, so one forward pass suffices.
        var hidden = [Bool](repeating: false, count: nodes.count)
        for index in nodes.indices {
            let parent = nodes[index].parent
            hidden[index] = (parent >= 0 && hidden[parent])
                || (nodes[index].isElement && InlineStyle.hides(attributes: nodes[index].attributes))
        }
        self.hidden = hidden
    }

    static func parse(_ html: String) -> HTMLStorage {
        var source = html
        // A leading byte order mark would otherwise become text before <html>.
        if source.unicodeScalars.first == "\u{FEFF}" { source.unicodeScalars.removeFirst() }
        let builder = HTMLTreeBuilder()
        let unmanaged = Unmanaged.passRetained(builder)
        defer { unmanaged.release() }
        var handler = gw_html_handler(
            context: unmanaged.toOpaque(),
            element_start: { context, name, count, names, values in
                guard let context, let name else { return }
                let builder = Unmanaged<HTMLTreeBuilder>.fromOpaque(context).takeUnretainedValue()
                var attributes: [HTMLAttribute] = []
                attributes.reserveCapacity(count)
                if let names, let values {
                    for index in 0..<count {
                        guard let attributeName = names[index] else { continue }
                        let value = values[index].map { String(cString: $0) } ?? ""
                        attributes.append(HTMLAttribute(name: String(cString: attributeName).lowercased(), value: value))
                    }
                }
                builder.startElement(String(cString: name).lowercased(), attributes: attributes)
            },
            element_end: { context in
                guard let context else { return }
                Unmanaged<HTMLTreeBuilder>.fromOpaque(context).takeUnretainedValue().endElement()
            },
            text: { context, bytes, length in
                guard let context, let bytes, length > 0 else { return }
                let text = bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                }
                Unmanaged<HTMLTreeBuilder>.fromOpaque(context).takeUnretainedValue().appendText(text)
            }
        )
        var utf8 = Array(source.utf8)
        if utf8.isEmpty { return HTMLStorage(nodes: []) }
        defuseOversizedTags(&utf8)
        _ = utf8.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                gw_html_parse(pointer, buffer.count, "UTF-8", HTMLDocument.maximumDepth, &handler)
            }
        }
        return HTMLStorage(nodes: builder.finish())
    }
}

/// Longest start tag passed to libxml2 unchanged (see `defuseOversizedTags`).
let maximumTagBytes = 65_536

/// libxml2 checks each new attribute against all earlier ones of the element, so one
/// tag with 100,000 attributes takes minutes. A tag that runs on for more than
/// `maximumTagBytes` is ended early, at its next ASCII space (never inside a UTF-8
/// sequence). Real tags — even inline images as data: URIs, which hold no spaces —
/// are unaffected; inside a quoted value the inserted `>` is only a character.
func defuseOversizedTags(_ bytes: inout [UInt8]) {
    var tagStart = -1
    var index = 0
    let count = bytes.count
    while index < count {
        let byte = bytes[index]
        if tagStart < 0 {
            if byte == UInt8(ascii: "<"), index + 1 < count {
                let next = bytes[index + 1] | 0x20
                if next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z") { tagStart = index }
            }
        } else if byte == UInt8(ascii: ">") {
            tagStart = -1
        } else if byte == UInt8(ascii: " ") && index - tagStart > maximumTagBytes {
            bytes[index] = UInt8(ascii: ">")
            tagStart = -1
        }
        index += 1
    }
}

/// Receives the facade's events and lays the nodes out flat.
final class HTMLTreeBuilder {
    private(set) var nodes: [HTMLNodeRecord] = []
    /// Open elements, innermost last.
    private var open: [Int] = []
    /// The last child seen for each open element (and for the top level at index 0).
    private var lastChild: [Int] = [-1]

    func startElement(_ name: String, attributes: [HTMLAttribute]) {
        let index = nodes.count
        link(index)
        nodes.append(HTMLNodeRecord(
            name: name.isEmpty ? "_" : name, text: "", attributes: attributes,
            parent: open.last ?? -1, end: index + 1, nextSibling: -1, depth: open.count))
        open.append(index)
        lastChild.append(-1)
    }

    func endElement() {
        guard let index = open.popLast() else { return }
        lastChild.removeLast()
        nodes[index].end = nodes.count
    }

    func appendText(_ text: String) {
        // Adjacent text runs (split by comments or by libxml2's buffering) become one node.
        if let previous = lastChild.last, previous >= 0, !nodes[previous].isElement {
            nodes[previous].text += text
            return
        }
        let index = nodes.count
        link(index)
        nodes.append(HTMLNodeRecord(
            name: "", text: text, attributes: [], parent: open.last ?? -1,
            end: index + 1, nextSibling: -1, depth: open.count))
    }

    private func link(_ index: Int) {
        if let previous = lastChild.last, previous >= 0 { nodes[previous].nextSibling = index }
        lastChild[lastChild.count - 1] = index
    }

    func finish() -> [HTMLNodeRecord] {
        while !open.isEmpty { endElement() }
        return nodes
    }
}

/// A handle on one element of an `HTMLDocument`. Cheap to copy; valid as long as any
/// copy of the document or of a handle into it is alive.
public struct HTMLElement: Sendable, Hashable {
    let storage: HTMLStorage
    /// The element's position in document order among all nodes.
    public let index: Int

    init(storage: HTMLStorage, index: Int) {
        self.storage = storage
        self.index = index
    }

    public static func == (lhs: HTMLElement, rhs: HTMLElement) -> Bool {
        lhs.storage === rhs.storage && lhs.index == rhs.index
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(storage))
        hasher.combine(index)
    }

    var record: HTMLNodeRecord { storage.nodes[index] }

    /// The lower-case tag name, e.g. `"a"`.
    public var name: String { record.name }

    /// The attributes in source order.
    public var attributes: [HTMLAttribute] { record.attributes }

    /// The value of the named attribute (case-insensitive name), nil when absent.
    public subscript(attribute: String) -> String? {
        let wanted = attribute.lowercased()
        return record.attributes.first(where: { $0.name == wanted })?.value
    }

    /// Whether the attribute is present (even without a value, like `hidden`).
    public func hasAttribute(_ attribute: String) -> Bool {
        let wanted = attribute.lowercased()
        return record.attributes.contains(where: { $0.name == wanted })
    }

    /// The depth in the tree: 0 for `<html>`.
    public var depth: Int { record.depth }

    /// The parent element, nil for the root.
    public var parent: HTMLElement? {
        let parent = record.parent
        return parent >= 0 ? HTMLElement(storage: storage, index: parent) : nil
    }

    /// The ancestors, nearest first.
    public var ancestors: [HTMLElement] {
        var result: [HTMLElement] = []
        var current = record.parent
        while current >= 0 {
            result.append(HTMLElement(storage: storage, index: current))
            current = storage.nodes[current].parent
        }
        return result
    }

    /// The child elements in order (text children are reachable through `childNodes`).
    public var children: [HTMLElement] {
        childNodes.compactMap { if case .element(let element) = $0 { element } else { nil } }
    }

    /// The child nodes — elements and text runs — in order.
    public var childNodes: [HTMLNode] {
        var result: [HTMLNode] = []
        var current = index + 1 < record.end ? index + 1 : -1
        while current >= 0 {
            let node = storage.nodes[current]
            result.append(node.isElement ? .element(HTMLElement(storage: storage, index: current)) : .text(node.text))
            current = node.nextSibling
        }
        return result
    }

    /// Every element inside this one, in document order.
    public var descendants: HTMLElementSequence {
        HTMLElementSequence(storage: storage, range: (index + 1)..<record.end, name: nil)
    }

    /// The elements inside this one with the given tag name, in document order.
    public func descendants(named name: String) -> HTMLElementSequence {
        HTMLElementSequence(storage: storage, range: (index + 1)..<record.end, name: name.lowercased())
    }

    /// Whether `other` is inside this element.
    public func contains(_ other: HTMLElement) -> Bool {
        storage === other.storage && other.index > index && other.index < record.end
    }

    /// All character data inside the element, concatenated in document order without
    /// any whitespace processing (script and style content included). For reading text
    /// as a person sees it use `HTMLDocument.visibleText()`.
    public var textContent: String {
        var result = ""
        for node in storage.nodes[(index + 1)..<record.end] where !node.isElement {
            result += node.text
        }
        return result
    }

    /// The text content with runs of whitespace collapsed to one space, trimmed.
    public var normalizedText: String { textContent.collapsingWhitespace() }
}

/// A child of an element: another element or a run of text.
public enum HTMLNode: Sendable, Hashable {
    /// A child element.
    case element(HTMLElement)
    /// A run of character data.
    case text(String)
}

/// Elements of a document range in document order, optionally only those of one tag name.
public struct HTMLElementSequence: Sequence, Sendable {
    let storage: HTMLStorage
    let range: Range<Int>
    let name: String?

    /// Iterates the elements.
    public struct Iterator: IteratorProtocol {
        let storage: HTMLStorage
        var position: Int
        let end: Int
        let name: String?

        public mutating func next() -> HTMLElement? {
            while position < end {
                let index = position
                position += 1
                let node = storage.nodes[index]
                if node.isElement && (name == nil || node.name == name) {
                    return HTMLElement(storage: storage, index: index)
                }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(storage: storage, position: range.lowerBound, end: range.upperBound, name: name)
    }
}

extension Unicode.Scalar {
    /// `properties.isWhitespace` (the `White_Space` property) without the property-table
    /// lookup for ASCII and for everything above U+3000, the last whitespace character —
    /// which covers Chinese text: the lookup per scalar was a hot spot of page analysis.
    var isWhitespaceFast: Bool {
        let value = self.value
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        if value > 0x3000 { return false }
        return properties.isWhitespace
    }
}

extension String {
    /// Runs of whitespace (including no-break and ideographic spaces) collapsed to one
    /// ASCII space, leading and trailing whitespace removed.
    ///
    /// Works on the UTF-8 bytes: the Unicode whitespace property looked up per scalar was a
    /// tenth of the crawler's CPU time. The characters are exactly those with the
    /// `White_Space` property (`Unicode.Scalar.Properties.isWhitespace`).
    func collapsingWhitespace() -> String {
        var source = self
        return source.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { output in
                var written = 0
                var pendingSpace = false
                var index = 0
                let count = bytes.count
                while index < count {
                    let byte = bytes[index]
                    let length = Self.whitespaceLength(bytes, at: index, byte: byte)
                    if length > 0 {
                        pendingSpace = written > 0
                        index += length
                        continue
                    }
                    if pendingSpace {
                        output[written] = 0x20
                        written += 1
                        pendingSpace = false
                    }
                    output[written] = byte
                    written += 1
                    index += 1
                }
                return written
            }
        }
    }

    /// The byte length of the whitespace character starting at `index`, 0 when there is none:
    /// U+0009–000D, U+0020, U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F,
    /// U+205F, U+3000.
    @inline(__always)
    private static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, byte: UInt8) -> Int {
        if byte < 0x80 { return byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) ? 1 : 0 }
        switch byte {
        case 0xC2:
            guard index + 1 < bytes.count else { return 0 }
            let next = bytes[index + 1]
            return next == 0x85 || next == 0xA0 ? 2 : 0
        case 0xE1:
            guard index + 2 < bytes.count else { return 0 }
            return bytes[index + 1] == 0x9A && bytes[index + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard index + 2 < bytes.count else { return 0 }
            let second = bytes[index + 1], third = bytes[index + 2]
            if second == 0x80 { return (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0 }
            return second == 0x81 && third == 0x9F ? 3 : 0
        case 0xE3:
            guard index + 2 < bytes.count else { return 0 }
            return bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }
}
