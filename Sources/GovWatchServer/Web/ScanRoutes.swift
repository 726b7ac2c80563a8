import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchStore
import Hummingbird

/// 三审: paste a draft or upload a document and see every problem highlighted in place
/// before publishing, through the `DraftScan` of `govwatch scan` and `POST /api/v1/scan`.
/// Personal information is only ever shown masked: the highlighted text of such a problem is
/// the scanner's masked evidence, never the characters of the draft.
struct ScanRoutes: Sendable {
    let store: Store
    let pages: PageRenderer

    /// Drafts longer than this show the list of problems without the whole text.
    static let maximumShownCharacters = 200_000

    func register(on routes: Routes) {
        routes.get("/scan", access: .signedIn) { _, context in
            let identity = try context.requireIdentity()
            return try pages.page(
                "scan", frame: PageFrame(title: "三审", identity: identity, path: "/scan"),
                values: ["mayScan": identity.user.role != .viewer])
        }
        // Viewers change nothing and may not post (as the API: 403).
        routes.post("/scan", access: .roles([.inspector, .unit])) { request, context in try await scan(request, context) }
    }

    /// The shipped dictionaries and the 设置 page's extra dictionary, at the levels of the
    /// indicator set in force: what an inspection scans with, so a draft passes 三审 only if
    /// the inspection would pass it too.
    static func contentScanner(_ store: Store) async throws -> ContentScanner {
        let levels = ContentLevels(indicators: try await store.indicatorSet())
        return try ContentScanner.standard(additional: try await store.storedDictionary().map { [$0] } ?? [], levels: levels)
    }

    /// What to do about a problem: the correct wording of a severe error; for personal
    /// information, removing it (the scanner's suggestion there is the masked value, which
    /// the 原文 column already shows).
    static func suggestion(_ problem: ContentProblem) -> String {
        problem.kind.isPersonalInformation ? "删除，或去标识化后发布" : problem.suggestion
    }

    func scan(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let scanner = try await Self.contentScanner(store)
        let sections: [ScannedSection]
        var pasted = ""
        var fileName: String?
        if let boundary = MultipartFormData.boundary(contentType: request.headers[.contentType]) {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let form = try MultipartFormData(body: Data(body.readableBytesView), boundary: boundary)
            guard let file = form.files.first else { throw WebError.badRequest("请选择要检查的文件") }
            guard file.data.count <= APIHandler.maximumScanBytes else { throw WebError.tooLarge("文件超过 20 MiB 的限制") }
            let name = APIHandler.displayName(file.fileName)
            fileName = name
            do {
                sections = try DraftScan.scan(data: file.data, fileName: name, displayName: name, scanner: scanner)
            } catch let error as DocumentReadError {
                throw WebError.unsupportedType(error.description)
            }
        } else {
            pasted = context.formFields?["text"] ?? ""
            guard !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw WebError.badRequest("请粘贴要检查的文字，或上传文件")
            }
            guard pasted.utf8.count <= APIHandler.maximumScanBytes else { throw WebError.tooLarge("文本超过 20 MiB 的限制") }
            sections = DraftScan.scan(text: pasted, displayName: "粘贴的文字", scanner: scanner)
        }
        let problems = sections.flatMap(\.problems)
        let severe = problems.filter { $0.level == .veto || $0.kind.isPersonalInformation }.count
        let values: [String: Any] = [
            "mayScan": true, "scanned": true, "fileName": fileName ?? "粘贴的文字",
            "problemCount": problems.count, "clean": problems.isEmpty, "blocking": severe,
            "hasBlocking": severe > 0,
            "sections": sections.map(Self.sectionValues),
        ]
        return try pages.page("scan", frame: PageFrame(title: "三审", identity: identity, path: "/scan"), values: values)
    }

    /// One scanned part: its text cut at each problem (the problem's own segment marked),
    /// and the list of its problems.
    static func sectionValues(_ section: ScannedSection) -> [String: Any] {
        let result = section.result
        let records = section.problems
        var items: [[String: Any]] = []
        for (index, (problem, record)) in zip(result.problems, records).enumerated() {
            items.append([
                "number": index + 1, "line": record.line, "column": record.column, "kindName": problem.kind.chineseName,
                "levelName": problem.level.chineseName, "levelClass": Self.levelClass(problem),
                "shown": problem.evidence, "suggestion": Self.suggestion(problem), "hasSuggestion": !Self.suggestion(problem).isEmpty,
                "excerpt": result.excerpt(for: problem).description,
            ])
        }
        var values: [String: Any] = [
            "file": section.file, "problems": items, "hasProblems": !items.isEmpty, "count": items.count,
        ]
        if result.text.count <= maximumShownCharacters {
            values["segments"] = segments(result)
            values["showText"] = true
        }
        return values
    }

    /// The text as plain and marked segments; personal information shows its masked form.
    static func segments(_ result: ContentScanResult) -> [[String: Any]] {
        let text = result.text
        var segments: [[String: Any]] = []
        var position = text.startIndex
        for (index, problem) in result.problems.enumerated() {
            // Overlapping hits (a term inside another): the first one wins.
            guard problem.range.lowerBound >= position else { continue }
            if problem.range.lowerBound > position {
                segments.append(["plain": String(text[position..<problem.range.lowerBound])])
            }
            let shown = problem.kind.isPersonalInformation ? problem.evidence : String(text[problem.range])
            segments.append([
                "mark": shown, "number": index + 1, "levelClass": levelClass(problem),
                "title": problem.kind.chineseName + (Self.suggestion(problem).isEmpty ? "" : "，建议：" + Self.suggestion(problem)),
            ])
            position = problem.range.upperBound
        }
        if position < text.endIndex { segments.append(["plain": String(text[position...])]) }
        return segments
    }

    static func levelClass(_ problem: ContentProblem) -> String {
        if problem.kind.isPersonalInformation { return "privacy" }
        return problem.level == .veto ? "veto" : "warn"
    }
}
