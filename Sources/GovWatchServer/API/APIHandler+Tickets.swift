import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchStore
import HTTPTypes
import OpenAPIRuntime

// Rectification tickets: lists and details limited to the caller's scope, the unit's
// feedback with its files, downloads, and the office's verify / reject / dismiss. A ticket
// outside the scope answers 404 before any role check, so a 403 never confirms it exists.
extension APIHandler {
    /// Each feedback file may be this large (web.md: 20 MiB); shared with the ticket page.
    static let maximumAttachmentBytes = TicketActions.maximumAttachmentBytes
    /// The feedback text is a few paragraphs; more is not a description.
    static let maximumFeedbackTextBytes = TicketActions.maximumFeedbackTextBytes

    func listTickets(_ input: Operations.ListTickets.Input) async throws -> Operations.ListTickets.Output {
        let paging = try Paging(limit: input.query.limit, offset: input.query.offset)
        let now = configuration.clock()
        let filter = ScopedTicketFilter(
            state: input.query.state.flatMap { TicketState(rawValue: $0.rawValue) }, indicator: input.query.indicator,
            overdueAt: input.query.overdue == true ? now : nil, units: try await scope(narrowedTo: input.query.unit))
        // The same for every caller of a scope until a ticket changes (overdue: or the day).
        let key = ComputedPageCache.key("api-tickets", [
            filter.state?.rawValue ?? "", filter.indicator ?? "", input.query.overdue == true ? "1" : "", "\(paging.limit)",
            "\(paging.offset)", ComputedPageCache.scopeKey(filter.units),
        ])
        let page = try await cache.value(
            key, reading: [.tickets, .units], in: store, slot: .chinaDay, at: now, size: { $0.items.count * 2_048 }
        ) { try await store.tickets(filter, limit: paging.limit, offset: paging.offset) }
        return .ok(.init(body: .json(.init(items: page.items.map { APIShapes.ticket($0, at: now) }, total: page.total))))
    }

    func getTicket(_ input: Operations.GetTicket.Input) async throws -> Operations.GetTicket.Output {
        let ticket = try await visibleTicket(input.path.id)
        return .ok(.init(body: .json(try await detail(of: ticket))))
    }

    func submitFeedback(_ input: Operations.SubmitFeedback.Input) async throws -> Operations.SubmitFeedback.Output {
        let ticket = try await visibleTicket(input.path.id)
        let user = try identity().user
        // The unit answers its own tickets; the office verifies them, it does not answer them.
        guard TicketActions.mayGiveFeedback(user) else { throw WebError.forbidden }
        guard case .multipartForm(let form) = input.body else { throw WebError.badRequest("请求内容应为 multipart/form-data") }
        var text: String?
        var files: [AttachmentInput] = []
        for try await part in Self.checkedParts(form) {
            switch part {
            case .text(let field):
                let data = try await Self.collect(field.payload.body, limit: Self.maximumFeedbackTextBytes, what: "整改情况说明")
                text = String(decoding: data, as: UTF8.self)
            case .files(let field):
                let data = try await Self.collect(field.payload.body, limit: configuration.maximumAttachmentBytes, what: "附件")
                // The bytes live in the database, never under the client's name on a disk.
                files.append(try TicketActions.attachment(data, fileName: field.filename, limit: configuration.maximumAttachmentBytes))
            case .undocumented(let unknown):
                // Parts the document does not name are read to the end and dropped: the next
                // part can only be read after this one.
                try await Self.drain(unknown.body)
            }
        }
        try await TicketActions.feedback(
            store: store, ticket: ticket, text: text, files: files, user: user, context: auditContext, at: configuration.clock())
        return .ok(.init(body: .json(try await detail(of: try await visibleTicket(ticket.code)))))
    }

    func getAttachment(_ input: Operations.GetAttachment.Input) async throws -> Operations.GetAttachment.Output {
        let ticket = try await visibleTicket(input.path.id)
        let attachments = try await store.attachments(of: ticket.code)
        guard input.path.n >= 1, input.path.n <= attachments.count else { throw WebError.notFound }
        let attachment = attachments[input.path.n - 1]
        let content = try await store.attachmentContent(attachment.id)
        let type = AttachmentType.detect(content)
        let disposition = Self.contentDisposition(
            fileName: attachment.fileName, asciiName: "attachment-\(input.path.n)" + (type.map { "." + $0.fileExtension } ?? ""))
        let body = HTTPBody(content)
        let payload: Operations.GetAttachment.Output.Ok.Body =
            switch type {
            case .pdf: .pdf(body)
            case .docx: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(body)
            case .xlsx: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(body)
            case .ofd: .applicationOfd(body)
            case .jpeg: .jpeg(body)
            case .png: .png(body)
            // Attached from the command line before types were checked: sent as bytes.
            case nil: .binary(body)
            }
        return .ok(.init(headers: .init(contentDisposition: disposition), body: payload))
    }

