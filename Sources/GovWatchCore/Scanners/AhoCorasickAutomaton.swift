/// An Aho-Corasick automaton over folded Unicode scalars, built once and shared.
///
/// Matching all terms of a dictionary costs one pass over the text whatever the number
/// of terms. Scalars that occur in no pattern map to symbol 0 and send the automaton back
/// to the root without any lookup, which is what most characters of a page do. Symbols
/// of the Basic Multilingual Plane are looked up in a flat table.
struct AhoCorasickAutomaton: Sendable {
    /// One occurrence: pattern index and the range of scalar indices it covers in the
    /// scanned text (ignorable characters inside included).
    struct Match: Hashable {
        var pattern: Int
        var range: Range<Int>
    }

    /// Length (in folded, non-ignorable scalars) of every pattern.
    let patternLengths: [Int]
    private let maxPatternLength: Int
    /// Symbol of each BMP scalar (0 = in no pattern).
    private let bmpSymbols: [Int32]
    private let otherSymbols: [UInt32: Int32]
    /// Transitions of node `n` are `edgeSymbols/edgeTargets[edgeStart[n]..<edgeStart[n+1]]`, sorted by symbol.
    private let edgeStart: [Int32]
    private let edgeSymbols: [Int32]
    private let edgeTargets: [Int32]
    /// The root's complete transition table, indexed by symbol.
    private let rootTransitions: [Int32]
    private let failure: [Int32]
    /// The pattern ending at a node (-1 if none) and the next node on the failure chain that ends a pattern.
    private let nodePattern: [Int32]
    private let outputLink: [Int32]

    /// Builds the automaton; `patterns` are already folded and stripped of ignorable
    /// characters. Empty patterns are never matched.
    init(patterns: [[UInt32]]) {
        var symbolOf: [UInt32: Int32] = [:]
        for pattern in patterns {
            for scalar in pattern where symbolOf[scalar] == nil {
                symbolOf[scalar] = Int32(symbolOf.count + 1)
            }
        }
        let symbolCount = symbolOf.count + 1
        var bmp = [Int32](repeating: 0, count: 0x10000)
        var other: [UInt32: Int32] = [:]
        for (scalar, symbol) in symbolOf {
            if scalar < 0x10000 { bmp[Int(scalar)] = symbol } else { other[scalar] = symbol }
        }

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

        // Breadth-first failure links.
        let nodeCount = children.count
        var failure = [Int32](repeating: 0, count: nodeCount)
        var outputLink = [Int32](repeating: -1, count: nodeCount)
        var rootTransitions = [Int32](repeating: 0, count: symbolCount)
        var queue: [Int32] = []
        queue.reserveCapacity(nodeCount)
        for (symbol, child) in children[0] {
            rootTransitions[Int(symbol)] = child
            queue.append(child)
        }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for (symbol, child) in children[Int(node)] {
                var fallback = failure[Int(node)]
                while true {
                    if let next = children[Int(fallback)][symbol], next != child {
                        failure[Int(child)] = next
                        break
                    }
                    if fallback == 0 {
                        failure[Int(child)] = 0
                        break
                    }
                    fallback = failure[Int(fallback)]
                }
                let target = failure[Int(child)]
                outputLink[Int(child)] = terminal[Int(target)] >= 0 ? target : outputLink[Int(target)]
                queue.append(child)
            }
        }

        // Flatten transitions into sorted arrays.
        var edgeStart: [Int32] = [0]
        var edgeSymbols: [Int32] = []
        var edgeTargets: [Int32] = []
        for node in 0..<nodeCount {
            for (symbol, target) in children[node].sorted(by: { $0.key < $1.key }) {
                edgeSymbols.append(symbol)
                edgeTargets.append(target)
            }
            edgeStart.append(Int32(edgeSymbols.count))
        }

        self.patternLengths = patterns.map(\.count)
        self.maxPatternLength = max(patterns.map(\.count).max() ?? 1, 1)
        self.bmpSymbols = bmp
        self.otherSymbols = other
        self.edgeStart = edgeStart
        self.edgeSymbols = edgeSymbols
        self.edgeTargets = edgeTargets
        self.rootTransitions = rootTransitions
        self.failure = failure
        self.nodePattern = terminal
        self.outputLink = outputLink
    }

    @inline(__always)
    private func symbol(of scalar: UInt32) -> Int32 {
        scalar < 0x10000 ? bmpSymbols[Int(scalar)] : (otherSymbols[scalar] ?? 0)
    }

    @inline(__always)
    private func next(_ state: Int32, _ symbol: Int32) -> Int32 {
        var node = state
        while node != 0 {
            var low = Int(edgeStart[Int(node)])
            var high = Int(edgeStart[Int(node) + 1])
            while low < high {
                let middle = (low + high) >> 1
                let candidate = edgeSymbols[middle]
                if candidate == symbol { return edgeTargets[middle] }
                if candidate < symbol { low = middle + 1 } else { high = middle }
            }
            node = failure[Int(node)]
        }
        return rootTransitions[Int(symbol)]
    }

    /// Every occurrence of every pattern in `scalars[range]`, in order of their end.
    ///
    /// Scalars are folded (`ScalarClass.fold`); when `skipIgnorable` is set, spaces and
    /// zero-width characters are skipped, so a term matches across them, and the reported
    /// range still covers them in the original text.
    func matches(in scalars: [UInt32], range: Range<Int>? = nil, skipIgnorable: Bool = true) -> [Match] {
        var result: [Match] = []
        let bounds = range ?? 0..<scalars.count
        // Raw index of the last `maxPatternLength` consumed scalars, to find match starts.
        var recent = [Int](repeating: 0, count: maxPatternLength)
        var consumed = 0
        var state: Int32 = 0
        scalars.withUnsafeBufferPointer { buffer in
            for index in bounds {
                let raw = buffer[index]
                if skipIgnorable && ScalarClass.isIgnorableInTerm(raw) { continue }
                recent[consumed % maxPatternLength] = index
                consumed += 1
                let symbol = symbol(of: ScalarClass.fold(raw))
                if symbol == 0 {
                    state = 0
                    continue
                }
                state = next(state, symbol)
                var node = nodePattern[Int(state)] >= 0 ? state : outputLink[Int(state)]
                while node > 0 {
                    let pattern = Int(nodePattern[Int(node)])
                    let length = patternLengths[pattern]
                    let start = recent[(consumed - length) % maxPatternLength]
                    result.append(Match(pattern: pattern, range: start..<(index + 1)))
                    node = outputLink[Int(node)]
                }
            }
        }
        return result
    }
}
