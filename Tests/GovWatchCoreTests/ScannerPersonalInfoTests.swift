import GovWatchCore
import Testing

@Suite("Personal information: ID numbers")
struct ScannerIDNumberTests {
    let scanner = PersonalInfoScanner()

    @Test func findsAValidIDInASentenceWithMaskedEvidence() {
        let id = ScannerFixtures.id()
        let text = "申请人张三，身份证号\(id)，住址鸿溪市。"
        let hits = scanner.scan(text)
        #expect(hits.count == 1)
        let hit = hits[0]
        #expect(hit.kind == .idCard)
        #expect(String(text[hit.range]) == id)
        #expect(hit.masked == "510402********" + id.suffix(4))
        #expect(hit.replacement == hit.masked)
        #expect(!hit.masked.contains("19900101"))
    }

    @Test func findsCheckCharacterXInAnyCaseAndFullWidth() {
        let id = ScannerFixtures.idEndingInX()
        #expect(id.hasSuffix("X"))
        #expect(scanner.found("身份证：\(id)") == ["id-card:" + ResidentIDNumber.masked(id)])
        let lower = id.dropLast() + "x"
        #expect(scanner.scan("身份证：\(lower)").map(\.kind) == [.idCard])
        let fullWidth = ScannerFixtures.fullWidth(id)
        let hits = scanner.scan("证件号码：\(fullWidth)。")
        #expect(hits.map(\.kind) == [.idCard])
        #expect(hits.first?.masked.hasPrefix("５１０４０２********") == true)
    }

    @Test func findsOld15DigitNumbersWithARealDate() {
        #expect(scanner.scan("老身份证号：510402900101123，").map(\.kind) == [.idCard])
        // 1990-02-30 does not exist.
        #expect(scanner.scan("编号：510402900230123，").isEmpty)
    }

    @Test func findsGroupedIDNumbers() {
        let id = ScannerFixtures.id()
        let grouped = "\(id.prefix(6)) \(id.dropFirst(6).prefix(8)) \(id.suffix(4))"
        let hits = scanner.scan("身份证号 \(grouped) 已登记")
        #expect(hits.map(\.kind) == [.idCard])
        #expect(hits.first?.masked == "510402 ******** \(id.suffix(4))")
    }

    @Test func findsIDsInTableRowsNextToOtherNumbers() {
        let id = ScannerFixtures.id(area: "110105", birth: "19781120", sequence: "036")
        let text = "1\t李四\t\(id)\t13912345678\n2 王五 \(id) 139 1234 5678"
        #expect(scanner.scan(text).map(\.kind) == [.idCard, .mobile, .idCard, .mobile])
    }

    @Test(arguments: [
        ("统一社会信用代码：91510400MA62XXXXXX", "credit code with letters"),
        ("索引号：11510400008713456X/2022-00123", "index number"),
        ("单号 5104021990010112345", "19 digits"),
        ("5104021990****123X", "masked birth date"),
        ("510402********1234", "masked middle"),
        ("5101**********1234", "masked, indicators.md"),
        ("订单号20220315123456789012", "long order number"),
        ("日期：2022-03-15，文号：鸿府发〔2022〕12号", "dates and document numbers"),
        ("金额：510402199001011.50元", "decimal amount"),
    ])
    func ignoresLookAlikes(text: String, reason: String) {
        #expect(scanner.scan(text).filter { $0.kind == .idCard }.isEmpty, "\(reason)")
    }

    @Test func ignoresAValidIDLabelledAsACodeOrFollowedByAnIndexSuffix() {
        let id = ScannerFixtures.id(area: "110119", birth: "20000101", sequence: "345")
        #expect(scanner.scan("统一社会信用代码：\(id)").isEmpty)
        #expect(scanner.scan("索引号：\(id)/2022-00123").isEmpty)
        #expect(scanner.scan("身份证号：\(id)").map(\.kind) == [.idCard])
    }

    @Test func rejectsBadProvinceAndImpossibleDates() {
        #expect(scanner.scan("号码 " + ScannerFixtures.id(area: "990402")).isEmpty)  // no province 99
        #expect(scanner.scan("号码 " + ScannerFixtures.id(birth: "19900230")).isEmpty)  // 30 February
        #expect(scanner.scan("号码 " + ScannerFixtures.id(birth: "19001301")).isEmpty)  // month 13
        #expect(scanner.scan("号码 " + ScannerFixtures.id(birth: "20000229")).map(\.kind) == [.idCard])  // leap day
        #expect(scanner.scan("号码 " + ScannerFixtures.id(birth: "19000229")).isEmpty)  // 1900 was not leap
    }

