import GovWatchCore

/// One problem deliberately planted in the sample city, at a known place.
///
/// Tests of the inspection compare their findings against this list: every planted
/// problem with `mustBeFound` should be found, and nothing outside the list should be.
public struct PlantedProblem: Sendable, Hashable, Codable {
    /// Kinds of personal information, named as in the findings' `detail.kind`.
    public enum PrivacyKind: String, Sendable, Hashable, Codable {
        case idCard = "id-card"
        case mobile
        case bankCard = "bank-card"
        case health
    }

    /// A short stable id (`P001`…), handy in test messages and for `FixtureServer.setFixed(problems:)`.
    public var id: String
    public var indicator: IndicatorID
    public var target: Target
    /// The page, attachment, feed or post where the problem is; nil for target-wide problems
    /// (a site's availability, a stale account, a unit without staff).
    public var url: String?
    /// A person-readable note: what was planted and why it is a problem.
    public var note: String
    /// Indicator-specific facts, named like the findings' `detail` keys where one exists:
    /// `link`/`linkKind`/`onHomepage` (broken and dark links), `column`/`lastUpdated`/`periodDays`
    /// (stale columns), `kind`/`masked` (privacy: masked exactly as the finding masks it, never the clear value), `wrong`/`correct`
    /// (severe errors), `term` (sensitive words), `missing` (identity), `platform`/`accounts`
    /// (duplicate accounts), `count` (grouped problems).
    public var detail: [String: String]
    /// False for problems whose detection depends on the inspector's own limits (a link to a
    /// trickling or gigantic hostile page may be reported as broken or may be skipped):
    /// an inspection may report them, but need not.
    public var mustBeFound: Bool
    /// The URLs whose "fixed" variant removes this problem; empty when the fixed city still has
    /// it (the rectification scenario relies on some problems staying unfixed).
    public var fixedBy: [String]
    /// True for problems that come from a scenario rather than from the pages themselves
    /// (the rectification loop's overdue and reopened tickets); `note` says how to produce them.
    public var scenario: Bool

    public init(
        id: String, indicator: IndicatorID, target: Target, url: String?, note: String,
        detail: [String: String] = [:], mustBeFound: Bool = true, fixedBy: [String] = [], scenario: Bool = false
    ) {
        self.id = id
        self.indicator = indicator
        self.target = target
        self.url = url
        self.note = note
        self.detail = detail
        self.mustBeFound = mustBeFound
        self.fixedBy = fixedBy
        self.scenario = scenario
    }

    /// Whether the city's fixed variant removes this problem.
    public var isFixable: Bool { !fixedBy.isEmpty }
}
