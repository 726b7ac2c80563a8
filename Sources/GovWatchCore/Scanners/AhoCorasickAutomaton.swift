/// An Aho-Corasick automaton over folded Unicode scalars, built once and shared.
///
/// Matching all terms of a dictionary costs one pass over the text whatever the number
/// of terms. The layout is chosen so that a step costs about one random memory access:
///
/// - `symbolOfScalar` maps every BMP scalar straight to its symbol, with the folding
///   (full-width → ASCII, upper → lower case) already applied, so the text is never folded;
///   scalars in no pattern map to 0 and send the automaton back to the root (a bitmap,
///   `inAnyPattern`, answers that for most characters of a page without the table);
///   ignorable characters map to `ignorableSymbol`.
/// - The trie is a double-array: the child of node `n` by symbol `s` is in slot
///   `base[n] + s` when that slot's `check` is `n`, so following an edge is O(1) with no
///   search. A slot's record (8 bytes) holds the child's own `base` too, with two flags
///   (a pattern ends here; the failure link is the root), so the load that checks an edge
///   also brings what the next step needs. Failure links are in a second array, read only
///   when an edge is missing from a node deeper than the root's children.
/// - The root's children are in a dense table (`rootEntries`) with their bases: in
///   Chinese text the walk is mostly "one character in, fail back to the root, start again",
///   and that costs no access outside the first-level cache.
struct AhoCorasickAutomaton: Sendable {
    /// One occurrence: pattern index and the range of scalar indices it covers in the
    /// scanned text (ignorable characters inside included).
    struct Match: Hashable {
        var pattern: Int
        var range: Range<Int>
    }

    /// Length (in folded, non-ignorable scalars) of every pattern.
    let patternLengths: [Int]
    /// A power of two ≥ the longest pattern: the size of the ring of recent scalar positions.
    private let recentCapacity: Int
    /// Symbol of each BMP scalar, folding included (0 = in no pattern); 16 bits so the
    /// table (128 KiB) stays in the second-level cache.
    private let symbolOfScalar: [UInt16]
    /// One bit per BMP scalar: set when its symbol is not 0 (ignorable ones included). 8 KiB,
    /// so it stays in the first-level cache: for a small pattern set (the health conditions)
    /// most characters of a page are in no pattern, and this answers for them without
    /// touching the symbol table.
    private let inAnyPattern: [UInt64]
    /// Symbols of (folded) scalars outside the BMP.
    private let otherSymbols: [UInt32: Int32]
    /// The double-array trie, one 8-byte record per slot: the load that checks an edge
    /// also brings the child's base and flags, which the next step needs. 8 bytes rather
    /// than 16 with the failure link and output inside: the array is read at random once a
    /// character, and at half the size more of it stays in the caches (0.088 s against
    /// 0.092 s of CPU for 20 MB). A branch-free step (select the edge or the root's edge
    /// with conditional moves) was slower, 0.104 s: it chains every step on the load of
    /// the previous one, where a predicted branch lets the next character start early.
    private let slots: [Slot]
    /// By slot: the failure link and its node's `word`, for a missing edge.
    private let failures: [Failure]
    /// By slot: the first node on the failure chain (this one included) that ends a pattern,
    /// or 0; read only when the slot's `hasOutput` flag is set.
    private let firstOutput: [Int32]
    /// The root's complete transition table, indexed by symbol.
    private let rootEntries: [RootEntry]
    /// The pattern ending at a node (-1 if none).
    private let nodePattern: [Int32]
    /// The next node after `n` on its failure chain that ends a pattern, or 0.
    private let outputLink: [Int32]

    /// The root's child by one symbol (slot 0: none), with what the walk needs of it.
    struct RootEntry {
        var slot: Int32 = 0
        var word: UInt32 = 0
        var firstOutput: Int32 = 0
    }

    struct Slot {
        /// `word & baseMask` is the base: `base + symbol` is the slot of this node's child
        /// by `symbol`... The flags: `hasOutput`, `failsToRoot`.
        var word: UInt32 = 0
        /// ...when that slot's `check` is this node (-1: a free slot).
        var check: Int32 = -1
    }

    struct Failure {
        var node: Int32 = 0
        /// `slots[node].word`.
        var word: UInt32 = 0
    }

