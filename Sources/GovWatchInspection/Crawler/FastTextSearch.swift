/// Substring search on UTF-8 bytes.
///
/// Foundation's `String.range(of:)` / `contains(_:)` on Linux go through CFString with
/// Unicode folding and were the crawler's top CPU cost (benchmarks/results/crawl-analysis.md);
/// the labels and markers searched for in page text need exact matches only.
extension StringProtocol {
    /// The first exact occurrence of `needle`, as a range of this string's indices.
    func utf8Range(of needle: String, from start: Index? = nil) -> Range<Index>? {
        let haystack = utf8[(start ?? startIndex)...]
        guard let range = haystack.firstRange(of: needle.utf8) else { return nil }
        return range.lowerBound..<range.upperBound
    }

    /// Whether `needle` occurs exactly.
    func utf8Contains(_ needle: String) -> Bool {
        utf8.firstRange(of: needle.utf8) != nil
    }
}
