import Foundation

/// One HTTP response body the city serves, with what conditional GET needs.
struct Resource: Sendable {
    var status: Int = 200
    var contentType: String
    var body: Data
    var lastModified: Date?
    /// Extra response headers (e.g. a `Location`).
    var headers: [(name: String, value: String)] = []

    /// A strong ETag from the body bytes.
    var etag: String { "\"" + String(fnv1a64(body), radix: 16) + "\"" }

    /// Whether compressing it is worthwhile and what clients expect (text-like types).
    var isCompressible: Bool {
        contentType.hasPrefix("text/") || contentType.contains("json") || contentType.contains("xml")
            || contentType.contains("javascript")
    }

    static func html(_ text: String, gbk: Bool = false, lastModified: Date? = nil, status: Int = 200) -> Resource {
        if gbk {
            // GB18030 is a superset of GBK/GB2312; the pages only use characters GBK has.
            guard let data = text.data(using: String.Encoding(rawValue: 0x8000_0632)) else {
                preconditionFailure("GBK page holds a character outside GB18030")
            }
            return Resource(status: status, contentType: "text/html; charset=GBK", body: data, lastModified: lastModified)
        }
        return Resource(
            status: status, contentType: "text/html; charset=utf-8", body: Data(text.utf8), lastModified: lastModified)
    }
}

/// Both versions of one URL. A nil `original` means the page only exists once fixed
/// (e.g. a consultation channel a unit adds); a nil `fixed` means fixing leaves it as is.
struct WebEntry: Sendable {
    var original: Resource?
    var fixed: Resource?

    func resource(fixed useFixed: Bool) -> Resource? {
        if useFixed, let fixed { return fixed }
        return original
    }
}

/// Every static URL of the city, keyed by `http://host/path` (no query).
struct WebStore: Sendable {
    private(set) var entries: [String: WebEntry] = [:]

    mutating func add(_ url: String, original: Resource?, fixed: Resource? = nil) {
        precondition(entries[url] == nil, "two pages at \(url)")
        entries[url] = WebEntry(original: original, fixed: fixed)
    }

    mutating func replace(_ url: String, with entry: WebEntry) {
        precondition(entries[url] != nil, "nothing to replace at \(url)")
        entries[url] = entry
    }

    subscript(url: String) -> WebEntry? { entries[url] }

    /// URLs whose fixed variant differs from the original.
    var fixableURLs: [String] { entries.filter { $0.value.fixed != nil }.keys.sorted() }
}

/// Normalises `http://HOST/path` to the store's key: lowercase host, no port, no query or fragment.
func storeKey(host: String, path: String) -> String {
    var path = path
    if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
    if path.isEmpty { path = "/" }
    return "http://\(host.lowercased())\(path)"
}
