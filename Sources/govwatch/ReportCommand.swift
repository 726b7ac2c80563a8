import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore

/// `govwatch report --period 2022Q1 --format docx|html|md|xlsx --out FILE`: the quarterly
/// notice (通报) of a period, or its attachments as a workbook.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "生成检查情况通报（Word、HTML、Markdown）及其附件名单（Excel）。",
        discussion: """
            统计周期：--period 2022Q1（季度）或 --period 2022-03（月份），或 --from 2022-01-01 --to 2022-03-15。
            取统计周期内已完成的检查批次，每个网站和账号以其最后一次检查结果为准；与上一个同等长度的周期对比。
            发文机关、标题、主送、日期等可用 --settings 设置文件（JSON）或下列选项指定；
            “工作成效”“下一步工作要求”的文字来自模板，可用 --print-template 导出后修改，再用 --template 指定。
            """
    )

    @Option(help: "统计周期：2022Q1 或 2022-03")
    var period: String?

    @Option(help: "统计起始日期 YYYY-MM-DD（与 --to 一起使用，代替 --period）")
    var from: String?

    @Option(help: "统计截止日期 YYYY-MM-DD（含当天）")
    var to: String?

    @Option(help: "docx | html | md | xlsx（默认按 --out 的扩展名）")
    var format: String?

    @Option(help: "输出文件；html 和 md 省略时输出到标准输出")
    var out: String?

    @Option(help: "通报设置文件（JSON：office、officeShort、title、recipients、documentNumber、date、template、commendation、prominentIndicators、contact）")
    var settings: String?

    @Option(help: "发文机关，如“鸿溪市人民政府办公室”（默认：市级门户网站的主办单位）")
    var office: String?

    @Option(help: "正文中对发文机关的简称，如“市政府办公室”")
    var officeShort: String?

    @Option(help: "通报标题（默认：“××关于××全市政府网站和政府系统政务新媒体检查情况的通报”）")
    var title: String?

    @Option(help: "主送机关，如“各县（区）人民政府，市政府各部门：”")
    var recipients: String?

    @Option(help: "发文字号，如“鸿政办函〔2022〕15号”")
    var documentNumber: String?

    @Option(help: "成文日期 YYYY-MM-DD（默认今天）")
    var date: String?

    @Flag(help: "成文日期用汉字书写（二〇二二年四月十日）")
    var chineseDate = false

    @Option(help: "文字模板文件（见 --print-template）")
    var template: String?

    @Flag(help: "输出默认文字模板后退出")
    var printTemplate = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        if printTemplate {
            writeOut(NoticeTemplate.standardText)
            return
        }
        let period = try parsePeriod()
        let format = try resolveFormat()
        if out == nil, format == .docx || format == .xlsx {
            throw reportFailure("--format \(format.rawValue) 需要用 --out 指定输出文件")
        }
        let settings = try resolveSettings()
        let template = try loadTemplate(settings.template)
        let builder = NoticeBuilder(settings: settings, template: template, today: CalendarDate(Date()))

        let notice = try await withStore(global) { store in
            builder.build(try await NoticeInput.load(from: store, period: period))
        }
        let data: Data
        do {
            data = try format.render(notice)
        } catch {
            throw reportFailure("生成 \(format.rawValue) 失败：\(error)", code: 1)
        }
        guard let out else {
            writeOut(String(decoding: data, as: UTF8.self))
            return
        }
        let url = URL(fileURLWithPath: out)
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw reportFailure("\(out): 输出目录“\(folder)”不存在")
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw reportFailure("\(out): 无法写入输出文件（没有写权限或磁盘已满）")
        }
        let scope =
            notice.isEmpty
            ? "统计周期内没有已完成的检查"
            : "政府网站\(notice.overview.sites.inspected)个、政务新媒体\(notice.overview.accounts.inspected)个，检查批次 \(notice.runs.joined(separator: "、"))"
        say("已生成\(notice.period.chineseName)通报（\(format.rawValue)）：\(url.path)（\(scope)）")
    }

    func parsePeriod() throws -> ReportPeriod {
        do {
            switch (period, from, to) {
            case (let text?, nil, nil):
                return try ReportPeriod.parse(text)
            case (nil, let first?, let last?):
                return try ReportPeriod.range(from: first, to: last)
            case (nil, nil, nil):
                throw reportFailure("请用 --period（如 2022Q1、2022-03）或 --from/--to 指定统计周期")
            case (_?, _, _):
                throw reportFailure("--period 不能与 --from/--to 同时使用")
            default:
                throw reportFailure("--from 和 --to 需要同时指定")
            }
        } catch let error as ReportPeriod.InvalidPeriod {
            throw reportFailure(error.description)
        }
    }

    func resolveFormat() throws -> NoticeFormat {
        if let format {
            guard let parsed = NoticeFormat(argument: format) else {
                throw reportFailure("--format “\(format)”无效，应为 docx、html、md 或 xlsx")
            }
            return parsed
        }
        if let out, let parsed = NoticeFormat(argument: URL(fileURLWithPath: out).pathExtension) {
            return parsed
        }
        throw reportFailure("请用 --format 指定格式（docx、html、md 或 xlsx）")
    }

    func resolveSettings() throws -> NoticeSettings {
        var base = NoticeSettings()
        if let settings {
            do {
                base = try NoticeSettings.load(contentsOf: URL(fileURLWithPath: settings))
            } catch {
                throw reportFailure("\(error)")
            }
        }
        var day: CalendarDate?
        if let date {
            guard let parsed = ChinaTime.parseDay(date) else {
                throw reportFailure("--date “\(date)”无效，应为 YYYY-MM-DD")
            }
            day = parsed
        }
        return base.overridden(by: NoticeSettings(
            office: office, officeShort: officeShort, title: title, recipients: recipients,
            documentNumber: documentNumber, date: day, chineseNumeralDate: chineseDate ? true : nil, template: template))
    }

    func loadTemplate(_ path: String?) throws -> NoticeTemplate {
        guard let path else { return .standard }
        do {
            return try NoticeTemplate.load(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw reportFailure("\(error)")
        }
    }
}
