import Foundation
import GovWatchCore
import Testing

@testable import GovWatchServer

@Suite("SVG charts and evidence highlighting")
struct SVGChartTests {
    @Test func labelsAndTitlesAreEscaped() {
        let svg = SVGChart.percentBars(title: "<script>alert(1)</script>", rows: [(label: "A&B \"单位\"", value: 50, note: "1/2 <b>")])
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(svg.contains("A&amp;B &quot;单位&quot;"))
        #expect(svg.contains("1/2 &lt;b&gt;"))
        #expect(!svg.contains("<b>"))
    }

    @Test func escapeDropsControlCharactersXMLForbids() {
        #expect(SVGChart.escape("a\u{0}b\u{7}c'") == "abc&#39;")
        #expect(SVGChart.escape("第一行\n第二行") == "第一行\n第二行")
    }

    @Test func linearScaleMapsClampsAndRunsBackwards() {
        let x = SVGChart.LinearScale(domain: 0...100, range: (40, 240))
        #expect(x(0) == 40)
        #expect(x(50) == 140)
        #expect(x(100) == 240)
        #expect(x(150) == 240)
        #expect(x(-5) == 40)
        let y = SVGChart.LinearScale(domain: 0...100, range: (200, 0))
        #expect(y(25) == 150)
        // An empty domain puts everything at the start instead of dividing by zero.
        let flat = SVGChart.LinearScale(domain: 5...5, range: (10, 20))
        #expect(flat(5) == 10)
        #expect(flat(.nan) == 10)
    }

    @Test func percentLinesDrawOnePointPerValueAndBreakAtGaps() {
        let svg = SVGChart.percentLines(
            title: "走势", labels: ["03-01", "03-15", "03-31"],
            series: [SVGChart.Series(name: "网站", color: "#123456", values: [50, nil, 100])])
        // Two values: two points, and no line across the missing middle value.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)
        #expect(!svg.contains("<polyline"))
        #expect(svg.contains("03-15"))
        #expect(svg.contains("网站：100.0%"))
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
    }

    @Test func probeStripMarksEveryProbeFailuresInRedWithTheTimeoutLine() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var marks: [SVGChart.Mark] = []
        for index in 0..<6 {
            let failed = index == 3
            let at = start.addingTimeInterval(Double(index) * 3_600)
            marks.append(SVGChart.Mark(at: at, value: failed ? 15 : 0.4, failed: failed, note: failed ? "失败：<超时>" : "正常"))
        }
        let svg = SVGChart.probeStrip(
            title: "可用性", marks: marks, from: start, to: start.addingTimeInterval(6 * 3_600), threshold: 15,
            thresholdLabel: "15s", dayLabels: [])
        #expect(svg.components(separatedBy: "<circle").count - 1 == 5)
        #expect(svg.components(separatedBy: ##"fill="#b42318"><title>"##).count - 1 == 1)
        #expect(svg.contains("stroke-dasharray"))
        #expect(svg.contains("失败：&lt;超时&gt;"))
    }

    @Test func evidenceIsSplitAroundTheProblemInItsBrackets() {
        let parts = EvidenceHighlight.parts(
            of: "严重表述错误：…<b>学习</b>【习近平新时期】中国特色…（应为“习近平新时代”）", detail: ["wrong": "习近平新时期"])
        #expect(
            parts == [
                EvidencePart(text: "严重表述错误：…<b>学习</b>", marked: false), EvidencePart(text: "习近平新时期", marked: true),
                EvidencePart(text: "中国特色…（应为“习近平新时代”）", marked: false),
            ])
    }

    @Test func evidenceWithoutBracketsIsSearchedForTheDetailTerm() {
        let parts = EvidenceHighlight.parts(of: "联系电话 138****5678 请勿外传", detail: ["masked": "138****5678"])
        #expect(parts.map(\.marked) == [false, true, false])
        #expect(parts[1].text == "138****5678")
        // Nothing to mark: the evidence as one plain part; no evidence: no parts.
        #expect(EvidenceHighlight.parts(of: "首页超过2周未更新", detail: [:]) == [EvidencePart(text: "首页超过2周未更新", marked: false)])
        #expect(EvidenceHighlight.parts(of: nil, detail: [:]).isEmpty)
    }
}
