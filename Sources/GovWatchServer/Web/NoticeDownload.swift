import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore

/// The quarterly notice (通报) of a period in one format, built by the builder and writers
/// `govwatch report` uses: shared by `GET /api/v1/reports/{report}` and the 通报 page.
struct NoticeDownload: Sendable {
    var period: ReportPeriod
    var format: NoticeFormat
    var data: Data
    /// `2022年第一季度检查情况通报.docx`.
    var fileName: String

    static let formatMessage = "通报文件名应为“统计周期.格式”，如 2022Q1.docx；格式为 docx、xlsx、html 或 md"

    /// Parses `2022Q1.docx` into period and format; 400 with a Chinese message otherwise.
    static func parse(_ name: String) throws -> (ReportPeriod, NoticeFormat) {
        guard let dot = name.lastIndex(of: "."), let format = NoticeFormat(rawValue: String(name[name.index(after: dot)...]).lowercased())
        else { throw WebError.badRequest(formatMessage) }
        do {
            return (try ReportPeriod.parse(String(name[..<dot])), format)
        } catch let error as ReportPeriod.InvalidPeriod {
            throw WebError.badRequest(error.description)
        }
    }

    /// Builds the notice of `period` from the store as of `now`.
    static func build(period: ReportPeriod, format: NoticeFormat, store: Store, now: Date) async throws -> NoticeDownload {
        let builder = NoticeBuilder(settings: NoticeSettings(), template: .standard, today: CalendarDate(now))
        let notice = builder.build(try await NoticeInput.load(from: store, period: period))
        return NoticeDownload(
            period: period, format: format, data: try format.render(notice),
            fileName: "\(period.chineseName)检查情况通报.\(format.rawValue)")
    }
}
