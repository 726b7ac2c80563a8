import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchTestSupport
import Testing

/// pdftotext comes with poppler-utils (scripts/test.sh installs it); without it the PDF tests
/// are skipped (failed in CI).

@Suite("Document text extraction")
struct DocumentTextExtractorTests {
    let extractor = DocumentTextExtractor()

    static func run(_ text: String) -> String {
        "<w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r>"
    }

    @Test func docxParagraphsRunsTabsAndBreaks() throws {
        let body = """
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>\(Self.run("关于中华人民"))\(Self.run("共合国的通知"))</w:p>
            <w:p>\(Self.run("申请人："))<w:r><w:tab/><w:t>王五</w:t><w:br/><w:t>手机13812345678</w:t></w:r></w:p>
            <w:p><w:del><w:r><w:delText>已删除的文字</w:delText></w:r></w:del><w:r><w:instrText>HYPERLINK "x"</w:instrText></w:r>\(Self.run("末段"))</w:p>
            """
        let data = try DocumentFixtures.docx(bodyXML: body, footnotesXML: "<w:footnote w:id=\"1\"><w:p>\(Self.run("脚注内容"))</w:p></w:footnote>")
        let sections = try extractor.extract(data: data, fileName: "draft.docx")
        #expect(sections.count == 1)
        #expect(sections[0].label == nil)
        #expect(sections[0].text == "关于中华人民共合国的通知\n申请人：\t王五\n手机13812345678\n末段\n脚注内容\n")
    }

    @Test func docxProblemsAreFoundAcrossRunsWithLineAndColumn() throws {
        let data = try DocumentFixtures.docx(bodyXML: "<w:p>\(Self.run("标题"))</w:p><w:p>\(Self.run("中华人民"))\(Self.run("共合国"))</w:p>")
        let text = try extractor.extract(data: data, fileName: "a.docx")[0].text
        let scanner = try ContentScanner.standard()
        let result = scanner.scan(text)
        #expect(result.problems.map(\.kind) == [.severe])
        #expect(result.location(of: result.problems[0]) == TextLocation(line: 2, column: 1))
    }

