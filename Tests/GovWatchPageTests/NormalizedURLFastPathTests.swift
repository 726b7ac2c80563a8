import Foundation
import Testing

@testable import GovWatchPage

/// The byte-level fast path of `NormalizedURL` (`resolveASCII`) must give exactly what the
/// general parsing gives: compared on hand-picked edge cases and on many generated references.
@Suite("URL fast path agrees with the general parsing")
struct NormalizedURLFastPathTests {
    static let bases = [
        "http://a.gov.cn/b/c/d;p?q", "https://WWW.Example.GOV.CN:8443/x/y/", "http://127.0.0.1:18089/",
        "http://a.gov.cn", "http://a.gov.cn/%2e%2E/x/", "http://a.gov.cn/a/b.html?x=1&y=%e4",
    ].map { NormalizedURL($0)! }

    static let edgeCases = [
        "", "g", "./g", "../g", "../../../../g", ".", "..", "/./g", "/../g", "g/.", "g/..", "g/./h", "g/../h",
        "%2e/g", "%2E%2E/g", "%2e%2E/g", ".%2e/g", "%2E./g", "a/%2e%2e", "a/.%2E", "..%2f", "...", "....",
        "?", "?y", "??", "?a?b", "#", "#x", "g#x?y", "g?y#z", "//", "///x", "//h.gov.cn", "//H.Gov.Cn:80/x",
        "//h.gov.cn:443/x", "//h.gov.cn:", "//h.gov.cn:/x", "//h.gov.cn:99999/", "//h.gov.cn./x", "//_x.gov.cn/",
        "//user@h.gov.cn/", "//[::1]:8080/x", "http://h.gov.cn", "HTTP://H.GOV.CN:80/a/../b", "https://h.gov.cn:443",
        "hTtPs://h.gov.cn:0443/", "http:///h.gov.cn/x", "http:////h.gov.cn", "http:g", "https:g", "http:/g",
        "http://", "http://:80/", "http://h.gov.cn:abc/", "http://-.gov.cn/", "ftp://h.gov.cn/", "javascript:x()",
        "mailto:a@b.cn", "a:b", "a/b:c", "1a:b", "c:\\x", "..\\g", "g\\h", "g?\\h", "a b", " g", "g ", "g\n.html",
        "中文.html", "a%20b", "a%2", "a%", "%zz", "100%", "%41%4a%4A", "a?%e4%b8%ad", "a?q=政务", "a?x=y z",
        "a'b(c)*d!$&+,;=:@~", "a\"b<c>d`e{f}g|h^i", "a?\"<>`{}|^", "a[b]", "?[x]", "\u{7F}", "a\u{01}b",
        "/x/y/../../../z", "x/./././y", "./", "../", "./..", "/.", "/..", "//h.gov.cn/.", "//h.gov.cn/..",
        "http://h.gov.cn?x", "http://h.gov.cn#x", "http://h.gov.cn/a?b#c?d", "http://h.gov.cn:/", "http://h.gov.cn:8080",
    ]

    @Test("edge cases")
    func edgeCases() {
        for base in Self.bases {
            for reference in Self.edgeCases {
                #expect(base.resolve(reference) == base.resolveGeneral(reference), "\(base) + \(reference)")
                #expect(base.resolve(reference)?.description == base.resolveGeneral(reference)?.description)
            }
        }
        for reference in Self.edgeCases {
            #expect(NormalizedURL(reference) == NormalizedURL.parseGeneral(reference), "\(reference)")
            #expect(NormalizedURL.isValid(reference) == (NormalizedURL.parseGeneral(reference) != nil), "\(reference)")
        }
    }

    @Test("generated references")
    func generated() {
        let pieces = [
            "a", "B", "/", "/", "/", ".", ".", "..", "%2e", "%2E", "%41", "%4a", "%", "%z", "?", "#", ":", "@", "\\",
            "http:", "https:", "HTTP:", "//", "h.gov.cn", "H.Gov.CN", ":80", ":443", ":8080", ":", " ", "中", "\t",
            "~", "=", "&", "[", "]", "'", "\"", "<", "{", "^", "|", "`", "x.pdf", "index.html", ";p",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for round in 0..<20_000 {
            let length = next() % 8
            let reference = (0..<length).map { _ in pieces[next() % pieces.count] }.joined()
            let base = Self.bases[round % Self.bases.count]
            let fast = base.resolve(reference), general = base.resolveGeneral(reference)
            #expect(fast?.description == general?.description, "\(base) + \(reference)")
            #expect(fast?.path == general?.path && fast?.query == general?.query && fast?.port == general?.port
                && fast?.host == general?.host && fast?.scheme == general?.scheme)
            #expect(NormalizedURL(reference)?.description == NormalizedURL.parseGeneral(reference)?.description, "\(reference)")
            #expect(NormalizedURL.isValid(reference) == (NormalizedURL.parseGeneral(reference) != nil), "\(reference)")
        }
    }

    @Test("byte-level dot segments", arguments: [
        "/", "/a/b", "/a/./b", "/a/../b", "/..", "/.", "/a/b/..", "/a/b/.", "/a/%2e%2e/b", "/a/%2E%2e/b",
        "/a/.%2e", "/a/%2E.", "/../../x", "/a//../b", "/.a/..b/...", "a/../b", ".", "..", "../a", "",
    ])
    func dotSegments(_ path: String) {
        var bytes = Array(path.utf8)
        let fast = bytes.withUnsafeMutableBufferPointer { buffer in
            NormalizedURL.removeDotSegments(UnsafeBufferPointer(buffer)).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect((fast ?? path) == NormalizedURL.removeDotSegments(path))
    }

    @Test("path extension on bytes", arguments: [
        ("http://a.gov.cn/x/report.PDF", "pdf"), ("http://a.gov.cn/x/.pdf", nil), ("http://a.gov.cn/x/a.", nil),
        ("http://a.gov.cn/x.y/z", nil), ("http://a.gov.cn/", nil), ("http://a.gov.cn/a.b.DocX?x=.pdf", "docx"),
        ("http://a.gov.cn/%E4%B8%AD.xls", "xls"),
    ] as [(String, String?)])
    func pathExtension(_ url: String, _ expected: String?) {
        #expect(NormalizedURL(url)?.pathExtension == expected)
    }
}
