import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore
import HTTPTypes
import Hummingbird
import NIOCore

/// 问题: the findings of a run (the latest by default, any run through the picker) with
/// filters, paging, the evidence with its problem highlighted, and the filtered findings
/// exported as CSV (the columns of `govwatch findings --format csv`) or Excel. Exports read
/// the run in batches by id, so a run of a million findings is never held in memory.
struct FindingRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration

    /// Findings read per batch by the exports.
    static let exportBatch = 2_000

    func register(on routes: Routes) {
        routes.get("/findings", access: .signedIn) { request, context in try await list(request, context) }
        routes.get("/findings/export.csv", access: .signedIn) { request, context in try await exportCSV(request, context) }
        routes.get("/findings/export.xlsx", access: .signedIn) { request, context in try await exportXLSX(request, context) }
    }

    /// The filters of the page and the exports, read from the query.
    struct Query {
        var run: InspectionRun?
        var target: String?
        var unit: String?
        var indicator: String?
        var level: Level?
        var filter: FindingFilter

        /// The filters as query fields (for the pager and the export links).
        var fields: [(String, String)] {
            var fields: [(String, String)] = []
            if let run { fields.append(("run", run.code)) }
            if let target { fields.append(("target", target)) }
            if let unit { fields.append(("unit", unit)) }
            if let indicator { fields.append(("indicator", indicator)) }
            if let level { fields.append(("level", level.rawValue)) }
            return fields
        }
    }

    func query(_ request: Request, scope: UnitSubtree?) async throws -> Query {
        var run: InspectionRun?
        if let code = PageFormatting.parameter(request, "run") {
            // A run that does not exist is a page that does not exist.
            guard let found = try? await store.run(code) else { throw WebError.notFound }
            run = found
        } else {
            run = try await TargetRoutes.latestRun(in: store)
        }
        let target = PageFormatting.parameter(request, "target")?.trimmingCharacters(in: .whitespaces)
        let unit = PageFormatting.parameter(request, "unit")
        let indicator = PageFormatting.parameter(request, "indicator")
        let level = PageFormatting.parameter(request, "level").flatMap(Level.init(rawValue:))
        // A unit user's filter is always at most its own subtree; a unit outside it matches nothing.
        let named = try await TargetRoutes.unitFilter(unit, scope: scope, in: store)
        let units = named ?? scope
        return Query(
            run: run, target: target, unit: unit, indicator: indicator, level: level,
            filter: FindingFilter(target: target, indicator: indicator, level: level, units: units))
    }

    // MARK: Page

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let (limit, offset) = PageFormatting.paging(request)
        let query = try await query(request, scope: identity.scope)
        var values: [String: Any] = [
            "limit": limit, "targetFilter": query.target ?? "",
            "unitOptions": try await TargetRoutes.unitOptions(scope: identity.scope, selected: query.unit, in: store),
            "indicatorOptions": PageFormatting.options(
                [("", "全部指标")] + IndicatorID.all.map { ($0.rawValue, PageFormatting.indicatorName($0) + "（\($0.rawValue)）") },
                selected: query.indicator),
            "levelOptions": PageFormatting.options(
                [("", "全部级别")] + Level.allCases.map { ($0.rawValue, $0.chineseName) }, selected: query.level?.rawValue),
        ]
        let runs = try await store.runs(limit: 50, offset: 0).items
        values["runOptions"] = runs.map { run -> [String: Any] in
            [
                "value": run.code, "selected": run.code == query.run?.code,
                "label": "\(run.code)（\(PageFormatting.runStatusName(run.status))）",
            ]
        }
        if let run = query.run {
            let (_, page) = try await store.findings(of: run.code, filter: query.filter, limit: limit, offset: offset)
            values["run"] = [
                "code": run.code, "asOf": PageFormatting.asOfDay(run.asOf), "status": PageFormatting.runStatusName(run.status),
                "indicatorSet": run.indicatorSet,
            ]
            values["findings"] = page.items.map(Self.values)
            values["hasFindings"] = !page.items.isEmpty
            values["total"] = page.total
            values["pager"] = PageFormatting.pager(
                path: "/findings", filters: query.fields, limit: limit, offset: offset, total: page.total)
            let exportQuery = Self.queryString(query.fields)
            values["csvLink"] = "/findings/export.csv" + exportQuery
            values["xlsxLink"] = "/findings/export.xlsx" + exportQuery
            values["tooManyForExcel"] = page.total > XLSXTableFile.maximumRows
        }
        return try pages.page("findings", frame: PageFrame(title: "问题", identity: identity, path: "/findings"), values: values)
    }

    static func values(_ finding: Finding) -> [String: Any] {
        var values: [String: Any] = [
            "targetName": finding.target.name, "targetCode": finding.target.code,
            "targetKind": finding.target.kind == .site ? "网站" : (finding.target.kind == .account ? "新媒体" : "单位"),
            "indicatorName": PageFormatting.indicatorName(finding.indicator), "indicator": finding.indicator.rawValue,
            "levelName": PageFormatting.levelName(finding.level), "level": finding.level.rawValue,
            "parts": EvidenceHighlight.parts(of: finding.evidence, detail: finding.detail).map {
                ["text": $0.text, "marked": $0.marked] as [String: Any]
            },
        ]
        switch finding.target.kind {
        case .site: values["targetLink"] = "/sites/\(finding.target.code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? "")"
        case .account: values["targetLink"] = "/accounts/\(finding.target.code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? "")"
        default: break
        }
        if let url = finding.url {
            values["url"] = url
            if let link = PageFormatting.safeLink(url) { values["href"] = link }
        }
        return values
    }

    static func queryString(_ fields: [(String, String)]) -> String {
        guard !fields.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        allowed = allowed.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        return "?" + fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    // MARK: Exports

    func exportCSV(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try await query(request, scope: identity.scope)
        guard let run = query.run else { throw WebError.notFound }
        let store = store
        let filter = query.filter
        // Streamed batch by batch: the response starts at once and memory stays flat.
        let body = ResponseBody { writer in
            // A byte-order mark so Excel opens the UTF-8 Chinese text correctly.
            try await writer.write(ByteBuffer(string: "\u{FEFF}" + CSVTable.render(header: FindingsReport.csvHeader, rows: [])))
            var after = 0
            while true {
                let (findings, last) = try await store.findingBatch(of: run.code, filter: filter, afterID: after, limit: Self.exportBatch)
                guard let last else { break }
                var chunk = ""
                for finding in findings {
                    chunk += CSVTable.render(header: FindingsReport.csvFields(run: run, finding: finding), rows: [])
                }
                try await writer.write(ByteBuffer(string: chunk))
                after = last
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: Self.disposition(name: "问题清单-\(run.code).csv", ascii: "findings-\(run.code).csv"),
            ], body: body)
    }

    func exportXLSX(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try await query(request, scope: identity.scope)
        guard let run = query.run else { throw WebError.notFound }
        let header = ["检查批次", "对象类型", "对象标识", "对象名称", "指标", "指标名称", "级别", "问题地址", "证据", "详情", "指纹"]
        let table = try XLSXTableFile(
            sheetName: "问题清单 \(run.code)", header: header, widths: [14, 8, 14, 24, 22, 24, 8, 40, 60, 30, 18])
        var after = 0
        while table.rowCount < XLSXTableFile.maximumRows {
            let (findings, last) = try await store.findingBatch(
                of: run.code, filter: query.filter, afterID: after, limit: min(Self.exportBatch, XLSXTableFile.maximumRows - table.rowCount))
            guard let last else { break }
            for finding in findings {
                let fields = FindingsReport.csvFields(run: run, finding: finding)
                try table.append([
                    fields[0], finding.target.kind == .site ? "网站" : (finding.target.kind == .account ? "新媒体" : "单位"), fields[2],
                    fields[3], fields[4], PageFormatting.indicatorName(finding.indicator), finding.level.chineseName, fields[6], fields[7],
                    fields[8], fields[9],
                ])
            }
            after = last
        }
        let url = try table.finish()
        let handle = try FileHandle(forReadingFrom: url)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
        // The table owns its temporary folder: it is kept alive until the file has been sent.
        let body = ResponseBody(contentLength: size) { [table] writer in
            defer { try? handle.close() }
            _ = table.sheetName
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition: Self.disposition(name: "问题清单-\(run.code).xlsx", ascii: "findings-\(run.code).xlsx"),
            ], body: body)
    }

    /// `attachment` with an ASCII fallback and the Chinese name in RFC 5987 form.
    static func disposition(name: String, ascii: String) -> String {
        let attrChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(name.addingPercentEncoding(withAllowedCharacters: attrChars) ?? ascii)"
    }
}
