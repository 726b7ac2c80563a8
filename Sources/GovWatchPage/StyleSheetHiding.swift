import Foundation

/// The hiding rules of a page's own `<style>` blocks: rules whose selector is a class or an
/// id (`.hide{display:none}`, `#lk{position:absolute;left:-9999px}`, `div.x{height:0;
/// overflow:hidden}`) and whose declarations hide what they select (see
/// `InlineStyle.hiding(style:)`).
///
/// Tampered pages hide dark links (暗链) this way as often as with inline styles. Only
/// simple selectors are read — an optional tag with classes and an id, no combinators or
/// pseudo-classes — which is how such rules are written; `@media print` blocks are skipped,
/// other `@media` and `@supports` blocks are read through.
struct StyleSheetHiding: Sendable {
    /// One rule: every part must match.
    struct Rule: Sendable {
        var tag: String?
        var classes: [String]
        var id: String?
        /// `display:none` etc.
        var hiding: String
        /// How the finding names it: `.hide`, `#lk`, `div.x`.
        var selector: String
    }

    /// Rules by their first class (`.x`) or id (`#x`).
    private(set) var rulesByKey: [String: [Rule]] = [:]

    var isEmpty: Bool { rulesByKey.isEmpty }

    init() {}

    /// Reads the `<style>` elements of parsed nodes.
    init(nodes: [HTMLNodeRecord]) {
        var css = ""
        for (index, node) in nodes.enumerated() where node.name == "style" {
            if let media = node.attributes.first(where: { $0.name == "media" })?.value.lowercased(),
                media.contains("print") && !media.contains("screen") && !media.contains("all")
            {
                continue
            }
            for child in (index + 1)..<node.end where !nodes[child].isElement {
                css += nodes[child].text
                css += "\n"
            }
        }
        self.init(css: css)
    }

    /// Reads a stylesheet's text.
    init(css: String) {
        guard css.contains("{") else { return }
        let text = Self.removingComments(css)
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            // Closing braces of enclosing @media blocks end up before the next prelude.
            let prelude = rest[..<open].drop { $0 == "}" || $0.isWhitespace }.trimmingCharacters(in: .whitespacesAndNewlines)
            let afterOpen = rest.index(after: open)
            if prelude.hasPrefix("@") {
                let lowered = prelude.lowercased()
                let transparent = (lowered.hasPrefix("@media") && !(lowered.contains("print") && !lowered.contains("screen")))
                    || lowered.hasPrefix("@supports")
                if transparent {
                    rest = rest[afterOpen...]
                } else {
                    rest = rest[Self.endOfBlock(rest, from: afterOpen)...]
                }
                continue
            }
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let declarations = String(rest[afterOpen..<close])
            rest = rest[rest.index(after: close)...]
            guard let hiding = InlineStyle.hiding(style: declarations) else { continue }
            for selector in prelude.split(separator: ",") {
                guard let rule = Self.rule(selector.trimmingCharacters(in: .whitespacesAndNewlines), hiding: hiding) else {
                    continue
                }
                let key = rule.classes.first.map { "." + $0 } ?? rule.id.map { "#" + $0 } ?? ""
                rulesByKey[key, default: []].append(rule)
            }
        }
    }

    /// How the rules hide an element with these attributes, e.g. `display:none, class .hide in <style>`.
    func hiding(name: String, attributes: [HTMLAttribute]) -> String? {
        guard !rulesByKey.isEmpty else { return nil }
        var classes: [Substring] = []
        var id: String?
        for attribute in attributes {
            if attribute.name == "class" {
                classes = attribute.value.split(whereSeparator: { $0.isWhitespace })
            } else if attribute.name == "id" {
                id = attribute.value.trimmingCharacters(in: .whitespaces)
            }
        }
        guard !classes.isEmpty || id != nil else { return nil }
        let inline = attributes.first { $0.name == "style" }?.value.lowercased() ?? ""
        var keys = classes.map { "." + $0 }
        if let id { keys.append("#" + id) }
        for key in keys {
            for rule in rulesByKey[key] ?? [] {
                if let tag = rule.tag, tag != name { continue }
                if let ruleID = rule.id, ruleID != id { continue }
                guard rule.classes.allSatisfy({ wanted in classes.contains { $0 == wanted } }) else { continue }
                // The element's own style attribute wins over the rule (a script showed it).
                if Self.overridden(rule.hiding, byInlineStyle: inline) { continue }
                let what = rule.classes.isEmpty && rule.id != nil ? "id" : "class"
                return "\(rule.hiding), \(what) \(rule.selector) in <style>"
            }
        }
        return nil
    }

    /// The properties whose inline value overrides a rule's way of hiding.
    static func overridden(_ hiding: String, byInlineStyle style: String) -> Bool {
        guard !style.isEmpty else { return false }
        let properties: [String]
        switch hiding {
        case "display:none": properties = ["display"]
        case "visibility:hidden": properties = ["visibility"]
        case "zero-size": properties = ["height", "width", "font-size"]
        case "opacity:0": properties = ["opacity"]
        default: properties = ["position", "left", "top", "margin", "text-indent"]
        }
        let declared = style.split(separator: ";").compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
        return declared.contains { name in properties.contains { name.hasPrefix($0) } }
    }

    /// Class names of page structure that templates hide by a rule until a script shows
    /// them (Angular's `ng-cloak`, a `.content, .footer {display:none}` shown on load):
    /// not where dark links hide.
    static let revealedByScript: Set<String> = [
        "content", "footer", "header", "main", "container", "wrapper", "wrap", "body", "page", "ng-cloak", "x-ng-cloak",
        "ng-hide", "loading",
    ]

    /// A simple selector (`.a`, `.a.b`, `#x`, `div.a`, `a#x`), nil for anything else.
    static func rule(_ selector: String, hiding: String) -> Rule? {
        guard !selector.isEmpty,
            !selector.contains(where: { $0.isWhitespace || ">+~:[*()\\".contains($0) })
        else { return nil }
        var tag: String?
        var classes: [String] = []
        var id: String?
        var current = ""
        var kind: Character = "t"
        func flush() -> Bool {
            switch kind {
            case "t": if !current.isEmpty { tag = current.lowercased() }
            case ".":
                guard !current.isEmpty else { return false }
                classes.append(current)
            default:
                guard !current.isEmpty, id == nil else { return false }
                id = current
            }
            current = ""
            return true
        }
        for character in selector {
            if character == "." || character == "#" {
                guard flush() else { return nil }
                kind = character
            } else {
                current.append(character)
            }
        }
        guard flush(), !classes.isEmpty || id != nil else { return nil }
        if classes.count == 1, id == nil, revealedByScript.contains(classes[0].lowercased()) { return nil }
        return Rule(tag: tag, classes: classes, id: id, hiding: hiding, selector: selector)
    }

    /// The text without `/* … */` comments.
    static func removingComments(_ css: String) -> String {
        guard css.contains("/*") else { return css }
        var result = ""
        var rest = css[...]
        while let open = rest.range(of: "/*") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "*/") else { return result }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The index after the `}` that closes a block whose `{` ends just before `start`.
    static func endOfBlock(_ text: Substring, from start: Substring.Index) -> Substring.Index {
        var depth = 1
        var index = start
        while index < text.endIndex {
            if text[index] == "{" { depth += 1 }
            if text[index] == "}" {
                depth -= 1
                if depth == 0 { return text.index(after: index) }
            }
            index = text.index(after: index)
        }
        return text.endIndex
    }
}
