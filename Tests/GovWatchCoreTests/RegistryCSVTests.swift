import Foundation
import GovWatchCore
import Testing

@Suite struct RegistryCSVTests {
    func data(_ text: String) -> Data { Data(text.utf8) }

    func siteError(_ text: String) -> ImportError? {
        do {
            _ = try RegistryCSV.parseSites(data(text), file: "sites.csv")
            return nil
        } catch {
            return error
        }
    }

    @Test func englishAndChineseHeadersGiveTheSameRecords() throws {
        let english = "code,name,url,kind,unit,parent\n4301000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,portal,鸿溪市人民政府办公室,\n"
        let chinese = "主办单位,网站名称,网站标识码,首页网址,网站类型,备注\n鸿溪市人民政府办公室,鸿溪市人民政府,4301000001,http://www.hongxi.gov.cn/,政府门户网站,无关列\n"
        let a = try RegistryCSV.parseSites(data(english), file: "a.csv").rows.map(\.record)
        let b = try RegistryCSV.parseSites(data(chinese), file: "b.csv").rows.map(\.record)
        #expect(a == b)
        #expect(a.first?.kind == .portal)
        #expect(a.first?.parent == nil)
    }

    @Test func bomAndGBKAreDecoded() throws {
        let text = "网站标识码,网站名称,首页网址,网站类型,主办单位\nbm00000001,国家某部,https://www.example.gov.cn/,部门网站,国家某部\n"
        let bom = Data([0xEF, 0xBB, 0xBF]) + data(text)
        #expect(try RegistryCSV.parseSites(bom, file: "bom.csv").rows.first?.record.code == "bm00000001")
        let gbk = text.data(using: TextDecoding.gb18030)!
        #expect(try RegistryCSV.parseSites(gbk, file: "gbk.csv").rows.first?.record.name == "国家某部")
        #expect(TextDecoding.decode(gbk)?.encoding == .gb18030)
    }

    @Test func errorsNameFileLineAndField() {
        let header = "code,name,url,kind,unit\n"
        #expect(siteError(header + "430100001,a,http://a.gov.cn/,portal,u\n")?.description
            == "sites.csv:2: field 'code': 网站标识码“430100001”格式不正确，应为10位数字或“bm”加8位数字")
        #expect(siteError(header + "4301000001,a,www.a.gov.cn,portal,u\n")?.field == "url")
        #expect(siteError(header + "4301000001,a,http://a.gov.cn/,门户,u\n") == nil)
        #expect(siteError(header + "4301000001,a,http://a.gov.cn/,网站,u\n")?.field == "kind")
        #expect(siteError(header + "4301000001,,http://a.gov.cn/,portal,u\n")?.reason == "必填项为空")
        #expect(siteError("code,name,url,kind\n")?.description.contains("缺少必填列“主办单位”") == true)
        #expect(siteError("") != nil)
    }

    @Test func lineNumbersCountQuotedNewlinesAndBlankLines() {
        let text = "code,name,url,kind,unit\n\n4301000001,\"多行\n名称\",http://a.gov.cn/,portal,u\n\n4301000002,b,bad-url,portal,u\n"
        let error = siteError(text)
        #expect(error?.line == 6)
        #expect(error?.field == "url")
    }

    @Test func duplicatesWithinAFileAreRejectedAtTheSecondLine() {
        let text = "code,name,url,kind,unit\n4301000001,a,http://a.gov.cn/,portal,u\n4301000001,b,http://b.gov.cn/,portal,u\n"
        let error = siteError(text)
        #expect(error?.line == 3)
        #expect(error?.reason.contains("与第 2 行重复") == true)
    }

    @Test func conflictingEnumerationsDatesAndNumbers() {
        func accountError(_ row: String) -> ImportError? {
            do {
                _ = try RegistryCSV.parseAccounts(data("platform,id,name,unit,main,status,closure_filed\n" + row + "\n"), file: "accounts.csv")
                return nil
            } catch { return error }
        }
        #expect(accountError("微信,a,鸿溪发布,u,是,运营,") == nil)
        #expect(accountError("qq,a,x,u,1,active,")?.field == "platform")
        #expect(accountError("wechat,a,x,u,maybe,active,")?.field == "main")
        #expect(accountError("wechat,a,x,u,1,paused,")?.field == "status")
        #expect(accountError("wechat,a,x,u,1,stopped,2022-02-30")?.field == "closure_filed")
        #expect(accountError("wechat,a,x,u,1,stopped,2022/2/28") == nil)

        func columnError(_ row: String) -> ImportError? {
            do {
                _ = try RegistryCSV.parseColumns(data("site,name,url,category,period_days,top_level\n" + row + "\n"), file: "c.csv")
                return nil
            } catch { return error }
        }
        #expect(columnError("4301000001,动态,http://a.gov.cn/d/,news,0,1")?.field == "period_days")
        #expect(columnError("4301000001,动态,http://a.gov.cn/d/,新闻,,1")?.field == "category")
        #expect(columnError("4301000001,动态,http://a.gov.cn/d/,要闻,,否") == nil)

        func personError(_ row: String) -> ImportError? {
            do {
                _ = try RegistryCSV.parsePeople(data("unit,name,role,phone,since,until\n" + row + "\n"), file: "p.csv")
                return nil
            } catch { return error }
        }
        #expect(personError("u,李明,管理员,0731-88886666,2022-03-01,2022-01-01")?.field == "until")
        #expect(personError("u,李明,管理员,call me,,")?.field == "phone")
    }

    @Test func renderedCSVParsesBackToTheSameRecords() throws {
        let sites = [
            SiteRecord(code: "4301000001", name: "鸿溪市人民政府, \"门户\"", url: "http://www.hongxi.gov.cn/", kind: .portal, unit: "办公室"),
            SiteRecord(code: "bm12345678", name: "某部", url: "https://x.gov.cn/", kind: .department, unit: "某部", parent: "国务院", icp: "京ICP备1号"),
        ]
        let text = RegistryCSV.render(sites: sites)
        #expect(try RegistryCSV.parseSites(data(text), file: "x.csv").rows.map(\.record) == sites)
    }

    @Test func csvTableHandlesQuotesAndLineEnds() throws {
        let table = try CSVTable(text: "a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n,\r\n")
        #expect(table.header == ["a", "b"])
        #expect(table.rows.map(\.fields) == [["x,1", "say \"hi\""], ["", ""]])
        #expect(table.rows.map(\.line) == [2, 3])
        #expect(throws: CSVTable.ParseError.unterminatedQuote(line: 2)) { try CSVTable(text: "a\n\"open\n") }
    }
}
