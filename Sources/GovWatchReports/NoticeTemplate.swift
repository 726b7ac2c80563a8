import Foundation

/// One item of a templated section: an optional run-in heading (numbered （一）（二）… by the
/// writers) and its paragraphs.
public struct TemplateItem: Sendable, Codable, Equatable {
    public var heading: String?
    public var paragraphs: [String]

    public init(heading: String?, paragraphs: [String]) {
        self.heading = heading
        self.paragraphs = paragraphs
    }
}

/// The editable wording of the notice: 开头, 二、工作成效 and 四、下一步工作要求.
///
/// A template is UTF-8 text (the shipped one is `Resources/notice-template.txt`):
///
/// - `## 开头`, `## 工作成效`, `## 下一步工作要求` start a section (each may be left out;
///   the shipped wording is used for a missing one);
/// - `### 标题` starts an item; the writers number items （一）（二）… and print the heading
///   in 楷体 at the start of the item's first paragraph;
/// - lines of text form paragraphs, separated by a blank line (lines of one paragraph
///   are joined without a space);
/// - `{名称}` is a placeholder (see `NoticeTemplate.placeholderNames`); a paragraph whose
///   placeholder has no value in this notice (no unit to commend, no previous period) is
///   left out, and so is an item left without paragraphs;
/// - lines starting with `#` followed by a space are comments.
public struct NoticeTemplate: Sendable, Equatable {
    /// A section of the template.
    public enum Section: String, Sendable, CaseIterable {
        case opening = "开头"
        case achievements = "工作成效"
        case requirements = "下一步工作要求"
    }

    /// Raw items per section, placeholders unfilled, with the line each paragraph started on.
    public var sections: [Section: [RawItem]]

    /// An item as read, before placeholders are filled.
    public struct RawItem: Sendable, Equatable {
        public var heading: String?
        public var headingLine: Int
        public var paragraphs: [(text: String, line: Int)]

        public static func == (lhs: RawItem, rhs: RawItem) -> Bool {
            lhs.heading == rhs.heading && lhs.paragraphs.map(\.text) == rhs.paragraphs.map(\.text)
        }
    }

