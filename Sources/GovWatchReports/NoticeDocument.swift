import Foundation
import GovWatchCore

/// A stretch of text with the typeface role it plays in an official document.
public struct TextRun: Sendable, Equatable {
    public enum Style: Sendable, Equatable {
        /// 仿宋 body text.
        case body
        /// 楷体: a second-level heading run into its paragraph (（一）…。).
        case kaiti
        /// 仿宋 bold: a third-level heading run into its paragraph (1.…。).
        case bold
    }

    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .body) {
        self.text = text
        self.style = style
    }
}

/// A table of the notice: a numbered caption (表1 …) or an attachment's table.
public struct NoticeTable: Sendable, Equatable {
    public var caption: String?
    public var header: [String]
    public var rows: [[String]]
    /// Relative column widths.
    public var widths: [Double]
    /// Columns right-aligned (figures) rather than left-aligned.
    public var numeric: Set<Int>
    /// Columns centred (序号, short codes).
    public var centred: Set<Int>
    /// Set in a smaller size (五号, 10.5 pt) to fit many columns: the attachments' lists.
    public var compact: Bool

    public init(
        caption: String?, header: [String], rows: [[String]], widths: [Double], numeric: Set<Int> = [], centred: Set<Int> = [],
        compact: Bool = false
    ) {
        self.caption = caption
        self.header = header
        self.rows = rows
        self.widths = widths
        self.numeric = numeric
        self.centred = centred
        self.compact = compact
    }
}

/// A bar chart (HTML only: the other formats carry the same figures in tables).
public struct NoticeChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        /// The value drawn.
        public var value: Double
        /// The text printed at the bar's end: `87%`, `12个`.
        public var display: String
    }

    public var title: String
    public var bars: [Bar]
    /// The scale's maximum (100 for rates).
    public var maximum: Double
}

/// The blocks of a notice in reading order; every writer renders these.
public enum NoticeBlock: Sendable, Equatable {
    /// The title (方正小标宋, 二号, centred).
    case title(String)
    /// 发文字号 under the title.
    case documentNumber(String)
    /// 主送机关 (flush left).
    case recipients(String)
    /// A body paragraph, first line indented two characters.
    case paragraph([TextRun])
    /// 一、… (黑体).
    case heading1(String)
    /// （一）… on its own line (楷体).
    case heading2(String)
    case table(NoticeTable)
    case chart(NoticeChart)
    /// 附件说明: `附件：1.…` with the following items aligned under the first.
    case attachmentList([String])
    /// 发文机关署名 and 成文日期.
    case signature(office: String, date: String)
    /// 附注 in parentheses under the date.
    case note(String)
    /// Starts an attachment on a new page: `附件1` (黑体, flush left) and its title (小标宋, centred).
    case attachment(number: Int, title: String)
    /// A centred note under an attachment's title.
    case caption(String)
}

/// Composes the notice's text from its figures.
public enum NoticeDocument {
    /// The notice in blocks, in reading order.
    public static func blocks(_ notice: Notice) -> [NoticeBlock] {
        var composer = Composer(notice: notice)
        composer.compose()
        return composer.blocks
    }

    /// The tables of the three attachments (the .xlsx has one sheet per table, with the
    /// code column the documents leave out).
    public static func attachmentTables(_ notice: Notice, withCodes: Bool = false) -> [NoticeTable] {
        let commended = NoticeTable(
            caption: nil, header: ["序号", "单位名称", "政府网站", "政务新媒体", "最低得分"],
            rows: notice.commended.enumerated().map { index, unit in
                [String(index + 1), unit.unit, unit.sites.isEmpty ? "—" : unit.sites.joined(separator: "、"),
                 unit.accounts.isEmpty ? "—" : unit.accounts.joined(separator: "、"), Formatting.score(unit.lowestScore)]
            },
            widths: [1.0, 2.6, 2.6, 3.0, 1.3], numeric: [4], centred: [0], compact: true)
        func targets(_ list: [ProblemTarget], nameTitle: String, codeTitle: String, kindTitle: String) -> NoticeTable {
            var header = ["序号", nameTitle]
            if withCodes { header.append(codeTitle) }
            header += [kindTitle, "主办单位", "得分", "结果", "主要问题"]
            let rows = list.enumerated().map { index, target -> [String] in
                var row = [String(index + 1), target.name]
                if withCodes { row.append(target.code) }
                row += [target.kind, target.unit, Formatting.score(target.score) + (target.bonus > 0 ? "（加分\(Formatting.score(target.bonus))）" : ""), (target.passed ? "合格" : "不合格") + (target.incomplete ? "（未能完成检查）" : ""), target.problems]
                return row
            }
            var widths = [1.0, 2.3]
            if withCodes { widths.append(1.6) }
            widths += [1.6, 2.3, 0.9, 1.25, 4.4]
            let offset = withCodes ? 1 : 0
            return NoticeTable(
                caption: nil, header: header, rows: rows, widths: widths, numeric: [4 + offset],
                centred: Set([0, 5 + offset]).union(withCodes ? [2] : []), compact: true)
        }
        return [
            commended,
            targets(notice.problemSites, nameTitle: "网站名称", codeTitle: "网站标识码", kindTitle: "类别"),
            targets(notice.problemAccounts, nameTitle: "账号名称", codeTitle: "账号ID", kindTitle: "平台"),
        ]
    }

