import Foundation
import ZIPFoundation

struct InflateLimitReached: Error {}
struct InputExhausted: Error {}

/// Inflates a gzip member (header without optional fields, as the fixture writes it).
func gunzip(_ data: Data) throws -> Data {
    let deflate = data.subdata(in: 10..<(data.count - 8))
    var output = Data()
    // ZIPFoundation's Linux inflater reads `bufferSize` bytes from each chunk: hand it one exact chunk.
    _ = try Data.decompress(
        size: Int64(deflate.count), bufferSize: deflate.count, skipCRC32: true,
        provider: { position, _ in
            guard position == 0 else { throw InputExhausted() }
            return deflate
        }, consumer: { output.append($0) })
    return output
}

/// How many bytes a (possibly truncated) gzip prefix inflates to, stopping at `limit`.
func gunzipCount(_ data: Data, limit: Int) throws -> Int {
    let deflate = data.subdata(in: 10..<data.count)
    var count = 0
    do {
        _ = try Data.decompress(
            size: Int64(deflate.count), bufferSize: deflate.count, skipCRC32: true,
            provider: { position, _ in
                guard position == 0 else { throw InputExhausted() }
                return deflate
            },
            consumer: { chunk in
                count += chunk.count
                if count >= limit { throw InflateLimitReached() }
            })
    } catch is InflateLimitReached {
    } catch is InputExhausted {}
    return count
}

/// The text of one entry of a zip archive.
func zipEntryText(_ data: Data, _ path: String) throws -> String? {
    let archive = try Archive(data: data, accessMode: .read)
    guard let entry = archive[path] else { return nil }
    var result = Data()
    _ = try archive.extract(entry) { result.append($0) }
    return String(decoding: result, as: UTF8.self)
}

/// A small RFC 4180 parser (quoted fields, doubled quotes, CRLF), to check the generated CSV
/// independently of the product's importer.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var iterator = Array(text.unicodeScalars)[...]
    while let c = iterator.popFirst() {
        if quoted {
            if c == "\"" {
                if iterator.first == "\"" { field.unicodeScalars.append("\""); iterator.removeFirst() } else { quoted = false }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\r" {
            continue
        } else if c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.unicodeScalars.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
