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
    /// What the tag name means to text extraction, looked up once at parse time instead
    /// of hashing the name into `nonTextElements` / `blockElements` / `cellElements` per visit.
    var kind: HTMLTagKind = []

    var isElement: Bool { !name.isEmpty }
}

/// Membership of an element's tag name in the tag sets of text extraction.
struct HTMLTagKind: OptionSet, Sendable {
    let rawValue: UInt8
    /// In `nonTextElements`.
    static let nonText = HTMLTagKind(rawValue: 1)
    /// In `blockElements`.
    static let block = HTMLTagKind(rawValue: 2)
    /// In `cellElements`.
    static let cell = HTMLTagKind(rawValue: 4)
    /// In `TitleFinder.headingLike`.
    static let heading = HTMLTagKind(rawValue: 8)
    /// `a` or `option`: text that never is a heading.
    static let linkOrOption = HTMLTagKind(rawValue: 16)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(name: String) {
        var kind: HTMLTagKind = []
        if nonTextElements.contains(name) { kind.insert(.nonText) }
        if blockElements.contains(name) { kind.insert(.block) }
        if cellElements.contains(name) { kind.insert(.cell) }
        if TitleFinder.headingLike.contains(name) { kind.insert(.heading) }
        if name == "a" || name == "option" { kind.insert(.linkOrOption) }
        self = kind
    }
}

/// Tag and attribute names seen while building one document, so that each distinct name
/// becomes a `String` (and an `HTMLTagKind`) once per document rather than once per node.
/// libxml2 reports names in lower case already; anything else takes `lowercased()` as before.
struct HTMLNameTable {
    private var keys: [UInt64] = []
    private var names: [String] = []
    private var kinds: [HTMLTagKind] = []

    /// The name (lower case) and its kind for a NUL-terminated C name.
    mutating func name(_ cName: UnsafePointer<CChar>) -> (String, HTMLTagKind) {
        // Names of up to 8 bytes (nearly all of them) are looked up by their bytes packed
        // into one integer, in a small open-addressing table.
        var key: UInt64 = 0
        var length = 0
        let bytes = UnsafeRawPointer(cName).assumingMemoryBound(to: UInt8.self)
        while length < 9, bytes[length] != 0 {
            if length < 8 { key |= UInt64(bytes[length]) << (8 * UInt64(length)) }
            length += 1
        }
        guard length <= 8, length > 0 else {
            let name = String(cString: cName).lowercased()
            return (name, HTMLTagKind(name: name))
        }
        if slots.isEmpty { slots = [Int32](repeating: -1, count: Self.slotCount) }
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 57) // 7 bits: 128 slots
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if keys[Int(entry)] == key { return (names[Int(entry)], kinds[Int(entry)]) }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        let name = String(cString: cName).lowercased()
        let kind = HTMLTagKind(name: name)
        // A full table (a hostile page with endless invented tags) just stops caching.
        if keys.count < Self.slotCount / 2 {
            slots[slot] = Int32(keys.count)
            keys.append(key)
            names.append(name)
            kinds.append(kind)
        }
        return (name, kind)
    }

    private static let slotCount = 128
    private var slots: [Int32] = []
}

/// The immutable node array shared by a document and the element handles into it.
final class HTMLStorage: Sendable {
    let nodes: [HTMLNodeRecord]
    /// Per node: hidden by its own inline markup or an ancestor's (see `InlineStyle`): what
    /// the visible text, lists and identity leave out.
    let hidden: [Bool]
    /// Per node: the element whose markup hides it — inline, or by a rule of the page's
    /// `<style>` (see `StyleSheetHiding`) — itself or an ancestor; -1 when visible. What
    /// links are judged by (dark links): `<style>` rules are read for links only, because
    /// pages also hide whole blocks by a rule until a script shows them.
    let hidingOrigin: [Int32]
    /// The hiding rules of the page's `<style>` blocks.
    let styleSheet: StyleSheetHiding

    init(nodes: [HTMLNodeRecord]) {
        self.nodes = nodes
        let styleSheet = StyleSheetHiding(nodes: nodes)
        // Parents precede their children in the array, so one forward pass suffices.
        var hidden = [Bool](repeating: false, count: nodes.count)
        var origin = [Int32](repeating: -1, count: nodes.count)
        for index in nodes.indices {
            let parent = nodes[index].parent
            let node = nodes[index]
            let inline = node.isElement && InlineStyle.hides(attributes: node.attributes)
            hidden[index] = (parent >= 0 && hidden[parent]) || inline
            if parent >= 0 && origin[parent] >= 0 {
                origin[index] = origin[parent]
            } else if inline || (node.isElement && styleSheet.hiding(name: node.name, attributes: node.attributes) != nil) {
                origin[index] = Int32(index)
            }
        }
        self.hidden = hidden
        self.hidingOrigin = origin
        self.styleSheet = styleSheet
    }

