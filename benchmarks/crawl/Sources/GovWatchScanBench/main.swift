// Scanner throughput for benchmarks/scan.sh: `ContentScanner.standard(additional:)` with the
// shipped lists plus the benchmark's dictionary, then `scan(_:)` on every page of the
// corpus (pages are separated by a form-feed line, as for the Python baseline), on the
// calling thread only. Loading and compiling are timed apart from scanning.
//
//   GovWatchScanBench corpus.txt terms.tsv
//
// Prints: `bytes=… chunks=… terms=… compile_s=… seconds=… mb_per_s=… id-card=… …`
import Foundation
import GovWatchCore

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: GovWatchScanBench corpus.txt terms.tsv\n".utf8))
    exit(2)
}
let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

let compileStart = clock.now
let extra = try ContentDictionary.load(contentsOf: URL(fileURLWithPath: arguments[2]))
let scanner = try ContentScanner.standard(additional: [extra])
let compile = clock.now - compileStart

let data = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
let text = String(decoding: data, as: UTF8.self)
let chunks = text.split(separator: "\n\u{0C}\n", omittingEmptySubsequences: false).map(String.init)

var counts: [ContentProblem.Kind: Int] = [:]
let start = clock.now
for chunk in chunks {
    for problem in scanner.scan(chunk).problems {
        counts[problem.kind, default: 0] += 1
    }
}
let elapsed = seconds(clock.now - start)
let kinds = ContentProblem.Kind.allCases.map { "\($0.rawValue)=\(counts[$0, default: 0])" }.joined(separator: " ")
print(
    String(
        format: "bytes=%d chunks=%d terms=%d compile_s=%.3f seconds=%.3f mb_per_s=%.1f ", data.count, chunks.count,
        scanner.termCount, seconds(compile), elapsed, Double(data.count) / 1e6 / elapsed) + kinds)
