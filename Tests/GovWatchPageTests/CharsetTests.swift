import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@Suite("Charset detection and lossy decoding")
struct CharsetTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func gbkPage(meta: String?) -> Data {
        let head = meta.map { "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=\($0)\">" } ?? ""
        let html = """
            <html><head>\(head)<title>鸿溪市人民政府</title></head><body>
            <p>发布时间：2022-03-10</p><div class="footer">主办单位：鸿溪市人民政府办公室 网站标识码：5104000001
            蜀ICP备05001234号-1 川公网安备 51040202000123号</div></body></html>
            """
        return html.data(using: gb18030)!
    }

    @Test("a GBK page declared in <meta> (gb2312) is decoded as GB18030", arguments: ["gb2312", "GBK", "gb18030"])
    func metaDeclared(_ label: String) {
        let data = Self.gbkPage(meta: label)
        let decoded = CharsetDetector.decode(data)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .metaTag)
        #expect(decoded.text.contains("鸿溪市人民政府办公室"))
        #expect(!decoded.hadErrors)
        let page = PageExtractor().extract(bytes: data, url: "http://www.hongxi.gov.cn/")
        #expect(page.title == "鸿溪市人民政府")
        #expect(page.identity.sponsor == "鸿溪市人民政府办公室")
        #expect(page.identity.siteCode == "5104000001")
        #expect(page.identity.icp == "蜀ICP备05001234号-1")
        #expect(page.identity.police == "川公网安备 51040202000123号")
        #expect(page.published?.description == "2022-03-10T00:00:00+08:00")
        #expect(page.charset == "GB18030")
    }

    @Test("an undeclared GBK page is sniffed")
    func sniffed() {
        let decoded = CharsetDetector.decode(Self.gbkPage(meta: nil))
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .sniffed)
        #expect(decoded.text.contains("鸿溪市人民政府"))
    }

    @Test("the HTTP header wins over <meta>, unless the bytes contradict it")
    func headerFirst() {
        let gbk = Self.gbkPage(meta: "gbk")
        let header = CharsetDetector.decode(gbk, contentType: "text/html; charset=GB2312")
        #expect(header.source == .httpHeader)
        #expect(header.charset == "GB18030")
        // A server default of UTF-8 on a GBK page: the bytes are not UTF-8, so <meta> decides.
        let wrongHeader = CharsetDetector.decode(gbk, contentType: "text/html;charset=utf-8")
        #expect(wrongHeader.source == .metaTag)
        #expect(wrongHeader.text.contains("鸿溪市人民政府"))
        // A UTF-8 page that kept a gb2312 <meta> from its old template.
        let utf8 = Data("<meta charset=gb2312><p>鸿溪市人民政府</p>".utf8)
        let migrated = CharsetDetector.decode(utf8)
        #expect(migrated.charset == "UTF-8")
        #expect(migrated.text.contains("鸿溪市人民政府"))
    }

    @Test("charset labels in Content-Type and <meta>")
    func labels() {
        #expect(CharsetDetector.charsetParameter(inContentType: "text/html; charset=\"GBK\"") == "GBK")
        #expect(CharsetDetector.charsetParameter(inContentType: "text/html") == nil)
        #expect(CharsetDetector.metaCharset(in: Array("<META CHARSET='gb2312'>".utf8)) == "gb2312")
        #expect(CharsetDetector.metaCharset(in: Array("<meta content=\"text/html; charset = utf-8\" http-equiv=content-type>".utf8)) == "utf-8")
        #expect(CharsetDetector.canonicalName("GB2312") == "GB18030")
        #expect(CharsetDetector.canonicalName("x-gbk") == "GB18030")
        #expect(CharsetDetector.canonicalName("UTF8") == "UTF-8")
        #expect(CharsetDetector.canonicalName("klingon") == nil)
    }

    @Test("byte order marks")
    func byteOrderMarks() {
        let utf8 = CharsetDetector.decode([0xEF, 0xBB, 0xBF] + Array("<p>政务</p>".utf8), contentType: "text/html; charset=gbk")
        #expect(utf8.source == .byteOrderMark)
        #expect(utf8.text == "<p>政务</p>")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<p>政务</p>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let decoded = CharsetDetector.decode(utf16)
        #expect(decoded.charset == "UTF-16LE")
        #expect(decoded.text == "<p>政务</p>")
    }

    @Test("broken GB18030 bytes become U+FFFD and the rest survives")
    func brokenGB18030() {
        var bytes = Array(Self.gbkPage(meta: "gbk"))
        // A lone lead byte, an invalid trail byte, 0xFF and a cut-off sequence at the end.
        let middle = bytes.count / 2
        bytes.insert(contentsOf: [0x81, 0x20, 0xFF, 0xD6], at: middle)
        bytes += [0xB9]
        let decoded = CharsetDetector.decode(bytes)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.hadErrors)
        #expect(decoded.text.contains("\u{FFFD}"))
        #expect(decoded.text.contains("鸿溪市人民政府"))
        #expect(decoded.text.contains("川公网安备"))
        let page = PageExtractor().extract(bytes: bytes, url: nil)
        #expect(page.identity.icp == "蜀ICP备05001234号-1")
    }

    @Test("broken UTF-8 declared as UTF-8 is decoded lossily")
    func brokenUTF8() {
        var bytes = Array("<meta charset=utf-8><title>政府网站</title><p>正文</p>".utf8)
        bytes.insert(contentsOf: [0xE4, 0xB8], at: 30) // a cut three-byte sequence
        let decoded = CharsetDetector.decode(bytes, contentType: "text/html; charset=utf-8")
        // Not valid UTF-8, so the label is doubted; GB18030 sniffing must not crash either.
        #expect(!decoded.text.isEmpty)
        let page = PageExtractor().extract(bytes: bytes, url: nil)
        #expect(page.text.count > 0)
    }

    @Test("random bytes never crash", arguments: 0..<8)
    func randomBytes(_ seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        let bytes = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let decoded = CharsetDetector.decode(bytes)
        #expect(!decoded.text.isEmpty)
        let page = PageExtractor().extract(bytes: bytes, contentType: "text/html; charset=gbk", url: "http://x.gov.cn/")
        _ = page.jsonData()
    }

    @Test("GB18030 four-byte sequences outside the BMP")
    func supplementary() {
        let text = "𠀀𪚥 政务"
        let data = text.data(using: Self.gb18030)!
        let decoded = CharsetDetector.decode(Array(data) + [0xFF], as: "GB18030")
        #expect(decoded.text == text + "\u{FFFD}")
    }
}

/// A small deterministic generator for fuzz-style tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension CharsetTests {
    @Test("a charset declared only in the HTTP header")
    func headerOnly() {
        let page = Self.gbkPage(meta: nil)
        let decoded = CharsetDetector.decode(page, contentType: "text/html; charset=GBK")
        #expect(decoded.source == .httpHeader)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.text.contains("鸿溪市人民政府"))
        let extracted = PageExtractor().extract(bytes: page, contentType: "text/html;charset=gb2312", url: "http://www.hongxi.gov.cn/")
        #expect(extracted.charset == "GB18030")
        #expect(extracted.text.contains("鸿溪市人民政府"))
    }

    @Test("a GBK page whose <meta> says UTF-8 is read as GBK")
    func metaSaysUTF8ButBytesAreGBK() {
        let decoded = CharsetDetector.decode(Self.gbkPage(meta: "utf-8"))
        #expect(decoded.charset == "GB18030")
        #expect(decoded.text.contains("鸿溪市人民政府"))
        #expect(!decoded.hadErrors)
    }
}
