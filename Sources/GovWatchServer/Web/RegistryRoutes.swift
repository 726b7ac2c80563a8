import Foundation
import GovWatchCore
import GovWatchStore
import Hummingbird
import NIOCore

/// 台账: upload a registry CSV (all or nothing, through `RegistryImporter` as `govwatch
/// import`), its error shown in Chinese with file, line and field; and each list exported as
/// the CSV of `govwatch list --format csv`, which imports back unchanged. Office roles only.
struct RegistryRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration

    static let access = RouteAccess.roles([.inspector])
    /// The lists: kind, Chinese name, what the file holds.
    static let lists: [(RegistryFile, String, String)] = [
        (.sites, "网站", "网站标识码、名称、首页网址、类型、主办单位及上级单位"),
        (.columns, "栏目", "网站的栏目、类型和更新周期"),
        (.accounts, "政务新媒体账号", "平台、账号、名称、主办单位"),
        (.posts, "新媒体发布内容", "账号的发布记录（无法抓取的平台）"),
        (.people, "责任人", "单位的整改责任人及联系方式"),
    ]

    func register(on routes: Routes) {
        routes.get("/registry", access: Self.access) { _, context in try await show(context, outcome: [:], status: .ok) }
        routes.post("/registry/import", access: Self.access) { request, context in try await upload(request, context) }
        routes.get("/registry/{file}", access: Self.access) { _, context in try await export(context) }
    }

    func show(_ context: AppRequestContext, outcome: [String: Any], status: HTTPResponse.Status) async throws -> Response {
        let identity = try context.requireIdentity()
        let counts: [RegistryFile: Int] = [
            .sites: try await store.sites().count, .columns: try await store.columns(origin: "imported").count,
            .accounts: try await store.accounts().count, .posts: try await store.posts().count,
            .people: try await store.people().count,
        ]
        var values: [String: Any] = [
            "lists": Self.lists.map { kind, name, holds in
                ["kind": kind.rawValue, "name": name, "holds": holds, "count": counts[kind] ?? 0] as [String: Any]
            },
            "units": try await store.units().count,
        ]
        for (key, value) in outcome { values[key] = value }
        return try pages.page(
            "registry", frame: PageFrame(title: "台账", identity: identity, path: "/registry"), values: values, status: status)
    }

    /// A multipart form with `kind` and `file`; the CSRF token rides in the action's query.
    func upload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let boundary = MultipartFormData.boundary(contentType: request.headers[.contentType]) else {
            throw WebError.badRequest("请通过台账页面的表单上传 CSV 文件")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = try MultipartFormData(body: Data(body.readableBytesView), boundary: boundary)
        guard let kind = form.text("kind").flatMap(RegistryFile.init(rawValue:)) else {
            throw WebError.badRequest("请选择台账类型")
        }
        guard let file = form.files.first else { throw WebError.badRequest("请选择要导入的 CSV 文件") }
        guard file.data.count <= Store.maximumAttachmentBytes else { throw WebError.tooLarge("文件超过 20 MiB 的限制") }
        let name = APIHandler.displayName(file.fileName)
        let listName = Self.lists.first { $0.0 == kind }?.1 ?? kind.rawValue
        do {
            let summary = try await RegistryImporter.importFile(kind, data: file.data, file: name, into: store)
            try await store.audit(
                action: "registry.import", object: kind.rawValue,
                detail: [
                    "file": name, "inserted": String(summary.inserted), "updated": String(summary.updated),
                    "unchanged": String(summary.unchanged), "unitsCreated": String(summary.unitsCreated),
                ], context: context.auditContext, at: configuration.clock())
            return try await show(
                context,
                outcome: [
                    "imported": [
                        "listName": listName, "file": name, "inserted": summary.inserted, "updated": summary.updated,
                        "unchanged": summary.unchanged, "unitsCreated": summary.unitsCreated,
                    ] as [String: Any]
                ], status: .ok)
        } catch let error as ImportError {
            // Nothing was stored: the importer validates every row before one transaction.
            try await store.audit(
                action: "registry.import.rejected", object: kind.rawValue,
                detail: ["file": name, "line": String(error.line), "field": error.field, "reason": error.reason],
                context: context.auditContext, at: configuration.clock())
            return try await show(
                context,
                outcome: [
                    "rejected": [
                        "listName": listName, "file": error.file, "line": error.line,
                        "field": error.field == "*" ? "（整行或整个文件）" : error.field, "reason": error.reason,
                    ] as [String: Any]
                ], status: .unprocessableContent)
        }
    }

    /// `/registry/sites.csv`: the list as `govwatch list sites --format csv` prints it.
    func export(_ context: AppRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".csv"), let kind = RegistryFile(rawValue: String(file.dropLast(4))) else { throw WebError.notFound }
        let csv = try await RegistryListing.render(kind.rawValue, format: "csv", from: store)
        let day = PageFormatting.day(configuration.clock())
        let listName = Self.lists.first { $0.0 == kind }?.1 ?? kind.rawValue
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: APIHandler.contentDisposition(fileName: "\(listName)台账-\(day).csv", asciiName: "\(kind.rawValue)-\(day).csv"),
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}
