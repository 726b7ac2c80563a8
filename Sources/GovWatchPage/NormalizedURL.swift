import Foundation

/// An absolute http(s) URL in normal form, used as the identity of a page or link.
///
/// Normal form: scheme and host in lower case, the default port (80 for http, 443 for
/// https) removed, `.` and `..` path segments resolved, an empty path written as `/`,
/// the fragment dropped, and characters that may not appear in a URL (spaces, Chinese
/// file names, control characters) percent-encoded as UTF-8. Existing percent escapes
/// are kept, with their hex digits in upper case. Non-ASCII host names are converted to
/// their IDNA (punycode) form.
///
/// Resolution of relative references follows RFC 3986 §5.2, with the browser leniencies
/// real pages rely on: surrounding whitespace is trimmed, tabs and line breaks inside the
/// reference are removed, and backslashes count as slashes.
public struct NormalizedURL: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// `http` or `https`.
    public let scheme: String
    /// The lower-case host name (IDNA form), or an IP literal.
    public let host: String
    /// The port when it is not the scheme's default.
    public let port: Int?
    /// The path, starting with `/`, percent-encoded.
    public let path: String
    /// The query without its `?`, percent-encoded; nil when the URL has none.
    public let query: String?
    /// The URL as a string, built once: the crawler asks for it several times per link.
    public let description: String

    /// Parses and normalises an absolute http(s) URL; nil for anything else (relative
    /// references, `javascript:`, `mailto:`, malformed hosts).
    public init?(_ string: String) {
        if let fast = Self.resolveASCII(string, against: nil) {
            guard let fast else { return nil }
            self = fast
            return
        }
        guard let general = Self.parseGeneral(string) else { return nil }
        self = general
    }

    /// `init(_:)` without the byte-level fast path: the reference implementation the fast
    /// path must agree with (tests compare the two).
    static func parseGeneral(_ string: String) -> NormalizedURL? {
        guard let parsed = URLReference(string), let scheme = parsed.scheme else { return nil }
        return NormalizedURL(scheme: scheme, authority: parsed.authority, path: parsed.path, query: parsed.query)
    }

    /// Resolves `reference` (as found in an `href` or `src`) against this URL.
    /// Returns nil for references that do not lead to an http(s) URL.
    public func resolve(_ reference: String) -> NormalizedURL? {
        if let fast = Self.resolveASCII(reference, against: self) { return fast }
        return resolveGeneral(reference)
    }

    /// Whether `NormalizedURL(string)` would succeed, without building the URL when the
    /// answer is plain: an http(s) URL of printable ASCII whose authority is a usual host
    /// name and port. (Only the scheme and the authority can make the parse fail.)
    package static func isValid(_ string: String) -> Bool {
        var string = string
        let plain: Bool? = string.withUTF8 { bytes in
            guard bytes.count <= 8192, let scan = ReferenceScan(bytes), let colon = scan.schemeColon(bytes) else { return nil }
            guard Self.schemeName(bytes, colon: colon) != nil else { return false }
            guard scan.startsWithTwoSlashes(bytes, at: colon + 1) else { return nil }
            let authority = scan.authority(bytes, skippingSlashesFrom: colon + 1)
            return plainAuthority(UnsafeBufferPointer(rebasing: bytes[authority])) != nil ? true : nil
        }
        return plain ?? (parseGeneral(string) != nil)
    }

    /// `resolve(_:)` without the byte-level fast path (the reference implementation).
    func resolveGeneral(_ reference: String) -> NormalizedURL? {
        guard let ref = URLReference(reference) else { return nil }
        if let scheme = ref.scheme {
            if scheme != "http" && scheme != "https" { return nil }
            // "http:page.html" (scheme without authority) is relative in browsers when the
            // scheme matches the base; treat it like them.
            if ref.authority == nil && scheme == self.scheme {
                return resolveRelative(URLReference(scheme: nil, authority: nil, path: ref.path, query: ref.query))
            }
            return NormalizedURL(scheme: scheme, authority: ref.authority, path: ref.path, query: ref.query)
        }
        return resolveRelative(ref)
    }

    private func resolveRelative(_ ref: URLReference) -> NormalizedURL? {
        if let authority = ref.authority {
            return NormalizedURL(scheme: scheme, authority: authority, path: ref.path, query: ref.query)
        }
        let authority = port.map { "\(host):\($0)" } ?? host
        if ref.path.isEmpty {
            return NormalizedURL(scheme: scheme, authority: authority, path: path, query: ref.query ?? query)
        }
        if ref.path.hasPrefix("/") {
            return NormalizedURL(scheme: scheme, authority: authority, path: ref.path, query: ref.query)
        }
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return NormalizedURL(scheme: scheme, authority: authority, path: directory + ref.path, query: ref.query)
    }

    private init?(scheme: String, authority: String?, path: String, query: String?) {
        guard scheme == "http" || scheme == "https", let authority, !authority.isEmpty else { return nil }
        if let (host, port) = Self.plainAuthority(authority) {
            self.init(scheme: scheme, host: host, port: port, path: path, query: query)
            return
        }
        // Drop user information: it never identifies a different page.
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        var hostPart = hostPort
        var port: Int?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            hostPart = String(hostPort[...close])
            let rest = hostPort[hostPort.index(after: close)...]
            if rest.hasPrefix(":") {
                let digits = rest.dropFirst()
                if !digits.isEmpty {
                    guard let value = Int(digits), (0...65535).contains(value) else { return nil }
                    port = value
                }
            } else if !rest.isEmpty {
                return nil
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            hostPart = String(hostPort[..<colon])
            let digits = hostPort[hostPort.index(after: colon)...]
            if !digits.isEmpty {
                guard digits.allSatisfy(\.isASCII), let value = Int(digits), (0...65535).contains(value) else { return nil }
                port = value
            }
        }
        guard let host = NormalizedURL.normalizeHost(hostPart) else { return nil }
        self.init(scheme: scheme, host: host, port: port, path: path, query: query)
    }

    /// An authority of the usual shape — an ASCII host name (letters, digits, `-`, `.`,
    /// `_`, not ending in a dot) and perhaps `:` and a port of 1–5 digits — split with
    /// host in lower case, without building substrings; nil for anything else, which the
    /// general parsing handles.
    private static func plainAuthority(_ authority: String) -> (host: String, port: Int?)? {
        var authority = authority
        return authority.withUTF8 { plainAuthority($0) }
    }

    private static func plainAuthority(_ authority: UnsafeBufferPointer<UInt8>) -> (host: String, port: Int?)? {
        var port: Int?
        var hostEnd = 0
        for byte in authority {
            if let current = port {
                guard byte >= 0x30, byte <= 0x39, current < 10_000 else { return nil }
                port = current * 10 + Int(byte - 0x30)
                continue
            }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                hostEnd += 1
            case UInt8(ascii: ":") where hostEnd > 0:
                port = 0
            default:
                return nil
            }
        }
        guard hostEnd > 0, authority[hostEnd - 1] != UInt8(ascii: ".") else { return nil }
        if let port, port > 65535 || authority.last == UInt8(ascii: ":") { return nil }
        let hostBytes = UnsafeBufferPointer(rebasing: authority[..<hostEnd])
        // Host names are nearly always written in lower case already: then no copy.
        if !hostBytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return (String(decoding: hostBytes, as: UTF8.self), port) }
        return (String(decoding: hostBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self), port)
    }

    private init(scheme: String, host: String, port: Int?, path: String, query: String?) {
        var port = port
        if port == (scheme == "http" ? 80 : 443) { port = nil }
        self.scheme = scheme
        self.host = host
        self.port = port
        let resolved = NormalizedURL.removeDotSegments(path.isEmpty ? "/" : path)
        self.path = NormalizedURL.percentEncode(resolved.hasPrefix("/") ? resolved : "/" + resolved, allowing: .path)
        self.query = query.map { NormalizedURL.percentEncode($0, allowing: .query) }
        var description = scheme + "://" + host
        if let port { description += ":\(port)" }
        description += self.path
        if let query = self.query { description += "?" + query }
        self.description = description
    }

    /// The URL as a string (same as `description`).
    public var string: String { description }

    /// The host with its port when non-default, e.g. `www.example.gov.cn:8080`.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }

    /// The URL as a Foundation `URL`.
    public var url: URL? { URL(string: description) }

    /// The lower-case extension of the last path segment (`pdf`, `docx`), if any.
    public var pathExtension: String? {
        // On the bytes: the path is percent-encoded ASCII, and this is asked of every link.
        let bytes = path.utf8
        let segmentStart = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        guard let dot = bytes[segmentStart...].lastIndex(of: UInt8(ascii: ".")), dot != segmentStart else { return nil }
        let ext = bytes[bytes.index(after: dot)...]
        guard !ext.isEmpty else { return nil }
        return String(decoding: ext.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    public static func < (lhs: NormalizedURL, rhs: NormalizedURL) -> Bool {
        lhs.description < rhs.description
    }

    // The string determines every part (and the parts the string): compare and hash it alone.
    public static func == (lhs: NormalizedURL, rhs: NormalizedURL) -> Bool {
        lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let url = NormalizedURL(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "不是有效的 http(s) 网址：\(string)")
        }
        self = url
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: - Normalisation helpers

    static func normalizeHost(_ raw: String) -> String? {
        var host = raw.lowercased()
        while host.hasSuffix(".") && host.count > 1 { host.removeLast() }
        guard !host.isEmpty else { return nil }
        if host.hasPrefix("[") { return host } // IPv6 literal
        if host.unicodeScalars.allSatisfy(\.isASCII) {
            let allowed = host.unicodeScalars.allSatisfy {
                ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "." || $0 == "_"
            }
            return allowed ? host : nil
        }
        // Chinese domains such as 万载政府网.政务: IDNA, label by label.
        var labels: [String] = []
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                labels.append(String(label))
            } else {
                guard let encoded = Punycode.encode(String(label)) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        // Only a segment starting with "." or "%" can be a dot segment.
        var previous = UInt8(ascii: "/")
        let hasCandidate = path.utf8.contains { byte in
            defer { previous = byte }
            return previous == UInt8(ascii: "/") && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: "%"))
        }
        guard hasCandidate else { return path }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var output: [Substring] = []
        for (position, segment) in segments.enumerated() {
            let isLast = position == segments.count - 1
            switch segment {
            case ".", "%2e", "%2E":
                if isLast { output.append("") }
            case "..", ".%2e", ".%2E", "%2e.", "%2E.", "%2e%2e", "%2E%2E":
                if output.count > 1 { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        var result = output.joined(separator: "/")
        if !result.hasPrefix("/") && path.hasPrefix("/") { result = "/" + result }
        return result
    }

    enum Component { case path, query }

    static func percentEncode(_ string: String, allowing component: Component) -> String {
        // Most URLs are already in normal form: then the string itself is the result.
        if string.utf8.allSatisfy({ isAllowed($0, in: component) }) { return string }
        var result = ""
        result.reserveCapacity(string.utf8.count)
        let bytes = Array(string.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                if index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) {
                    result.append("%")
                    result.append(Character(Unicode.Scalar(upperHex(bytes[index + 1]))))
                    result.append(Character(Unicode.Scalar(upperHex(bytes[index + 2]))))
                    index += 3
                    continue
                }
                result += "%25"
            } else if isAllowed(byte, in: component) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += String(format: "%%%02X", byte)
            }
            index += 1
        }
        return result
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    private static func upperHex(_ byte: UInt8) -> UInt8 {
        byte >= 0x61 && byte <= 0x66 ? byte - 0x20 : byte
    }

    private static func isAllowed(_ byte: UInt8, in component: Component) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"),
             UInt8(ascii: "@"), UInt8(ascii: "/"):
            return true
        case UInt8(ascii: "?"):
            return component == .query
        default:
            return false
        }
    }

    // MARK: - Byte-level fast path

    /// `resolve(_:)` (with a base) or `init(_:)` (without) on the UTF-8 bytes, for the
    /// references nearly every page is made of: printable ASCII, relative or absolute
    /// http(s), with a usual host name. Splitting and rebuilding `String`s for every link
    /// was a tenth of the page analysis. Returns nil when the reference needs the general
    /// parsing (non-ASCII, whitespace, backslashes, odd authorities, `http:g`), `.some(nil)`
    /// when the answer is known to be "no URL" (another scheme).
    static func resolveASCII(_ reference: String, against base: NormalizedURL?) -> NormalizedURL?? {
        var reference = reference
        return reference.withUTF8 { bytes -> NormalizedURL?? in
            guard bytes.count <= 8192, let scan = ReferenceScan(bytes) else { return nil }
            let beforeQuery = scan.beforeQuery
            let query = scan.mark.map { UnsafeBufferPointer(rebasing: bytes[($0 + 1)..<scan.end]) }
            if let colon = scan.schemeColon(bytes) {
                guard let scheme = schemeName(bytes, colon: colon) else { return .some(nil) }
                guard scan.startsWithTwoSlashes(bytes, at: colon + 1) else { return nil }
                let authority = scan.authority(bytes, skippingSlashesFrom: colon + 1)
                guard let (host, port) = plainAuthority(UnsafeBufferPointer(rebasing: bytes[authority])) else { return nil }
                return NormalizedURL(
                    scheme: scheme, host: host, port: port,
                    path: UnsafeBufferPointer(rebasing: bytes[authority.upperBound..<beforeQuery]), query: query)
            }
            guard let base else { return nil }
            if scan.startsWithTwoSlashes(bytes, at: 0) {
                let authority = scan.authority(bytes, from: 2)
                guard let (host, port) = plainAuthority(UnsafeBufferPointer(rebasing: bytes[authority])) else { return nil }
                return NormalizedURL(
                    scheme: base.scheme, host: host, port: port,
                    path: UnsafeBufferPointer(rebasing: bytes[authority.upperBound..<beforeQuery]), query: query)
            }
            let path = UnsafeBufferPointer(rebasing: bytes[..<beforeQuery])
            var basePath = base.path
            return basePath.withUTF8 { basePath -> NormalizedURL in
                if path.isEmpty {
                    // "?page=2" keeps the path; "" keeps the query too.
                    if query != nil || base.query == nil {
                        return NormalizedURL(scheme: base.scheme, host: base.host, port: base.port, path: basePath, query: query)
                    }
                    var baseQuery = base.query ?? ""
                    return baseQuery.withUTF8 {
                        NormalizedURL(scheme: base.scheme, host: base.host, port: base.port, path: basePath, query: $0)
                    }
                }
                if path.first == UInt8(ascii: "/") {
                    return NormalizedURL(scheme: base.scheme, host: base.host, port: base.port, path: path, query: query)
                }
                // Relative path: the base's directory (through its last slash), then the reference.
                let directory = (basePath.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(directory, 1) + path.count) { merged in
                    var count = 0
                    if directory == 0 {
                        merged[0] = UInt8(ascii: "/")
                        count = 1
                    } else {
                        for byte in basePath[..<directory] { merged[count] = byte; count += 1 }
                    }
                    for byte in path { merged[count] = byte; count += 1 }
                    return NormalizedURL(
                        scheme: base.scheme, host: base.host, port: base.port,
                        path: UnsafeBufferPointer(rebasing: merged[..<count]), query: query)
                }
            }
        }
    }

    /// `http` or `https` for a scheme of either, in any case; nil for any other scheme.
    private static func schemeName(_ bytes: UnsafeBufferPointer<UInt8>, colon: Int) -> String? {
        guard colon == 4 || colon == 5 else { return nil }
        // ASCII letters only (checked by `isScheme`): setting bit 0x20 lowers them.
        guard bytes[0] | 0x20 == UInt8(ascii: "h"), bytes[1] | 0x20 == UInt8(ascii: "t"), bytes[2] | 0x20 == UInt8(ascii: "t"),
            bytes[3] | 0x20 == UInt8(ascii: "p")
        else { return nil }
        if colon == 4 { return "http" }
        return bytes[4] | 0x20 == UInt8(ascii: "s") ? "https" : nil
    }

    /// The normal form from parts already split, as `init(scheme:host:port:path:query:)`
    /// does from `String`s: the port (not yet checked against the default), the path (not
    /// yet freed of dot segments or percent-encoded) and the query (not yet encoded) as
    /// bytes. The description is written once, and path and query are read out of it.
    private init(scheme: String, host: String, port: Int?, path: UnsafeBufferPointer<UInt8>, query: UnsafeBufferPointer<UInt8>?) {
        var port = port
        if port == (scheme == "http" ? 80 : 443) { port = nil }
        self.scheme = scheme
        self.host = host
        self.port = port
        var pathText = ""
        var queryText: String?
        func build(_ path: UnsafeBufferPointer<UInt8>) -> String {
            var host = host
            return host.withUTF8 { hostBytes in
                let capacity = scheme.utf8.count + 3 + hostBytes.count + 6 + 1 + 3 * path.count + (query.map { 1 + 3 * $0.count } ?? 0)
                return String(unsafeUninitializedCapacity: capacity) { out in
                    var position = 0
                    func put(_ byte: UInt8) {
                        out[position] = byte
                        position += 1
                    }
                    for byte in scheme.utf8 { put(byte) }
                    put(UInt8(ascii: ":")); put(UInt8(ascii: "/")); put(UInt8(ascii: "/"))
                    for byte in hostBytes { put(byte) }
                    if let port {
                        put(UInt8(ascii: ":"))
                        for digit in String(port).utf8 { put(digit) }
                    }
                    let pathStart = position
                    if path.first != UInt8(ascii: "/") { put(UInt8(ascii: "/")) }
                    Self.appendEncoded(path, allowing: .path, to: out, at: &position)
                    pathText = String(decoding: UnsafeBufferPointer(rebasing: out[pathStart..<position]), as: UTF8.self)
                    if let query {
                        put(UInt8(ascii: "?"))
                        let queryStart = position
                        Self.appendEncoded(query, allowing: .query, to: out, at: &position)
                        queryText = String(decoding: UnsafeBufferPointer(rebasing: out[queryStart..<position]), as: UTF8.self)
                    }
                    return position
                }
            }
        }
        if path.isEmpty {
            // An empty path is written "/".
            var slash = UInt8(ascii: "/")
            description = withUnsafePointer(to: &slash) { build(UnsafeBufferPointer(start: $0, count: 1)) }
        } else if let resolved = Self.removeDotSegments(path) {
            description = resolved.withUnsafeBufferPointer { build($0) }
        } else {
            description = build(path)
        }
        self.path = pathText
        self.query = queryText
    }


    /// `removeDotSegments(_:)` on bytes; nil when the path has no dot segment (nearly
    /// always), so that it is used as it is.
    static func removeDotSegments(_ path: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        // Only a segment starting with "." or "%" can be a dot segment.
        var previous = UInt8(ascii: "/")
        let hasCandidate = path.contains { byte in
            defer { previous = byte }
            return previous == UInt8(ascii: "/") && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: "%"))
        }
        guard hasCandidate else { return nil }
        // The kept segments joined by "/" as they are found; removing the last one cuts
        // the output at its last slash (segments hold none).
        var output: [UInt8] = []
        output.reserveCapacity(path.count + 1)
        var kept = 0
        func append(_ segment: UnsafeBufferPointer<UInt8>.SubSequence) {
            if kept > 0 { output.append(UInt8(ascii: "/")) }
            output.append(contentsOf: segment)
            kept += 1
        }
        var start = 0
        for index in 0...path.count where index == path.count || path[index] == UInt8(ascii: "/") {
            let segment = path[start..<index]
            let isLast = index == path.count
            switch dotSegment(segment) {
            case 1:
                if isLast { append(segment[start..<start]) }
            case 2:
                if kept > 1 {
                    output.removeSubrange((output.lastIndex(of: UInt8(ascii: "/")) ?? 0)...)
                    kept -= 1
                }
                if isLast { append(segment[start..<start]) }
            default:
                append(segment)
            }
            start = index + 1
        }
        if output.first != UInt8(ascii: "/") && path.first == UInt8(ascii: "/") { output.insert(UInt8(ascii: "/"), at: 0) }
        return output
    }

    /// 1 for `.` (also written `%2e`/`%2E`), 2 for `..` (`.%2e`, `%2E.`, `%2e%2e`, …), 0 otherwise:
    /// the spellings `removeDotSegments(_:)` knows.
    private static func dotSegment(_ segment: UnsafeBufferPointer<UInt8>.SubSequence) -> Int {
        let dot = UInt8(ascii: ".")
        let start = segment.startIndex
        // The "e" or "E" of "%2e"/"%2E" starting at `index`, else nil.
        func encodedDot(_ index: Int) -> UInt8? {
            guard segment[index] == UInt8(ascii: "%"), segment[index + 1] == UInt8(ascii: "2") else { return nil }
            let letter = segment[index + 2]
            return letter == UInt8(ascii: "e") || letter == UInt8(ascii: "E") ? letter : nil
        }
        switch segment.count {
        case 1: return segment[start] == dot ? 1 : 0
        case 2: return segment[start] == dot && segment[start + 1] == dot ? 2 : 0
        case 3: return encodedDot(start) != nil ? 1 : 0
        case 4:
            return (segment[start] == dot && encodedDot(start + 1) != nil) || (encodedDot(start) != nil && segment[start + 3] == dot) ? 2 : 0
        case 6:
            guard let first = encodedDot(start), let second = encodedDot(start + 3) else { return 0 }
            return first == second ? 2 : 0
        default: return 0
        }
    }

    /// `percentEncode(_:allowing:)` writing into `out` from `position` (3 bytes per input
    /// byte at most).
    private static func appendEncoded(
        _ bytes: UnsafeBufferPointer<UInt8>, allowing component: Component, to out: UnsafeMutableBufferPointer<UInt8>,
        at position: inout Int
    ) {
        let hexDigits: StaticString = "0123456789ABCDEF"
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isAllowed(byte, in: component) {
                out[position] = byte
                position += 1
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) {
                // An existing escape stays, with its hex digits in upper case.
                out[position] = byte
                out[position + 1] = upperHex(bytes[index + 1])
                out[position + 2] = upperHex(bytes[index + 2])
                position += 3
                index += 3
                continue
            } else {
                out[position] = UInt8(ascii: "%")
                out[position + 1] = hexDigits.utf8Start[Int(byte >> 4)]
                out[position + 2] = hexDigits.utf8Start[Int(byte & 0x0F)]
                position += 3
            }
            index += 1
        }
    }
}

