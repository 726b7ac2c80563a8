import FluentKit
import Foundation

/// A notification that was not delivered.
public struct NotificationFailure: Sendable, Hashable {
    /// The database id; nil for one not stored yet.
    public var id: Int?
    public var channel: String
    public var destination: String
    public var ticketEventID: Int?
    public var payload: String
    public var attempts: Int
    public var lastError: String
    public var failedAt: Date

    public init(
        id: Int? = nil, channel: String, destination: String, ticketEventID: Int?, payload: String, attempts: Int, lastError: String,
        failedAt: Date
    ) {
        self.id = id
        self.channel = channel
        self.destination = destination
        self.ticketEventID = ticketEventID
        self.payload = payload
        self.attempts = attempts
        self.lastError = lastError
        self.failedAt = failedAt
    }
}

/// Notifications that failed after every retry, kept for an administrator to resend.
extension Store {
    public func record(_ failure: NotificationFailure) async throws {
        let row = NotificationFailureRow()
        row.channel = failure.channel
        row.destination = failure.destination
        row.ticketEventID = failure.ticketEventID
        row.payload = failure.payload
        row.attempts = failure.attempts
        row.lastError = failure.lastError
        row.failedAt = failure.failedAt
        try await row.create(on: database)
    }

    /// Every recorded failure, oldest first.
    public func notificationFailures() async throws -> [NotificationFailure] {
        try await NotificationFailureRow.query(on: database).sort(\.$id).all().map {
            NotificationFailure(
                id: $0.id, channel: $0.channel, destination: $0.destination, ticketEventID: $0.ticketEventID, payload: $0.payload,
                attempts: $0.attempts, lastError: $0.lastError, failedAt: $0.failedAt)
        }
    }

    /// Forgets a failure once its notification went out after all.
    public func removeNotificationFailure(_ id: Int) async throws {
        try await NotificationFailureRow.query(on: database).filter(\.$id == id).delete()
    }

    /// Records another failed resend of a failure.
    public func updateNotificationFailure(_ id: Int, attempts: Int, lastError: String, failedAt: Date) async throws {
        try await NotificationFailureRow.query(on: database).filter(\.$id == id)
            .set(\.$attempts, to: attempts).set(\.$lastError, to: lastError).set(\.$failedAt, to: failedAt)
            .update()
    }
}
