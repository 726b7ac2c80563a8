import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small blocking HTTP/1.1 client over a POSIX socket, so the tests see the
/// wire exactly (absolute-form targets as a proxy client sends them, raw bytes, timing).
struct RawHTTP {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    enum Failure: Error { case connect, closedEarly, badResponse }

    let fd: Int32

    init(port: Int, receiveTimeout: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            _ = Glibc.close(fd)
            throw Failure.connect
        }
    }

    func close() { _ = Glibc.close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Reads up to `max` bytes (fewer when the peer sends fewer); empty at end of stream or timeout.
    func receive(max: Int = 65536) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
        return count > 0 ? Array(buffer.prefix(count)) : []
    }

    /// Reads one whole response; `bodyLimit` caps how much body is read (the rest is left unread).
    func readResponse(head isHead: Bool = false, bodyLimit: Int = 64 << 20) throws -> Response {
        var data: [UInt8] = []
        var headerEnd: Int?
        while headerEnd == nil {
            let chunk = receive()
            guard !chunk.isEmpty else { throw Failure.closedEarly }
            data += chunk
            if let range = findCRLFCRLF(data) { headerEnd = range }
        }
        let headText = String(decoding: data[..<headerEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure.badResponse }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(data[(headerEnd! + 4)...])
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        let wanted = (isHead || status == 304) ? 0 : min(length, bodyLimit)
        while body.count < wanted {
            let chunk = receive()
            guard !chunk.isEmpty else { throw Failure.closedEarly }
            body += chunk
        }
        return Response(status: status, headers: headers, body: body)
    }

    private func findCRLFCRLF(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// One request through the proxy, absolute-form, on a fresh connection.
    static func get(
        _ url: String, port: Int, method: String = "GET", headers: [String: String] = [:], bodyLimit: Int = 64 << 20
    ) throws -> Response {
        let client = try RawHTTP(port: port)
        defer { client.close() }
        let host = URLComponents(string: url)?.host ?? ""
        var request = "\(method) \(url) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        client.send(request + "\r\n")
        return try client.readResponse(head: method == "HEAD", bodyLimit: bodyLimit)
    }
}
