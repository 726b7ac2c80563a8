/// Every `account.*` indicator over the accounts of one inspection.
public enum AccountChecks {
    /// Findings for each account in `evidence`, then the per-unit duplicate findings over
    /// `registry` (every registered account, so a duplicate is seen even when only some
    /// accounts were inspected).
    public static func run(
        _ evidence: [AccountEvidence], registry: [AccountRecord], indicators: IndicatorSet, scanner: ContentScanner
    ) -> [Finding] {
        var findings: [Finding] = []
        for account in evidence.sorted(by: { ($0.account.platform.rawValue, $0.account.id) < ($1.account.platform.rawValue, $1.account.id) }) {
            if let finding = AccountStale.check(account, indicators: indicators) { findings.append(finding) }
            if let finding = AccountZombie.check(account, indicators: indicators) { findings.append(finding) }
            findings += AccountContent.check(account, scanner: scanner).map { leveled($0, indicators) }
            if let finding = AccountInteractionMissing.check(account, indicators: indicators) { findings.append(finding) }
            if let finding = AccountClosureUnfiled.check(account, indicators: indicators) { findings.append(finding) }
        }
        let inspectedUnits = Set(evidence.map(\.account.unit))
        findings += AccountDuplicate.check(accounts: registry.filter { inspectedUnits.contains($0.unit) }, indicators: indicators)
        return findings
    }

    /// The indicator set decides levels (a province may make privacy a veto).
    static func leveled(_ finding: Finding, _ indicators: IndicatorSet) -> Finding {
        var finding = finding
        finding.level = indicators.level(finding.indicator)
        return finding
    }
}
