import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchReports
import GovWatchStore
import HTTPTypes
import OpenAPIRuntime

// 三审 (the pre-publication check) and the quarterly notice (通报).
extension APIHandler {
    /// A draft to check may be as large as an attachment.
    static let maximumScanBytes = Store.maximumAttachmentBytes

    /// Text or one uploaded document → the `govwatch scan --format json` shape, through the
    /// same `DraftScan` the command uses. Units check their drafts here; viewers change
    /// nothing and may not post (403).
    func scan(_ input: Operations.Scan.Input) async throws -> Operations.Scan.Output {
        let user = try identity().user
        guard user.role != .viewer else { throw WebError.forbidden }
        let scanner = try await contentScanner()
        let sections: [ScannedSection]
        switch input.body {
        case .json(let payload):
            guard payload.text.utf8.count <= Self.maximumScanBytes else { throw WebError.tooLarge("文本超过 20 MiB 的限制") }
            sections = DraftScan.scan(text: payload.text, displayName: "-", scanner: scanner)
        case .multipartForm(let form):
            var scanned: [ScannedSection]?
            for try await part in Self.checkedParts(form) {
                guard case .file(let field) = part else {
                    if case .undocumented(let unknown) = part { try await Self.drain(unknown.body) }
                    continue
                }
                guard scanned == nil else { throw WebError.badRequest("一次只能检查一个文件（file）") }
                let data = try await Self.collect(field.payload.body, limit: Self.maximumScanBytes, what: "文件")
                let name = Self.displayName(field.filename)
                do {
                    scanned = try DraftScan.scan(data: data, fileName: name, displayName: name, scanner: scanner)
                } catch let error as DocumentReadError {
                    throw WebError.unsupportedType(error.description)
                }
            }
            guard let scanned else { throw WebError.badRequest("请上传要检查的文件（file）") }
            sections = scanned
        }
        let problems = sections.flatMap(\.problems).map(APIShapes.problem)
        return .ok(.init(body: .json(.init(problems: problems))))
    }

    /// The scanner of the dictionaries shipped with the product and the 设置 page's extra
    /// dictionary, at the levels of the indicator set in force.
    func contentScanner() async throws -> ContentScanner {
        try await ScanRoutes.contentScanner(store)
    }

    /// The notice of a period (`2022Q1.docx`, `2022-03.html`) through the builder and writers
    /// `govwatch report` uses. The notice ranks every unit of the city, so it is the office's
    /// document: inspectors, admins and viewers download it; unit users get 403 (it is not an
    /// object of theirs that could be hidden by a 404: the route is the same for everyone).
    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        let user = try identity().user
        guard user.role != .unit else { throw WebError.forbidden }
        let name = input.path.report
        let (period, format) = try NoticeDownload.parse(name)
        let notice = try await NoticeDownload.build(period: period, format: format, store: store, now: configuration.clock())
        let data = notice.data
        let disposition = Self.contentDisposition(fileName: notice.fileName, asciiName: "notice-\(name)")
        let body = HTTPBody(data)
        let payload: Operations.GetReport.Output.Ok.Body =
            switch format {
            case .docx: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(body)
            case .xlsx: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(body)
            case .html: .html(body)
            case .md: .textMarkdown(body)
            }
        return .ok(.init(headers: .init(contentDisposition: disposition), body: payload))
    }
}
