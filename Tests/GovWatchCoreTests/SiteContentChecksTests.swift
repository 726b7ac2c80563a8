import Foundation
import GovWatchCore
import Testing

@Suite struct SiteContentChecksTests {
    func scanned(_ documents: [DocumentEvidence]) -> [ScannedDocument] {
        ScannedDocument.scan(documents, with: F.scanner)
    }

    func page(_ name: String, _ text: String, category: ColumnCategory? = nil) -> DocumentEvidence {
        DocumentEvidence(url: F.homepageURL + name, text: text, columnCategory: category)
    }

    let lawSentence = "各学校要认真学习贯彻《中华人民共合国教育法》，依法规范办学行为。"

    // MARK: severe errors

    @Test func theSameSevereErrorOnThreePagesIsOneFindingPerPageWithTheSiteWideCount() throws {
        let documents = (1...3).map { page("xwdt/t\($0).html", "第\($0)条新闻。\n" + lawSentence) }
        let findings = SiteContentSevereError.check(site: F.target, scanned: scanned(documents), indicators: .national2019)
        #expect(findings.map(\.url) == documents.map(\.url))
        #expect(Set(findings.map(\.fingerprint)).count == 3)
        for finding in findings {
            #expect(finding.level == .veto)
            #expect(finding.detail["wrong"] == "中华人民共合国")
            #expect(finding.detail["correct"] == "中华人民共和国")
            #expect(finding.detail["occurrences"] == 1)
            #expect(finding.detail["count"] == 3)
            #expect(finding.detail["pageCount"] == 3)
            #expect(finding.detail["pages"] == .array(documents.map { .string($0.url) }))
            #expect(finding.detail["line"] == 2)
            #expect(finding.detail["column"] == 12)
        }
        #expect(findings[0].evidence == "严重表述错误：…各学校要认真学习贯彻《【中华人民共合国】教育法》，依法规范办学行为。…（应为“中华人民共和国”；全站同一错误共3处，涉及3个页面）")
    }

    @Test func repeatsOnOnePageAreCountedOnItsFinding() throws {
        let text = lawSentence + "\n再次强调：中华人民 共合国。另有中国共惨党字样。"
        let findings = SiteContentSevereError.check(site: F.target, scanned: scanned([page("a.html", text)]), indicators: .national2019)
        #expect(findings.map { $0.detail["correct"] } == ["中华人民共和国", "中国共产党"])
        #expect(findings[0].detail["occurrences"] == 2)
        #expect(findings[0].detail["count"] == 2)
        #expect(findings[0].detail["pageCount"] == 1)
        #expect(findings[0].evidence?.hasSuffix("（应为“中华人民共和国”）") == true)
    }

    @Test func aPageKeepsItsFingerprintWhenTheErrorSpreadsToOtherPages() throws {
        let one = SiteContentSevereError.check(
            site: F.target, scanned: scanned([page("a.html", lawSentence)]), indicators: .national2019)
        let more = SiteContentSevereError.check(
            site: F.target, scanned: scanned([page("b.html", lawSentence), page("a.html", "新增一段。" + lawSentence + lawSentence)]),
            indicators: .national2019)
        let a = try #require(more.first { $0.url == F.homepageURL + "a.html" })
        #expect(a.fingerprint == one[0].fingerprint)
        #expect(a.detail["count"] == 3)
    }

    // MARK: sensitive words

    @Test func sensitiveWordsAreNoticesPerPageAndTerm() throws {
        let text = "专业代开发票，六合彩特码免费推荐，代开发票请联系客服。"
        let findings = SiteContentSensitive.check(site: F.target, scanned: scanned([page("spam.html", text)]), indicators: .national2019)
        #expect(findings.map { $0.detail["term"] } == ["代开发票", "六合彩"])
        #expect(findings.allSatisfy { $0.level == .notice })
        #expect(findings[0].detail["occurrences"] == 2)
        #expect(findings[0].evidence?.hasPrefix("敏感词“代开发票”（本页共2处）：") == true)
    }

    // MARK: personal information

