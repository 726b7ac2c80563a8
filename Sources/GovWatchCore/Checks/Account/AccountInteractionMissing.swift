/// `account.interaction.missing` (veto): the account has no effective interaction function.
///
/// Recorded by the inspector (the accounts file's `interaction` / 互动功能 column, `0`/`否`);
/// an account where nothing was recorded is not judged. `detail`: `platform`, `source`
/// (`inspector`).
public enum AccountInteractionMissing {
    public static let indicator = IndicatorID.accountInteractionMissing

    public static func check(_ evidence: AccountEvidence, indicators: IndicatorSet) -> Finding? {
        guard evidence.isPublishing, evidence.account.interaction == false else { return nil }
        return Finding(
            target: evidence.target, indicator: indicator, level: indicators.level(indicator), url: nil,
            detail: ["platform": .string(evidence.account.platform.rawValue), "source": "inspector"],
            evidence: "\(evidence.account.platform.chineseName)账号“\(evidence.account.name)”经检查无有效互动功能",
            locationKey: "interaction")
    }
}
