import HTTPTypes
import Hummingbird

/// A path the router knows, asked with a method it does not serve, answers 405 with the
/// `Allow` header (RFC 9110 §15.5.6) instead of the router's 404: the path exists for
/// everyone (routes are the same for every user), so this reveals nothing about objects.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let catalog: RouteCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let methods = Set(catalog.routes.filter { Self.matches(template: $0.path, path: request.uri.path) }.map(\.method))
            guard !methods.isEmpty, !methods.contains(request.method.rawValue) else { throw error }
            throw WebError(
                status: .methodNotAllowed, code: "bad_request", message: "此地址不支持 \(request.method.rawValue) 请求",
                headers: [.allow: methods.sorted().joined(separator: ", ")])
        }
    }

    /// Whether `path` fits a route template such as `/api/v1/tickets/{id}/verify` or
    /// `/sites/:code` (a parameter matches any one segment, `*`/`**` the rest).
    static func matches(template: String, path: String) -> Bool {
        let expected = template.split(separator: "/", omittingEmptySubsequences: true)
        let actual = path.split(separator: "/", omittingEmptySubsequences: true)
        if expected.last == "**" { return actual.count >= expected.count - 1 && zip(expected, actual).allSatisfy(segmentMatches) }
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).allSatisfy(segmentMatches)
    }

    private static func segmentMatches(_ pair: (Substring, Substring)) -> Bool {
        let (template, segment) = pair
        if template.hasPrefix(":") || template.hasPrefix("*") || template.contains("{") { return true }
        return template == segment
    }
}
