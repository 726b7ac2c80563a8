import AsyncHTTPClient
import GovWatchInspection

/// An HTTP client for one command, shut down when the command ends.
struct HTTPClientHandle: Sendable {
    let client: HTTPClient

    init(proxy: String?) throws {
        client = try InspectionHTTPClient.make(proxy: proxy)
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}