    /// Builds the blocks section by section.
    struct Composer {
        let notice: Notice
        var blocks: [NoticeBlock] = []
        var tableNumber = 0

        init(notice: Notice) {
            self.notice = notice
        }

        mutating func compose() {
            blocks.append(.title(notice.title))
            if let number = notice.documentNumber { blocks.append(.documentNumber(number)) }
            blocks.append(.recipients(notice.recipients))
            for paragraph in notice.opening { blocks.append(.paragraph([TextRun(paragraph)])) }
            overview()
            templated("二、工作成效", notice.achievements, whenEmpty: notice.isEmpty ? "本期未开展检查，暂无工作成效情况。" : "本期无。")
            problems()
            templated("四、下一步工作要求", notice.requirements, whenEmpty: "请各单位对照检查指标，做好政府网站和政务新媒体日常管理。")
            closing()
            attachments()
        }

        mutating func paragraph(_ text: String) {
            blocks.append(.paragraph([TextRun(text)]))
        }

        mutating func table(_ caption: String, header: [String], rows: [[String]], widths: [Double], numeric: Set<Int>) {
            tableNumber += 1
            blocks.append(.table(NoticeTable(
                caption: "表\(tableNumber)  \(caption)", header: header, rows: rows, widths: widths, numeric: numeric)))
        }

        // MARK: 一、总体情况

        /// A table of pass rates by group with its total line, and the same rates as a bar
        /// chart; nothing when nothing was inspected.
        mutating func passRates(_ caption: String, groupHeader: String, groups: [NamedTally], total: Tally, chartTitle: String) {
            guard total.inspected > 0 else { return }
            func cells(_ name: String, _ tally: Tally) -> [String] {
                [name, String(tally.inspected), String(tally.passed), String(tally.failed), tally.percent]
            }
            table(caption, header: [groupHeader, "检查数", "合格数", "不合格数", "合格率"],
                  rows: groups.map { cells($0.name, $0.tally) } + [cells("合计", total)],
                  widths: [2.6, 1.2, 1.2, 1.2, 1.2], numeric: [1, 2, 3, 4])
            blocks.append(.chart(NoticeChart(
                title: chartTitle,
                bars: groups.map { .init(label: $0.name, value: ($0.tally.rate ?? 0) * 100, display: $0.tally.percent) },
                maximum: 100)))
        }

