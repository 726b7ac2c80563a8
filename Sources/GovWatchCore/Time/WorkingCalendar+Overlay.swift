import Foundation

extension WorkingCalendar {
    /// This calendar with `local`'s days laid over it: a day `local` lists replaces this
    /// calendar's entry for it. The covered years grow by `local`'s when the two ranges meet
    /// or overlap (a next year's notice entered before the shipped file has it).
    public func overlaid(with local: WorkingCalendar) -> WorkingCalendar {
        var merged = entries
        for (day, entry) in local.entries { merged[day] = entry }
        var covered = coveredYears ?? local.coveredYears
        if let mine = coveredYears, let theirs = local.coveredYears, theirs.lowerBound <= mine.upperBound + 1,
            mine.lowerBound <= theirs.upperBound + 1
        {
            covered = min(mine.lowerBound, theirs.lowerBound)...max(mine.upperBound, theirs.upperBound)
        }
        return WorkingCalendar(entries: merged, coveredYears: covered)
    }
}
