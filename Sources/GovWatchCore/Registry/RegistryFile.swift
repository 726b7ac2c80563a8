/// The registry files of `interfaces.md` ("Import files"), one per `govwatch import` kind.
public enum RegistryFile: String, Sendable, CaseIterable, Codable {
    case sites, columns, accounts, posts, people
}