    func verifyTicket(_ input: Operations.VerifyTicket.Input) async throws -> Operations.VerifyTicket.Output {
        guard case .json(let payload) = input.body else { throw WebError.badRequest("请求内容应为 JSON") }
        return .ok(.init(body: .json(try await officeAction(.verify, ticket: input.path.id, reason: payload.reason))))
    }

    func rejectTicket(_ input: Operations.RejectTicket.Input) async throws -> Operations.RejectTicket.Output {
        guard case .json(let payload) = input.body else { throw WebError.badRequest("请求内容应为 JSON") }
        return .ok(.init(body: .json(try await officeAction(.reject, ticket: input.path.id, reason: payload.reason))))
    }

    func dismissTicket(_ input: Operations.DismissTicket.Input) async throws -> Operations.DismissTicket.Output {
        guard case .json(let payload) = input.body else { throw WebError.badRequest("请求内容应为 JSON") }
        return .ok(.init(body: .json(try await officeAction(.dismiss, ticket: input.path.id, reason: payload.reason))))
    }

    // MARK: Helpers

    /// Verify, reject or dismiss by an inspector or admin, with the reason; audited with the
    /// caller's address.
    func officeAction(_ action: TicketAction, ticket code: String, reason: String) async throws -> Components.Schemas.TicketDetail {
        let ticket = try await visibleTicket(code)
        let user = try identity().user
        guard TicketActions.mayDecide(user) else { throw WebError.forbidden }
        try await TicketActions.decide(
            action, store: store, ticket: ticket, reason: reason, user: user, context: auditContext, at: configuration.clock())
        return try await detail(of: try await visibleTicket(ticket.code))
    }

    /// The ticket when it exists and is within the caller's scope; 404 otherwise.
    func visibleTicket(_ code: String) async throws -> Ticket {
        guard let ticket = try await store.ticket(code, within: try identity().scope) else { throw WebError.notFound }
        return ticket
    }

    /// The ticket with its history and attachments.
    func detail(of ticket: Ticket) async throws -> Components.Schemas.TicketDetail {
        let history = try await store.history(ticket.code)
        let attachments = try await store.attachments(of: ticket.code)
        return .init(
            ticket: APIShapes.ticket(ticket, at: configuration.clock()), evidence: ticket.evidence, assignee: ticket.assignee,
            feedbackText: ticket.feedbackText, history: history.map(APIShapes.event),
            attachments: attachments.enumerated().map { index, file in
                .init(n: index + 1, fileName: file.fileName, size: file.size, sha256: file.sha256)
            })
    }

    /// Runs a ticket transition: a transition the state machine refuses, or a change someone
    /// made meanwhile, is a conflict (409).
    func ticketAction(_ body: () async throws -> TicketEvent) async throws -> TicketEvent {
        do {
            return try await body()
        } catch let error as IllegalTicketTransition {
            throw WebError.conflict(error.description)
        } catch let error as TicketError {
            throw WebError.conflict(error.message)
        }
    }

    /// The bytes of a part, refusing more than `limit` (413) as soon as it is passed,
    /// without reading the rest.
    static func collect(_ body: HTTPBody, limit: Int, what: String) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            guard data.count + chunk.count <= limit else {
                throw WebError.tooLarge("\(what)超过 \(limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit >> 10) KiB") 的限制")
            }
            data.append(contentsOf: chunk)
        }
        return data
    }

    /// Reads a part's body to its end without keeping it.
    static func drain(_ body: HTTPBody) async throws {
        for try await _ in body {}
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

    /// `attachment` with an ASCII fallback name and the real name in RFC 5987 form.
    static func contentDisposition(fileName: String, asciiName: String) -> String {
        // `.alphanumerics` holds Chinese characters too: only RFC 5987's attr-chars stay as is.
        let attrChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = displayName(fileName).addingPercentEncoding(withAllowedCharacters: attrChars) ?? asciiName
        return "attachment; filename=\"\(asciiName)\"; filename*=UTF-8''\(encoded)"
    }

    /// Who calls and from which address, for the audit entries of ``TicketActions``.
    var auditContext: AuditContext {
        AuditContext(actor: RequestIdentity.current?.user.username ?? "anonymous", address: RequestIdentity.address)
    }

    /// An entry of the audit log: who, what, from which address.
    func audit(_ action: String, object: String, detail: [String: String]) async throws {
        let user = try identity().user
        try await store.audit(
            action: action, object: object, detail: detail,
            context: AuditContext(actor: user.username, address: RequestIdentity.address), at: configuration.clock())
    }
}
