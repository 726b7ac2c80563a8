import FluentKit
import Foundation

/// A file attached to a ticket's feedback: its bytes and SHA-256.
public final class TicketAttachmentRow: Model, @unchecked Sendable {
    public static let schema = "ticket_attachments"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "ticket_id") public var ticketID: Int
    /// The feedback event it came with.
    @Field(key: "event_id") public var eventID: Int
    @Field(key: "file_name") public var fileName: String
    @Field(key: "size") public var size: Int
    @Field(key: "sha256") public var sha256: String
    @Field(key: "content") public var content: Data
    public init() {}
}

/// A recurring job of the scheduler, with its lease.
public final class ScheduledJobRow: Model, @unchecked Sendable {
    public static let schema = "scheduled_jobs"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    /// Unique: `probe:4301000001`, `patrol`, `inspection`, `feeds`.
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "parameter") public var parameter: String?
    @Field(key: "next_run_at") public var nextRunAt: Date
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_expires_at") public var leaseExpiresAt: Date?
    @OptionalField(key: "last_started_at") public var lastStartedAt: Date?
    @OptionalField(key: "last_finished_at") public var lastFinishedAt: Date?
    /// `ok` or `failed`.
    @OptionalField(key: "last_status") public var lastStatus: String?
    @OptionalField(key: "last_error") public var lastError: String?
    @Field(key: "runs") public var runs: Int
    public init() {}
}

/// A notification that could not be delivered after every retry.
public final class NotificationFailureRow: Model, @unchecked Sendable {
    public static let schema = "notification_failures"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    /// `webhook` or `digest`.
    @Field(key: "channel") public var channel: String
    @Field(key: "destination") public var destination: String
    @OptionalField(key: "ticket_event_id") public var ticketEventID: Int?
    @Field(key: "payload") public var payload: String
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "last_error") public var lastError: String
    @Field(key: "failed_at") public var failedAt: Date
    public init() {}
}
