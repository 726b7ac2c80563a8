import Foundation
import GovWatchCore

/// Responsible persons per unit (the people CSV) with the planted staffing gaps, and the
/// rectification scenario's problems.
enum PeopleAndScenarios {
    static func build(into city: CityBuilder) {
        people(city)
        scenarios(city)
    }

    private static let names = [
        "陈立军", "彭丽华", "欧阳静", "谢志刚", "邓小燕", "胡建平", "曾海燕", "罗振宇", "蒋文斌", "唐晓雯", "袁卫东", "贺春梅",
        "龙志勇", "易红霞", "向东升", "雷婷婷", "尹国庆", "姚美玲", "戴建新", "廖慧敏",
    ]

    /// Every unit that runs a site or an account gets a 网站管理员/新媒体编辑 on record,
    /// except the planted gaps: 生态环境局 and 机关事务管理局 have nobody, 住建局's only
    /// person left without a handover. 公安局 shows a proper handover.
    private static func people(_ city: CityBuilder) {
        let clock = city.clock
        var units: [String] = []
        for unit in city.sites.map(\.unit) + city.accounts.map(\.unit) where !units.contains(unit) {
            units.append(unit)
        }
        let nobody: Set<String> = [Roster.environment.unit, "鸿溪市机关事务管理局"]
        for (index, unit) in units.enumerated() where !nobody.contains(unit) {
            let phone = "1390731" + String(format: "%04d", 2100 + index * 37)
            let since = clock.daysAgo(400 + index * 23, hour: 0, minute: 0)
            switch unit {
            case Roster.housing.unit:
                city.people.append(
                    SamplePerson(
                        unit: unit, name: "刘志强", role: "网站管理员", phone: phone, since: since,
                        until: clock.daysAgo(31, hour: 0, minute: 0), handoverTo: nil))
            case Roster.police.unit:
                city.people.append(
                    SamplePerson(
                        unit: unit, name: "石建军", role: "网站管理员", phone: phone, since: since,
                        until: clock.daysAgo(80, hour: 0, minute: 0), handoverTo: "钟晓丽"))
                city.people.append(
                    SamplePerson(
                        unit: unit, name: "钟晓丽", role: "网站管理员", phone: "13907318866",
                        since: clock.daysAgo(80, hour: 0, minute: 0), until: nil, handoverTo: nil))
            default:
                let role = city.sites.contains { $0.unit == unit } ? "网站管理员" : "新媒体编辑"
                city.people.append(
                    SamplePerson(unit: unit, name: names[index % names.count], role: role, phone: phone, since: since, until: nil, handoverTo: nil))
            }
        }
        for unit in [Roster.environment.unit, "鸿溪市机关事务管理局"] {
            let kind = unit == Roster.environment.unit ? "网站" : "新媒体账号"
            city.plant(
                .unitStaffUnassigned, Target(kind: .unit, code: unit, name: unit), url: nil,
                note: "单位运营\(kind)，但人员表中没有任何责任人")
        }
        city.plant(
            .unitStaffUnassigned, Target(kind: .unit, code: Roster.housing.unit, name: Roster.housing.unit), url: nil,
            note: "责任人刘志强已于\(CityClock.isoDay(clock.daysAgo(31)))离岗，无交接记录，也无在岗责任人",
            detail: ["person": "刘志强"])
    }

    /// The rectification loop (issue 6) produces these from tickets, not from pages.
    private static func scenarios(_ city: CityBuilder) {
        city.plant(
            .unitRectificationOverdue, Target(kind: .unit, code: Roster.education.unit, name: Roster.education.unit), url: nil,
            note: "场景：市教育局的问题（公示页身份证号/手机号、Excel附件、3处“中华人民共合国”）在固定变体中均不整改；"
                + "单位不反馈，超过整改期限（否决项3个工作日、其他10个工作日）后复查，这些整改单逾期",
            scenario: true)
        city.plant(
            .unitRectificationReopened, Target(kind: .unit, code: Roster.health.unit, name: Roster.health.unit), url: nil,
            note: "场景：市卫健委对领导信箱答复（王建华病情）的整改单反馈“已整改”，但该页面在固定变体中仍未修改；"
                + "复查再次发现，整改单被重新打开（其余两处公示和Word附件在固定变体中已整改，复查后销号）",
            scenario: true)
    }
}
