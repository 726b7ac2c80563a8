import Foundation

/// Charts drawn by the server as inline SVG: no script, no asset from another host, and
/// presentation attributes only (the Content-Security-Policy forbids inline `style`).
///
/// Every text that goes into the SVG (labels, series names, tooltips) passes through
/// ``escape(_:)``, so the result can be placed in a page unescaped (`{{{chart}}}`) even
/// when a label comes from the registry.
public enum SVGChart {
    /// A linear map from a data domain onto a pixel range (the range may run backwards, as
    /// a y axis does: larger values higher up, i.e. smaller y).
    public struct LinearScale: Sendable, Equatable {
        public var domain: ClosedRange<Double>
        public var range: (Double, Double)

        public init(domain: ClosedRange<Double>, range: (Double, Double)) {
            self.domain = domain
            self.range = range
        }

        /// The pixel position of `value`; values outside the domain are clamped to it, and an
        /// empty domain maps everything to the start of the range.
        public func callAsFunction(_ value: Double) -> Double {
            let width = domain.upperBound - domain.lowerBound
            guard width > 0, value.isFinite else { return range.0 }
            let clamped = min(max(value, domain.lowerBound), domain.upperBound)
            return range.0 + (clamped - domain.lowerBound) / width * (range.1 - range.0)
        }

        public static func == (lhs: LinearScale, rhs: LinearScale) -> Bool {
            lhs.domain == rhs.domain && lhs.range == rhs.range
        }
    }

    /// One line of a line chart: values in the order of the chart's labels (nil: no value
    /// for that label, the line is broken there).
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public var values: [Double?]

