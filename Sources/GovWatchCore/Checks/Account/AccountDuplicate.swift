/// `account.duplicate` (deduction): a unit runs more than one active account on one platform.
///
/// The notice asks units to concentrate on their registered main account; every other
/// active account of the unit on the same platform dilutes it. One finding per unit and
/// platform, targeting the unit. `detail`: `platform`, `accounts` (ids, sorted), `main` (the
/// main account's id, or null when none is registered).
public enum AccountDuplicate {
    public static let indicator = IndicatorID.accountDuplicate

    public static func check(accounts: [AccountRecord], indicators: IndicatorSet) -> [Finding] {
        let active = accounts.filter { $0.status == .active }
        let groups = Dictionary(grouping: active) { UnitPlatform(unit: $0.unit, platform: $0.platform) }
        return groups.filter { $0.value.count > 1 }
            .sorted { ($0.key.unit, $0.key.platform.rawValue) < ($1.key.unit, $1.key.platform.rawValue) }
            .map { key, accounts in
                let sorted = accounts.sorted { $0.id < $1.id }
                let main = sorted.first(where: \.main)
                let others = sorted.filter { !$0.main }
                let names = others.map { "“\($0.name)”" }.joined(separator: "、")
                let lead = main.map { "除主账号“\($0.name)”外，" } ?? "未登记主账号，"
                return Finding(
                    target: Target(kind: .unit, code: key.unit, name: key.unit), indicator: indicator,
                    level: indicators.level(indicator), url: nil,
                    detail: [
                        "platform": .string(key.platform.rawValue), "accounts": .array(sorted.map { .string($0.id) }),
                        "main": main.map { .string($0.id) } ?? .null,
                    ],
                    evidence: "\(key.unit)在\(key.platform.chineseName)平台\(lead)还运营\(others.count)个账号：\(names)",
                    locationKey: key.platform.rawValue)
            }
    }

    private struct UnitPlatform: Hashable {
        var unit: String
        var platform: Platform
    }
}
