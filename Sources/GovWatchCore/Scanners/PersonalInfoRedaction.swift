import Foundation

/// Where a piece of personal information was, in a text that has already been masked.
///
/// Crawled and polled text is stored masked (`PersonalInfoRedaction`); a masked value never
/// matches the scanner again, so each hit found while the text was read is kept beside the
/// text as a mark. The content checks that rescan the stored text take the marks in place
/// of the personal-information scan (`ContentScanner.scan(_:personalInformation:)`) and so
/// report the same findings, with the same masked evidence and fingerprints.
public struct PersonalInfoMark: Hashable, Sendable, Codable {
    public var kind: PersonalInfoHit.Kind
    /// UTF-8 offsets of the masked value in the masked text.
    public var utf8Range: Range<Int>
    /// The masked value for evidence (138****5678, 510402********1234, 张**…患有).
    public var masked: String

    public init(kind: PersonalInfoHit.Kind, utf8Range: Range<Int>, masked: String) {
        self.kind = kind
        self.utf8Range = utf8Range
        self.masked = masked
    }

    /// `kind:start:end:masked`, the form stored in page records and post rows.
    public var encoded: String { "\(kind.rawValue):\(utf8Range.lowerBound):\(utf8Range.upperBound):\(masked)" }

    /// A mark from its `encoded` form; nil when it is not one.
    public init?(encoded: String) {
        let parts = encoded.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let kind = PersonalInfoHit.Kind(rawValue: String(parts[0])), let start = Int(parts[1]),
            let end = Int(parts[2]), start >= 0, end >= start
        else { return nil }
        self.init(kind: kind, utf8Range: start..<end, masked: String(parts[3]))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let encoded = try container.decode(String.self)
        guard let mark = PersonalInfoMark(encoded: encoded) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "不是个人信息标记：\(encoded.prefix(40))")
        }
        self = mark
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(encoded)
    }

    /// The marks as one JSON array of `encoded` strings (the `posts.personal_info` column).
    public static func json(_ marks: [PersonalInfoMark]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, mark) in marks.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(mark.encoded, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The marks of `json(_:)`; nil for nil or anything else.
    public static func marks(json: String?) -> [PersonalInfoMark]? {
        guard let json, let data = json.data(using: .utf8),
            let strings = try? JSONDecoder().decode([String].self, from: data)
        else { return nil }
        return strings.compactMap(PersonalInfoMark.init(encoded:))
    }
}

/// A text with its personal information masked, and where each piece was.
public struct RedactedText: Hashable, Sendable {
    /// The text with every hit replaced by its de-identified form (the same as
    /// `ContentScanResult.deidentifiedText`).
    public var text: String
    /// Every hit, in text order, in `text`'s UTF-8 offsets.
    public var marks: [PersonalInfoMark]

    public init(text: String, marks: [PersonalInfoMark]) {
        self.text = text
        self.marks = marks
    }
}

/// The one masking of crawled and polled text before it is stored, logged or sent: the
/// personal-information scanner's own de-identification, so that what is stored agrees
/// with the evidence of the findings (138****5678 in both).
public enum PersonalInfoRedaction {
    /// `text` masked, with the marks that let the content checks find the same problems in it.
    public static func redact(_ text: String) -> RedactedText {
        let scanned = ScannedText(text)
        let hits = PersonalInfoScanner().scan(scanned)
        guard !hits.isEmpty else { return RedactedText(text: text, marks: []) }
        // Outer hits first, as `PersonalInfoScanner.applying` does: a health passage already
        // carries the masked numbers inside it.
        let ordered = hits.sorted { ($0.range.lowerBound, -$0.range.upperBound) < ($1.range.lowerBound, -$1.range.upperBound) }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var position = 0
        var marks: [PersonalInfoMark] = []
        // The last replacement written, for hits inside it.
        var outer: (range: Range<Int>, written: Range<Int>, replacement: String)?
        for hit in ordered {
            if hit.range.lowerBound >= position {
                result += scanned.string(position..<hit.range.lowerBound)
                let start = result.utf8.count
                result += hit.replacement
                let written = start..<result.utf8.count
                marks.append(PersonalInfoMark(kind: hit.kind, utf8Range: written, masked: hit.masked))
                outer = (hit.range, written, hit.replacement)
                position = hit.range.upperBound
            } else if let outer {
                // Inside the passage just written: its own masked form is in the passage's
                // replacement; otherwise it is marked over the whole passage.
                var range = outer.written
                if let found = outer.replacement.range(of: hit.replacement) {
                    let offset = outer.replacement.utf8.distance(from: outer.replacement.startIndex, to: found.lowerBound)
                    let length = outer.replacement[found].utf8.count
                    range = (outer.written.lowerBound + offset)..<(outer.written.lowerBound + offset + length)
                }
                marks.append(PersonalInfoMark(kind: hit.kind, utf8Range: range, masked: hit.masked))
            }
        }
        result += scanned.string(position..<scanned.count)
        marks.sort { ($0.utf8Range.lowerBound, $0.utf8Range.upperBound) < ($1.utf8Range.lowerBound, $1.utf8Range.upperBound) }
        return RedactedText(text: result, marks: marks)
    }

    /// `text` masked, for a log line, an error message or a webhook payload.
    public static func masked(_ text: String) -> String {
        redact(text).text
    }

    /// `text` masked unless it already carries marks (it was masked when stored): masking
    /// twice would find nothing the second time and lose the marks.
    public static func redact(_ text: String, keeping marks: [PersonalInfoMark]?) -> RedactedText {
        if let marks { return RedactedText(text: text, marks: marks) }
        return redact(text)
    }
}

extension PostRecord {
    /// The post as it is stored: title and text masked, with the marks of the text the
    /// account checks scan (`title + "\n" + text`). A post already masked is returned as is.
    public func masked() -> PostRecord {
        guard personalInformation == nil else { return self }
        let title = PersonalInfoRedaction.redact(self.title)
        let text = PersonalInfoRedaction.redact(self.text)
        var post = self
        post.title = title.text
        post.text = text.text
        post.guid = guid.map(PersonalInfoRedaction.masked)
        // The checks join a non-empty title and the text with a line break.
        let shift = title.text.isEmpty ? 0 : title.text.utf8.count + 1
        post.personalInformation =
            title.marks
            + text.marks.map { mark in
                var mark = mark
                mark.utf8Range = (mark.utf8Range.lowerBound + shift)..<(mark.utf8Range.upperBound + shift)
                return mark
            }
        return post
    }

    /// The text the content checks scan: the title and the text, on separate lines.
    public var scannedText: String { title.isEmpty ? text : title + "\n" + text }
}
