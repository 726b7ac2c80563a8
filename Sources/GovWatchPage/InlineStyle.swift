import Foundation

/// Decides whether markup hides an element, the way tampered pages hide dark links
/// (暗链): inline styles (`display:none`, `visibility:hidden`, zero width or height,
/// `font-size:0`, `opacity:0`, off-screen positioning, margins or text indent), the `hidden`
/// attribute, and `width="0"` / `height="0"` attributes (hidden iframes).
///
/// Inline markup is read here; class and id rules of the page's own `<style>` blocks are
/// read by `StyleSheetHiding`. Linked stylesheets are not fetched.
public enum InlineStyle {
    /// Offsets at or beyond this many pixels to the left or top put content off-screen.
    /// Legitimate layouts nudge by a few pixels; hiding tricks use -999px, -9999px.
    public static let offScreenThreshold = -500.0

    /// Whether the element's own attributes hide it (ancestors are not considered).
    public static func hides(_ element: HTMLElement) -> Bool {
        hiding(attributes: element.attributes) != nil
    }

    static func hides(attributes: [HTMLAttribute]) -> Bool {
        hiding(attributes: attributes) != nil
    }

    /// How the element's own attributes hide it (`display:none`, `visibility:hidden`,
    /// `zero-size`, `off-screen`, `opacity:0`, `hidden`), nil when they do not.
    static func hiding(attributes: [HTMLAttribute]) -> String? {
        var style: String?
        for attribute in attributes {
            switch attribute.name {
            case "hidden":
                return "hidden"
            case "width", "height":
                if isZeroLength(attribute.value) { return "zero-size" }
            case "style":
                style = attribute.value
            case "aria-hidden":
                break // hidden from screen readers only; still painted
            default:
                break
            }
        }
        guard let style else { return nil }
        return hiding(style: style)
    }

    /// Whether an inline `style` attribute value hides the element.
    public static func hides(style: String) -> Bool {
        hiding(style: style) != nil
    }

    /// How CSS declarations (an inline `style` value, or the body of a `<style>` rule) hide
    /// an element: `display:none`, `visibility:hidden`, `zero-size` (zero width, height or
    /// font size), `opacity:0` or `off-screen`; nil when they do not.
    public static func hiding(style: String) -> String? {
        var positioned = false
        var offsets: [Double] = []
        for declaration in style.split(separator: ";") {
            guard let colon = declaration.firstIndex(of: ":") else { continue }
            let property = declaration[..<colon].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            var value = declaration[declaration.index(after: colon)...]
                .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if let bang = value.range(of: "!important") { value = value[..<bang.lowerBound].trimmingCharacters(in: .whitespaces) }
            switch property {
            case "display":
                if value == "none" { return "display:none" }
            case "visibility":
                if value == "hidden" || value == "collapse" { return "visibility:hidden" }
            case "width", "height", "max-width", "max-height":
                if isZeroLength(value) { return "zero-size" }
            case "font-size":
                if isZeroLength(value) { return "zero-size" }
            case "opacity":
                if let number = Double(value), number <= 0 { return "opacity:0" }
            case "position":
                positioned = value == "absolute" || value == "fixed" || value == "relative" || value == "sticky"
            case "left", "top":
                if let pixels = pixels(value) { offsets.append(pixels) }
            case "margin-left", "margin-top", "text-indent":
                if let pixels = pixels(value), pixels <= offScreenThreshold { return "off-screen" }
            default:
                break
            }
        }
        if positioned, offsets.contains(where: { $0 <= offScreenThreshold }) { return "off-screen" }
        return nil
    }

    /// `0`, `0px`, `0.0em`, `0%` and the like.
    static func isZeroLength(_ value: String) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespaces).lowercased()
        guard let first = trimmed.first, first.isNumber || first == "." || first == "-" || first == "+" else { return false }
        let number = trimmed.prefix(while: { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" })
        let unit = trimmed.dropFirst(number.count)
        guard let parsed = Double(number), ["", "px", "em", "rem", "pt", "%", "vw", "vh", "cm", "mm", "in"].contains(String(unit)) else {
            return false
        }
        return parsed == 0
    }

    /// A CSS length in pixels (px, unitless, em/rem at 16px, pt), nil for other units.
    static func pixels(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix(while: { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" })
        guard let parsed = Double(number) else { return nil }
        switch trimmed.dropFirst(number.count) {
        case "", "px": return parsed
        case "em", "rem": return parsed * 16
        case "pt": return parsed * 4 / 3
        default: return nil
        }
    }
}
