import FluentKit
import Foundation

// The rows of the database. Each model is a plain Fluent model; domain logic lives in
// GovWatchCore and converts to and from these at the store's edge.
// `@unchecked Sendable` is how Fluent 4 models are declared under Swift 6: a model's
// property wrappers are mutable, and the store never shares one instance across tasks.

/// 单位: a government body that runs sites and accounts; units nest (county → department).
public final class UnitRow: Model, @unchecked Sendable {
    public static let schema = "units"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    @OptionalField(key: "parent_id") public var parentID: Int?
    public init() {}
    public init(name: String, parentID: Int? = nil) {
        self.name = name
        self.parentID = parentID
    }
}

public final class SiteRow: Model, @unchecked Sendable {
    public static let schema = "sites"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "url") public var url: String
    @Field(key: "kind") public var kind: String
    @Field(key: "unit_id") public var unitID: Int
    @OptionalField(key: "icp") public var icp: String?
    @OptionalField(key: "police") public var police: String?
    /// Other registered domains, space-separated (ASCII form).
    @OptionalField(key: "aliases") public var aliases: String?
    public init() {}
}

public final class ColumnRow: Model, @unchecked Sendable {
    public static let schema = "site_columns"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "site_id") public var siteID: Int
    @Field(key: "name") public var name: String
    @Field(key: "url") public var url: String
    @Field(key: "category") public var category: String
    @OptionalField(key: "period_days") public var periodDays: Int?
    @Field(key: "top_level") public var topLevel: Bool
    /// `imported` (authoritative) or `discovered` by the crawler, awaiting confirmation.
    @Field(key: "origin") public var origin: String
    public init() {}
}

public final class AccountRow: Model, @unchecked Sendable {
    public static let schema = "accounts"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "platform") public var platform: String
    @Field(key: "account_id") public var accountID: String
    @Field(key: "name") public var name: String
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "is_main") public var isMain: Bool
    @Field(key: "status") public var status: String
    @OptionalField(key: "feed") public var feed: String?
    /// `YYYY-MM-DD`.
    @OptionalField(key: "closure_filed") public var closureFiled: String?
    @OptionalField(key: "download_url") public var downloadURL: String?
    @OptionalField(key: "interaction") public var interaction: Bool?
    /// `YYYY-MM-DD`: the day it was stopped or closed.
    @OptionalField(key: "closed_on") public var closedOn: String?
    public init() {}
}

public final class PostRow: Model, @unchecked Sendable {
    public static let schema = "posts"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "account_ref") public var accountRef: Int
    /// URL, or time and title: what deduplicates a post within its account.
    @Field(key: "post_key") public var key: String
    @Field(key: "published") public var published: Date
    @Field(key: "title") public var title: String
    @OptionalField(key: "url") public var url: String?
    @Field(key: "body") public var text: String
    /// `import` or `feed`.
    @Field(key: "source") public var source: String
    /// Where the personal information of the (masked) title and text was, as JSON
    /// (`PersonalInfoMark.json`); nil for a post stored in clear before `MaskCrawledText`.
    @OptionalField(key: "personal_info") public var personalInfo: String?
    public init() {}
}

public final class PersonRow: Model, @unchecked Sendable {
    public static let schema = "people"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "name") public var name: String
    @Field(key: "role") public var role: String
    @OptionalField(key: "phone") public var phone: String?
    @OptionalField(key: "since") public var since: String?
    @OptionalField(key: "until") public var until: String?
    @OptionalField(key: "handover_to") public var handoverTo: String?
    public init() {}
}

/// One inspection: its as-of time, the indicator set it used, and its progress.
public final class InspectionRunRow: Model, @unchecked Sendable {
    public static let schema = "inspection_runs"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    /// `r-20220315-0001`.
    @Field(key: "code") public var code: String
    @Field(key: "as_of") public var asOf: Date
    /// `national-2019@1`.
    @Field(key: "indicator_set") public var indicatorSet: String
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// `running`, `finished`, `failed`.
    @Field(key: "status") public var status: String
    public init() {}
}

