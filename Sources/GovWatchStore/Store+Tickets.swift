import FluentKit
import Foundation
import GovWatchCore
import SQLKit

/// Which tickets `tickets(_:)` lists.
public struct TicketFilter: Sendable, Hashable {
    public var unit: String?
    public var state: TicketState?
    /// Only tickets overdue at this moment.
    public var overdueAt: Date?

    public init(unit: String? = nil, state: TicketState? = nil, overdueAt: Date? = nil) {
        self.unit = unit
        self.state = state
        self.overdueAt = overdueAt
    }
}

/// A file to attach to a feedback.
public struct AttachmentInput: Sendable, Hashable {
    public var fileName: String
    public var data: Data
    public init(fileName: String, data: Data) {
        self.fileName = fileName
        self.data = data
    }
}

/// A stored attachment, without its bytes.
public struct TicketAttachment: Sendable, Hashable, Codable {
    public var id: Int
    public var ticketID: Int
    public var eventID: Int
    public var fileName: String
    public var size: Int
    public var sha256: String
}

/// What applying an inspection's findings did, with ids filled in.
public struct TicketApplication: Sendable {
    /// Tickets created, seen again, closed, reopened …, as fingerprints (see `Reinspection.Result`).
    public var result: Reinspection.Result
    /// The stored audit log entries of this change, for notifications.
    public var events: [TicketEvent]
    /// The tickets reopened by this run (回访未通过 or recurrence), stored.
    public var reopened: [Ticket]
    /// Every 待整改 ticket after the change, for the overdue rule.
    public var open: [Ticket]
}

/// A ticket operation that cannot be done; the message is for a person, in Chinese.
public struct TicketError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Rectification tickets (整改单): opened and re-inspected from findings, moved through
/// their states by people, every change in the append-only audit log, all in transactions.
extension Store {
    /// Attachments larger than this are refused (a stamped PDF is well under it).
    public static let maximumAttachmentBytes = 20 << 20

    // MARK: Inspections

    /// Opens, updates, closes and reopens tickets from the findings of one run (or patrol)
    /// `run` as of `asOf`, in one transaction (see `Reinspection.apply`).
    ///
    /// Findings whose target is not registered are returned in `result.unassigned` and not ticketed.
    public func applyInspection(
        findings: [Finding], run: String, asOf: Date, scope: ReinspectionScope, policy: RectificationPolicy,
        now: Date
    ) async throws -> TicketApplication {
        try await database.transaction { db in
            let units = try await UnitRow.query(on: db).all()
            let unitNames = units.keyed(by: \.id).mapValues(\.name)
            let unitIDs = units.keyed(by: \.name).compactMapValues(\.id)
            let siteUnits = try await SiteRow.query(on: db).all().keyed(by: \.code).mapValues(\.unitID)
            let accountUnits = try await AccountRow.query(on: db).all().keyed(by: \.accountID).mapValues(\.unitID)
            let unitOf: (Target) -> String? = { target in
                switch target.kind {
                case .site: siteUnits[target.code].flatMap { unitNames[$0] }
                case .account: accountUnits[target.code].flatMap { unitNames[$0] }
                case .unit: unitIDs[target.code] != nil ? target.code : nil
                }
            }

            // The tickets these findings name, and every active ticket (candidates for closing).
            var rows: [Int: TicketRow] = [:]
            let fingerprints = Array(Set(findings.map(\.fingerprint)))
            var start = 0
            while start < fingerprints.count {
                let chunk = Array(fingerprints[start..<min(start + 500, fingerprints.count)])
                for row in try await TicketRow.query(on: db).filter(\.$fingerprint ~~ chunk).all() { rows[row.id!] = row }
                start += 500
            }
            for row in try await TicketRow.query(on: db).filter(\.$state ~~ [TicketState.open.rawValue, TicketState.feedback.rawValue]).all() {
                rows[row.id!] = row
            }
            let existing = rows.values.map { $0.ticket(unit: unitNames[$0.unitID] ?? "") }

            var result = Reinspection.apply(
                findings: findings, to: existing, run: run, asOf: asOf, scope: scope, policy: policy, unitOf: unitOf, now: now)

            var idByFingerprint: [String: Int] = [:]
            for row in rows.values { idByFingerprint[row.fingerprint] = row.id! }
            for index in result.tickets.indices {
                let ticket = result.tickets[index]
                guard let unitID = unitIDs[ticket.unit] else { continue }
                if let id = ticket.id, let row = rows[id] {
                    row.assign(ticket, unitID: unitID)
                    try await row.update(on: db)
                } else {
                    let row = TicketRow()
                    row.assign(ticket, unitID: unitID)
                    try await row.create(on: db)
                    result.tickets[index].id = row.id
                    idByFingerprint[ticket.fingerprint] = row.id!
                }
            }
            var stored: [TicketEvent] = []
            for var event in result.events {
                guard let id = idByFingerprint[event.fingerprint] else { continue }
                event.ticketID = id
                let row = TicketEventRow(event)
                try await row.create(on: db)
                event.id = row.id
                stored.append(event)
            }
            result.events = stored
            let reopenedSet = Set(result.reopened)
            let reopened = result.tickets.filter { reopenedSet.contains($0.fingerprint) }
            let open = try await TicketRow.query(on: db).filter(\.$state == TicketState.open.rawValue).sort(\.$id).all()
                .map { $0.ticket(unit: unitNames[$0.unitID] ?? "") }
            return TicketApplication(result: result, events: stored, reopened: reopened, open: open)
        }
    }