    private static let baseMask: UInt32 = (1 << 30) - 1
    /// Set in a node's word when a pattern ends at it or on its failure chain.
    private static let hasOutput: UInt32 = 1 << 31
    /// Set in a node's word when its failure link is the root (all the root's children):
    /// a missing edge then needs no load.
    private static let failsToRoot: UInt32 = 1 << 30

    /// Marks characters skipped inside terms (`ScalarClass.isIgnorableInTerm`) in `symbolOfScalar`.
    private static let ignorableSymbol: UInt16 = .max

    /// The most distinct (folded) characters the patterns may use: symbols are 16 bits, with
    /// 0 for "in no pattern" and `ignorableSymbol` taken.
    static let maximumDistinctCharacters = Int(ignorableSymbol) - 2

    /// The patterns use more than `maximumDistinctCharacters` distinct characters;
    /// `patternIndex` is the first pattern (in the order given) that brings the count past it.
    struct TooManyCharacters: Error, Hashable {
        var patternIndex: Int
    }

    /// Builds the automaton; `patterns` are already folded and stripped of ignorable
    /// characters. Empty patterns are never matched.
    ///
    /// - Throws: `TooManyCharacters` when the patterns use more distinct characters than the
    ///   16-bit symbol table holds (only a huge user dictionary can; it is reported, not a crash).
    init(patterns: [[UInt32]]) throws {
        // Symbols numbered by how often they occur in the patterns, so the frequent ones are
        // small numbers and the double-array packs tightly.
        var frequency: [UInt32: Int] = [:]
        for (index, pattern) in patterns.enumerated() {
            for scalar in pattern { frequency[scalar, default: 0] += 1 }
            if frequency.count > Self.maximumDistinctCharacters { throw TooManyCharacters(patternIndex: index) }
        }
        var symbolOf: [UInt32: Int32] = [:]
        for (rank, scalar) in frequency.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).map(\.key).enumerated() {
            symbolOf[scalar] = Int32(rank + 1)
        }
        let symbolCount = symbolOf.count + 1  // < ignorableSymbol, checked above

        // Raw BMP scalar → symbol of its folded form.
        var symbolOfScalar = [UInt16](repeating: 0, count: 0x10000)
        var other: [UInt32: Int32] = [:]
        for raw in 0..<UInt32(0x10000) {
            if ScalarClass.isIgnorableInTerm(raw) {
                symbolOfScalar[Int(raw)] = Self.ignorableSymbol
            } else if let symbol = symbolOf[ScalarClass.fold(raw)] {
                symbolOfScalar[Int(raw)] = UInt16(symbol)
            }
        }
        for (scalar, symbol) in symbolOf where scalar >= 0x10000 { other[scalar] = symbol }
        var inAnyPattern = [UInt64](repeating: 0, count: 0x10000 / 64)
        for raw in 0..<0x10000 where symbolOfScalar[raw] != 0 { inAnyPattern[raw >> 6] |= 1 << UInt64(raw & 63) }

