import Foundation
import GovWatchCore
import GovWatchSampleCity
import Testing

/// Runs the product's own content scanner over the city: planted content problems are
/// there, and the look-alikes everywhere else are not problems.
@Suite("The city against the product's content scanner")
struct ScannerCrossCheckTests {
    let city = SampleCity.standard

    /// Crude text of an HTML page: scripts and tags dropped, a few entities decoded.
    static func text(ofHTML data: Data) -> String {
        var html = String(data: data, encoding: .utf8) ?? String(data: data, encoding: String.Encoding(rawValue: 0x8000_0632)) ?? ""
        while let start = html.range(of: "<script"), let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex) {
            html.removeSubrange(start.lowerBound..<end.upperBound)
        }
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; text.append(" "); continue }
            if character == ">" { inTag = false; continue }
            if !inTag { text.append(character) }
        }
        return text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&quot;", with: "\"")
    }

    @Test("HTML pages without planted content problems scan clean; planted ones do not")
    func pagesScan() throws {
        let scanner = try ContentScanner.standard()
        let contentIndicators: Set<IndicatorID> = [.siteContentPrivacy, .siteContentSevereError, .siteContentSensitive]
        let plantedPages = Set(city.plantedProblems.filter { contentIndicators.contains($0.indicator) }.compactMap(\.url))
        var scanned = 0
        for url in city.servedURLs where url.hasSuffix(".html") || url.hasSuffix(".shtml") || url.hasSuffix("/") {
            guard let body = city.body(of: url) else { continue }
            let result = scanner.scan(Self.text(ofHTML: body))
            if plantedPages.contains(url) {
                #expect(!result.problems.isEmpty, "planted page scans clean: \(url)")
            } else {
                #expect(result.problems.isEmpty, "\(url): \(result.problems.map { "\($0.kind) \($0.evidence)" })")
            }
            scanned += 1
        }
        #expect(scanned > 1000)
    }

    @Test("fixed variants of planted content pages scan clean")
    func fixedPagesScan() throws {
        let scanner = try ContentScanner.standard()
        for problem in city.plantedProblems where problem.indicator == .siteContentPrivacy || problem.indicator == .siteContentSevereError || problem.indicator == .siteContentSensitive {
            guard problem.isFixable, let url = problem.url, url.hasSuffix(".html") || url.hasSuffix(".shtml"),
                let fixed = city.body(of: url, fixed: true)
            else { continue }
            let result = scanner.scan(Self.text(ofHTML: fixed))
            #expect(result.problems.isEmpty, "\(url): \(result.problems.map { "\($0.kind) \($0.evidence)" })")
        }
    }
}
