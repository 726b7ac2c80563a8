import Foundation
import GovWatchStore

/// Everything `govwatch serve` is configured with, in one place, with its defaults.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless the operator says otherwise.
    public var host: String
    public var port: Int
    /// The address people use to reach the server (behind a proxy it differs from the bind
    /// address); an https URL marks the session cookie `Secure`.
    public var publicURL: URL?
    /// A session ends after this long without use (web.md: 8 hours).
    public var sessionIdleTimeout: TimeInterval
    /// bcrypt's cost for passwords set through the server; tests lower it.
    public var bcryptCost: UInt8
    /// The clock every time-dependent decision reads (sessions, throttling, audit); tests
    /// move it instead of sleeping.
    public var clock: @Sendable () -> Date
    /// Login throttling (web.md): failures per user name and per address within the window.
    public var throttle: LoginThrottle
    /// Checks a password against its bcrypt hash (`Credentials.verifyPassword`); tests count
    /// its calls to see that an unknown user name costs the same bcrypt run as a wrong password.
    public var verifyPassword: @Sendable (_ password: String, _ hash: String) async throws -> Bool
    /// Each ticket feedback file may be this large (web.md: 20 MiB; the configuration's
    /// `upload.max_attachment_mib` may lower it, the store never takes more).
    public var maximumAttachmentBytes = Store.maximumAttachmentBytes
    /// The reverse proxies whose `X-Forwarded-For` names the client (`server.trusted_proxies`);
    /// empty: the peer's own address is the client's.
    public var trustedProxies: Set<String> = []
    /// How many bytes of computed page content `serve` keeps until the data changes
    /// (`server.page_cache_mib`, ``ComputedPageCache``); 0 computes every page afresh.
    public var pageCacheBytes = 64 << 20

    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicURL: URL? = nil, sessionIdleTimeout: TimeInterval = 8 * 3600,
        bcryptCost: UInt8 = 12, clock: @escaping @Sendable () -> Date = { Date() }, throttle: LoginThrottle = LoginThrottle(),
        verifyPassword: @escaping @Sendable (_ password: String, _ hash: String) async throws -> Bool = Credentials.verifyPassword
    ) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.sessionIdleTimeout = sessionIdleTimeout
        self.bcryptCost = bcryptCost
        self.clock = clock
        self.throttle = throttle
        self.verifyPassword = verifyPassword
    }

    /// Whether cookies must be marked `Secure` (the public URL is https).
    public var secureCookies: Bool { publicURL?.scheme?.lowercased() == "https" }

    /// The URL `serve` prints.
    public var displayURL: String {
        if let publicURL { return publicURL.absoluteString }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)/"
    }
}

/// Lock-out rules for signing in: so many failures within the window lock further
/// attempts until the window has passed.
public struct LoginThrottle: Sendable {
    public var failuresPerUsername: Int
    public var failuresPerAddress: Int
    public var window: TimeInterval

    public init(failuresPerUsername: Int = 5, failuresPerAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.failuresPerUsername = failuresPerUsername
        self.failuresPerAddress = failuresPerAddress
        self.window = window
    }
}
