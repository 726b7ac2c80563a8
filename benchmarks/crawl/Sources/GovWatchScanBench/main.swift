// Scanner throughput for benchmarks/scan.sh: `ContentScanner.standard(additional:)` with the
// shipped lists plus the benchmark's dictionary, then `scan(_:)` on every page of the
// corpus (pages are separated by a form-feed line, as for the Python baseline), on the
// calling thread only. Loading and compiling are timed apart from scanning.
//
//   GovWatchScanBench corpus.txt terms.tsv [--dump FILE]
//
// `--dump FILE` (not timed) also writes every problem, de-identified text and finding of
// every page to FILE, to compare two versions of the scanner on the same corpus.
//
// Prints: `bytes=… chunks=… terms=… compile_s=… seconds=… mb_per_s=… cpu_s=… id-card=… …` (cpu_s: the
// scanning thread's CPU time, which differs from seconds when other processes share the core).
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
// Split at "\n\f\n" on the bytes, finding each form feed with memchr (String.split by a
// string walks Characters, and would take longer than the scan itself and fill its profile).
var chunks: [String] = []
data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
    let bytes = raw.bindMemory(to: UInt8.self)
    guard let base = bytes.baseAddress else { return }
    var chunkStart = 0
    var searchFrom = 0
    while searchFrom < bytes.count, let found = memchr(base + searchFrom, 0x0C, bytes.count - searchFrom) {
        let formFeed = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        searchFrom = formFeed + 1
        guard formFeed >= 1, formFeed + 1 < bytes.count, bytes[formFeed - 1] == 0x0A, bytes[formFeed + 1] == 0x0A,
            formFeed - 1 >= chunkStart
        else { continue }
        chunks.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[chunkStart..<(formFeed - 1)]), as: UTF8.self))
        chunkStart = formFeed + 2
        searchFrom = chunkStart
    }
    chunks.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[chunkStart...]), as: UTF8.self))
}

// CPU time of this thread as well as wall time: on a shared machine the wall time also
// counts time the core spent on other processes.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

// The timed loop is a function over locals, counting into an array: counting into a
// top-level dictionary (a global: hashing and exclusivity checks for each of ~900k
// problems) took a few percent of the time measured.
func scanAll(_ chunks: [String], with scanner: ContentScanner) -> [ContentProblem.Kind: Int] {
    let kinds = ContentProblem.Kind.allCases
    var tally = [Int](repeating: 0, count: kinds.count)
    for chunk in chunks {
        for problem in scanner.scan(chunk).problems {
            tally[kinds.firstIndex(of: problem.kind)!] += 1
        }
    }
    return Dictionary(uniqueKeysWithValues: zip(kinds, tally))
}
let cpuStart = threadCPUSeconds()
let start = clock.now
let counts = scanAll(chunks, with: scanner)
let elapsed = seconds(clock.now - start)
let cpuElapsed = threadCPUSeconds() - cpuStart
if arguments.count >= 5, arguments[3] == "--dump" {
    var out = ""
    let site = Target(kind: .site, code: "bench", name: "bench")
    for (page, chunk) in chunks.enumerated() {
        let result = scanner.scan(chunk)
        out += "page \(page) requiresAction=\(result.requiresAction)\n"
        for problem in result.problems {
            let location = result.location(of: problem)
            out += "\(problem.kind.rawValue)\t\(problem.level)\t\(problem.utf8Range)\t\(location)\t\(problem.evidence)\t\(problem.suggestion)\t\(problem.entry?.source ?? "")\t\(result.excerpt(for: problem))\n"
        }
        out += "deidentified \(result.deidentifiedText)\n"
        for finding in result.findings(target: site, url: "u") {
            out += "finding \(finding.indicator.rawValue) \(finding.evidence) \(finding.detail)\n"
        }
    }
    try Data(out.utf8).write(to: URL(fileURLWithPath: arguments[4]))
}
let kinds = ContentProblem.Kind.allCases.map { "\($0.rawValue)=\(counts[$0, default: 0])" }.joined(separator: " ")
print(
    String(
        format: "bytes=%d chunks=%d terms=%d compile_s=%.3f seconds=%.3f mb_per_s=%.1f cpu_s=%.3f ", data.count, chunks.count,
        scanner.termCount, seconds(compile), elapsed, Double(data.count) / 1e6 / elapsed, cpuElapsed) + kinds)