        public init(name: String, color: String, values: [Double?]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    /// One mark of a strip chart: when, how high, whether it failed, and what a tooltip says.
    public struct Mark: Sendable {
        public var at: Date
        public var value: Double
        public var failed: Bool
        public var note: String

        public init(at: Date, value: Double, failed: Bool, note: String) {
            self.at = at
            self.value = value
            self.failed = failed
            self.note = note
        }
    }

    /// The palette the pages use (sober, distinguishable in print).
    public static let palette = ["#1d4e89", "#a61b1b", "#1f7a3a", "#b7791f", "#5b3f8c", "#2c7a7b", "#6b7280"]
    static let failureColor = "#b42318"
    static let okColor = "#1f7a3a"
    static let gridColor = "#d9e2ec"
    static let inkColor = "#52606d"

    /// Escapes text for SVG (XML) content and attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                // Control characters are not allowed in XML 1.0 text.
                if character.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\t" }) {
                    escaped.append(character)
                }
            }
        }
        return escaped
    }

    /// A number as an SVG coordinate: at most one decimal, no exponent.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.1f", rounded)
    }

    /// A line chart of percentages (0–100) over labelled points (runs), with a legend.
    public static func percentLines(title: String, labels: [String], series: [Series], width: Double = 900, height: Double = 280)
        -> String
    {
        let left = 50.0, right = 16.0, top = 16.0, bottom = 50.0
        let x = LinearScale(domain: 0...Double(max(labels.count - 1, 1)), range: (left, width - right))
        let y = LinearScale(domain: 0...100, range: (height - bottom, top))
        var svg = header(title: title, width: width, height: height)
        for tick in stride(from: 0.0, through: 100.0, by: 25.0) {
            svg += ##"<line x1="\##(number(left))" x2="\##(number(width - right))" y1="\##(number(y(tick)))" y2="\##(number(y(tick)))" stroke="\##(gridColor)"/>"##
            svg += ##"<text x="\##(number(left - 6))" y="\##(number(y(tick) + 4))" text-anchor="end" font-size="13" fill="\##(inkColor)">\##(Int(tick))%</text>"##
        }
        for (index, label) in labels.enumerated() {
            let position = labels.count == 1 ? (left + width - right) / 2 : x(Double(index))
            // The first and last labels align inward so they are not cut at the edges.
            let anchor = labels.count == 1 ? "middle" : index == 0 ? "start" : index == labels.count - 1 ? "end" : "middle"
            svg += ##"<text x="\##(number(position))" y="\##(number(height - bottom + 18))" text-anchor="\##(anchor)" font-size="13" fill="\##(inkColor)">\##(escape(label))</text>"##
        }
        for line in series {
            var segments: [[(Double, Double, Double)]] = [[]]
            for (index, value) in line.values.enumerated() {
                guard let value else {
                    segments.append([])
                    continue
                }
                let position = labels.count == 1 ? (left + width - right) / 2 : x(Double(index))
                segments[segments.count - 1].append((position, y(value), value))
            }
            let color = escape(line.color)
            for segment in segments where segment.count > 1 {
                let points = segment.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ")
                svg += ##"<polyline points="\##(points)" fill="none" stroke="\##(color)" stroke-width="2"/>"##
            }
            for segment in segments {
                for point in segment {
                    svg += ##"<circle cx="\##(number(point.0))" cy="\##(number(point.1))" r="3.5" fill="\##(color)"><title>\##(escape(line.name))：\##(String(format: "%.1f", point.2))%</title></circle>"##
                }
            }
        }
        // Legend below the axis labels.
        var legendX = left
        for line in series {
            svg += ##"<rect x="\##(number(legendX))" y="\##(number(height - 15))" width="12" height="12" fill="\##(escape(line.color))"/>"##
            svg += ##"<text x="\##(number(legendX + 16))" y="\##(number(height - 4))" font-size="13" fill="\##(inkColor)">\##(escape(line.name))</text>"##
            legendX += 30 + labelWidth(line.name, fontSize: 13)
        }
        return svg + "</svg>"
    }

    /// Horizontal bars of percentages (0–100), one per labelled row, with the value written.
    ///
    /// Drawn at about the size it is shown (the overview puts it beside the table, half the
    /// page): a wider drawing scaled down into that column made its labels unreadably small.
    /// The label column is as wide as the longest label at the font size.
    public static func percentBars(title: String, rows: [(label: String, value: Double, note: String)], width: Double = 500)
        -> String
    {
        let rowHeight = 32.0, right = 64.0, top = 6.0, fontSize = 14.0, barHeight = 20.0
        let longest = rows.map { labelWidth($0.label, fontSize: fontSize) }.max() ?? 0
        let left = min(max(longest + 12, 60), width * 0.45)
        let height = top * 2 + rowHeight * Double(max(rows.count, 1))
        let x = LinearScale(domain: 0...100, range: (left, width - right))
        var svg = header(title: title, width: width, height: height)
        for (index, row) in rows.enumerated() {
            let rowTop = top + Double(index) * rowHeight
            let baseline = rowTop + rowHeight / 2 + fontSize * 0.35
            let barTop = rowTop + (rowHeight - barHeight) / 2
            svg += ##"<text x="\##(number(left - 8))" y="\##(number(baseline))" text-anchor="end" font-size="\##(number(fontSize))" fill="#1f2933">\##(escape(row.label))</text>"##
            svg += ##"<rect x="\##(number(left))" y="\##(number(barTop))" width="\##(number(x(100) - left))" height="\##(number(barHeight))" fill="#eef2f6"/>"##
            let color = row.value >= 100 ? okColor : palette[0]
            svg += ##"<rect x="\##(number(left))" y="\##(number(barTop))" width="\##(number(x(row.value) - left))" height="\##(number(barHeight))" fill="\##(color)"><title>\##(escape(row.label))：\##(escape(row.note))</title></rect>"##
            svg += ##"<text x="\##(number(x(100) + 6))" y="\##(number(baseline))" font-size="\##(number(fontSize))" fill="#1f2933">\##(String(format: "%.1f", row.value))%</text>"##
        }
        return svg + "</svg>"
    }

    /// The drawn width of `label`: a CJK character takes the font size, others about half.
    static func labelWidth(_ label: String, fontSize: Double) -> Double {
        label.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? fontSize : fontSize * 0.55) }
    }

    /// A strip of probes over a time window: one mark per probe at its latency (failures in
    /// red at the top), with a dashed threshold line (the probe time-out).
    public static func probeStrip(
        title: String, marks: [Mark], from: Date, to: Date, threshold: Double, thresholdLabel: String, dayLabels: [(Date, String)],
        width: Double = 1100, height: Double = 200
    ) -> String {
        let left = 52.0, right = 16.0, top = 14.0, bottom = 30.0
        let highest = max(threshold * 1.2, marks.map(\.value).max() ?? 0)
        let x = LinearScale(domain: from.timeIntervalSince1970...max(to.timeIntervalSince1970, from.timeIntervalSince1970 + 1), range: (left, width - right))
        let y = LinearScale(domain: 0...highest, range: (height - bottom, top))
        var svg = header(title: title, width: width, height: height)
        svg += ##"<rect x="\##(number(left))" y="\##(number(top))" width="\##(number(width - left - right))" height="\##(number(height - top - bottom))" fill="#fbfcfd" stroke="\##(gridColor)"/>"##
        for (day, label) in dayLabels {
            let position = x(day.timeIntervalSince1970)
            svg += ##"<line x1="\##(number(position))" x2="\##(number(position))" y1="\##(number(top))" y2="\##(number(height - bottom))" stroke="\##(gridColor)"/>"##
            svg += ##"<text x="\##(number(position + 4))" y="\##(number(height - bottom + 16))" font-size="11" fill="\##(inkColor)">\##(escape(label))</text>"##
        }
        for tick in [0, threshold / 2] {
            svg += ##"<text x="\##(number(left - 6))" y="\##(number(y(tick) + 4))" text-anchor="end" font-size="11" fill="\##(inkColor)">\##(number(tick))s</text>"##
        }
        let lineY = y(threshold)
        svg += ##"<line x1="\##(number(left))" x2="\##(number(width - right))" y1="\##(number(lineY))" y2="\##(number(lineY))" stroke="\##(failureColor)" stroke-dasharray="6 4"/>"##
        svg += ##"<text x="\##(number(left - 6))" y="\##(number(lineY + 4))" text-anchor="end" font-size="11" fill="\##(failureColor)">\##(escape(thresholdLabel))</text>"##
        for mark in marks {
            let position = x(mark.at.timeIntervalSince1970)
            if mark.failed {
                svg += ##"<rect x="\##(number(position - 2))" y="\##(number(top))" width="4" height="\##(number(lineY - top))" fill="\##(failureColor)"><title>\##(escape(mark.note))</title></rect>"##
            } else {
                svg += ##"<circle cx="\##(number(position))" cy="\##(number(y(mark.value)))" r="2.5" fill="\##(okColor)"><title>\##(escape(mark.note))</title></circle>"##
            }
        }
        return svg + "</svg>"
    }

    static func header(title: String, width: Double, height: Double) -> String {
        ##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \##(number(width)) \##(number(height))" width="\##(number(width))" height="\##(number(height))" role="img" aria-label="\##(escape(title))" font-family="Noto Sans CJK SC, sans-serif"><title>\##(escape(title))</title>"##
    }
}
