import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchInspection
import GovWatchStore

/// What people do to a ticket, shared by the JSON API (`POST /api/v1/tickets/{id}/…`) and the
/// ticket page's forms, so both check files, roles and reasons the same way and audit the
/// same entries (who, when, from which address).
enum TicketActions {
    /// Each feedback file may be this large (web.md: 20 MiB).
    static let maximumAttachmentBytes = Store.maximumAttachmentBytes
    /// The feedback text is a few paragraphs; more is not a description.
    static let maximumFeedbackTextBytes = 64 * 1024

    /// A feedback file checked by size (413) and by the type its bytes show (415: PDF, DOCX,
    /// XLSX, OFD, JPEG, PNG; the name and the browser's Content-Type are not trusted). The
    /// client's name is kept for display and as the download's suggested name only.
    static func attachment(_ data: Data, fileName: String?, limit: Int = maximumAttachmentBytes) throws -> AttachmentInput {
        let name = displayName(fileName)
        guard data.count <= min(limit, maximumAttachmentBytes) else {
            throw WebError.tooLarge("附件“\(name)”超过 \(min(limit, maximumAttachmentBytes) >> 20) MiB 的限制")
        }
        guard AttachmentType.detect(data) != nil else {
            throw WebError.unsupportedType("附件“\(name)”的类型不支持：只接受 \(AttachmentType.acceptedNames) 文件（按文件内容判断，与文件名无关）")
        }
        return AttachmentInput(fileName: name, data: data)
    }

    /// The unit answers its own tickets (unit users, and admins); the office verifies them, it
    /// does not answer them (403).
    static func mayGiveFeedback(_ user: UserAccount) -> Bool { user.role == .unit || user.role == .admin }

    /// Inspectors and admins verify, reject and dismiss.
    static func mayDecide(_ user: UserAccount) -> Bool { user.role == .admin || user.role == .inspector }

    /// Records the unit's feedback with its files, then the audit entry.
    static func feedback(
        store: Store, ticket: Ticket, text: String?, files: [AttachmentInput], user: UserAccount, context: AuditContext, at: Date
    ) async throws {
        guard mayGiveFeedback(user) else { throw WebError.forbidden }
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw WebError.badRequest("反馈必须说明整改情况（text）")
        }
        guard text.utf8.count <= maximumFeedbackTextBytes else {
            throw WebError.tooLarge("整改情况说明超过 \(maximumFeedbackTextBytes >> 10) KiB 的限制")
        }
        let code = ticket.code
        let event = try await conflicts { try await store.feedback(code, text: text, attachments: files, actor: user.username, at: at) }
        try await notify(event, store: store, at: at)
        try await store.audit(
            action: "ticket.feedback", object: code,
            detail: ["files": String(files.count), "names": files.map(\.fileName).joined(separator: "、")], context: context, at: at)
    }

    /// Verify, reject or dismiss by an inspector or admin; reject and dismiss need a reason.
    static func decide(
        _ action: TicketAction, store: Store, ticket: Ticket, reason: String, user: UserAccount, context: AuditContext, at: Date
    ) async throws {
        guard mayDecide(user) else { throw WebError.forbidden }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if action.needsReason, reason.isEmpty {
            let name = reasonName["ticket.\(action.rawValue)"] ?? "理由"
            throw WebError.badRequest("\(action.chineseName)必须填写\(name)（reason）")
        }
        let code = ticket.code
        let event = try await conflicts {
            switch action {
            case .verify: try await store.verify(code, reason: reason, actor: user.username, at: at)
            case .reject: try await store.reject(code, reason: reason, actor: user.username, at: at)
            case .dismiss: try await store.dismiss(code, reason: reason, actor: user.username, at: at)
            default: throw WebError.badRequest("不支持的操作")
            }
        }
        try await store.audit(action: "ticket.\(action.rawValue)", object: code, detail: ["reason": reason], context: context, at: at)
        try await notify(event, store: store, at: at)
    }

    /// Posts the event to the webhook stored on the 设置 page, when there is one, after the
    /// response: a slow or down receiver (retried with backoff, then recorded as a failed
    /// notification) must not hold up the person's page.
    static func notify(_ event: TicketEvent, store: Store, at: Date) async throws {
        guard let webhook = try await TicketWebhook.stored(in: store) else { return }
        Task { _ = await webhook.deliver([event], store: store, at: at) }
    }

    /// What the reason of each decision is called on the page, in messages and in the audit.
    static let reasonName = ["ticket.verify": "核验意见", "ticket.reject": "退回意见", "ticket.dismiss": "忽略理由"]

    /// Hands the ticket to a person of the unit (指派): the unit's own users and the office.
    static func assign(store: Store, ticket: Ticket, person: String, user: UserAccount, context: AuditContext, at: Date)
        async throws
    {
        guard user.role != .viewer else { throw WebError.forbidden }
        let person = person.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !person.isEmpty else { throw WebError.badRequest("指派必须填写责任人姓名") }
        guard person.count <= 50 else { throw WebError.badRequest("责任人姓名过长（不超过 50 个字）") }
        let code = ticket.code
        _ = try await conflicts { try await store.assign(code, to: person, actor: user.username, at: at) }
        try await store.audit(action: "ticket.assign", object: code, detail: ["to": person], context: context, at: at)
    }

    /// Runs a ticket transition: a transition the state machine refuses, or a change someone
    /// made meanwhile, is a conflict (409).
    static func conflicts(_ body: () async throws -> TicketEvent) async throws -> TicketEvent {
        do {
            return try await body()
        } catch let error as IllegalTicketTransition {
            throw WebError.conflict(error.description)
        } catch let error as TicketError {
            throw WebError.conflict(error.message)
        }
    }

    /// The client's file name as shown to people: its last path component only (no folders,
    /// `..`, drive letters), without control characters, at most 200 characters.
    static func displayName(_ fileName: String?) -> String {
        let last = (fileName ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == ":" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        let trimmed = clean.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return trimmed.isEmpty ? "附件" : String(trimmed.prefix(200))
    }
}
