import Foundation

/// `account.closure.unfiled` (deduction): an account or app stopped or closed without a
/// filing (备案) with the supervising office within the required time, or a stopped app that
/// can still be downloaded.
///
/// The filing deadline is `filingDays` (30) days after the day the account was stopped or
/// closed (`AccountRecord.closedOn`, column `closed_on` / 停用注销日期):
/// - filed after the deadline: a finding saying how late;
/// - filed by the deadline: none;
/// - not filed (or filed only after the as-of day, which the inspection cannot have seen):
///   a finding once the deadline has passed, none before;
/// - the stop date unknown: a filing counts, the lack of one is a finding (there is no
///   deadline to wait for).
/// A stopped or closed app whose download URL still answers is a finding in any case.
///
/// `detail`: `status` (`stopped`/`closed`), `closureFiled` (date or null), `closedOn` (date
/// or null), `filingDays`, `deadline` (date or null), `daysLate` (days past the deadline of
/// a late filing or of a missing one, or null), `downloadable` (true when the download URL
/// still answers), `downloadURL`.
public enum AccountClosureUnfiled {
    public static let indicator = IndicatorID.accountClosureUnfiled

    public static func check(_ evidence: AccountEvidence, indicators: IndicatorSet) -> Finding? {
        let account = evidence.account
        guard account.status != .active else { return nil }
        let today = CalendarDate(evidence.asOf.addingTimeInterval(-0.001))
        let filingDays = Int(indicators.threshold(indicator, "filingDays", default: 30))
        let deadline = account.closedOn.map { $0.adding(days: filingDays) }
        // A filing dated after the as-of day had not been made at the as-of time.
        let filed = account.closureFiled.flatMap { $0 <= today ? $0 : nil }
        let stopped = "已\(account.status.chineseName)"
        let since = account.closedOn.map { "于\($0)\(account.status.chineseName)，" } ?? ""

        var reasons: [String] = []
        var daysLate: Int?
        switch (filed, deadline) {
        case (let filed?, let deadline?) where filed > deadline:
            let late = deadline.days(to: filed)
            daysLate = late
            reasons.append("\(since)\(filed)才向主管单位备案，超过\(filingDays)天的备案期限（截止\(deadline)）\(late)天")
        case (nil, let deadline?) where today > deadline:
            let late = deadline.days(to: today)
            daysLate = late
            reasons.append("\(since)至今未向主管单位备案，已超过\(filingDays)天的备案期限（截止\(deadline)）\(late)天")
        case (nil, nil):
            reasons.append("\(stopped)但未向主管单位备案")
        default:
            break
        }
        let downloadable = account.platform == .app && evidence.downloadStillAnswers == true
        if downloadable { reasons.append("\(stopped)但仍可通过 \(account.downloadURL ?? "") 下载") }
        guard !reasons.isEmpty else { return nil }
        return Finding(
            target: evidence.target, indicator: indicator, level: indicators.level(indicator), url: account.downloadURL,
            detail: [
                "status": .string(account.status.rawValue),
                "closureFiled": account.closureFiled.map { .string($0.description) } ?? .null,
                "closedOn": account.closedOn.map { .string($0.description) } ?? .null,
                "filingDays": .number(Double(filingDays)),
                "deadline": deadline.map { .string($0.description) } ?? .null,
                "daysLate": daysLate.map { .number(Double($0)) } ?? .null,
                "downloadable": .bool(downloadable), "downloadURL": account.downloadURL.map(JSONValue.string) ?? .null,
            ],
            evidence: "\(account.platform.chineseName)“\(account.name)”" + reasons.joined(separator: "；"),
            locationKey: "closure")
    }
}
