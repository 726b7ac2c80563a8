import Foundation
import GovWatchCore

/// A finding's evidence cut into parts around the problem, for showing the problem
/// highlighted in its sentence.
///
/// The parts are plain text: the template escapes each one and wraps the marked part in
/// `<mark>`; no HTML is ever put into crawled text. Content findings store their excerpt as
/// `…before【problem】after…` (`ContentExcerpt`), with personal information already masked;
/// other findings are searched for the term their detail names (`wrong`, `masked`, `term`).
public struct EvidencePart: Sendable, Equatable {
    public var text: String
    public var marked: Bool

    public init(text: String, marked: Bool) {
        self.text = text
        self.marked = marked
    }
}

public enum EvidenceHighlight {
    /// The detail keys that name the problem's text, in order of preference.
    static let termKeys = ["wrong", "masked", "term"]

    /// The evidence in parts, the problem marked; one unmarked part when no problem text is
    /// found in it, none when there is no evidence.
    public static func parts(of evidence: String?, detail: JSONValue) -> [EvidencePart] {
        guard let evidence, !evidence.isEmpty else { return [] }
        var term: String?
        if case .object(let fields) = detail {
            for key in termKeys {
                if case .string(let value) = fields[key], !value.isEmpty {
                    term = value
                    break
                }
            }
        }
        // The excerpt's own brackets first: they mark exactly the occurrence the scanner found.
        if let open = evidence.range(of: "【"), let close = evidence.range(of: "】", range: open.upperBound..<evidence.endIndex) {
            let inside = String(evidence[open.upperBound..<close.lowerBound])
            if !inside.isEmpty, term == nil || inside == term || inside.contains(term!) || term!.contains(inside) {
                return compact([
                    EvidencePart(text: String(evidence[..<open.lowerBound]), marked: false),
                    EvidencePart(text: inside, marked: true),
                    EvidencePart(text: String(evidence[close.upperBound...]), marked: false),
                ])
            }
        }
        if let term, let range = evidence.range(of: term) {
            return compact([
                EvidencePart(text: String(evidence[..<range.lowerBound]), marked: false),
                EvidencePart(text: String(evidence[range]), marked: true),
                EvidencePart(text: String(evidence[range.upperBound...]), marked: false),
            ])
        }
        return [EvidencePart(text: evidence, marked: false)]
    }

    static func compact(_ parts: [EvidencePart]) -> [EvidencePart] { parts.filter { !$0.text.isEmpty } }
}
