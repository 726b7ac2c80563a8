import Foundation

/// Text that resembles a problem but is not one: masked numbers, credit codes, index
/// numbers, office phones, hotlines, amounts, document numbers, aggregate statistics and
/// correct forms of the severe-error dictionary's terms. Clean sites are full of it.
enum LookAlikes {
    /// The metadata table of a policy document (索引号, 文号, 发文机关…).
    static func policyMetadata(index: String, docNumber: String, issuer: String, date: Date) -> String {
        """
        <table class="xxgk-meta" width="100%">
        <tr><th>索引号：</th><td>\(index)</td><th>主题分类：</th><td>综合政务</td></tr>
        <tr><th>发文机关：</th><td>\(HTML.escape(issuer))</td><th>成文日期：</th><td>\(CityClock.chineseDay(date))</td></tr>
        <tr><th>文号：</th><td>\(HTML.escape(docNumber))</td><th>有效性：</th><td>有效</td></tr>
        </table>
        """
    }

    /// A paragraph dense with numbers that are not personal data.
    static func publicNumbers(unit: String) -> String {
        [
            "\(unit)统一社会信用代码：\(PlantedValues.numericCreditCode)；合作单位统一社会信用代码：\(PlantedValues.creditCode)。",
            "咨询电话：0731-88882345，传真：0731-88882346，监督电话：12345。",
            "开户银行：中国工商银行鸿溪分行营业部，账号：\(PlantedValues.organisationAccount)。",
            "本项目总投资12,850.6万元，其中中央预算内资金3,200万元，项目编号HXFG-2022-0315。",
        ].map(HTML.paragraph).joined(separator: "\n")
    }

    /// A 公示 paragraph with properly masked personal data.
    static func maskedPersonalData() -> String {
        HTML.paragraph(
            "经审核，张*明（身份证号：\(PlantedValues.maskedID)，联系电话：\(PlantedValues.maskedMobile)）符合申领条件，现予以公示。")
    }

    /// Aggregate epidemic statistics (no named person).
    static func aggregateHealthStatistics() -> String {
        HTML.paragraph("3月30日0—24时，全市新增确诊病例0例，新增无症状感染者0例，累计治愈出院病例21例，现有确诊病例0例。")
    }

    /// Correct forms containing parts of the dictionary's wrong ones.
    static func correctPoliticalNames() -> String {
        HTML.paragraph("为深入贯彻《中华人民共和国政府信息公开条例》，中国共产党鸿溪市委员会、鸿溪市人民政府联合印发实施意见，全体共产党员要带头落实。")
    }
}
