// Drives `WebsiteCrawler` on one site with chosen settings, for benchmarks/crawl.sh.
//
//   GovWatchCrawlBench --url http://127.0.0.1:8089/ [--concurrency 16] [--per-host 16]
//       [--delay-ms 0] [--max-pages 200000] [--db sqlite:///tmp/x.sqlite | --db memory]
//       [--robots 1|0]
//
// Prints one line: `pages=… checks=… errors=… crawl_s=… total_s=… pages_per_s=… crawl_peak_mib=… peak_mib=…`
// (`crawl_s` is the fetching; `total_s` adds building the site's evidence from the
// crawl state, which is what `govwatch inspect` needs before the checks; `crawl_peak_mib`
// is the peak resident memory when the fetching ended, `peak_mib` at the very end).
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore

func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: "--" + name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The process's peak resident set so far (VmHWM), in MiB.
func peakMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
}

final class PeakAtCrawlEnd: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0.0
    func record(_ mib: Double) { lock.withLock { value = mib } }
    var mib: Double { lock.withLock { value } }
}

let url = option("url", "http://127.0.0.1:8089/")
let db = option("db", "memory")
var configuration = CrawlConfiguration()
configuration.concurrency = Int(option("concurrency", "16"))!
configuration.perHostConcurrency = Int(option("per-host", "16"))!
configuration.perHostDelay = .milliseconds(Int(option("delay-ms", "0"))!)
configuration.maximumPages = Int(option("max-pages", "200000"))!
configuration.maximumPagesPerPathPrefix = configuration.maximumPages
configuration.obeyRobots = option("robots", "1") == "1"
configuration.proxy = option("proxy", "") == "" ? nil : option("proxy", "")

let site = SiteRecord(code: "5100000099", name: "鸿溪市人民政府门户网站", url: url, kind: .portal, unit: "鸿溪市人民政府办公室")
let store: Store? = db == "memory" ? nil : try await Store.open(try DatabaseLocation.parse(db))
let crawler = try WebsiteCrawler(configuration: configuration)
let clock = ContinuousClock()
let start = clock.now
let crawlPeak = PeakAtCrawlEnd()
let result = try await crawler.crawl(
    site: site, columns: [], asOf: Date(timeIntervalSince1970: 1_672_502_400), store: store, sessionKey: "bench",
    progress: { if $0.finished { crawlPeak.record(peakMiB()) } })
let total = clock.now - start
try await crawler.shutdown()
await store?.close()
let stats = result.statistics
print(
    String(
        format: "pages=%d checks=%d errors=%d skipped=%d crawl_s=%.3f total_s=%.3f pages_per_s=%.1f crawl_peak_mib=%.0f peak_mib=%.0f",
        stats.pages, stats.checks, stats.errors, stats.skipped, seconds(stats.elapsed), seconds(total),
        Double(stats.pages) / seconds(total), crawlPeak.mib, peakMiB()))