        mutating func overview() {
            blocks.append(.heading1("一、总体情况"))
            let o = notice.overview
            guard !notice.isEmpty else {
                paragraph("\(notice.period.chineseName)，统计周期内没有已完成的政府网站和政务新媒体检查，本期无检查数据。")
                return
            }
            var text = ""
            if o.sites.inspected > 0 {
                let parts = o.sitesByCategory.map { "\($0.name)\($0.tally.inspected)个" }.joined(separator: "、")
                text += "本次共检查全市政府网站\(o.sites.inspected)个，其中\(parts)；合格\(o.sites.passed)个，合格率\(o.sites.percent)。"
                if o.incompleteSites > 0 {
                    text += "其中\(o.incompleteSites)个网站首页在检查期间未能读取，未能完成检查（已列入附件，需人工核查）。"
                }
                if !o.bonusSites.isEmpty {
                    let bonuses = o.bonusSites.map {
                        "\($0.name)得分\(Formatting.score($0.score))分、加分\(Formatting.score($0.bonus))分、总分\(Formatting.score($0.total))分"
                    }
                    text += "\(o.bonusSites.count)个政府门户网站得分超过加分准入分数，进入加分评分：\(bonuses.joined(separator: "；"))。"
                }
            } else {
                text += "本次未检查政府网站。"
            }
            if o.accounts.inspected > 0 {
                let parts = o.accountsByPlatform.map { "\($0.name)\($0.tally.inspected)个" }.joined(separator: "、")
                text += "检查政府系统政务新媒体\(o.accounts.inspected)个，其中\(parts)；合格\(o.accounts.passed)个，合格率\(o.accounts.percent)。"
            } else {
                text += "本次未检查政务新媒体。"
            }
            paragraph(text)

            var found = "检查共发现各类问题\(o.problemCount)个"
            var vetoed: [String] = []
            if o.vetoedSites > 0 { vetoed.append("\(o.vetoedSites)个网站") }
            if o.vetoedAccounts > 0 { vetoed.append("\(o.vetoedAccounts)个政务新媒体") }
            found += vetoed.isEmpty ? "，未发现单项否决问题。" : "，\(vetoed.joined(separator: "、"))存在单项否决问题，判定为不合格。"
            if let change = NoticeWording.changeSentence(notice) {
                found += change
            } else {
                found += "\(notice.previousName)无检查记录，本期不作对比。"
            }
            paragraph(found)

            passRates(
                "政府网站检查情况", groupHeader: "网站类别", groups: o.sitesByCategory, total: o.sites, chartTitle: "各类政府网站合格率")
            passRates(
                "政务新媒体检查情况", groupHeader: "平台", groups: o.accountsByPlatform, total: o.accounts, chartTitle: "各平台政务新媒体合格率")
        }

        // MARK: Templated sections

        mutating func templated(_ heading: String, _ items: [TemplateItem], whenEmpty: String) {
            blocks.append(.heading1(heading))
            guard !items.isEmpty else {
                paragraph(whenEmpty)
                return
            }
            var number = 0
            for item in items {
                var paragraphs = item.paragraphs
                if let heading = item.heading {
                    number += 1
                    let label = "（\(ChineseDates.ordinal(number))）\(heading)"
                    if paragraphs.isEmpty {
                        blocks.append(.heading2(label))
                    } else {
                        blocks.append(.paragraph([TextRun(label, .kaiti), TextRun(paragraphs.removeFirst())]))
                    }
                }
                for paragraph in paragraphs { self.paragraph(paragraph) }
            }
        }

        // MARK: 三、主要问题

        mutating func problems() {
            blocks.append(.heading1("三、主要问题"))
            var section = 0
            func nextSection() -> String {
                section += 1
                return "（\(ChineseDates.ordinal(section))）"
            }
            if notice.isEmpty {
                paragraph("本期未开展检查，无新发现的问题。")
            }
            if !notice.overview.problemsByType.isEmpty {
                paragraph("本期检查发现的问题按类型统计见表\(tableNumber + 1)。")
                let rows = notice.overview.problemsByType.map { [$0.name, "\($0.count)", "\($0.targets)"] }
                table("主要问题分类统计", header: ["问题类型", "问题数", "涉及网站或账号数"], rows: rows,
                      widths: [3.0, 1.4, 2.0], numeric: [1, 2])
                blocks.append(.chart(NoticeChart(
                    title: "主要问题分类统计",
                    bars: notice.overview.problemsByType.map { .init(label: $0.name, value: Double($0.count), display: "\($0.count)\($0.measure)") },
                    maximum: Double(notice.overview.problemsByType.map(\.count).max() ?? 1))))
            }
            if notice.overview.sites.inspected > 0 {
                blocks.append(.heading2(nextSection() + "政府网站方面"))
                let items = siteProblemItems()
                if items.isEmpty { paragraph("本期检查的政府网站未发现扣分或单项否决问题。") }
                numbered(items)
            }
            if notice.overview.accounts.inspected > 0 {
                blocks.append(.heading2(nextSection() + "政务新媒体方面"))
                let items = accountProblemItems()
                if items.isEmpty { paragraph("本期检查的政务新媒体未发现扣分或单项否决问题。") }
                numbered(items)
            }
            blocks.append(.heading2(nextSection() + "问题整改方面"))
            rectification()
        }