    @Test func personalInformationIsReportedMaskedAndNeverInClear() throws {
        let id = ScannerFixtures.id()
        let mobile = "13907341234"
        let text = "2022年第一季度困难群众救助公示\n申请人：张三，身份证号\(id)，联系电话\(mobile)，住址鸿溪市。\n张三手机：\(mobile)"
        let documents = [page("tzgg/t1.html", text, category: .notice)]
        let findings = SiteContentPrivacy.check(site: F.target, scanned: scanned(documents), indicators: .national2019)
        #expect(findings.map { $0.detail["kind"] } == ["id-card", "mobile"])
        #expect(findings[0].level == .deduction)
        #expect(findings[0].detail["masked"] == .string(ResidentIDNumber.masked(id)))
        #expect(findings[0].detail["columnCategory"] == "notice")
        #expect(findings[0].detail["line"] == 2)
        #expect(findings[1].detail["masked"] == "139****1234")
        #expect(findings[1].detail["occurrences"] == 2)
        for finding in findings {
            let encoded = String(decoding: try JSONEncoder().encode(finding), as: UTF8.self)
            #expect(!encoded.contains(id))
            #expect(!encoded.contains(mobile))
            #expect(!(finding.evidence ?? "").contains(id))
            #expect(!(finding.evidence ?? "").contains(mobile))
        }
        #expect(findings[0].evidence?.hasPrefix("页面（通知公告栏目）公开了个人信息（身份证号）：") == true)
        #expect(findings[1].evidence?.contains("【139****1234】") == true)
        // The excerpt around the mobile number masks the ID number beside it.
        #expect(findings[1].evidence?.contains(ResidentIDNumber.masked(id)) == true)
    }

    @Test func attachmentsNameTheirSheetAndMaskedValuesAreNotFindings() throws {
        let id = ScannerFixtures.id(area: "110105", birth: "19781120", sequence: "036")
        let sheet = DocumentEvidence(
            url: F.homepageURL + "tzgg/P020220318.xlsx#Sheet1", text: "序号\t姓名\t身份证号\n1\t李四\t\(id)",
            columnCategory: .notice, isAttachment: true)
        let masked = page("tzgg/t2.html", "公示：王五，身份证号510402********1234，电话138****1234。")
        let findings = SiteContentPrivacy.check(site: F.target, scanned: scanned([sheet, masked]), indicators: .national2019)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.url == F.homepageURL + "tzgg/P020220318.xlsx")
        #expect(finding.detail["part"] == "Sheet1")
        #expect(finding.detail["sheet"] == "Sheet1")
        #expect(finding.detail["attachment"] == true)
        #expect(finding.evidence?.hasPrefix("附件（通知公告栏目）公开了个人信息（身份证号）") == true)
    }

    @Test func noExcerptCarriesANamedPatientInClear() throws {
        let text = "申请事由：王秀英确诊为乳腺癌，申请医疗救助。中华人民共合国宪法规定"
        let documents = scanned([page("tzgg/t3.html", text, category: .notice)])
        let severe = try #require(SiteContentSevereError.check(site: F.target, scanned: documents, indicators: .national2019).first)
        let health = try #require(SiteContentPrivacy.check(site: F.target, scanned: documents, indicators: .national2019).first)
        #expect(health.detail["kind"] == "health")
        for finding in [severe, health] {
            #expect(finding.evidence?.contains("王秀英") == false, "\(finding.evidence ?? "")")
            #expect(finding.evidence?.contains("王*英") == true, "\(finding.evidence ?? "")")
        }
    }

    @Test func aProvinceCanMakePrivacyAVeto() {
        let text = "联系人手机13907341234"
        let findings = SiteContentPrivacy.check(
            site: F.target, scanned: scanned([page("a.html", text)]), indicators: F.indicators(.siteContentPrivacy, level: .veto))
        #expect(findings.map(\.level) == [.veto])
    }

    @Test func privacyFingerprintsFollowPageKindAndMaskedValue() throws {
        let before = SiteContentPrivacy.check(
            site: F.target, scanned: scanned([page("a.html", "手机13907341234")]), indicators: .national2019)
        let after = SiteContentPrivacy.check(
            site: F.target, scanned: scanned([page("a.html", "页面改版后。\n联系人：李四，手机13907341234，13907341234")]),
            indicators: .national2019)
        #expect(before.first?.fingerprint == after.first?.fingerprint)
        let elsewhere = SiteContentPrivacy.check(
            site: F.target, scanned: scanned([page("b.html", "手机13907341234")]), indicators: .national2019)
        #expect(elsewhere.first?.fingerprint != before.first?.fingerprint)
    }
}
