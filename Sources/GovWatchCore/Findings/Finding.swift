import Crypto
import Foundation

/// One problem found by an inspection, in the shape of the spec's findings JSON.
public struct Finding: Hashable, Sendable, Codable {
    public var target: Target
    public var indicator: IndicatorID
    public var level: Level
    /// The page or post where it was found; nil for target-wide findings.
    public var url: String?
    /// Indicator-specific facts, documented beside each indicator.
    public var detail: JSONValue
    /// Context for a person; never holds personal information in clear.
    public var evidence: String?
    /// Stable across runs for the same problem at the same place (see `Fingerprint`).
    public var fingerprint: String

    public init(
        target: Target, indicator: IndicatorID, level: Level, url: String? = nil,
        detail: JSONValue = [:], evidence: String? = nil, locationKey: String
    ) {
        self.target = target
        self.indicator = indicator
        self.level = level
        self.url = url
        self.detail = detail
        self.evidence = evidence
        self.fingerprint = Fingerprint.make(target: target, indicator: indicator, locationKey: locationKey)
    }
}

/// The identity of a problem across runs.
///
/// A fingerprint hashes what names the problem — the target, the indicator and a
/// location key chosen by the indicator (the broken link's URL, the column's URL, the
/// page plus the masked value) — and nothing that changes from run to run (dates,
/// counts, scores), so the same problem found again is the same ticket.
public enum Fingerprint {
    public static func make(target: Target, indicator: IndicatorID, locationKey: String) -> String {
        let material = [target.kind.rawValue, target.code, indicator.rawValue, locationKey]
            .joined(separator: "\u{1F}")
        let digest = SHA256.hash(data: Data(material.utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
