import Foundation

/// Substring search on UTF-8 bytes.
///
/// Foundation's `String.range(of:)` / `contains(_:)` on Linux go through CFString with
/// Unicode folding, and the standard library's generic `Collection.firstRange(of:)` pays for
/// generic metadata on every comparison: each was in turn the crawler's top CPU cost
/// (benchmarks/results/crawl-analysis.md). The labels and markers searched for in page text
/// need exact matches only, so this compares bytes (`memchr` to find candidates, `memcmp`
/// to confirm them; see `UTF8Search`).
///
/// `String` and `Substring` have their own overloads: the generic `StringProtocol` version
/// reaches the bytes through `withContiguousStorageIfAvailable`, an unspecialised protocol
/// witness across the module boundary that cost more than the search itself.
extension String {
    /// The first exact occurrence of `needle`, as a range of this string's indices (a
    /// substring shares its base's indices, so the `Substring` search answers).
    package func utf8Range(of needle: String, from start: Index? = nil) -> Range<Index>? {
        self[...].utf8Range(of: needle, from: start)
    }

    /// Whether `needle` occurs exactly.
    package func utf8Contains(_ needle: String) -> Bool {
        self[...].utf8Contains(needle)
    }
}

extension Substring {
    /// The first exact occurrence of `needle`, as a range of this string's indices.
    package func utf8Range(of needle: String, from start: Index? = nil) -> Range<Index>? {
        let skipped = start.map { utf8.distance(from: utf8.startIndex, to: $0) } ?? 0
        var haystack = self
        let found = haystack.withUTF8 { bytes in
            UTF8Search.firstOffset(of: needle, in: UnsafeBufferPointer(rebasing: bytes[skipped...]))
        }
        guard let found else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: skipped + found)
        return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// Whether `needle` occurs exactly.
    package func utf8Contains(_ needle: String) -> Bool {
        var haystack = self
        return haystack.withUTF8 { UTF8Search.firstOffset(of: needle, in: $0) } != nil
    }
}

extension StringProtocol {
    /// The first exact occurrence of `needle`, as a range of this string's indices
    /// (other string types; `String` and `Substring` use their own overloads).
    package func utf8Range(of needle: String, from start: Index? = nil) -> Range<Index>? {
        let from = start ?? startIndex
        let bytes = Array(utf8[from...])
        guard let offset = bytes.withUnsafeBufferPointer({ UTF8Search.firstOffset(of: needle, in: $0) }) else { return nil }
        let lower = utf8.index(from, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// Whether `needle` occurs exactly.
    package func utf8Contains(_ needle: String) -> Bool {
        utf8Range(of: needle) != nil
    }
}

/// Byte-level exact search.
enum UTF8Search {
    /// Whether `needle` occurs in `bytes[range]`.
    static func contains(_ needle: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Bool {
        guard range.count >= needle.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            needle.withUnsafeBufferPointer { pattern in
                firstOffset(of: pattern, in: UnsafeBufferPointer(rebasing: all[range])) != nil
            }
        }
    }

    /// The byte offset of the first occurrence of `needle` in `haystack`.
    ///
    /// Scans with `memchr` for the needle's last continuation byte rather than its first
    /// byte: a Chinese needle starts with a lead byte (0xE4–0xE9) that occurs every few bytes
    /// of Chinese text, so a first-byte scan would stop and compare at almost every
    /// character, while a continuation byte takes one of 64 values. (glibc's `memmem` is not
    /// visible to Swift without `_GNU_SOURCE`.)
    static func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !needle.isEmpty else { return 0 }
        guard let base = haystack.baseAddress, let needleBase = needle.baseAddress, haystack.count >= needle.count else { return nil }
        var anchor = needle.count - 1
        while anchor > 0, needle[anchor] & 0xC0 != 0x80 { anchor -= 1 }
        if needle[anchor] & 0xC0 != 0x80 { anchor = needle.count - 1 } // ASCII: the last byte
        let anchorByte = Int32(needle[anchor])
        // Candidate starts run from 0 to `last`; the anchor byte sits `anchor` bytes in.
        let last = haystack.count - needle.count
        var position = 0
        while position <= last {
            guard let hit = memchr(base + position + anchor, anchorByte, last - position + 1) else { return nil }
            let start = (UnsafeRawPointer(hit) - UnsafeRawPointer(base)) - anchor
            if memcmp(base + start, needleBase, needle.count) == 0 { return start }
            position = start + 1
        }
        return nil
    }

    /// `firstOffset` for a `String` needle (its bytes are contiguous for native strings,
    /// which every literal and page string is).
    static func firstOffset(of needle: String, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        var needle = needle
        return needle.withUTF8 { firstOffset(of: $0, in: haystack) }
    }

    /// The start offsets of every non-overlapping occurrence of `needle`, in order.
    static func offsets(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> [Int] {
        var result: [Int] = []
        var position = 0
        while position < haystack.count,
              let found = firstOffset(of: needle, in: UnsafeBufferPointer(rebasing: haystack[position...])) {
            result.append(position + found)
            position += found + max(needle.count, 1)
        }
        return result
    }
}