        /// Paragraphs numbered 1. 2. … with a bold run-in heading.
        mutating func numbered(_ items: [(String, String)]) {
            for (index, item) in items.enumerated() {
                blocks.append(.paragraph([TextRun("\(index + 1).\(item.0)", .bold), TextRun(item.1)]))
            }
        }

        func counted(_ entries: [NamedCount], measure: String = "个", label: (String) -> String = { $0 }, itemLimit: Int = 5) -> String {
            NoticeWording.list(entries.map { entry in
                var text = "\(label(entry.name))（\(entry.count)\(measure)"
                if !entry.items.isEmpty {
                    let shown = entry.items.prefix(itemLimit).joined(separator: "、")
                    text += "：" + shown + (entry.items.count > itemLimit ? "等" : "")
                }
                return text + "）"
            }, limit: 10)
        }

        func siteProblemItems() -> [(String, String)] {
            let p = notice.problems
            var items: [(String, String)] = []
            if !p.staleColumns.isEmpty {
                var text = "\(p.staleColumns.count)个网站的\(p.staleColumnCount)个栏目超过更新周期未更新，分别是：\(counted(p.staleColumns, label: NoticeWording.siteLabel))。"
                if !p.staleColumnVetoSites.isEmpty {
                    text += "其中，\(NoticeWording.list(p.staleColumnVetoSites.map(NoticeWording.siteLabel)))栏目不更新数量达到单项否决标准。"
                }
                items.append(("栏目更新不及时。", text))
            }
            if !p.blankColumns.isEmpty {
                var text = "\(p.blankColumns.count)个网站存在空白栏目\(p.blankColumnCount)个：\(counted(p.blankColumns, label: NoticeWording.siteLabel))。"
                if !p.blankColumnVetoSites.isEmpty {
                    text += "其中，\(NoticeWording.list(p.blankColumnVetoSites.map(NoticeWording.siteLabel)))空白栏目数量达到单项否决标准。"
                }
                items.append(("存在空白栏目。", text))
            }
            if !p.brokenLinks.isEmpty {
                let homepage = p.brokenOnHomepage > 0 ? "（其中首页\(p.brokenOnHomepage)个）" : ""
                let list = NoticeWording.list(p.brokenLinks.map { "\(NoticeWording.siteLabel($0.name))（\($0.count)个）" }, limit: 10)
                items.append(("错链断链较多。", "\(p.brokenLinks.count)个网站存在无法正常访问的链接\(p.brokenLinkCount)个\(homepage)：\(list)。"))
            }
            let severe = p.siteSevereErrors
            if !severe.isEmpty {
                let total = severe.reduce(0) { $0 + $1.count }
                let sites = Set(severe.map(\.target)).count
                let list = severe.map { "\(NoticeWording.siteLabel($0.target))将“\($0.correct)”错写为“\($0.wrong)”（\($0.count)处）" }
                var text = "\(sites)个网站出现严重表述错误\(total)处：\(NoticeWording.list(list, limit: 10, measure: "项"))。"
                let repeated = severe.filter(\.repeated)
                if !repeated.isEmpty {
                    let names = repeated.map { error in
                        let spread = error.pages > 1
                            ? "在\(error.pages)个页面重复出现" + (error.count > error.pages ? "，共\(error.count)处" : "")
                            : "在同一页面出现\(error.count)处"
                        return "\(error.unit)（“\(error.wrong)”\(spread)）"
                    }
                    text += "其中，\(NoticeWording.list(names))同一错误反复出现，信息发布审核把关不严，问题突出。"
                }
                items.append(("出现严重表述错误。", text))
            }
            let privacy = p.sitePrivacyTargets
            if !privacy.isEmpty {
                let total = privacy.reduce(0) { $0 + $1.count }
                let byColumn = p.privacyByColumnType.map { "\($0.name)\($0.count)处" }.joined(separator: "、")
                let byKind = p.privacyByKind.map { "\($0.name)\($0.count)处" }.joined(separator: "、")
                let list = NoticeWording.list(privacy.map { "\(NoticeWording.siteLabel($0.name))（\($0.count)处）" }, limit: 10)
                items.append((
                    "泄露个人信息。",
                    "\(privacy.count)个网站在页面或附件中公开个人信息\(total)处，其中\(byColumn)；涉及\(byKind)。分别是：\(list)。"
                ))
            }
            if let other = others(p.otherSiteProblems, targetWord: "网站") { items.append(("其他问题。", other)) }
            return items
        }

