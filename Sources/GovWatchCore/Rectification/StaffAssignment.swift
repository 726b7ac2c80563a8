import Foundation

/// `unit.staff.unassigned`: a unit that runs a site or account with no responsible person on
/// record, or whose responsible person left without a handover record (交接).
///
/// The people file names persons per unit, so the finding's target is the unit; the sites and
/// accounts it runs are listed in `detail`. One finding per unit (location key `staff`), so the
/// same gap stays one ticket while its facts change.
///
/// `detail`: `reason` (`none`: nobody on record now; `no-handover`: someone left without a
/// handover), `person`/`left` for the first such person, `people` for all of them, `targets`.
public enum StaffAssignment {
    /// - Parameters:
    ///   - runs: per unit, the sites and accounts it runs (only these units are checked).
    ///   - people: every person on record.
    ///   - day: the day the check is made for (the as-of day).
    public static func findings(runs: [String: [Target]], people: [PersonRecord], on day: CalendarDate, indicators: IndicatorSet)
        -> [Finding]
    {
        let byUnit = Dictionary(grouping: people, by: \.unit)
        var findings: [Finding] = []
        for (unit, targets) in runs.sorted(by: { $0.key < $1.key }) where !targets.isEmpty {
            let persons = byUnit[unit] ?? []
            let current = persons.filter { person in
                (person.since.map { $0 <= day } ?? true) && (person.until.map { $0 > day } ?? true)
            }
            // Left (离岗 on or before the day) and nobody named to take over.
            let leftWithoutHandover = persons.filter { person in
                guard let until = person.until, until <= day else { return false }
                return (person.handoverTo ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            }
            .sorted { ($0.until!, $0.name) < ($1.until!, $1.name) }
            let names = targets.map(\.name).sorted()
            var detail: [String: JSONValue] = ["targets": .array(names.map { .string($0) })]
            let evidence: String
            if let first = leftWithoutHandover.first {
                detail["reason"] = "no-handover"
                detail["person"] = .string(first.name)
                detail["left"] = .string(first.until!.description)
                detail["people"] = .array(leftWithoutHandover.map { .string($0.name) })
                evidence = "责任人\(leftWithoutHandover.map(\.name).joined(separator: "、"))已离岗，无交接记录"
                    + (current.isEmpty ? "，目前无在岗责任人" : "")
            } else if current.isEmpty {
                detail["reason"] = "none"
                evidence = "运营\(names.joined(separator: "、"))，人员表中没有在岗责任人"
            } else {
                continue
            }
            findings.append(
                Finding(
                    target: Target(kind: .unit, code: unit, name: unit), indicator: .unitStaffUnassigned,
                    level: indicators.level(.unitStaffUnassigned), detail: .object(detail), evidence: evidence,
                    locationKey: "staff"))
        }
        return findings
    }
}
