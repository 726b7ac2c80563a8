import AsyncHTTPClient
import GovWatchInspection

/// An HTTP client for one command (through `--proxy` when given), shut down when the
/// command ends.
struct HTTPClientHandle: Sendable {
    let client: HTTPClient
    let http: SimpleHTTP

    init(proxy: String?) throws {
        client = try InspectionHTTPClient.make(proxy: proxy)
        http = try SimpleHTTP(client: client, proxy: proxy)
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}

/// Runs `body` with a client for `proxy` and shuts the client down afterwards, whether `body`
/// throws or not; a malformed proxy is bad usage (exit 2).
func withHTTPClient<T>(proxy: String?, _ body: (HTTPClientHandle) async throws -> T) async throws -> T {
    let client: HTTPClientHandle
    do {
        client = try HTTPClientHandle(proxy: proxy)
    } catch {
        throw reportFailure("\(error)")
    }
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}