/// Where the delimiters of a reference of printable ASCII without backslashes are; nil for
/// any other reference (the general parsing trims, drops and converts those).
struct ReferenceScan {
    /// The end of the part before the fragment (`#`).
    var end: Int
    /// The `?` that starts the query, if any (before the fragment).
    var mark: Int?
    /// The end of the scheme, authority and path.
    var beforeQuery: Int { mark ?? end }

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var end: Int?
        var mark: Int?
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            if end == nil {
                if byte == UInt8(ascii: "#") {
                    end = index
                } else if byte == UInt8(ascii: "?") && mark == nil {
                    mark = index
                }
            }
        }
        self.end = end ?? bytes.count
        self.mark = mark
    }

    /// The colon ending a scheme (the first colon before the query, after a valid scheme name).
    func schemeColon(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let colon = bytes[..<beforeQuery].firstIndex(of: UInt8(ascii: ":")),
            URLReference.isScheme(bytes[..<colon])
        else { return nil }
        return colon
    }

    func startsWithTwoSlashes(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 1 < beforeQuery && bytes[index] == UInt8(ascii: "/") && bytes[index + 1] == UInt8(ascii: "/")
    }

    /// The authority starting at `start`: up to the next slash of the path.
    func authority(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int> {
        start..<(bytes[start..<beforeQuery].firstIndex(of: UInt8(ascii: "/")) ?? beforeQuery)
    }

    /// After `http:`, browsers skip any number of slashes before the host ("http:///x").
    func authority(_ bytes: UnsafeBufferPointer<UInt8>, skippingSlashesFrom start: Int) -> Range<Int> {
        var start = start
        while start < beforeQuery, bytes[start] == UInt8(ascii: "/") { start += 1 }
        return authority(bytes, from: start)
    }
}