    @Test func propertyEveryGeneratedValidIDIsFoundAndNoWrongCheckCharacterIs() {
        var random = ScannerFixtures.SplitMix(state: 20_220_315)
        let provinces = Array(ResidentIDNumber.provinceCodes).sorted()
        for _ in 0..<300 {
            let province = provinces.randomElement(using: &random)!
            let area = String(province) + ScannerFixtures.format3(Int.random(in: 1...999, using: &random)) + String(Int.random(in: 0...9, using: &random))
            let year = Int.random(in: 1930...2020, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...28, using: &random)
            let birth = String(year) + String(ScannerFixtures.format3(month).suffix(2)) + String(ScannerFixtures.format3(day).suffix(2))
            let id = ScannerFixtures.id(area: area, birth: birth, sequence: ScannerFixtures.format3(Int.random(in: 0...999, using: &random)))
            let hits = scanner.scan("经核实，当事人身份证号码为\(id)。")
            #expect(hits.map(\.kind) == [.idCard], "\(id)")
            #expect(hits.first?.masked == ResidentIDNumber.masked(id))
            #expect(ResidentIDNumber.isValid(id))
            for wrong in ScannerFixtures.wrongCheckVariants(of: id) {
                #expect(!ResidentIDNumber.isValid(wrong), "\(wrong)")
                #expect(scanner.scan("经核实，当事人身份证号码为\(wrong)。").filter { $0.kind == .idCard }.isEmpty, "\(wrong)")
            }
        }
    }

    @Test func checkCharacterMatchesTheStandard() {
        // The example number of GB 11643-1999, appendix.
        #expect(ResidentIDNumber.checkCharacter(forFirst17: "11010519491231002") == "X")
        #expect(ResidentIDNumber.checkCharacter(forFirst17: "44052419800101001") == "3")
        #expect(ResidentIDNumber.checkCharacter(forFirst17: "1101051949123100") == nil)
    }
}

@Suite("Personal information: mobile numbers")
struct ScannerMobileTests {
    let scanner = PersonalInfoScanner()

    @Test(arguments: [
        ("联系电话：13812345678。", "138****5678"),
        ("手机 138-1234-5678", "138-****-5678"),
        ("手机 138 1234 5678，", "138 **** 5678"),
        ("请拨打+86 138 1234 5678", "+86 138 **** 5678"),
        ("请拨打+8613812345678", "+86138****5678"),
        ("联系方式（+86）13812345678", "（+86）138****5678"),
        ("联系方式 0086 13812345678", "0086 138****5678"),
        ("电话:19912345678", "199****5678"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
        ("13812345678/13912345678", "138****5678"),
        ("Tel: 15012345678 (office hours)", "150****5678"),
    ])
    func findsMobileNumbersInTheirWrittenForms(text: String, masked: String) {
        let hits = scanner.scan(text)
        #expect(hits.first?.kind == .mobile, "\(text)")
        #expect(hits.first?.masked == masked, "\(text)")
        #expect(hits.allSatisfy { !$0.masked.contains("1234") }, "\(text)")
    }

    @Test func findsBothNumbersSeparatedBySlash() {
        #expect(scanner.found("13812345678/13912345678") == ["mobile:138****5678", "mobile:139****5678"])
    }

    @Test(arguments: [
        "办公电话：0812-3335678",
        "（0812）3335678",
        "政务服务便民热线12345",
        "投诉电话 12345、12315，咨询电话 400-123-4567",
        "138****1234",
        "138-****-1234",
        "订单号213812345678",
        "编号138123456789",
        "DD13812345678",
        "ABC13812345678X",
        "合同金额13812345678元",
        "￥13812345678",
        "13812345678.50",
        "3.13812345678",
        "http://www.hongxi.gov.cn/art/2022/3/15/art_13812345678.html",
        "https://hongxi.gov.cn/13812345678",
        "详见 www.hongxi.gov.cn/xxgk/13812345678 页面",
        "附件：13812345678.pdf",
        "?id=13812345678&page=2",
        "日期 2022-03-15 13:45",
        "11510400008713456X/2022-00123",
        "统计表 130 2345 6789 1024",
        "12345678901",
        "10012345678",
    ])
    func ignoresLookAlikes(text: String) {
        #expect(scanner.scan(text).filter { $0.kind == .mobile }.isEmpty, "\(text)")
    }
}

@Suite("Personal information: bank cards")
struct ScannerBankCardTests {
    let scanner = PersonalInfoScanner()

