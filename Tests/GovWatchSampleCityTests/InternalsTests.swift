import Foundation
@testable import GovWatchSampleCity
import Testing
import ZIPFoundation

@Suite("Generator internals")
struct InternalsTests {
    @Test("CRC-32 of zero runs matches a direct computation", arguments: [0, 1, 7, 1000, 65_537, 1_000_003])
    func crcOfZeros(count: Int) {
        #expect(Gzip.crc32OfZeros(count: UInt64(count)) == Data(count: count).crc32(checksum: 0))
    }

    @Test("a small gzip bomb is a valid gzip stream with the right size and CRC")
    func smallBomb() throws {
        let bomb = GzipBomb(zeroBytes: 100)
        let body = Data(bomb.bytes(in: 0..<bomb.compressedSize))
        #expect(body.count == bomb.compressedSize)
        let inflated = try gunzip(body)
        #expect(UInt64(inflated.count) == bomb.inflatedSize)
        #expect(inflated.allSatisfy { $0 == 0 })
        let trailer = Array(body.suffix(8))
        let crc = UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24
        #expect(crc == inflated.crc32(checksum: 0))
        // The served bomb: ~2 MB inflating to ~2 GB.
        let served = FixtureRouter.bomb
        #expect(served.compressedSize < 2_100_000 && served.inflatedSize > 2_000_000_000)
    }

    @Test("gzip of pages round-trips")
    func gzipRoundTrip() throws {
        let page = Data(String(repeating: "鸿溪市人民政府门户网站", count: 300).utf8)
        #expect(try gunzip(Gzip.compress(page)) == page)
    }

    @Test("the huge page is exactly 20 MiB of a valid document, in any chunking")
    func hugePage() {
        let size = HostileHost.hugeSize
        let whole = HostileHost.hugeBytes(in: 0..<size)
        #expect(whole.count == size)
        #expect(whole.prefix(15) == Array("<!DOCTYPE html>".utf8)[...])
        #expect(whole.suffix(15) == Array("</body></html>\n".utf8)[...])
        var chunked: [UInt8] = []
        var offset = 0
        while offset < size {
            let end = min(size, offset + 65_521)
            chunked += HostileHost.hugeBytes(in: offset..<end)
            offset = end
        }
        #expect(chunked == whole)
    }

    @Test("look-alike numbers are not personal data")
    func lookAlikes() {
        #expect(!PersonalData.isValidIDNumber(PlantedValues.numericCreditCode))
        #expect(PlantedValues.numericCreditCode.allSatisfy(\.isNumber) && PlantedValues.numericCreditCode.count == 18)
        #expect(!PersonalData.passesLuhn(PlantedValues.organisationAccount))
        #expect(PersonalData.passesLuhn(PlantedValues.subsidyBankCard))
        for id in [PlantedValues.teacherID, PlantedValues.xlsxID1, PlantedValues.xlsxID2, PlantedValues.docxID, PlantedValues.pdfID, PlantedValues.postID] {
            #expect(PersonalData.isValidIDNumber(id), "\(id)")
        }
        #expect(PlantedValues.creditCode.count == 18)
    }
}