        func accountLabel(_ entry: NamedCount) -> String {
            "“\(entry.name)”\(entry.note.map { "（\($0)）" } ?? "")"
        }

        func accountProblemItems() -> [(String, String)] {
            let p = notice.problems
            var items: [(String, String)] = []
            if !p.duplicateAccounts.isEmpty {
                let list = p.duplicateAccounts.map { "\($0.unit)在\($0.note ?? "")平台开设\(NoticeWording.quoted($0.items))\($0.count)个账号" }
                items.append(("同一平台重复开设账号。", list.joined(separator: "；") + "，存在多头开设、重复建设问题，分散了主账号的传播力。"))
            }
            if !p.staleAccounts.isEmpty || !p.zombieAccounts.isEmpty {
                var text = ""
                if !p.staleAccounts.isEmpty {
                    let list = p.staleAccounts.map { entry in
                        let last = entry.items.first.map { "最后更新于\($0)" } ?? "未发现发布信息"
                        return "“\(entry.name)”（\(entry.note.map { "\($0)，" } ?? "")\(last)）"
                    }
                    text += "\(p.staleAccounts.count)个账号超过\(Formatting.period(days: p.staleAccountDays))未更新：\(NoticeWording.list(list, limit: 10))。"
                }
                let staleNames = Set(p.staleAccounts.map(\.name))
                let zombieAlsoStale = p.zombieAccounts.filter { staleNames.contains($0.name) }
                let zombieOnly = p.zombieAccounts.filter { !staleNames.contains($0.name) }
                if !zombieAlsoStale.isEmpty {
                    text += "其中，\(NoticeWording.quoted(zombieAlsoStale.map(\.name)))超过\(Formatting.period(days: p.zombieAccountDays))未更新，已成为“僵尸账号”。"
                }
                if !zombieOnly.isEmpty {
                    text += "另有\(zombieOnly.map(accountLabel).joined(separator: "、"))超过\(Formatting.period(days: p.zombieAccountDays))未更新，已成为“僵尸账号”。"
                }
                items.append(("更新不及时。", text))
            }
            let severe = p.accountSevereErrors
            if !severe.isEmpty {
                let list = severe.map { "“\($0.target)”发布的信息将“\($0.correct)”错写为“\($0.wrong)”（\($0.count)处）" }
                var text = "\(NoticeWording.list(list, limit: 10, measure: "项"))。"
                let repeated = severe.filter(\.repeated)
                if !repeated.isEmpty {
                    text += "其中，\(NoticeWording.list(repeated.map { "\($0.unit)（“\($0.wrong)”在\($0.pages)条信息中出现）" }))同一错误反复出现，问题突出。"
                }
                items.append(("出现严重表述错误。", text))
            }
            let privacy = p.accountPrivacyTargets
            if !privacy.isEmpty {
                let total = privacy.reduce(0) { $0 + $1.count }
                let byKind = p.accountPrivacyByKind.map { "\($0.name)\($0.count)处" }.joined(separator: "、")
                let list = privacy.map { "\(accountLabel($0))\($0.count)处" }.joined(separator: "、")
                items.append(("泄露个人信息。", "\(privacy.count)个账号发布的信息中公开个人信息\(total)处，涉及\(byKind)：\(list)。"))
            }
            if !p.closuresUnfiled.isEmpty {
                let list = p.closuresUnfiled.map { "\(accountLabel($0))\($0.items.joined(separator: "、"))" }
                items.append(("停用注销未按规定备案。", list.joined(separator: "；") + "。"))
            }
            if let other = others(p.otherAccountProblems, targetWord: "账号") { items.append(("其他问题。", other)) }
            return items
        }