    /// How node `index` is hidden: its own markup (`display:none`, `off-screen`,
    /// `display:none, class .hide in <style>` …) or `hidden-parent <div>, …` with the hiding
    /// ancestor's; nil when it is visible.
    func hiding(_ index: Int) -> String? {
        let origin = Int(hidingOrigin[index])
        guard origin >= 0 else { return nil }
        let node = nodes[origin]
        let own = InlineStyle.hiding(attributes: node.attributes)
            ?? styleSheet.hiding(name: node.name, attributes: node.attributes) ?? "hidden"
        return origin == index ? own : "hidden-parent <\(node.name)>, " + own
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
                if count > 0, let names, let values {
                    attributes.reserveCapacity(count)
                    for index in 0..<count {
                        guard let attributeName = names[index] else { continue }
                        let value = values[index].map { String(cString: $0) } ?? ""
                        attributes.append(HTMLAttribute(name: builder.names.name(attributeName).0, value: value))
                    }
                }
                let (tag, kind) = builder.names.name(name)
                builder.startElement(tag, kind: kind, attributes: attributes)
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
        source.withUTF8 { original in
            guard !original.isEmpty else { return }
            // Pages almost never hold an oversized tag: parse the string's own bytes then,
            // and copy only to defuse one.
            let breaks = oversizedTagBreaks(original)
            if breaks.isEmpty {
                original.baseAddress!.withMemoryRebound(to: CChar.self, capacity: original.count) { pointer in
                    _ = gw_html_parse(pointer, original.count, "UTF-8", HTMLDocument.maximumDepth, &handler)
                }
            } else {
                var utf8 = Array(original)
                for position in breaks { utf8[position] = UInt8(ascii: ">") }
                _ = utf8.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                        gw_html_parse(pointer, buffer.count, "UTF-8", HTMLDocument.maximumDepth, &handler)
                    }
                }
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
    let breaks = bytes.withUnsafeBufferPointer { oversizedTagBreaks($0) }
    for position in breaks { bytes[position] = UInt8(ascii: ">") }
}

/// The positions `defuseOversizedTags` turns into `>`. Skips from `<` to `>` with
/// `memchr` rather than looking at every byte: this runs over every page.
func oversizedTagBreaks(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
    guard let base = bytes.baseAddress else { return [] }
    let count = bytes.count
    var breaks: [Int] = []
    /// The first position of `byte` in `from..<to`, or nil.
    func find(_ byte: UInt8, from: Int, to: Int) -> Int? {
        guard from < to, let found = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
    }
    var index = 0
    while let open = find(UInt8(ascii: "<"), from: index, to: count) {
        index = open + 1
        guard open + 1 < count else { break }
        let next = bytes[open + 1] | 0x20
        guard next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z") else { continue }
        // Inside a tag: it ends at the next `>`, or — when that is more than
        // `maximumTagBytes` away — at the first space past the limit, where a `>` goes.
        let close = find(UInt8(ascii: ">"), from: open + 1, to: count)
        let limit = open + maximumTagBytes + 1
        if let close, close < limit {
            index = close + 1
        } else if let space = find(UInt8(ascii: " "), from: limit, to: close ?? count) {
            breaks.append(space)
            index = space + 1
        } else {
            index = close.map { $0 + 1 } ?? count
        }
    }
    return breaks
}

/// Receives the facade's events and lays the nodes out flat.
final class HTMLTreeBuilder {
    private(set) var nodes: [HTMLNodeRecord] = []
    var names = HTMLNameTable()
    /// Open elements, innermost last.
    private var open: [Int] = []
    /// The last child seen for each open element (and for the top level at index 0).
    private var lastChild: [Int] = [-1]

    func startElement(_ name: String, kind: HTMLTagKind, attributes: [HTMLAttribute]) {
        let index = nodes.count
        link(index)
        nodes.append(HTMLNodeRecord(
            name: name.isEmpty ? "_" : name, text: "", attributes: attributes,
            parent: open.last ?? -1, end: index + 1, nextSibling: -1, depth: open.count,
            kind: name.isEmpty ? HTMLTagKind(name: "_") : kind))
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
            bytes.isEmpty ? "" : String(unsafeUninitializedCapacity: bytes.count) { output in
                Self.collapseWhitespace(bytes, into: output.baseAddress!)
            }
        }
    }

    /// Writes `bytes` with whitespace collapsed (see `collapsingWhitespace()`) to `output`,
    /// which has room for `bytes.count` bytes; returns the number written.
    @inline(__always)
    static func collapseWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        var pendingSpace = false
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            // Lead bytes E4–EF start three-byte characters that are never whitespace (most
            // of Chinese text): copy them whole.
            if byte >= 0xE4 && byte <= 0xEF && index + 2 < count {
                if pendingSpace {
                    output[written] = 0x20
                    written += 1
                    pendingSpace = false
                }
                output[written] = byte
                output[written + 1] = bytes[index + 1]
                output[written + 2] = bytes[index + 2]
                written += 3
                index += 3
                continue
            }
            let length = whitespaceLength(bytes, at: index, byte: byte)
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

    /// Appends `bytes` with whitespace collapsed (see `collapsingWhitespace()`) to `output`.
    static func appendCollapsingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bytes.count))
        let written = output.withUnsafeMutableBufferPointer { buffer in
            collapseWhitespace(bytes, into: buffer.baseAddress! + start)
        }
        output.removeLast(bytes.count - written)
    }

    /// Whether valid UTF-8 text ends with a whitespace character.
    static func endsWithWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard var start = bytes.indices.last else { return false }
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return whitespaceLength(bytes, at: start, byte: bytes[start]) == bytes.count - start
    }

    /// The byte length of the whitespace character starting at `index`, 0 when there is none:
    /// U+0009–000D, U+0020, U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F,
    /// U+205F, U+3000.
    @inline(__always)
    static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, byte: UInt8) -> Int {
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
