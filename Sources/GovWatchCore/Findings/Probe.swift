import Foundation

/// One availability probe of a homepage.
public struct Probe: Sendable, Hashable, Codable {
    public var siteCode: String
    public var at: Date
    public var ok: Bool
    public var status: Int?
    public var latencyMilliseconds: Int?
    public var error: String?

    public init(siteCode: String, at: Date, ok: Bool, status: Int? = nil, latencyMilliseconds: Int? = nil, error: String? = nil) {
        self.siteCode = siteCode
        self.at = at
        self.ok = ok
        self.status = status
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
    }
}