        /// `此外，还存在网站无法访问（鸿溪市统计局）、…等问题。另有提示性问题：未启用HTTPS（18个网站）…`
        func others(_ problems: [OtherProblem], targetWord: String) -> String? {
            let serious = problems.filter { $0.level != .notice }
            let notices = problems.filter { $0.level == .notice }
            guard !serious.isEmpty || !notices.isEmpty else { return nil }
            var text = ""
            if !serious.isEmpty {
                let list = serious.map { "\($0.name)（\(NoticeWording.list($0.targets, limit: 6))）" }
                text += "还存在\(list.joined(separator: "、"))等问题。"
            }
            if !notices.isEmpty {
                let list = notices.map { "\($0.name)（\($0.targets.count)个\(targetWord)）" }
                text += "另有提示性问题：\(list.joined(separator: "、"))，请相关单位一并改进。"
            }
            return text
        }

        mutating func rectification() {
            let b = notice.backlog
            let day = ChineseDates.full(b.asOf)
            if b.total == 0 {
                paragraph("截至\(day)，尚无整改问题记录。")
            } else {
                var text = "截至\(day)，全市累计建立整改问题\(b.total)个，已整改销号\(b.closed)个"
                if b.dismissed > 0 { text += "、经核实不属于问题\(b.dismissed)个" }
                if b.unresolved == 0 {
                    text += "，各单位问题已全部整改到位，实现清零。"
                } else {
                    text += "，尚有\(b.unresolved)个问题未完成整改（待整改\(b.open)个、已反馈待核验\(b.feedback)个），"
                    text += b.overdue > 0 ? "其中超过整改期限\(b.overdue)个" : "均未超过整改期限"
                    text += b.reopened > 0 ? "；已反馈整改的问题复查仍存在、被重新打开\(b.reopened)次。" : "。"
                }
                if let previous = notice.previousBacklog {
                    let delta = b.unresolved - previous.unresolved
                    text += "未完成整改问题较\(notice.previousName)末（\(previous.unresolved)个）\(delta == 0 ? "持平" : Formatting.countChange(delta))。"
                }
                if !b.units.isEmpty {
                    text += "\(b.units.count)个单位未实现问题清零（见表\(tableNumber + 1)）"
                    let worst = b.units.filter { $0.overdue > 0 }.prefix(3)
                    if !worst.isEmpty {
                        let names = worst.map { "\($0.unit)（未完成\($0.backlog)个，逾期\($0.overdue)个）" }
                        text += "，其中\(names.joined(separator: "、"))整改进度滞后，问题突出"
                    }
                    text += "。"
                }
                paragraph(text)
                if !b.units.isEmpty {
                    table(
                        "未实现问题清零的单位", header: ["单位", "未完成整改", "其中逾期", "重新打开（次）", "已反馈待核验"],
                        rows: b.units.map { [$0.unit, "\($0.backlog)", "\($0.overdue)", "\($0.reopened)", "\($0.feedback)"] },
                        widths: [3.2, 1.3, 1.2, 1.2, 1.5], numeric: [1, 2, 3, 4])
                }
            }
            if let staff = notice.problems.otherUnitProblems.first(where: { $0.indicator == .unitStaffUnassigned }) {
                paragraph("此外，\(NoticeWording.list(staff.targets))未明确网站或政务新媒体责任人，或责任人离岗未办理交接，存在管理断档风险。")
            }
        }

        // MARK: 附件说明, signature, attachments

        mutating func closing() {
            blocks.append(.attachmentList(Notice.attachmentTitles))
            blocks.append(.signature(office: notice.office, date: notice.dateText))
            if let contact = notice.contact { blocks.append(.note(contact)) }
        }

        mutating func attachments() {
            let tables = NoticeDocument.attachmentTables(notice)
            let empty = ["本期无符合条件的单位。", "本期无存在突出问题的政府网站。", "本期无存在突出问题的政务新媒体。"]
            for (index, title) in Notice.attachmentTitles.enumerated() {
                blocks.append(.attachment(number: index + 1, title: title))
                let rules = [notice.commendationRule, notice.problemSitesRule, notice.problemAccountsRule]
                blocks.append(.caption("（\(rules[index])）"))
                if tables[index].rows.isEmpty {
                    paragraph(empty[index])
                } else {
                    blocks.append(.table(tables[index]))
                }
            }
        }
    }
}
