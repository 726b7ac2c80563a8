import Foundation

/// Substring search on UTF-8 bytes.
///
/// Foundation's `String.range(of:)` / `contains(_:)` on Linux go through CFString with
/// Unicode folding, and the standard library's generic `Collection.firstRange(of:)` pays for
/// generic metadata on every comparison: each was in turn the crawler's top CPU cost
/// (benchmarks/results/crawl-analysis.md). The labels and markers searched for in page text
/// need exact matches only, so this compares bytes with `memchr`/`memcmp`.
extension StringProtocol {
    /// The first exact occurrence of `needle`, as a range of this string's indices.
    package func utf8Range(of needle: String, from start: Index? = nil) -> Range<Index>? {
        let from = start ?? startIndex
        let skipped = utf8.distance(from: utf8.startIndex, to: from)
        let found: Int?? = utf8.withContiguousStorageIfAvailable { haystack in
            var needle = needle
            return needle.withUTF8 { Self.firstOffset(of: $0, in: UnsafeBufferPointer(rebasing: haystack[skipped...])) }
        }
        if let found {
            guard let offset = found else { return nil }
            let lower = utf8.index(from, offsetBy: offset)
            return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
        }
        // Not contiguous UTF-8 (a bridged string): copy once.
        let bytes = Array(utf8[from...])
        var needle = needle
        guard let offset = bytes.withUnsafeBufferPointer({ haystack in needle.withUTF8 { Self.firstOffset(of: $0, in: haystack) } })
        else { return nil }
        let lower = utf8.index(from, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// Whether `needle` occurs exactly.
    package func utf8Contains(_ needle: String) -> Bool {
        utf8Range(of: needle) != nil
    }

    /// The byte offset of the first occurrence of `needle` in `haystack`.
    package static func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first else { return 0 }
        guard let base = haystack.baseAddress, let needleBase = needle.baseAddress, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        var position = 0
        while position <= last {
            guard let hit = memchr(base + position, Int32(first), last - position + 1) else { return nil }
            let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if memcmp(base + offset, needleBase, needle.count) == 0 { return offset }
            position = offset + 1
        }
        return nil
    }
}