    /// A template that cannot be used: the file, the line, and why.
    public struct InvalidTemplate: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): 通报模板错误：\(reason)" }
    }

    /// Every placeholder a template may use, with what it stands for (printed by
    /// `govwatch report --print-template`'s header and checked when a template is read).
    public static let placeholderNames: [(String, String)] = [
        ("发文机关", "发文机关全称"),
        ("发文机关简称", "正文中对发文机关的称呼，如“市政府办公室”"),
        ("统计周期", "如“2022年第一季度”"),
        ("上期", "上季度、上月或上一统计期"),
        ("统计截止日期", "统计周期最后一天，如“2022年3月31日”"),
        ("网站总数", "检查的政府网站数"),
        ("网站合格数", "合格的政府网站数"),
        ("网站合格率", "如“87%”"),
        ("账号总数", "检查的政务新媒体数"),
        ("账号合格数", "合格的政务新媒体数"),
        ("账号合格率", "如“90%”"),
        ("问题总数", "发现的问题数（单项否决和扣分问题）"),
        ("合格率变化", "与上期相比的合格率变化的一句话；没有上期检查时为空"),
        ("已销号数", "统计期末已整改销号的问题数；没有时为空"),
        ("待整改数", "统计期末尚未整改完成的问题数（待整改和已反馈待核验）；没有整改单时为空"),
        ("逾期数", "统计期末超过整改期限的问题数；没有整改单时为空"),
        ("整改情况", "如“截至2022年3月31日，仍有12个问题未完成整改，其中5个已超过整改期限”；没有未完成整改的问题时为空"),
        ("清零单位", "问题已全部整改销号的单位，以顿号分隔；没有时为空"),
        ("表扬单位", "附件1所列单位，以顿号分隔；没有时为空"),
        ("表扬单位数", "附件1所列单位数；没有时为空"),
        ("突出问题网站数", "附件2所列网站数；没有时为空"),
        ("突出问题账号数", "附件3所列账号数；没有时为空"),
    ]

    /// The shipped template.
    public static let standard: NoticeTemplate = {
        guard let url = Bundle.module.url(forResource: "notice-template", withExtension: "txt", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("GovWatchReports: Resources/notice-template.txt is missing from the bundle") }
        return try! parse(text, file: "notice-template.txt")
    }()

    /// The shipped template's text, to copy and edit.
    public static var standardText: String {
        let url = Bundle.module.url(forResource: "notice-template", withExtension: "txt", subdirectory: "Resources")!
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// Reads a template file.
    public static func load(contentsOf url: URL) throws -> NoticeTemplate {
        guard let data = try? Data(contentsOf: url) else {
            throw InvalidTemplate(file: url.path, line: 0, reason: "无法读取文件")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InvalidTemplate(file: url.path, line: 0, reason: "文件不是 UTF-8 编码")
        }
        return try parse(text, file: url.path)
    }

    /// Parses template text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> NoticeTemplate {
        let known = Set(placeholderNames.map(\.0))
        var sections: [Section: [RawItem]] = [:]
        var current: Section?
        var items: [RawItem] = []
        var paragraph: (text: String, line: Int)?

        func flushParagraph() {
            guard let p = paragraph else { return }
            if items.isEmpty { items.append(RawItem(heading: nil, headingLine: p.line, paragraphs: [])) }
            items[items.count - 1].paragraphs.append(p)
            paragraph = nil
        }
        func flushSection() {
            flushParagraph()
            if let current { sections[current] = items }
            items = []
        }

        var lineNumber = 0
        for rawLine in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = String(rawLine).trimmingCharacters(in: .whitespaces)
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line == "#" || line.hasPrefix("# ") { continue }
            if line.hasPrefix("### ") {
                guard current != nil else {
                    throw InvalidTemplate(file: file, line: lineNumber, reason: "小标题（###）之前应先有一节（## 工作成效 等）")
                }
                flushParagraph()
                let heading = String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                try checkPlaceholders(heading, known: known, file: file, line: lineNumber)
                items.append(RawItem(heading: heading, headingLine: lineNumber, paragraphs: []))
                continue
            }
            if line.hasPrefix("## ") {
                flushSection()
                let name = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                guard let section = Section(rawValue: name) else {
                    throw InvalidTemplate(
                        file: file, line: lineNumber,
                        reason: "未知的节“\(name)”，应为：\(Section.allCases.map(\.rawValue).joined(separator: "、"))")
                }
                if sections[section] != nil {
                    throw InvalidTemplate(file: file, line: lineNumber, reason: "节“\(name)”重复")
                }
                current = section
                continue
            }
            if line.isEmpty {
                flushParagraph()
                continue
            }
            guard current != nil else {
                throw InvalidTemplate(file: file, line: lineNumber, reason: "正文之前应先有一节（## 开头、## 工作成效 或 ## 下一步工作要求）")
            }
            try checkPlaceholders(line, known: known, file: file, line: lineNumber)
            if let p = paragraph {
                paragraph = (p.text + line, p.line)
            } else {
                paragraph = (line, lineNumber)
            }
        }
        flushSection()
        return NoticeTemplate(sections: sections)
    }

    private static func checkPlaceholders(_ text: String, known: Set<String>, file: String, line: Int) throws {
        for name in placeholders(in: text) where !known.contains(name) {
            throw InvalidTemplate(
                file: file, line: line,
                reason: "未知的占位符“{\(name)}”，可用：\(placeholderNames.map { "{\($0.0)}" }.joined(separator: "、"))")
        }
    }

    /// The placeholder names used in `text`, in order.
    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = String(after[..<close])
            if !name.isEmpty, !name.contains("{") { names.append(name) }
            rest = after[after.index(after: close)...]
        }
        return names
    }

    /// The items of a section with placeholders filled; paragraphs with an empty value and
    /// items left empty are dropped. A section the template lacks comes from `standard`.
    public func filled(_ section: Section, values: [String: String]) -> [TemplateItem] {
        let raw = sections[section] ?? Self.standard.sections[section] ?? []
        return raw.compactMap { item in
            var heading: String?
            if let text = item.heading {
                guard let filled = Self.fill(text, values: values) else { return nil }
                heading = filled
            }
            let paragraphs = item.paragraphs.compactMap { Self.fill($0.text, values: values) }
            if paragraphs.isEmpty && (heading == nil || !item.paragraphs.isEmpty) { return nil }
            return TemplateItem(heading: heading, paragraphs: paragraphs)
        }
    }

    /// `text` with each `{name}` replaced, or nil when a value is missing or empty.
    static func fill(_ text: String, values: [String: String]) -> String? {
        var result = text
        for name in placeholders(in: text) {
            guard let value = values[name], !value.isEmpty else { return nil }
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}
