import FluentKit
import Foundation

/// A notification that was not delivered.
public struct NotificationFailure: Sendable, Hashable {
    public var channel: String
    public var destination: String
    public var ticketEventID: Int?
    public var payload: String
    public var attempts: Int
    public var lastError: String
    public var failedAt: Date

    public init(
        channel: String, destination: String, ticketEventID: Int?, payload: String, attempts: Int, lastError: String, failedAt: Date
    ) {
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
                channel: $0.channel, destination: $0.destination, ticketEventID: $0.ticketEventID, payload: $0.payload,
                attempts: $0.attempts, lastError: $0.lastError, failedAt: $0.failedAt)
        }
    }
}