    // MARK: Reading

    /// Tickets by filter, in id order.
    public func tickets(_ filter: TicketFilter = TicketFilter()) async throws -> [Ticket] {
        let db = database
        let units = try await UnitRow.query(on: db).all()
        let unitNames = units.keyed(by: \.id).mapValues(\.name)
        let query = TicketRow.query(on: db).sort(\.$id)
        if let unit = filter.unit {
            guard let unitID = units.first(where: { $0.name == unit })?.id else {
                throw TicketError("单位“\(unit)”未登记")
            }
            query.filter(\.$unitID == unitID)
        }
        if let state = filter.state { query.filter(\.$state == state.rawValue) }
        if filter.overdueAt != nil { query.filter(\.$state == TicketState.open.rawValue) }
        var tickets = try await query.all().map { $0.ticket(unit: unitNames[$0.unitID] ?? "") }
        if let moment = filter.overdueAt { tickets = tickets.filter { $0.isOverdue(at: moment) } }
        return tickets
    }

    /// One ticket by its id as people write it (`T-000123`).
    public func ticket(_ code: String) async throws -> Ticket {
        let row = try await ticketRow(code, on: database)
        let unit = try await UnitRow.find(row.unitID, on: database)?.name ?? ""
        return row.ticket(unit: unit)
    }

    /// The audit log of a ticket, oldest first.
    public func history(_ code: String) async throws -> [TicketEvent] {
        let row = try await ticketRow(code, on: database)
        return try await TicketEventRow.query(on: database).filter(\.$ticketID == row.requireID()).sort(\.$id).all()
            .map { $0.event(fingerprint: row.fingerprint) }
    }

    /// Audit log entries after `afterID` (every ticket), oldest first: what notifications deliver.
    public func ticketEvents(after afterID: Int = 0, limit: Int = 1_000) async throws -> [TicketEvent] {
        let rows = try await TicketEventRow.query(on: database).filter(\.$id > afterID).sort(\.$id).limit(limit).all()
        let ids = Array(Set(rows.map(\.ticketID)))
        let fingerprints = ids.isEmpty ? [:] : try await TicketRow.query(on: database).filter(\.$id ~~ ids).all()
            .keyed(by: \.id).mapValues(\.fingerprint)
        return rows.map { $0.event(fingerprint: fingerprints[$0.ticketID] ?? "") }
    }

