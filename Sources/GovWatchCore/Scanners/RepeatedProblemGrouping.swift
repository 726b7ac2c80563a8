/// Identical content errors repeated across pages, posts or documents, grouped with their count.
///
/// The quarterly notice calls out units that repeat the same error; grouping by the
/// wrong text (or the masked value) and kind makes "中华人民共合国 ×12 on 9 pages" one line.
public struct RepeatedProblem: Hashable, Sendable {
    public var kind: ContentProblem.Kind
    /// The wrong text or masked value shared by the occurrences.
    public var evidence: String
    public var suggestion: String
    /// Total occurrences.
    public var count: Int
    /// The distinct places (pages, posts, files) in first-seen order.
    public var sources: [String]
}

/// Groups problems found in many sources.
public enum RepeatedProblemGrouping {
    /// Groups `occurrences` (a source name and a problem found there) by kind and evidence;
    /// groups are ordered by count, largest first, then by first appearance.
    public static func group(_ occurrences: [(source: String, problem: ContentProblem)]) -> [RepeatedProblem] {
        struct Key: Hashable {
            var kind: ContentProblem.Kind
            var evidence: String
        }
        var order: [Key] = []
        var groups: [Key: RepeatedProblem] = [:]
        for (source, problem) in occurrences {
            // Spaces and invisible characters inside a wrong text do not make another error.
            let evidence = String(String.UnicodeScalarView(
                problem.evidence.unicodeScalars.filter { !ScalarClass.isIgnorableInTerm($0.value) }))
            let key = Key(kind: problem.kind, evidence: evidence)
            if var group = groups[key] {
                group.count += 1
                if !group.sources.contains(source) { group.sources.append(source) }
                groups[key] = group
            } else {
                order.append(key)
                groups[key] = RepeatedProblem(kind: problem.kind, evidence: evidence, suggestion: problem.suggestion, count: 1, sources: [source])
            }
        }
        let ordered = order.enumerated().map { (index: $0.offset, group: groups[$0.element]!) }
        return ordered
            .sorted { $0.group.count != $1.group.count ? $0.group.count > $1.group.count : $0.index < $1.index }
            .map(\.group)
    }
}
