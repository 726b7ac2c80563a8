import HTTPTypes
import Hummingbird

/// An error a request ends with: HTTP status, the API's error code and a Chinese message.
/// API requests get `{"error":{"code","message"}}`; pages get a Chinese error page.
public struct WebError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Headers to add (e.g. `Retry-After`).
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public static func badRequest(_ message: String) -> WebError { .init(status: .badRequest, code: "bad_request", message: message) }
    public static let unauthenticated = WebError(status: .unauthorized, code: "unauthenticated", message: "请先登录")
    public static let forbidden = WebError(status: .forbidden, code: "forbidden", message: "您没有执行此操作的权限")
    public static let notFound = WebError(status: .notFound, code: "not_found", message: "您要找的内容不存在")
    public static let csrfRejected = WebError(
        status: .forbidden, code: "forbidden", message: "请求缺少有效的安全令牌（CSRF），请刷新页面后重试")
    public static func conflict(_ message: String) -> WebError { .init(status: .conflict, code: "conflict", message: message) }
    public static func tooLarge(_ message: String) -> WebError { .init(status: .contentTooLarge, code: "too_large", message: message) }
    public static func unsupportedType(_ message: String) -> WebError {
        .init(status: .unsupportedMediaType, code: "unsupported_type", message: message)
    }
    public static func rateLimited(_ message: String, retryAfter: Int) -> WebError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfter)
        return .init(status: .tooManyRequests, code: "rate_limited", message: message, headers: headers)
    }
    public static let internalError = WebError(
        status: .internalServerError, code: "internal", message: "服务器内部错误，请稍后重试或联系管理员")
}
