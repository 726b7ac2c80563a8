import Foundation
import GovWatchStore
import OpenAPIRuntime

/// The JSON API's operations, implementing the protocol generated from `openapi.yaml`.
/// The caller's identity comes from ``RequestIdentity`` (set by the authentication
/// middleware); operations other than the public ones never run without it.
struct APIHandler: APIProtocol {
    let store: Store
    let configuration: ServerConfiguration
    let cache: ComputedPageCache

    /// The identity of the caller; the transport already answered 401 without one.
    func identity() throws -> Identity {
        guard let identity = RequestIdentity.current else { throw WebError.unauthenticated }
        return identity
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let user = try identity().user
        return .ok(
            .init(
                body: .json(
                    .init(
                        username: user.username, displayName: user.displayName,
                        role: Components.Schemas.Role(rawValue: user.role.rawValue) ?? .viewer, unit: user.unitName))))
    }
}
