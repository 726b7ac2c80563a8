// Page analysis alone, without the network: runs the crawler's `PageAnalyzer` (plus the
// content screen and the record encoding the crawler does per page) over every .html file
// of a generated bench site, on one thread, and prints the time per page.
//
//   GovWatchAnalyzeBench --site /tmp/govwatch-bench-site-10000 [--rounds 3] [--dump FILE]
//
// `--dump` writes each page's record as canonical JSON (sorted keys, one line per page, in file
// order; independent of the record's storage encoding) so that two builds can be compared byte
// for byte: optimisations must not change what is extracted.
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchPage

func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: "--" + name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

let site = option("site", "/tmp/govwatch-bench-site-10000")
let rounds = Int(option("rounds", "3"))!
let dump = option("dump", "")

// Every .html file under the site, in a fixed order, with the URL nginx serves it at.
let root = URL(fileURLWithPath: site)
var files: [(url: NormalizedURL, body: [UInt8])] = []
if let walker = FileManager.default.enumerator(atPath: site) {
    var paths: [String] = []
    while let path = walker.nextObject() as? String {
        if path.hasSuffix(".html") || path.hasSuffix(".htm") { paths.append(path) }
    }
    for path in paths.sorted() {
        let body = [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
        files.append((NormalizedURL("http://127.0.0.1:18089/" + path)!, body))
    }
}
let bytes = files.reduce(0) { $0 + $1.body.count }
print("pages=\(files.count) bytes=\(bytes)")

let analyzer = PageAnalyzer(asOf: Date(timeIntervalSince1970: 1_672_502_400))
let scanner = try ContentScanner.standard()
let canonical = JSONEncoder()
canonical.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
let clock = ContinuousClock()
var best = Duration.seconds(1_000_000)
for round in 0..<rounds {
    var lines: [String] = []
    let start = clock.now
    var links = 0
    for file in files {
        var record = analyzer.analyze(body: file.body, contentType: "text/html", url: file.url)
        record.screen(with: scanner)
        let encoded = try record.json()
        links += encoded.utf8.count
        if round == 0, !dump.isEmpty { lines.append(String(decoding: try canonical.encode(record), as: UTF8.self)) }
    }
    let elapsed = clock.now - start
    best = min(best, elapsed)
    if round == 0, !dump.isEmpty {
        try (lines.joined(separator: "\n") + "\n").write(toFile: dump, atomically: true, encoding: .utf8)
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "round %d: %.3f s, %.1f µs/page, record_bytes=%d", round + 1, seconds, seconds * 1e6 / Double(files.count), links))
}
let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
print(String(format: "best: %.1f µs/page (%.0f pages/s on one core)", seconds * 1e6 / Double(files.count), Double(files.count) / seconds))
