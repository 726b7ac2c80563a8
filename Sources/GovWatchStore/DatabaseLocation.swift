import Foundation

/// Where the database is: an SQLite file (the embedded default) or a PostgreSQL server.
///
/// `interfaces.md`: `sqlite://PATH` takes a relative path after two slashes and an
/// absolute one after three; `postgres://user:pass@host:port/db` selects PostgreSQL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default when neither `--db` nor `GOVWATCH_DB` is given.
    public static let defaultURL = "sqlite://govwatch.sqlite"

    public struct InvalidURL: Error, CustomStringConvertible {
        public var url: String
        public var description: String {
            "数据库地址“\(url)”无效：应为 sqlite://相对路径、sqlite:///绝对路径 或 postgres://用户:密码@主机:端口/库名"
        }
    }

    /// `--db` if given, else `$GOVWATCH_DB`, else `sqlite://govwatch.sqlite`.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> DatabaseLocation
    {
        try parse(option ?? environment["GOVWATCH_DB"] ?? defaultURL)
    }

    public static func parse(_ url: String) throws -> DatabaseLocation {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw InvalidURL(url: url) }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        throw InvalidURL(url: url)
    }

    /// Safe to print: a PostgreSQL password is hidden.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}
