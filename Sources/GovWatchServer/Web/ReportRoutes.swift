import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore
import Hummingbird
import NIOCore

/// 通报: choose a period and download its notice in every format, built by ``NoticeDownload``
/// (the builder and writers of `govwatch report`, as `GET /api/v1/reports/{report}`). The
/// notice ranks every unit of the city: the office's and viewers' document, not a unit's.
struct ReportRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration

    static let access = RouteAccess.roles([.inspector, .viewer])
    static let formats: [(NoticeFormat, String, String)] = [
        (.docx, "Word 文档（.docx）", "正式印发用，可直接编辑"),
        (.xlsx, "Excel 表格（.xlsx）", "各单位得分和问题明细"),
        (.html, "网页（.html）", "在浏览器中查看或打印"),
        (.md, "Markdown（.md）", "纯文本，便于转载和比对"),
    ]

    func register(on routes: Routes) {
        routes.get("/reports", access: Self.access) { request, context in try await form(request, context) }
        routes.get("/reports/{file}", access: Self.access) { request, context in try await download(request, context) }
    }

    func form(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let now = configuration.clock()
        // Suggest the quarter of the newest run (the data there is), else today's.
        let newest = try await store.runs(limit: 1, offset: 0).items.first
        let today = CalendarDate(newest.map { $0.asOf.addingTimeInterval(-1) } ?? now)
        let current = ReportPeriod.quarter(today.year, (today.month - 1) / 3 + 1)!
        let text = PageFormatting.parameter(request, "period")
        var values: [String: Any] = [
            "period": text ?? Self.code(current), "suggestions": [current, current.previous, current.previous.previous].map {
                ["code": Self.code($0), "name": $0.chineseName]
            },
        ]
        var status = HTTPResponse.Status.ok
        if let text {
            do {
                let period = try ReportPeriod.parse(text)
                let code = Self.code(period)
                values["chosen"] = [
                    "name": period.chineseName, "first": period.firstDay.description, "last": period.lastDay.description,
                    "downloads": Self.formats.map { format, label, use in
                        ["href": "/reports/\(code).\(format.rawValue)", "label": label, "use": use] as [String: Any]
                    },
                ] as [String: Any]
            } catch let error as ReportPeriod.InvalidPeriod {
                values["error"] = error.description
                status = .badRequest
            }
        }
        return try pages.page(
            "reports", frame: PageFrame(title: "通报", identity: identity, path: "/reports"), values: values, status: status)
    }

    /// `/reports/2022Q1.docx`: the notice as an attachment.
    func download(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let name = context.parameters.get("file") ?? ""
        let (period, format) = try NoticeDownload.parse(name)
        let notice = try await NoticeDownload.build(period: period, format: format, store: store, now: configuration.clock())
        let type =
            switch format {
            case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .html: "text/html; charset=utf-8"
            case .md: "text/markdown; charset=utf-8"
            }
        return Response(
            status: .ok,
            headers: [
                .contentType: type,
                .contentDisposition: APIHandler.contentDisposition(fileName: notice.fileName, asciiName: "notice-\(Self.code(period)).\(format.rawValue)"),
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: notice.data)))
    }

    /// `2022Q1` or `2022-03`, the form the download links use.
    static func code(_ period: ReportPeriod) -> String {
        switch period.kind {
        case .month: String(format: "%04d-%02d", period.firstDay.year, period.firstDay.month)
        default: "\(period.firstDay.year)Q\((period.firstDay.month - 1) / 3 + 1)"
        }
    }
}
