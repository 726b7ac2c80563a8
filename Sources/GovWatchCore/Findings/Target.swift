/// What a finding is about: a website, a new-media account, or a unit (单位).
public struct Target: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case site, account, unit
    }

    public var kind: Kind
    /// The 网站标识码 of a site, the platform account id of an account, the name of a unit.
    public var code: String
    public var name: String

    public init(kind: Kind, code: String, name: String) {
        self.kind = kind
        self.code = code
        self.name = name
    }
}
