import Foundation
import GovWatchStore
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// One entry of the navigation bar.
public struct NavigationItem: Sendable {
    public var title: String
    public var path: String
    public var active: Bool
}

/// Renders the Mustache templates shipped in `Templates/` inside the one layout.
///
/// A page is drawn in two steps: its template (`site.mustache`: the content alone, with an
/// optional `site-head.mustache` for the `<head>`) and then `layout.mustache` around it,
/// which gets `title`, `navigation`, `user`, `csrfToken` from the ``PageFrame``. The content
/// of the busiest pages is the same for every user of a scope, so it can be rendered once
/// without the frame (``content(_:values:)``) and cached (``ComputedPageCache``), while the
/// frame (who is signed in, their CSRF token) is drawn for each request. Only `{{ }}`
/// (escaped) is used for data: crawled text is never trusted; the layout's `{{{content}}}`
/// inserts HTML this renderer escaped itself.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads the templates from the target's resources.
    public static func load() async throws -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw WebError.internalError
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory.path))
    }

    /// The navigation (web.md's pages), each shown to the roles that may use it.
    public static func navigation(for user: UserAccount?, currentPath: String) -> [NavigationItem] {
        guard let user else { return [] }
        let office = user.role == .admin || user.role == .inspector
        let items: [(String, String, Bool)] = [
            ("总览", "/", true),
            ("网站", "/sites", true),
            ("新媒体", "/accounts", true),
            ("问题", "/findings", true),
            ("整改", "/tickets", true),
            ("检查", "/runs", user.role != .unit),
            ("通报", "/reports", user.role != .unit),
            ("三审", "/scan", true),
            ("台账", "/registry", office),
            ("设置", "/settings", user.role == .admin),
            ("用户", "/users", user.role == .admin),
        ]
        return items.filter(\.2).map { title, path, _ in
            NavigationItem(
                title: title, path: path,
                active: path == "/" ? currentPath == "/" : (currentPath == path || currentPath.hasPrefix(path + "/")))
        }
    }

    /// Renders a page: its template with the frame's values and the page's, in the layout.
    public func render(_ template: String, frame: PageFrame, values: [String: Any] = [:]) throws -> String {
        var object = frame.values
        for (key, value) in values { object[key] = value }
        return try layout(frame: frame, content: try renderTemplate(template, object), head: try head(template, object))
    }

    /// A page's content without the frame: the same for everyone who may see it, so it can
    /// be cached. Its template must not use the frame's values (the user, the CSRF token).
    public func content(_ template: String, values: [String: Any]) throws -> PageContent {
        PageContent(html: try renderTemplate(template, values), head: try head(template, values))
    }

    /// An HTML response of a rendered page.
    public func page(
        _ template: String, frame: PageFrame, values: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        Self.html(try render(template, frame: frame, values: values), status: status)
    }

    /// An HTML response of content rendered before (``content(_:values:)``) in this request's frame.
    public func page(_ content: PageContent, frame: PageFrame) throws -> Response {
        Self.html(try layout(frame: frame, content: content.html, head: content.head))
    }

    private func renderTemplate(_ template: String, _ object: [String: Any]) throws -> String {
        guard let html = library.render(object, withTemplate: template) else { throw WebError.internalError }
        return html
    }

    private func head(_ template: String, _ object: [String: Any]) throws -> String {
        library.getTemplate(named: template + "-head") == nil ? "" : try renderTemplate(template + "-head", object)
    }

    private func layout(frame: PageFrame, content: String, head: String) throws -> String {
        var object = frame.values
        object["content"] = content
        object["head"] = head
        return try renderTemplate("layout", object)
    }

    /// The Chinese error page (404, 403, 429, …).
    public func errorPage(_ error: WebError, identity: Identity?) -> Response {
        let frame = PageFrame(title: Self.errorTitle(error.status), identity: identity, path: "")
        let values: [String: Any] = ["status": error.status.code, "message": error.message]
        let html = (try? render("error", frame: frame, values: values)) ?? "<!doctype html><title>错误</title><p>\(error.status.code)</p>"
        return Self.html(html, status: error.status)
    }

    static func errorTitle(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "请求有误"
        case 401: "请先登录"
        case 403: "无权访问"
        case 404: "页面不存在"
        case 413: "内容过大"
        case 415: "文件类型不支持"
        case 429: "请求过于频繁"
        default: "服务器错误"
        }
    }

    public static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A page's content rendered before its frame (see ``PageRenderer/content(_:values:)``).
public struct PageContent: Sendable {
    public var html: String
    public var head: String

    /// What it costs the cache: the bytes of its text.
    public var bytes: Int { html.utf8.count + head.utf8.count }
}

/// The values the layout needs on every page.
public struct PageFrame {
    public var title: String
    public var identity: Identity?
    public var path: String

    public init(title: String, identity: Identity?, path: String) {
        self.title = title
        self.identity = identity
        self.path = path
    }

    var values: [String: Any] {
        var values: [String: Any] = ["title": title]
        if let identity {
            var user: [String: Any] = [
                "username": identity.user.username, "displayName": identity.user.displayName,
                "roleName": identity.user.role.chineseName,
            ]
            // Absent rather than empty: a Mustache section renders for any string, even "".
            if let unit = identity.user.unitName, !unit.isEmpty { user["unitName"] = unit }
            values["user"] = user
            values["csrfToken"] = identity.csrfToken ?? ""
            values["navigation"] = PageRenderer.navigation(for: identity.user, currentPath: path).map {
                ["title": $0.title, "path": $0.path, "active": $0.active] as [String: Any]
            }
        }
        return values
    }
}