/// A URL reference split into its RFC 3986 parts, before resolution.
struct URLReference {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?

    init(scheme: String?, authority: String?, path: String, query: String?) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
    }

    init?(_ raw: String) {
        guard raw.utf8.count <= 8192 else { return nil } // no real link is this long
        // Browser leniencies: trim C0 controls and spaces, drop tabs and newlines
        // anywhere, read backslashes as slashes (only before the query). A reference of
        // printable ASCII (nearly all of them) needs none of the first two.
        let text = Self.isPrintableASCII(raw) ? raw : Self.trimmedLeniently(raw)
        // The parts are found on the UTF-8 bytes: splitting `String`s by `Character` was a
        // tenth of the crawler's CPU time.
        var bytes = Array(text.utf8)
        let end = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
        let mark = bytes[..<end].firstIndex(of: UInt8(ascii: "?"))
        let beforeQuery = mark ?? end
        for index in 0..<beforeQuery where bytes[index] == UInt8(ascii: "\\") { bytes[index] = UInt8(ascii: "/") }
        query = mark.map { String(decoding: bytes[($0 + 1)..<end], as: UTF8.self) }

        var rest = 0
        func authority(from start: Int) -> (String, Int) {
            let stop = bytes[start..<beforeQuery].firstIndex(of: UInt8(ascii: "/")) ?? beforeQuery
            return (String(decoding: bytes[start..<stop], as: UTF8.self), stop)
        }
        func startsWithTwoSlashes(_ index: Int) -> Bool {
            index + 1 < beforeQuery && bytes[index] == UInt8(ascii: "/") && bytes[index + 1] == UInt8(ascii: "/")
        }
        if let colon = bytes[..<beforeQuery].firstIndex(of: UInt8(ascii: ":")), Self.isScheme(bytes[..<colon]) {
            let name = String(decoding: bytes[..<colon].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
            scheme = name
            rest = colon + 1
            if (name == "http" || name == "https") && startsWithTwoSlashes(rest) {
                // "http:///x": browsers skip any number of slashes before the host.
                while rest < beforeQuery, bytes[rest] == UInt8(ascii: "/") { rest += 1 }
                (self.authority, rest) = authority(from: rest)
            }
        }
        if self.authority == nil && startsWithTwoSlashes(rest) {
            (self.authority, rest) = authority(from: rest + 2)
        }
        self.path = String(decoding: bytes[rest..<beforeQuery], as: UTF8.self)
    }

    /// Only bytes 0x21–0x7E: nothing to trim or drop.
    private static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// Surrounding spaces, C0 controls, no-break and ideographic spaces trimmed; tabs and
    /// line breaks removed anywhere.
    private static func trimmedLeniently(_ raw: String) -> String {
        let trimmable: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\u{0C}", "\u{00A0}", "\u{3000}"]
        var scalars = Substring(raw).unicodeScalars
        while let first = scalars.first, trimmable.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, trimmable.contains(last) { scalars.removeLast() }
        var text = String(String.UnicodeScalarView(scalars))
        text.unicodeScalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return text
    }

    /// A scheme: an ASCII letter, then letters, digits, `+`, `-` or `.`.
    static func isScheme<Bytes: Collection<UInt8>>(_ candidate: Bytes) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }
        guard let first = candidate.first, isLetter(first) else { return false }
        return candidate.allSatisfy {
            isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }
}

/// RFC 3492 Punycode, for internationalised host labels (e.g. `政务`).
enum Punycode {
    static func encode(_ label: String) -> String? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        let input = label.unicodeScalars.map { Int($0.value) }
        var output = input.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = 0x80, delta = 0, bias = 72

        func digit(_ value: Int) -> Character {
            Character(Unicode.Scalar(UInt8(value < 26 ? value + 97 : value + 22)))
        }
        func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / count
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }

        while handled < input.count {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            if overflow { return nil }
            delta += product
            n = m
            for c in input {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }
}
