import Foundation
import Hummingbird
import NIOCore

/// JSON responses written by hand (errors, tokens); the API's operations themselves go
/// through the generated code.
enum APIResponses {
    static func error(_ error: WebError) -> Response {
        json(["error": ["code": error.code, "message": error.message]], status: error.status)
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
