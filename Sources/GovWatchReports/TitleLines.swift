/// Breaks a document title into lines the way GB/T 9704-2012 asks (标题回行时，要做到词意完整，
/// 排列对称，长短适宜): whole words on each line, lines of similar length, never a lone
/// 的通报 on the last line.
enum TitleLines {
    /// Splits `title` into the fewest lines of at most `maximumWidth` characters (CJK one,
    /// ASCII half) that keep words whole, preferring breaks before 关于 and after 季度, 年度,
    /// 月 and conjunctions, and balancing the lengths.
    static func split(_ title: String, maximumWidth: Double) -> [String] {
        let characters = Array(title)
        let widths = characters.map { $0.isASCII ? 0.5 : 1.0 }
        let total = widths.reduce(0, +)
        guard total > maximumWidth, characters.count > 1 else { return [title] }

        // Cost of a break before characters[i].
        func breakCost(_ i: Int) -> Double? {
            let before = String(characters[..<i])
            let after = String(characters[i...])
            if characters[i - 1].isASCII && characters[i].isASCII { return nil }  // inside 2022, ICP…
            if "，。、；：）》〉”".contains(characters[i]) { return nil }  // punctuation never starts a line
            if "（《〈“".contains(characters[i - 1]) { return nil }
            if after.hasPrefix("关于") { return 0 }
            for word in ["季度", "年度", "半年", "月份", "工作"] where before.hasSuffix(word) { return 0.5 }
            for word in ["和", "及", "与", "、", "）", "》", "〉"] where before.hasSuffix(word) { return 1 }
            for word in ["网站", "媒体", "系统", "全市", "全省", "全县", "情况", "问题"] where before.hasSuffix(word) { return 1.5 }
            if after.hasPrefix("的") { return 3 }
            return 6
        }

        func best(lines: Int) -> (cost: Double, breaks: [Int])? {
            let average = total / Double(lines)
            var prefix = [0.0]
            for width in widths { prefix.append(prefix.last! + width) }
            // cost[k][i]: best cost of putting characters[..<i] on k lines.
            let n = characters.count
            var cost = Array(repeating: Array(repeating: Double.infinity, count: n + 1), count: lines + 1)
            var from = Array(repeating: Array(repeating: -1, count: n + 1), count: lines + 1)
            cost[0][0] = 0
            for k in 1...lines {
                for i in 1...n {
                    if k == lines && i != n { continue }
                    let penalty: Double
                    if i == n {
                        penalty = 0
                    } else if let c = breakCost(i) {
                        penalty = c
                    } else {
                        continue
                    }
                    for j in 0..<i where cost[k - 1][j] < .infinity {
                        let width = prefix[i] - prefix[j]
                        guard width <= maximumWidth else { continue }
                        let deviation = (width - average) / average
                        let shortLast = (i == n && width < average * 0.5) ? 8.0 : 0
                        let value = cost[k - 1][j] + penalty + deviation * deviation * 12 + shortLast
                        if value < cost[k][i] {
                            cost[k][i] = value
                            from[k][i] = j
                        }
                    }
                }
            }
            guard cost[lines][n] < .infinity else { return nil }
            var breaks: [Int] = []
            var i = n
            var k = lines
            while k > 0 {
                breaks.append(i)
                i = from[k][i]
                k -= 1
            }
            return (cost[lines][n], breaks.reversed())
        }

        let minimum = Int((total / maximumWidth).rounded(.up))
        var choice: (cost: Double, breaks: [Int])?
        for lines in minimum...(minimum + 1) {
            guard let candidate = best(lines: lines) else { continue }
            let cost = candidate.cost + Double(lines - minimum) * 3
            if choice == nil || cost < choice!.cost { choice = (cost, candidate.breaks) }
        }
        guard let breaks = choice?.breaks else { return [title] }
        var lines: [String] = []
        var start = 0
        for end in breaks {
            lines.append(String(characters[start..<end]))
            start = end
        }
        return lines
    }
}
