import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

@Suite("Registry CSV and attachments")
struct RegistryAndDocumentTests {
    let city = SampleCity.standard

    /// The spec's header names, English and Chinese, per file (interfaces.md).
    static let specHeaders: [RegistryFile: [(String, String)]] = [
        .sites: [("code", "网站标识码"), ("name", "网站名称"), ("url", "首页网址"), ("kind", "网站类型"), ("unit", "主办单位"),
                 ("parent", "上级单位"), ("icp", "ICP备案号"), ("police", "公安备案号")],
        .columns: [("site", "网站标识码"), ("name", "栏目名称"), ("url", "栏目地址"), ("category", "栏目类型"),
                   ("period_days", "更新周期（天）"), ("top_level", "一级栏目")],
        .accounts: [("platform", "平台"), ("id", "账号ID"), ("name", "账号名称"), ("unit", "主办单位"), ("main", "是否主账号"),
                    ("status", "状态"), ("feed", "数据源"), ("closure_filed", "停用备案日期"), ("download_url", "下载地址")],
        .posts: [("platform", "平台"), ("account", "账号ID"), ("published", "发布时间"), ("title", "标题"), ("url", "链接"), ("text", "正文")],
        .people: [("unit", "单位"), ("name", "姓名"), ("role", "岗位"), ("phone", "电话"), ("since", "起始日期"), ("until", "离岗日期"),
                  ("handover_to", "交接人")],
    ]

    @Test("each CSV parses, has the spec's headers and rectangular rows", arguments: RegistryFile.allCases)
    func csvShape(file: RegistryFile) throws {
        var text = city.registryCSV(file)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let rows = parseCSV(text)
        let header = try #require(rows.first)
        for (english, chinese) in Self.specHeaders[file]! {
            #expect(header.contains(english) || header.contains(chinese), "\(file): no column \(english)/\(chinese)")
        }
        #expect(rows.count > 1)
        for row in rows { #expect(row.count == header.count, "\(file): ragged row \(row)") }
        // The GBK bytes decode back to the same text.
        let gbk = city.registryCSVData(file, gbk: true)
        #expect(String(data: gbk, encoding: String.Encoding(rawValue: 0x8000_0632)) == text)
    }

    @Test("registry values are valid: codes, URLs, categories, dates, unique keys")
    func csvValues() throws {
        let sites = parseCSV(String(city.registryCSV(.sites).dropFirst()))
        let codes = sites.dropFirst().map { $0[0] }
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.count == 10 && $0.allSatisfy(\.isNumber) })
        #expect(sites.dropFirst().allSatisfy { $0[2].hasPrefix("http://") })
        let columns = parseCSV(city.registryCSV(.columns))
        let categories: Set<String> = ["news", "notice", "policy", "personnel", "planning", "consultation", "other"]
        #expect(columns.dropFirst().allSatisfy { Set(codes).contains($0[0]) && categories.contains($0[3]) })
        #expect(Set(columns.dropFirst().map { $0[2] }).count == columns.count - 1)
        for site in city.sites {
            #expect(city.columns.contains { $0.siteCode == site.code }, "\(site.name) has no columns")
        }
        let accounts = parseCSV(city.registryCSV(.accounts))
        let keys = accounts.dropFirst().map { $0[0] + "/" + $0[1] }
        #expect(Set(keys).count == keys.count)
        #expect(Set(accounts.dropFirst().map { $0[1] }).count == keys.count, "account ids are unique across platforms too")
        let posts = parseCSV(city.registryCSV(.posts))
        #expect(posts.dropFirst().allSatisfy { $0[2].hasSuffix("+08:00") && $0[2].count == 25 })
        let people = parseCSV(city.registryCSV(.people))
        #expect(people.dropFirst().contains { !$0[5].isEmpty && $0[6].isEmpty })
        #expect(people.dropFirst().contains { !$0[5].isEmpty && !$0[6].isEmpty })
    }

    @Test(".xlsx and .docx attachments are valid zips holding the planted text")
    func officeAttachments() throws {
        let zipped = city.plantedProblems.filter { ($0.url ?? "").hasSuffix(".xlsx") || ($0.url ?? "").hasSuffix(".docx") }
        #expect(Set(zipped.compactMap(\.url).map { URL(string: $0)!.pathExtension }) == ["xlsx", "docx"])
        for problem in zipped where problem.detail["kind"] == "id-card" || problem.detail["kind"] == "mobile" {
            let data = try #require(city.body(of: problem.url!))
            let part = problem.url!.hasSuffix(".xlsx") ? "xl/sharedStrings.xml" : "word/document.xml"
            let xml = try #require(try zipEntryText(data, part))
            let masked = problem.detail["masked"]!
            // The clear value shares the masked form's ends.
            #expect(xml.contains(String(masked.prefix(3))) && xml.contains(String(masked.suffix(4))), "\(problem.id)")
            #expect(try zipEntryText(data, "[Content_Types].xml") != nil)
            if problem.isFixable {
                let fixed = try #require(city.body(of: problem.url!, fixed: true))
                #expect(!(try zipEntryText(fixed, part)!).contains(String(masked.suffix(4)) + "<") || fixed != data)
            }
        }
    }

    @Test("PDF attachments are extractable by pdftotext", .requires(ToolAvailability.pdftotext))
    func pdfText() async throws {
        let pdfs = city.servedURLs.filter { $0.hasSuffix(".pdf") }
        #expect(pdfs.count >= 2)
        for url in pdfs {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-pdf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("a.pdf")
            try city.body(of: url)!.write(to: file)
            let extracted = try await ChildProcess.program("pdftotext", [file.path, "-"])
            #expect(extracted.status == 0, "\(url)")
            #expect(extracted.stdout.contains("Hongxi"), "\(url)")
        }
        let leak = try #require(city.plantedProblems.first { ($0.url ?? "").hasSuffix(".pdf") })
        let text = String(decoding: city.body(of: leak.url!)!, as: UTF8.self)
        #expect(text.contains(String(leak.detail["masked"]!.suffix(4))))
    }

    @Test("the gzip bomb's arithmetic: CRC of zeros, and sizes")
    func feedsAndDictionary() throws {
        #expect(SampleCity.dictionaryTSV.contains("中华人民共合国\t中华人民共和国\tsevere"))
        for account in city.accounts where account.feed != nil {
            let body = try #require(city.body(of: account.feed!), "\(account.id)")
            #expect(!body.isEmpty)
        }
    }
}