    @Test func xlsxSheetsSharedAndInlineStringsRowsAndColumns() throws {
        let rows1 = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
            <row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>3</v></c><c r="D2" t="inlineStr"><is><t>15173162947</t></is></c></row>
            <row r="4"><c r="A4" t="b"><v>1</v></c><c r="C4" t="str"><f>A1</f><v>公式结果</v></c></row>
            """
        let rows2 = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>4</v></c></row>"
        let data = try DocumentFixtures.xlsx(
            sheets: [("名单", rows1), ("Sheet2", rows2)],
            sharedStrings: ["序号", "姓名", "身份证号", "周文静", "说明&amp;备注"])
        let sections = try extractor.extract(data: data, fileName: "list.xlsx")
        #expect(sections.map(\.label) == ["名单", "Sheet2"])
        #expect(sections[0].text == "序号\t姓名\t身份证号\n1\t周文静\t\t15173162947\n\nTRUE\t\t公式结果")
        #expect(sections[1].text == "说明&备注")
        #expect(sections[0].displayName(file: "list.xlsx") == "list.xlsx#名单")
        let result = PersonalInfoScanner().scan(sections[0].text)
        #expect(result.map(\.kind) == [.mobile])
    }

    @Test(.requires(ToolAvailability.pdftotext)) func pdfPagesAreSectionsNamedByPage() throws {
        let id = "11010519781120036X"  // valid GB 11643 check character
        let data = DocumentFixtures.pdf(pages: [["Recruitment list", "No. 1 Name: Zhou ID: \(id)"], ["Contact: 13812345678"]])
        let sections = try extractor.extract(data: data, fileName: "list.pdf")
        #expect(sections.map(\.label) == ["page=1", "page=2"])
        #expect(sections[0].text.contains("ID: \(id)"))
        #expect(sections[1].text.contains("13812345678"))
        #expect(sections[1].displayName(file: "list.pdf") == "list.pdf#page=2")
        let hits = PersonalInfoScanner().scan(sections[0].text)
        #expect(hits.map(\.kind) == [.idCard])
    }

    @Test(.requires(ToolAvailability.pdftotext)) func brokenPDFIsAClearError() {
        let data = Data("%PDF-1.4\nthis is not a pdf".utf8)
        #expect(throws: DocumentReadError.self) { try extractor.extract(data: data, fileName: "broken.pdf") }
    }

    @Test func plainTextInUTF8GB18030AndUTF16() throws {
        let text = "鸿溪市人民政府关于春耕的通知"
        let gb = try #require(text.data(using: String.Encoding(rawValue: 0x8000_0632)))
        #expect(try extractor.extract(data: gb, fileName: "gbk.txt")[0].text == text)
        #expect(try extractor.extract(data: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), fileName: "bom.txt")[0].text == text)
        let utf16 = try #require(text.data(using: .utf16))  // with BOM
        #expect(try extractor.extract(data: utf16, fileName: "u16.txt")[0].text == text)
    }

    @Test func htmlTextKeepsVisibleTextAndAltTitleInOrder() throws {
        let html = """
            <html><head><meta charset="gbk"><title>通知</title><style>p{color:red}</style>
            <script>var phone = "13812345678";</script></head>
            <body><p>第一段&nbsp;文字&amp;符号&#20013;&#x56FD;</p><!-- 注释 13912345678 -->
            <img src=a.png alt="中华人民共合国示意图"><a href=x.html title="详情">链接</a>
            <table><tr><td>李红梅</td><td>患有尿毒症</td></tr></table></body></html>
            """
        let data = try #require(html.data(using: String.Encoding(rawValue: 0x8000_0632)))
        let text = try extractor.extract(data: data, fileName: "page.html")[0].text
        #expect(!text.contains("13812345678"))
        #expect(!text.contains("13912345678"))
        #expect(!text.contains("color"))
        #expect(text.contains("第一段 文字&符号中国"))
        #expect(text.contains("中华人民共合国示意图"))
        #expect(text.contains("详情"))
        #expect(text.contains("李红梅 患有尿毒症"))  // cells of a row: one line, separated by a space
        #expect(PersonalInfoScanner().scan(text).map(\.kind) == [.health])
    }

    @Test func formatIsDetectedFromContentFirst() throws {
        let docx = try DocumentFixtures.docx(bodyXML: "<w:p>\(Self.run("正文"))</w:p>")
        #expect(DocumentFormat.detect(fileName: "attachment.bin", data: docx) == .docx)
        let xlsx = try DocumentFixtures.xlsx(sheets: [("S", "")], sharedStrings: [])
        #expect(DocumentFormat.detect(fileName: "download.php?id=3", data: xlsx) == .xlsx)
        #expect(DocumentFormat.detect(fileName: "x", data: Data("%PDF-1.7".utf8)) == .pdf)
        #expect(DocumentFormat.detect(fileName: "old.xls", data: Data([0xD0, 0xCF, 0x11, 0xE0, 0])) == .xls)
        #expect(DocumentFormat.detect(fileName: "old.doc", data: Data([0xD0, 0xCF, 0x11, 0xE0, 0])) == .doc)
        #expect(DocumentFormat.detect(fileName: "index.shtml", data: Data("x".utf8)) == .html)
        #expect(DocumentFormat.detect(fileName: "-", data: Data("<!DOCTYPE html><html>".utf8)) == .html)
        #expect(DocumentFormat.detect(fileName: "draft.txt", data: Data("正文".utf8)) == .plainText)
    }

    @Test func unreadableInputGivesAChineseErrorNamingTheFile() throws {
        do {
            _ = try extractor.extract(data: Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), fileName: "坏文件.docx")
            Issue.record("accepted a broken docx")
        } catch let error as DocumentReadError {
            #expect(error.file == "坏文件.docx")
            #expect(error.description.hasPrefix("无法读取 坏文件.docx："))
        }
        let notWord = try DocumentFixtures.zip([("hello.txt", "hi")])
        #expect(throws: DocumentReadError.self) { try extractor.extract(data: notWord, fileName: "x.docx") }
        #expect(throws: DocumentReadError.self) { try extractor.extract(data: Data([0x00, 0x01, 0x02, 0xFF]), fileName: "x.bin") }
        let missing = URL(fileURLWithPath: "/nonexistent/草稿.txt")
        do {
            _ = try extractor.extract(contentsOf: missing, displayName: "草稿.txt")
            Issue.record("read a missing file")
        } catch let error as DocumentReadError {
            #expect(error.description == "无法读取 草稿.txt：文件不存在")
        }
    }
}
