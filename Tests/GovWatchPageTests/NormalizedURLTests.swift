import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@Suite("URL normalisation and resolution")
struct NormalizedURLTests {
    @Test("normal form", arguments: [
        ("HTTP://WWW.Example.GOV.CN:80/a/./b/../c.html#top", "http://www.example.gov.cn/a/c.html"),
        ("https://www.example.gov.cn:443", "https://www.example.gov.cn/"),
        ("https://www.example.gov.cn:8443/x", "https://www.example.gov.cn:8443/x"),
        ("http://www.example.gov.cn/a b/中文.pdf?q=政务 1", "http://www.example.gov.cn/a%20b/%E4%B8%AD%E6%96%87.pdf?q=%E6%94%BF%E5%8A%A1%201"),
        ("http://www.example.gov.cn/%e4%b8%ad?x=%2f", "http://www.example.gov.cn/%E4%B8%AD?x=%2F"),
        ("http://www.example.gov.cn/../../a", "http://www.example.gov.cn/a"),
        ("http://www.example.gov.cn/a/b/..", "http://www.example.gov.cn/a/"),
        ("http://user:pw@www.example.gov.cn/", "http://www.example.gov.cn/"),
        ("http://www.example.gov.cn./", "http://www.example.gov.cn/"),
        ("  http://www.example.gov.cn/\n  ", "http://www.example.gov.cn/"),
        ("http://万载政府网.政务/", "http://xn--chq171bv3e1m4am5q.xn--zfr164b/"),
        ("http://www.example.gov.cn/100%", "http://www.example.gov.cn/100%25"),
        // Authorities the byte-level fast path hands to the general parsing, or takes itself.
        ("http://www.example.gov.cn:/a", "http://www.example.gov.cn/a"),
        ("http://WWW.Example.gov.cn:0080/a", "http://www.example.gov.cn/a"),
        ("http://127.0.0.1:18089/", "http://127.0.0.1:18089/"),
        ("http://a_b.example.gov.cn/.x/%2e/y", "http://a_b.example.gov.cn/.x/y"),
    ])
    func normalForm(_ input: String, _ expected: String) throws {
        #expect(try #require(NormalizedURL(input)).description == expected)
    }

    @Test("not http(s) URLs", arguments: [
        "javascript:void(0)", "mailto:a@b.cn", "ftp://x/", "/relative", "http://", "http://exa mple.cn/",
        "http://host:99999/", "http://host:abc/", "http://host:1234567/", "http://:80/",
    ])
    func rejected(_ input: String) {
        #expect(NormalizedURL(input) == nil)
    }

    @Test("relative references (RFC 3986 §5.4 and browser leniencies)", arguments: [
        ("g", "http://a.gov.cn/b/c/g"),
        ("./g", "http://a.gov.cn/b/c/g"),
        ("g/", "http://a.gov.cn/b/c/g/"),
        ("/g", "http://a.gov.cn/g"),
        ("//g.gov.cn/x", "http://g.gov.cn/x"),
        ("?y", "http://a.gov.cn/b/c/d;p?y"),
        ("g?y", "http://a.gov.cn/b/c/g?y"),
        ("", "http://a.gov.cn/b/c/d;p?q"),
        (".", "http://a.gov.cn/b/c/"),
        ("..", "http://a.gov.cn/b/"),
        ("../g", "http://a.gov.cn/b/g"),
        ("../../g", "http://a.gov.cn/g"),
        ("../../../g", "http://a.gov.cn/g"),
        ("g;x?y#s", "http://a.gov.cn/b/c/g;x?y"),
        ("..\\g\\h.html", "http://a.gov.cn/b/g/h.html"),
        ("https://other.gov.cn", "https://other.gov.cn/"),
        ("http:g", "http://a.gov.cn/b/c/g"),
        ("g\n.html", "http://a.gov.cn/b/c/g.html"),
    ])
    func resolution(_ reference: String, _ expected: String) throws {
        let base = try #require(NormalizedURL("http://a.gov.cn/b/c/d;p?q"))
        #expect(base.resolve(reference)?.description == expected)
    }

    @Test("components")
    func components() throws {
        let url = try #require(NormalizedURL("https://WWW.Hongxi.gov.cn:8080/xxgk/附件.DOCX?id=1"))
        #expect(url.scheme == "https")
        #expect(url.host == "www.hongxi.gov.cn")
        #expect(url.port == 8080)
        #expect(url.authority == "www.hongxi.gov.cn:8080")
        #expect(url.query == "id=1")
        #expect(url.pathExtension == "docx")
        #expect(url.url?.absoluteString == url.description)
        #expect(NormalizedURL("http://a.gov.cn/x/") == NormalizedURL("HTTP://A.GOV.CN:80/x/#frag"))
    }

    @Test("Codable as a string")
    func codable() throws {
        let url = try #require(NormalizedURL("http://a.gov.cn/x"))
        let data = try JSONEncoder().encode([url])
        #expect(String(decoding: data, as: UTF8.self) == "[\"http:\\/\\/a.gov.cn\\/x\"]")
        #expect(try JSONDecoder().decode([NormalizedURL].self, from: data) == [url])
    }
}