    @Test func findsLuhnValidCardsNearCardWords() {
        let card = ScannerFixtures.luhnNumber(prefix: "622202", length: 19)
        let hits = scanner.scan("收款人：张三，银行卡号：\(card)，开户行：鸿溪市农商行")
        #expect(hits.map(\.kind) == [.bankCard])
        #expect(hits.first?.masked == "6222" + String(repeating: "*", count: 11) + card.suffix(4))

        let sixteen = ScannerFixtures.luhnNumber(prefix: "6217", length: 16)
        let grouped = stride(from: 0, to: 16, by: 4).map { String(Array(sixteen)[$0..<($0 + 4)]) }.joined(separator: " ")
        let groupedHits = scanner.scan("补贴发放账号 \(grouped)")
        #expect(groupedHits.map(\.kind) == [.bankCard])
        #expect(groupedHits.first?.masked == "6217 **** **** \(sixteen.suffix(4))")
    }

    @Test func ignoresCardsWithoutContextFailingLuhnOrOfAUnit() {
        let card = ScannerFixtures.luhnNumber(prefix: "622202", length: 19)
        #expect(scanner.scan("流水号 \(card)").isEmpty)
        let broken = String(card.dropLast()) + String((card.last!.wholeNumberValue! + 1) % 10)
        #expect(scanner.scan("银行卡号：\(broken)").isEmpty)
        #expect(scanner.scan("收款单位：鸿溪市财政局 开户行：工商银行 账号：\(card)").isEmpty)
        #expect(scanner.scan("银行卡号：6222 **** **** 1234").isEmpty)
    }
}

@Suite("Personal information: health")
struct ScannerHealthTests {
    let scanner = PersonalInfoScanner()

    @Test(arguments: [
        ("村民张建国患有精神疾病，生活困难。", "张*国患有"),
        ("经查，张某某确诊为肺结核。", "张某某确诊"),
        ("王建国，男，45岁，有精神病史。", "王*国…精神病"),
        ("来信人李女士反映其患有抑郁症。", "李女士…患有"),
        ("低保户欧阳明华因尿毒症住院治疗。", "欧阳*华…尿毒症"),
        ("申请事由：王秀英确诊为乳腺癌，住院治疗费用负担较重。", "王*英确诊"),
        ("1\t李红梅\t患有尿毒症，长期血液透析\t12,000", "李*梅…患有"),
        ("您好！经核实，来信人父亲王建华患有2型糖尿病伴肾病，符合认定条件。", "王*华患有"),
        ("王秀英因白血病住院。", "王*英…白血病"),
        ("  李红梅    患有尿毒症，长期血液透析    12,000", "李*梅…患有"),
    ])
    func findsConditionsOfIdentifiablePeople(text: String, masked: String) {
        let hits = scanner.scan(text).filter { $0.kind == .health }
        #expect(hits.count == 1, "\(text)")
        #expect(hits.first?.masked == masked, "\(text)")
    }

    @Test func aPersonalNumberIdentifiesThePerson() {
        let id = ScannerFixtures.id()
        let hits = scanner.scan("身份证号\(id)的申请人患有白血病。")
        #expect(hits.map(\.kind) == [.idCard, .health])
        let health = hits[1]
        #expect(!health.replacement.contains(id))
        #expect(health.replacement.contains(ResidentIDNumber.masked(id)))
    }

    @Test func deidentifiedPassageDropsTheName() {
        let text = "村民张建国患有精神疾病。"
        let hit = scanner.scan(text).first { $0.kind == .health }
        #expect(hit?.replacement == "张*国患有")
        #expect(scanner.deidentify(text) == "村民张*国患有精神疾病。")
        // The de-identified text is clean.
        #expect(scanner.scan(scanner.deidentify(text)).isEmpty)
    }

    @Test(arguments: [
        "3月15日0-24时，全市新增确诊病例0例，累计确诊病例12例。",
        "市卫健委主任王建国通报，新增确诊病例3例。",
        "全市共有持证残疾人1200名，残疾人就业率提高。",
        "鸿溪市残疾人联合会召开会议。",
        "患者高热、咳嗽，确诊为流感的病例有5例。",
        "做好精神障碍患者救治救助工作。",
        "张某某同志任鸿溪市卫健委主任。",
        "湖北省武汉确诊首例输入病例。",
        "黄冈市确诊病例全部治愈。",
        "，黄冈市确诊3人。",
        "经审核，张*明（身份证号：430104********2317，联系电话：139****5678）符合申领条件。",
        "张*明患有慢性病，已纳入救助。",
        "全市累计治愈出院病例21例，现有确诊病例0例。",
        "石家庄确诊病例清零。",
    ])
    func ignoresAggregatesAndPeopleWithoutAConditionInTheSentence(text: String) {
        #expect(scanner.scan(text).filter { $0.kind == .health }.isEmpty, "\(text)")
    }

    @Test func aConditionInAnotherSentenceDoesNotCount() {
        #expect(scanner.scan("村民张建国前来办事。该病种患有者需登记。").filter { $0.kind == .health }.isEmpty)
    }
}
