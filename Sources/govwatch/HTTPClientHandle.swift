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