        // Trie with dictionary children while building.
        var children: [[Int32: Int32]] = [[:]]
        var terminal: [Int32] = [-1]
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var node: Int32 = 0
            for scalar in pattern {
                let symbol = symbolOf[scalar]!
                if let next = children[Int(node)][symbol] {
                    node = next
                } else {
                    let next = Int32(children.count)
                    children.append([:])
                    terminal.append(-1)
                    children[Int(node)][symbol] = next
                    node = next
                }
            }
            if terminal[Int(node)] == -1 { terminal[Int(node)] = Int32(index) }
        }

        // Breadth-first failure links (in trie node numbers).
        let nodeCount = children.count
        var trieFailure = [Int32](repeating: 0, count: nodeCount)
        var trieOutputLink = [Int32](repeating: 0, count: nodeCount)
        var order: [Int32] = [0]
        order.reserveCapacity(nodeCount)
        var head = 0
        while head < order.count {
            let node = order[head]
            head += 1
            for (symbol, child) in children[Int(node)].sorted(by: { $0.key < $1.key }) {
                if node != 0 {
                    var fallback = trieFailure[Int(node)]
                    while true {
                        if let next = children[Int(fallback)][symbol] {
                            trieFailure[Int(child)] = next
                            break
                        }
                        if fallback == 0 { break }
                        fallback = trieFailure[Int(fallback)]
                    }
                }
                let target = trieFailure[Int(child)]
                trieOutputLink[Int(child)] = terminal[Int(target)] >= 0 ? target : trieOutputLink[Int(target)]
                order.append(child)
            }
        }

        // Place the nodes in the double-array, parents before children (breadth-first):
        // each node's children get the first base, trying free slots from the lowest up, at
        // which all their slots are free. After `maxAttempts` misses (nodes with many
        // children in a crowded region) they go past the last used slot instead, which
        // keeps building linear in the number of nodes at the cost of some empty slots.
        let maxAttempts = 1 << 14
        var slotOfNode = [Int32](repeating: -1, count: nodeCount)
        slotOfNode[0] = 0
        var base = [Int32](repeating: 0, count: nodeCount + symbolCount + 1)
        var check = [Int32](repeating: -1, count: base.count)
        check[0] = 0
        var firstFree = 1
        var usedEnd = 1
        // For an occupied slot, a slot at or before the next free one (path-compressed), so
        // that looking for free slots skips long occupied stretches in one or two steps.
        var skipTo = [Int](0..<check.count).map { $0 + 1 }
        func isFree(_ slot: Int) -> Bool { slot >= check.count || check[slot] == -1 }
        func freeSlot(from start: Int) -> Int {
            var slot = start
            while !isFree(slot) { slot = skipTo[slot] }
            var step = start
            while step < slot {
                let next = skipTo[step]
                skipTo[step] = slot
                step = next
            }
            return slot
        }
        func fits(_ candidate: Int, _ edges: [(key: Int32, value: Int32)]) -> Bool {
            edges.allSatisfy { isFree(candidate + Int($0.key)) }
        }
        for node in order {
            let edges = children[Int(node)].sorted(by: { $0.key < $1.key })
            guard !edges.isEmpty else { continue }
            firstFree = freeSlot(from: firstFree)
            let lowest = Int(edges[0].key)
            var candidate = -1
            var slot = max(firstFree, lowest + 1)
            for _ in 0..<maxAttempts {
                slot = freeSlot(from: slot)
                if fits(slot - lowest, edges) {
                    candidate = slot - lowest
                    break
                }
                slot += 1
            }
            if candidate < 0 { candidate = max(1, usedEnd - lowest) }
            let needed = candidate + Int(edges.last!.key) + 1
            if needed > check.count {
                base += [Int32](repeating: 0, count: needed - base.count + symbolCount)
                check += [Int32](repeating: -1, count: base.count - check.count)
                skipTo += (skipTo.count..<check.count).map { $0 + 1 }
            }
            usedEnd = max(usedEnd, needed)
            let parentSlot = slotOfNode[Int(node)]
            base[Int(parentSlot)] = Int32(candidate)
            for (symbol, child) in edges {
                let slot = candidate + Int(symbol)
                check[slot] = parentSlot
                slotOfNode[Int(child)] = Int32(slot)
            }
        }
        let slotCount = (check.lastIndex { $0 != -1 } ?? 0) + 1
        base.removeLast(base.count - slotCount)
        // Lookups read `check[base[n] + symbol]` for any symbol: pad so that never overflows.
        check.removeLast(check.count - slotCount)
        check += [Int32](repeating: -1, count: symbolCount + 1)
        base += [Int32](repeating: 0, count: symbolCount + 1)

        // Bases share their word with two flags. A dictionary would need about a billion
        // trie nodes (gigabytes of terms) to reach 2^30 slots.
        precondition(base.count <= Int(Self.baseMask), "dictionary too large for the automaton")
        var slots = [Slot](repeating: Slot(), count: base.count)
        var failures = [Failure](repeating: Failure(), count: base.count)
        var firstOutput = [Int32](repeating: 0, count: base.count)
        var nodePattern = [Int32](repeating: -1, count: base.count)
        var outputLink = [Int32](repeating: 0, count: base.count)
        for slot in 0..<base.count {
            slots[slot].word = UInt32(base[slot])
            slots[slot].check = check[slot]
        }
        for node in 0..<nodeCount {
            let slot = Int(slotOfNode[node])
            nodePattern[slot] = terminal[node]
            outputLink[slot] = slotOfNode[Int(trieOutputLink[node])]
        }
        for node in 1..<max(1, nodeCount) {
            let slot = Int(slotOfNode[node])
            firstOutput[slot] = nodePattern[slot] >= 0 ? Int32(slot) : outputLink[slot]
            if firstOutput[slot] != 0 { slots[slot].word |= Self.hasOutput }
            if trieFailure[node] == 0 { slots[slot].word |= Self.failsToRoot }
        }
        for node in 1..<max(1, nodeCount) {
            let slot = Int(slotOfNode[node])
            let failure = slotOfNode[Int(trieFailure[node])]
            failures[slot] = Failure(node: failure, word: slots[Int(failure)].word)
        }
        var rootEntries = [RootEntry](repeating: RootEntry(), count: symbolCount)
        for (symbol, child) in children[0] {
            let slot = slotOfNode[Int(child)]
            rootEntries[Int(symbol)] = RootEntry(slot: slot, word: slots[Int(slot)].word, firstOutput: firstOutput[Int(slot)])
        }

        self.patternLengths = patterns.map(\.count)
        var capacity = 1
        while capacity < (patterns.map(\.count).max() ?? 1) { capacity <<= 1 }
        self.recentCapacity = capacity
        self.symbolOfScalar = symbolOfScalar
        self.inAnyPattern = inAnyPattern
        self.otherSymbols = other
        self.slots = slots
        self.failures = failures
        self.firstOutput = firstOutput
        self.rootEntries = rootEntries
        self.nodePattern = nodePattern
        self.outputLink = outputLink
    }

    /// Every occurrence of every pattern in `scalars[range]`, in order of their end.
    ///
    /// Scalars are folded (`ScalarClass.fold`); when `skipIgnorable` is set, spaces and
    /// zero-width characters are skipped, so a term matches across them, and the reported
    /// range still covers them in the original text.
    func matches(in scalars: [UInt32], range: Range<Int>? = nil, skipIgnorable: Bool = true) -> [Match] {
        var result: [Match] = []
        let bounds = range ?? 0..<scalars.count
        // Raw index of the last consumed scalars (a ring), to find where a match starts.
        var recent = [Int](repeating: 0, count: recentCapacity)
        let recentMask = recentCapacity - 1
        var consumed = 0
        // The current node and its word (base and flags).
        var state: Int32 = 0
        var stateWord: UInt32 = 0
        scalars.withUnsafeBufferPointer { text in
            symbolOfScalar.withUnsafeBufferPointer { symbolOfScalar in
            inAnyPattern.withUnsafeBufferPointer { inAnyPattern in
            slots.withUnsafeBufferPointer { slots in
            failures.withUnsafeBufferPointer { failures in
            firstOutput.withUnsafeBufferPointer { firstOutput in
            rootEntries.withUnsafeBufferPointer { rootEntries in
            recent.withUnsafeMutableBufferPointer { recent in
                for index in bounds {
                    let raw = text[index]
                    var symbol: Int32
                    if raw < 0x10000 {
                        if inAnyPattern[Int(raw >> 6)] & (1 << UInt64(raw & 63)) == 0 {
                            state = 0
                            continue
                        }
                        let tableSymbol = symbolOfScalar[Int(raw)]
                        if tableSymbol == Self.ignorableSymbol {
                            if skipIgnorable { continue }
                            symbol = 0
                        } else {
                            symbol = Int32(tableSymbol)
                        }
                    } else {
                        symbol = otherSymbols[raw] ?? 0
                    }
                    if symbol == 0 {
                        // No match spans this scalar, so it needs no place in `recent`.
                        state = 0
                        continue
                    }
                    recent[consumed & recentMask] = index
                    consumed += 1
                    // Follow failure links until a node has an edge for `symbol`; the root has them all.
                    var node: Int32 = 0  // the first node ending a pattern, after the step
                    var moved = false
                    while state != 0 {
                        let child = Int32(bitPattern: stateWord & Self.baseMask) + symbol
                        let record = slots[Int(child)]
                        if record.check == state {
                            state = child
                            stateWord = record.word
                            if stateWord & Self.hasOutput != 0 { node = firstOutput[Int(child)] }
                            moved = true
                            break
                        }
                        if stateWord & Self.failsToRoot != 0 { break }
                        let failure = failures[Int(state)]
                        state = failure.node
                        stateWord = failure.word
                    }
                    if !moved {
                        let entry = rootEntries[Int(symbol)]
                        state = entry.slot
                        stateWord = entry.word
                        node = entry.firstOutput
                    }
                    while node > 0 {
                        let pattern = Int(nodePattern[Int(node)])
                        let start = recent[(consumed - patternLengths[pattern]) & recentMask]
                        result.append(Match(pattern: pattern, range: start..<(index + 1)))
                        node = outputLink[Int(node)]
                    }
                }
            }
            }
            }
            }
            }
            }
            }
        }
        return result
    }
}
