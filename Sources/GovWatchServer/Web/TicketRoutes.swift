import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchStore
import HTTPTypes
import Hummingbird
import NIOCore

/// 整改: the tickets with filters and paging, a ticket's page (its finding, deadline, state,
/// history and audit entries, attachments), the unit's feedback form with its files, the
/// office's verify / reject / dismiss, assignment, and the 清零 table per unit.
///
/// A ticket outside the user's scope answers 404 before any role check (a 403 would confirm
/// it exists); every action goes through ``TicketActions``, the code the JSON API uses, and
/// is audited with who, when and from which address.
struct TicketRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration
    let cache: ComputedPageCache

    func register(on routes: Routes) {
        routes.get("/tickets", access: .signedIn) { request, context in try await list(request, context) }
        routes.get("/tickets/clearance", access: .signedIn) { request, context in try await clearance(request, context) }
        routes.get("/tickets/{id}", access: .signedIn) { request, context in try await detail(request, context) }
        routes.get("/tickets/{id}/attachments/{n}", access: .signedIn) { request, context in try await attachment(request, context) }
        routes.post("/tickets/{id}/feedback", access: .signedIn) { request, context in try await feedback(request, context) }
        routes.post("/tickets/{id}/verify", access: .signedIn) { request, context in try await decide(.verify, request, context) }
        routes.post("/tickets/{id}/reject", access: .signedIn) { request, context in try await decide(.reject, request, context) }
        routes.post("/tickets/{id}/dismiss", access: .signedIn) { request, context in try await decide(.dismiss, request, context) }
        routes.post("/tickets/{id}/assign", access: .signedIn) { request, context in try await assign(request, context) }
    }

    static let stateChoices: [(value: String, label: String)] =
        [("", "全部状态")] + TicketState.allCases.map { ($0.rawValue, $0.chineseName) }

    // MARK: List

    /// What the ticket list is computed from (the unit menu counts sites and accounts).
    static let listTables: [DataVersions.Table] = [.tickets, .units, .sites, .accounts]

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let (limit, offset) = PageFormatting.paging(request)
        let now = configuration.clock()
        let state = PageFormatting.parameter(request, "state").flatMap(TicketState.init(rawValue:))
        let unit = PageFormatting.parameter(request, "unit")
        let indicator = PageFormatting.parameter(request, "indicator")
        let overdue = PageFormatting.parameter(request, "overdue") == "1"
        // The same for everyone of a role and scope until a ticket changes or the day (what is overdue).
        let key = ComputedPageCache.key(
            "tickets",
            [state?.rawValue ?? "", unit ?? "", indicator ?? "", overdue ? "1" : "", "\(limit)", "\(offset)"]
                + ComputedPageCache.audience(identity))
        let content = try await cache.value(key, reading: Self.listTables, in: store, slot: .chinaDay, at: now, size: \.bytes) {
            try await listContent(
                identity: identity, state: state, unit: unit, indicator: indicator, overdue: overdue, limit: limit, offset: offset,
                now: now)
        }
        return try pages.page(content, frame: PageFrame(title: "整改", identity: identity, path: "/tickets"))
    }

    func listContent(
        identity: Identity, state: TicketState?, unit: String?, indicator: String?, overdue: Bool, limit: Int, offset: Int, now: Date
    ) async throws -> PageContent {
        let units = try await TargetRoutes.unitFilter(unit, scope: identity.scope, in: store) ?? identity.scope
        let page = try await store.tickets(
            ScopedTicketFilter(state: state, indicator: indicator, overdueAt: overdue ? now : nil, units: units),
            limit: limit, offset: offset)
        var filters: [(String, String)] = []
        if let state { filters.append(("state", state.rawValue)) }
        if let unit { filters.append(("unit", unit)) }
        if let indicator { filters.append(("indicator", indicator)) }
        if overdue { filters.append(("overdue", "1")) }
        let values: [String: Any] = [
            "tickets": page.items.map { Self.summary($0, at: now) }, "hasTickets": !page.items.isEmpty, "limit": limit,
            "overdue": overdue,
            "stateOptions": PageFormatting.options(Self.stateChoices, selected: state?.rawValue),
            "unitOptions": try await TargetRoutes.unitOptions(scope: identity.scope, selected: unit, in: store),
            "indicatorOptions": PageFormatting.options(
                [("", "全部指标")] + IndicatorID.all.map { ($0.rawValue, PageFormatting.indicatorName($0)) }, selected: indicator),
            "pager": PageFormatting.pager(path: "/tickets", filters: filters, limit: limit, offset: offset, total: page.total),
        ]
        return try pages.content("tickets", values: values)
    }

    static func summary(_ ticket: Ticket, at now: Date) -> [String: Any] {
        var values: [String: Any] = [
            "code": ticket.code, "unit": ticket.unit, "targetName": ticket.target.name, "targetCode": ticket.target.code,
            // A unit-level problem (staffing, overdue rectification) is the unit's own: its
            // name is already in the unit column, and its code is its name.
            "isUnitTarget": ticket.target.kind == .unit, "showTargetCode": ticket.target.code != ticket.target.name,
            "indicatorName": PageFormatting.indicatorName(ticket.indicator), "indicator": ticket.indicator.rawValue,
            "level": ticket.level.rawValue, "levelName": ticket.level.chineseName,
            "state": ticket.state.rawValue, "stateName": ticket.state.chineseName,
            "overdue": ticket.isOverdue(at: now), "firstSeen": PageFormatting.day(ticket.firstSeen),
        ]
        if let deadline = ticket.deadline { values["deadline"] = deadline.description }
        if let assignee = ticket.assignee, !assignee.isEmpty { values["assignee"] = assignee }
        return values
    }

    // MARK: One ticket

    /// The ticket named in the path when the user may see it; 404 otherwise.
    func visibleTicket(_ context: AppRequestContext) async throws -> Ticket {
        let identity = try context.requireIdentity()
        guard let code = context.parameters.get("id"), let ticket = try await store.ticket(code, within: identity.scope) else {
            throw WebError.notFound
        }
        return ticket
    }

    static let doneMessages = [
        "feedback": "整改情况已提交，等待监管部门核验。", "verify": "已核验销号。", "reject": "已退回，单位需重新整改。",
        "dismiss": "已忽略此问题。", "assign": "已指派责任人。",
    ]

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let ticket = try await visibleTicket(context)
        let now = configuration.clock()
        let user = identity.user
        let history = try await store.history(ticket.code)
        let audit = try await store.auditEntries(object: ticket.code)
        let attachments = try await store.attachments(of: ticket.code)
        var values = Self.summary(ticket, at: now)
        values["parts"] = EvidenceHighlight.parts(of: ticket.evidence, detail: .object([:])).map {
            ["text": $0.text, "marked": $0.marked] as [String: Any]
        }
        if let url = ticket.url {
            values["url"] = url
            if let link = PageFormatting.safeLink(url) { values["href"] = link }
        }
        values["occurrences"] = ticket.occurrences
        values["lastSeen"] = PageFormatting.day(ticket.lastSeen)
        if let run = ticket.lastRun { values["lastRun"] = run }
        if ticket.reopened > 0 { values["reopened"] = ticket.reopened }
        if let text = ticket.feedbackText, !text.isEmpty { values["feedbackText"] = text }
        switch ticket.target.kind {
        case .site: values["targetLink"] = "/sites/" + Self.pathComponent(ticket.target.code)
        case .account: values["targetLink"] = "/accounts/" + Self.pathComponent(ticket.target.code)
        default: break
        }
        values["history"] = history.map { event -> [String: Any] in
            var entry: [String: Any] = [
                "at": PageFormatting.minute(event.at), "actor": event.actor, "action": event.action.chineseName,
                "to": event.to.chineseName,
            ]
            if let from = event.from { entry["from"] = from.chineseName }
            if let reason = event.reason, !reason.isEmpty { entry["reason"] = reason }
            return entry
        }
        values["audit"] = audit.map { entry -> [String: Any] in
            [
                "at": PageFormatting.minute(entry.at), "actor": entry.actor, "address": entry.address ?? "—",
                "action": Self.auditActionNames[entry.action] ?? entry.action,
                "detail": entry.detail.sorted { $0.key < $1.key }
                    .map { "\(Self.auditDetailName($0.key, action: entry.action))：\($0.value)" }
                    .joined(separator: "；"),
            ]
        }
        values["hasAudit"] = !audit.isEmpty
        values["attachments"] = attachments.enumerated().map { index, file -> [String: Any] in
            [
                "n": index + 1, "fileName": file.fileName, "size": Self.byteCount(file.size),
                "href": "/tickets/\(ticket.code)/attachments/\(index + 1)",
            ]
        }
        values["hasAttachments"] = !attachments.isEmpty
        // The forms each role may use in the ticket's state (the state machine decides the rest).
        let csrf = identity.csrfToken ?? ""
        if TicketActions.mayGiveFeedback(user), ticket.state == .open {
            values["feedbackForm"] = [
                "action": "/tickets/\(ticket.code)/feedback?csrf_token=" + (csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                "accept": ".pdf,.docx,.xlsx,.ofd,.jpg,.jpeg,.png",
                "limit": "\(configuration.maximumAttachmentBytes >> 20) MiB", "types": AttachmentType.acceptedNames,
            ]
        }
        if TicketActions.mayDecide(user) {
            if ticket.state == .feedback { values["verifyForm"] = true; values["rejectForm"] = true }
            if ticket.state == .open || ticket.state == .feedback { values["dismissForm"] = true }
        }
        if user.role != .viewer, ticket.state == .open || ticket.state == .feedback {
            let people = try await store.users().filter { $0.unitName == ticket.unit && !$0.disabled }.map(\.displayName)
            values["assignForm"] = ["people": Array(Set(people)).sorted(), "current": ticket.assignee ?? ""]
        }
        values["hasActions"] = values["feedbackForm"] != nil || values["verifyForm"] != nil || values["dismissForm"] != nil
        if let done = PageFormatting.parameter(request, "done").flatMap({ Self.doneMessages[$0] }) { values["done"] = done }
        return try pages.page(
            "ticket", frame: PageFrame(title: "整改单 \(ticket.code)", identity: identity, path: "/tickets/\(ticket.code)"),
            values: values)
    }

    static let auditActionNames = [
        "ticket.feedback": "提交整改情况", "ticket.verify": "核验销号", "ticket.reject": "退回", "ticket.dismiss": "忽略",
        "ticket.assign": "指派",
    ]
    static let auditDetailNames = ["files": "附件数", "names": "附件", "reason": "说明", "to": "责任人"]

    /// What the office wrote, named as the office names it: a verification's 核验意见, a
    /// rejection's 退回意见, a dismissal's 忽略理由.
    static func auditDetailName(_ key: String, action: String) -> String {
        if key == "reason", let name = TicketActions.reasonName[action] { return name }
        return auditDetailNames[key] ?? key
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ""
    }

    /// `1.2 MiB`, `35 KiB`, `120 B`.
    static func byteCount(_ size: Int) -> String {
        if size >= 1 << 20 { return String(format: "%.1f MiB", Double(size) / Double(1 << 20)) }
        if size >= 1 << 10 { return "\(size >> 10) KiB" }
        return "\(size) B"
    }

    func attachment(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let ticket = try await visibleTicket(context)
        let attachments = try await store.attachments(of: ticket.code)
        guard let n = context.parameters.get("n").flatMap(Int.init), n >= 1, n <= attachments.count else { throw WebError.notFound }
        let file = attachments[n - 1]
        let content = try await store.attachmentContent(file.id)
        let type = AttachmentType.detect(content)
        let contentType: String =
            switch type {
            case .pdf: "application/pdf"
            case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .ofd: "application/ofd"
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            case nil: "application/octet-stream"
            }
        let disposition = APIHandler.contentDisposition(
            fileName: file.fileName, asciiName: "attachment-\(n)" + (type.map { "." + $0.fileExtension } ?? ""))
        return Response(
            status: .ok, headers: [.contentType: contentType, .contentDisposition: disposition],
            body: .init(byteBuffer: ByteBuffer(bytes: content)))
    }

    // MARK: Actions

    /// Back to the ticket's page with a line saying what was done (post/redirect/get).
    static func done(_ ticket: Ticket, _ what: String) -> Response {
        Response(status: .seeOther, headers: [.location: "/tickets/\(ticket.code)?done=\(what)"])
    }

    func feedback(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let ticket = try await visibleTicket(context)
        guard TicketActions.mayGiveFeedback(identity.user) else { throw WebError.forbidden }
        guard let boundary = MultipartFormData.boundary(contentType: request.headers[.contentType]) else {
            throw WebError.unsupportedType("整改反馈应以表单上传（multipart/form-data）")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = try MultipartFormData(body: Data(body.readableBytesView), boundary: boundary)
        let files = try form.files.map { try TicketActions.attachment($0.data, fileName: $0.fileName, limit: configuration.maximumAttachmentBytes) }
        try await TicketActions.feedback(
            store: store, ticket: ticket, text: form.text("text"), files: files, user: identity.user, context: context.auditContext,
            at: configuration.clock())
        return Self.done(ticket, "feedback")
    }

    func decide(_ action: TicketAction, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let ticket = try await visibleTicket(context)
        try await TicketActions.decide(
            action, store: store, ticket: ticket, reason: context.formFields?["reason"] ?? "", user: identity.user,
            context: context.auditContext, at: configuration.clock())
        return Self.done(ticket, action.rawValue)
    }

    func assign(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let ticket = try await visibleTicket(context)
        try await TicketActions.assign(
            store: store, ticket: ticket, person: context.formFields?["person"] ?? "", user: identity.user,
            context: context.auditContext, at: configuration.clock())
        return Self.done(ticket, "assign")
    }

    // MARK: 清零

    /// The first moment of the quarter `moment` falls in, China Standard Time.
    static func quarterStart(of moment: Date) -> (start: Date, name: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = PageFormatting.chinaTimeZone
        let parts = calendar.dateComponents([.year, .month], from: moment)
        let year = parts.year ?? 2000
        let quarter = ((parts.month ?? 1) - 1) / 3 + 1
        let start = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1)) ?? moment
        return (start, "\(year)年第\(["一", "二", "三", "四"][quarter - 1])季度")
    }

    func clearance(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let now = configuration.clock()
        let period = Self.quarterStart(of: now)
        let backlog = try await store.ticketBacklog(at: now, within: identity.scope)
        let closed = Dictionary(
            uniqueKeysWithValues: try await store.ticketsClosed(since: period.start, within: identity.scope).map { ($0.unit, $0.closed) })
        let rows = backlog.map { entry -> [String: Any] in
            [
                "unit": entry.unit, "open": entry.open, "overdue": entry.overdue, "feedback": entry.feedback,
                "closedThisPeriod": closed[entry.unit] ?? 0, "cleared": entry.cleared, "hasOverdue": entry.overdue > 0,
                "openLink": "/tickets?state=open&unit=" + (entry.unit.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                "overdueLink": "/tickets?overdue=1&unit=" + (entry.unit.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                "feedbackLink": "/tickets?state=feedback&unit=" + (entry.unit.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
            ]
        }
        let cleared = backlog.filter(\.cleared).count
        let values: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "period": period.name, "periodStart": PageFormatting.day(period.start),
            "today": PageFormatting.day(now), "clearedCount": cleared, "unitCount": backlog.count,
        ]
        return try pages.page(
            "clearance", frame: PageFrame(title: "清零情况", identity: identity, path: "/tickets/clearance"), values: values)
    }
}