public final class FindingRow: Model, @unchecked Sendable {
    public static let schema = "findings"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "run_id") public var runID: Int
    @Field(key: "target_kind") public var targetKind: String
    @Field(key: "target_code") public var targetCode: String
    @Field(key: "target_name") public var targetName: String
    @Field(key: "indicator") public var indicator: String
    @Field(key: "level") public var level: String
    @OptionalField(key: "url") public var url: String?
    /// The finding's `detail` as JSON text with sorted keys.
    @Field(key: "detail") public var detail: String
    @OptionalField(key: "evidence") public var evidence: String?
    @Field(key: "fingerprint") public var fingerprint: String
    public init() {}
}

/// A target's score in a run, computed with the run's indicator set.
public final class ScorecardRow: Model, @unchecked Sendable {
    public static let schema = "scorecards"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "run_id") public var runID: Int
    @Field(key: "target_kind") public var targetKind: String
    @Field(key: "target_code") public var targetCode: String
    @Field(key: "target_name") public var targetName: String
    @Field(key: "score") public var score: Double
    /// Veto indicator ids, comma-separated.
    @Field(key: "vetoes") public var vetoes: String
    @Field(key: "passed") public var passed: Bool
    /// The homepage could not be read (未能完成检查); null before this was recorded.
    @OptionalField(key: "incomplete") public var incomplete: Bool?
    /// Discovered columns awaiting confirmation, left out of the column vetoes; null before this was recorded.
    @OptionalField(key: "unconfirmed_columns") public var unconfirmedColumns: Int?
    public init() {}
}

/// One availability probe of a site's homepage.
public final class ProbeRow: Model, @unchecked Sendable {
    public static let schema = "probes"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "site_id") public var siteID: Int
    @Field(key: "probed_at") public var probedAt: Date
    @Field(key: "ok") public var ok: Bool
    @OptionalField(key: "status") public var status: Int?
    @OptionalField(key: "latency_ms") public var latencyMilliseconds: Int?
    @OptionalField(key: "error") public var error: String?
    public init() {}
}

/// 整改单: one problem of one unit, keyed by the finding's fingerprint.
public final class TicketRow: Model, @unchecked Sendable {
    public static let schema = "tickets"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "fingerprint") public var fingerprint: String
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "target_kind") public var targetKind: String
    @Field(key: "target_code") public var targetCode: String
    @Field(key: "target_name") public var targetName: String
    @Field(key: "indicator") public var indicator: String
    @Field(key: "level") public var level: String
    @OptionalField(key: "url") public var url: String?
    @OptionalField(key: "evidence") public var evidence: String?
    /// `open`, `feedback`, `closed`, `dismissed`.
    @Field(key: "state") public var state: String
    @Field(key: "occurrences") public var occurrences: Int
    @Field(key: "first_seen") public var firstSeen: Date
    @Field(key: "last_seen") public var lastSeen: Date
    /// `YYYY-MM-DD`.
    @OptionalField(key: "deadline") public var deadline: String?
    @OptionalField(key: "assignee") public var assignee: String?
    @OptionalField(key: "feedback_text") public var feedbackText: String?
    @Field(key: "reopened") public var reopened: Int
    /// `Ticket.signature` of the problem as last seen (a dismissed ticket returns only when it changes).
    @Field(key: "signature") public var signature: String
    /// The run (or patrol) that last saw it, so applying one run twice changes nothing.
    @OptionalField(key: "last_run") public var lastRun: String?
    public init() {}
}

/// The append-only audit log of ticket changes: who, when, from, to, why.
public final class TicketEventRow: Model, @unchecked Sendable {
    public static let schema = "ticket_events"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "ticket_id") public var ticketID: Int
    @Field(key: "at") public var at: Date
    @Field(key: "actor") public var actor: String
    /// `TicketAction` raw value: what was done (下发、反馈、退回 …).
    @Field(key: "action") public var action: String
    @OptionalField(key: "from_state") public var fromState: String?
    @Field(key: "to_state") public var toState: String
    @OptionalField(key: "reason") public var reason: String?
    public init() {}
}
