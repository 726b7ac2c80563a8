/// The stable id of an inspection indicator, as in `../shared/spec/indicators.md`.
///
/// Ids appear in findings, scorecards, tickets, reports and tests, so they never change;
/// a province's own indicator file may add ids but not rename these.
public struct IndicatorID: RawRepresentable, Hashable, Sendable, Codable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension IndicatorID {
    // Government websites
    public static let siteUnreachable: Self = "site.unreachable"
    public static let siteHomepageStale: Self = "site.homepage.stale"
    public static let siteColumnStale: Self = "site.column.stale"
    public static let siteColumnsStaleVeto: Self = "site.columns.stale-veto"
    public static let siteColumnsUnupdatedVeto: Self = "site.columns.unupdated-veto"
    public static let siteColumnBlank: Self = "site.column.blank"
    public static let siteColumnsBlankVeto: Self = "site.columns.blank-veto"
    public static let siteInteractionNoChannel: Self = "site.interaction.no-channel"
    public static let siteInteractionUnanswered: Self = "site.interaction.unanswered"
    public static let siteInteractionSlowReply: Self = "site.interaction.slow-reply"
    public static let siteContentSevereError: Self = "site.content.severe-error"
    public static let siteContentSensitive: Self = "site.content.sensitive"
    public static let siteContentPrivacy: Self = "site.content.privacy"
    public static let siteLinksBroken: Self = "site.links.broken"
    public static let siteIdentityMissing: Self = "site.identity.missing"
    public static let siteDomainNoncompliant: Self = "site.domain.noncompliant"
    public static let siteSearchMissing: Self = "site.search.missing"
    public static let siteHTTPSMissing: Self = "site.https.missing"
    public static let siteDarkLink: Self = "site.dark-link"
    public static let siteInspectionIncomplete: Self = "site.inspection.incomplete"
    // Government new media
    public static let accountStale: Self = "account.stale"
    public static let accountZombie: Self = "account.zombie"
    public static let accountDuplicate: Self = "account.duplicate"
    public static let accountContentSevereError: Self = "account.content.severe-error"
    public static let accountContentPrivacy: Self = "account.content.privacy"
    public static let accountInteractionMissing: Self = "account.interaction.missing"
    public static let accountClosureUnfiled: Self = "account.closure.unfiled"
    // Supervision of the units
    public static let unitRectificationOverdue: Self = "unit.rectification.overdue"
    public static let unitRectificationReopened: Self = "unit.rectification.reopened"
    public static let unitStaffUnassigned: Self = "unit.staff.unassigned"

    /// Every indicator id of `indicators.md`, in the order the spec lists them.
    public static let all: [IndicatorID] = [
        .siteUnreachable, .siteHomepageStale, .siteColumnStale, .siteColumnsStaleVeto,
        .siteColumnsUnupdatedVeto, .siteColumnBlank, .siteColumnsBlankVeto,
        .siteInteractionNoChannel, .siteInteractionUnanswered, .siteInteractionSlowReply,
        .siteContentSevereError, .siteContentSensitive, .siteContentPrivacy, .siteLinksBroken,
        .siteIdentityMissing, .siteDomainNoncompliant, .siteSearchMissing, .siteHTTPSMissing,
        .siteDarkLink, .siteInspectionIncomplete,
        .accountStale, .accountZombie, .accountDuplicate, .accountContentSevereError,
        .accountContentPrivacy, .accountInteractionMissing, .accountClosureUnfiled,
        .unitRectificationOverdue, .unitRectificationReopened, .unitStaffUnassigned,
    ]
}
