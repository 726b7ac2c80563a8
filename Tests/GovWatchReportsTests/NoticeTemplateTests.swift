import Foundation
import GovWatchReports
import Testing

/// The editable wording: sections, numbered items, placeholders, paragraphs left out when a
/// value does not apply, and errors that name the line.
@Suite struct NoticeTemplateTests {
    @Test func theShippedTemplateLoadsAndUsesOnlyKnownPlaceholders() throws {
        let template = NoticeTemplate.standard
        for section in NoticeTemplate.Section.allCases {
            #expect(!(template.sections[section] ?? []).isEmpty, "section \(section.rawValue) is empty")
        }
        // Reparsing the shipped text gives the same template (nothing depends on the bundle twice).
        #expect(try NoticeTemplate.parse(NoticeTemplate.standardText, file: "x") == template)
        let requirements = template.sections[.requirements] ?? []
        #expect(requirements.compactMap(\.heading).first == "立即整改到位。")
    }

    @Test func fillsPlaceholdersAndDropsParagraphsWithoutValues() throws {
        let template = try NoticeTemplate.parse(
            """
            # comment
            ## 工作成效
            ### 检查{网站总数}个网站。
            第一行
            接着写。

            {表扬单位}等单位表现突出。

            ### 只有无值的段落
            {清零单位}已清零。

            ## 下一步工作要求
            各单位要于{统计截止日期}前整改。
            """, file: "t.txt")
        let items = template.filled(.achievements, values: ["网站总数": "18", "表扬单位": ""])
        #expect(items == [TemplateItem(heading: "检查18个网站。", paragraphs: ["第一行接着写。"])])
        let requirements = template.filled(.requirements, values: ["统计截止日期": "2022年3月31日"])
        #expect(requirements == [TemplateItem(heading: nil, paragraphs: ["各单位要于2022年3月31日前整改。"])])
        // A section the file leaves out comes from the shipped template.
        #expect(!template.filled(.opening, values: ["发文机关简称": "市政府办公室", "统计周期": "2022年第一季度"]).isEmpty)
    }

    @Test func errorsNameTheLine() throws {
        let unknown = try #require(throws: NoticeTemplate.InvalidTemplate.self) {
            try NoticeTemplate.parse("## 工作成效\n\n本期共{网站数量}个。\n", file: "t.txt")
        }
        #expect(unknown.line == 3)
        #expect(unknown.description.hasPrefix("t.txt:3: 通报模板错误：未知的占位符“{网站数量}”"))
        let section = try #require(throws: NoticeTemplate.InvalidTemplate.self) {
            try NoticeTemplate.parse("## 结束语\n文字\n", file: "t.txt")
        }
        #expect(section.line == 1)
        let orphan = try #require(throws: NoticeTemplate.InvalidTemplate.self) {
            try NoticeTemplate.parse("没有节的文字\n", file: "t.txt")
        }
        #expect(orphan.line == 1)
        let twice = try #require(throws: NoticeTemplate.InvalidTemplate.self) {
            try NoticeTemplate.parse("## 开头\n甲\n## 开头\n乙\n", file: "t.txt")
        }
        #expect(twice.line == 3)
    }
}