    /// The attachments of a ticket (without their bytes), oldest first.
    public func attachments(of code: String) async throws -> [TicketAttachment] {
        let row = try await ticketRow(code, on: database)
        return try await TicketAttachmentRow.query(on: database).filter(\.$ticketID == row.requireID()).sort(\.$id).all()
            .map { TicketAttachment(id: $0.id!, ticketID: $0.ticketID, eventID: $0.eventID, fileName: $0.fileName, size: $0.size, sha256: $0.sha256) }
    }

    /// The bytes of an attachment.
    public func attachmentContent(_ id: Int) async throws -> Data {
        guard let row = try await TicketAttachmentRow.find(id, on: database) else { throw TicketError("附件 \(id) 不存在") }
        return row.content
    }

    /// Per-unit backlog and 清零 status at `moment`.
    public func backlog(at moment: Date) async throws -> [UnitBacklog] {
        UnitBacklog.compute(try await tickets(), at: moment)
    }

    // MARK: People's actions

    /// The unit reports the problem fixed (已反馈), with a description and attachments.
    public func feedback(_ code: String, text: String, attachments: [AttachmentInput] = [], actor: String, at: Date) async throws
        -> TicketEvent
    {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw TicketError("反馈必须说明整改情况（--text）") }
        for attachment in attachments {
            guard attachment.data.count <= Self.maximumAttachmentBytes else {
                throw TicketError("附件“\(attachment.fileName)”过大（超过 \(Self.maximumAttachmentBytes >> 20) MB）")
            }
        }
        return try await transition(code, .feedback, reason: text, actor: actor, at: at) { row, eventID, db in
            row.feedbackText = text
            for attachment in attachments {
                let file = TicketAttachmentRow()
                file.ticketID = try row.requireID()
                file.eventID = eventID
                file.fileName = attachment.fileName
                file.size = attachment.data.count
                file.sha256 = AttachmentDigest.sha256Hex(attachment.data)
                file.content = attachment.data
                try await file.create(on: db)
            }
        }
    }

    /// The office verifies the fix by hand (已销号).
    public func verify(_ code: String, reason: String, actor: String, at: Date) async throws -> TicketEvent {
        try await transition(code, .verify, reason: reason, actor: actor, at: at)
    }

    /// The office rejects the feedback (退回): back to 待整改, with the reason.
    public func reject(_ code: String, reason: String, actor: String, at: Date) async throws -> TicketEvent {
        try await transition(code, .reject, reason: reason, actor: actor, at: at)
    }

    /// The office dismisses the ticket as a false alarm (已忽略), with the reason.
    public func dismiss(_ code: String, reason: String, actor: String, at: Date) async throws -> TicketEvent {
        try await transition(code, .dismiss, reason: reason, actor: actor, at: at)
    }

    /// Hands the ticket to a person (指派); the state stays.
    public func assign(_ code: String, to person: String, actor: String, at: Date) async throws -> TicketEvent {
        let person = person.trimmingCharacters(in: .whitespaces)
        guard !person.isEmpty else { throw TicketError("指派必须给出责任人姓名（--to）") }
        return try await transition(code, .assign, reason: "指派给 \(person)", actor: actor, at: at) { row, _, _ in
            row.assignee = person
        }
    }

    /// One person's action on one ticket: checked against the state machine, applied only if
    /// the ticket is still in the state it was read in (a concurrent change makes it fail),
    /// logged, all in one transaction.
    private func transition(
        _ code: String, _ action: TicketAction, reason: String?, actor: String, at: Date,
        apply: @escaping @Sendable (TicketRow, Int, any Database) async throws -> Void = { _, _, _ in }
    ) async throws -> TicketEvent {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if action.needsReason, (reason ?? "").isEmpty {
            throw TicketError("\(action.chineseName)必须说明原因（--reason）")
        }
        let actor = actor.trimmingCharacters(in: .whitespaces)
        guard !actor.isEmpty else { throw TicketError("操作人不能为空（--actor）") }
        return try await database.transaction { db in
            let row = try await self.ticketRow(code, on: db)
            let from = TicketState(rawValue: row.state) ?? .open
            let to = try TicketStateMachine.next(after: action, from: from, ticket: TicketCode.format(row.id!))
            // Claim the state change: only if nobody changed the ticket since it was read.
            guard let sql = db as? any SQLDatabase else { throw TicketError("数据库不支持 SQL") }
            let claimed = try await sql.update(TicketRow.schema)
                .set("state", to: to.rawValue)
                .where("id", .equal, row.id!).where("state", .equal, from.rawValue)
                .returning("id").all()
            guard !claimed.isEmpty else { throw TicketError("整改单 \(TicketCode.format(row.id!)) 刚被他人修改，请查看后重试") }
            let event = TicketEvent(
                ticketID: row.id!, fingerprint: row.fingerprint, at: at, actor: actor, action: action, from: from, to: to,
                reason: reason)
            let eventRow = TicketEventRow(event)
            try await eventRow.create(on: db)
            let fresh = try await self.ticketRow(code, on: db)
            try await apply(fresh, eventRow.id!, db)
            try await fresh.update(on: db)
            var stored = event
            stored.id = eventRow.id
            return stored
        }
    }

    func ticketRow(_ code: String, on db: any Database) async throws -> TicketRow {
        guard let id = TicketCode.parse(code) else {
            throw TicketError("整改单编号“\(code)”无效，应为 T-000123 形式")
        }
        guard let row = try await TicketRow.find(id, on: db) else {
            throw TicketError("整改单 \(TicketCode.format(id)) 不存在")
        }
        return row
    }
}

