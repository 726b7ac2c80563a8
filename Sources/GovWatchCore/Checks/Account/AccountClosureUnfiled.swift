import Foundation

/// `account.closure.unfiled` (deduction): an account or app stopped or closed without a
/// filing (备案), or a stopped app that can still be downloaded.
///
/// `detail`: `status` (`stopped`/`closed`), `closureFiled` (date or null), `downloadable`
/// (true when the download URL still answers), `downloadURL`.
public enum AccountClosureUnfiled {
    public static let indicator = IndicatorID.accountClosureUnfiled

    public static func check(_ evidence: AccountEvidence, indicators: IndicatorSet) -> Finding? {
        let account = evidence.account
        guard account.status != .active else { return nil }
        let unfiled = account.closureFiled == nil
        let downloadable = account.platform == .app && evidence.downloadStillAnswers == true
        guard unfiled || downloadable else { return nil }
        var reasons: [String] = []
        if unfiled { reasons.append("已\(account.status.chineseName)但未向主管单位备案") }
        if downloadable { reasons.append("已\(account.status.chineseName)但仍可通过 \(account.downloadURL ?? "") 下载") }
        return Finding(
            target: evidence.target, indicator: indicator, level: indicators.level(indicator), url: account.downloadURL,
            detail: [
                "status": .string(account.status.rawValue),
                "closureFiled": account.closureFiled.map { .string($0.description) } ?? .null,
                "downloadable": .bool(downloadable), "downloadURL": account.downloadURL.map(JSONValue.string) ?? .null,
            ],
            evidence: "\(account.platform.chineseName)“\(account.name)”" + reasons.joined(separator: "；"),
            locationKey: "closure")
    }
}