extension TicketRow {
    func ticket(unit: String) -> Ticket {
        Ticket(
            id: id, fingerprint: fingerprint, unit: unit,
            target: Target(kind: Target.Kind(rawValue: targetKind) ?? .site, code: targetCode, name: targetName),
            indicator: IndicatorID(rawValue: indicator), level: Level(rawValue: level) ?? .notice, url: url, evidence: evidence,
            signature: signature, state: TicketState(rawValue: state) ?? .open, occurrences: occurrences, firstSeen: firstSeen,
            lastSeen: lastSeen, lastRun: lastRun, deadline: deadline.flatMap(ChinaTime.parseDay), assignee: assignee,
            feedbackText: feedbackText, reopened: reopened)
    }

    func assign(_ ticket: Ticket, unitID: Int) {
        fingerprint = ticket.fingerprint
        self.unitID = unitID
        targetKind = ticket.target.kind.rawValue
        targetCode = ticket.target.code
        targetName = ticket.target.name
        indicator = ticket.indicator.rawValue
        level = ticket.level.rawValue
        url = ticket.url
        evidence = ticket.evidence
        state = ticket.state.rawValue
        occurrences = ticket.occurrences
        firstSeen = ticket.firstSeen
        lastSeen = ticket.lastSeen
        deadline = ticket.deadline?.description
        assignee = ticket.assignee
        feedbackText = ticket.feedbackText
        reopened = ticket.reopened
        signature = ticket.signature
        lastRun = ticket.lastRun
    }
}

extension TicketEventRow {
    convenience init(_ event: TicketEvent) {
        self.init()
        ticketID = event.ticketID ?? 0
        at = event.at
        actor = event.actor
        action = event.action.rawValue
        fromState = event.from?.rawValue
        toState = event.to.rawValue
        reason = event.reason
    }

    func event(fingerprint: String) -> TicketEvent {
        TicketEvent(
            id: id, ticketID: ticketID, fingerprint: fingerprint, at: at, actor: actor,
            action: TicketAction(rawValue: action) ?? .assign, from: fromState.flatMap(TicketState.init(rawValue:)),
            to: TicketState(rawValue: toState) ?? .open, reason: reason)
    }
}
