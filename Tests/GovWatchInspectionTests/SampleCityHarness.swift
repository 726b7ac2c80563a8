import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchSampleCity
import GovWatchStore

/// What the whole-city tests share: the sample city served on loopback, a fresh SQLite store
/// with (some of) its registry imported, and an HTTP client through the city's proxy.
struct SampleCityHarness {
    let city: SampleCity
    let server: FixtureServer
    let store: Store
    let client: HTTPClient
    let http: SimpleHTTP

    /// Runs `body` with a started harness and shuts everything down afterwards, also when it throws.
    /// - Parameters:
    ///   - registry: the registry files to import.
    ///   - probes: whether to replay the week of availability probes before the as-of time.
    static func with<T>(
        registry: [RegistryFile] = RegistryFile.allCases, probes: Bool = false, _ body: (SampleCityHarness) async throws -> T
    ) async throws -> T {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-city-\(UUID().uuidString)")
        let store: Store
        let client: HTTPClient
        do {
            store = try await Store.open(.sqlite(path: folder.appendingPathComponent("city.sqlite").path))
            client = try InspectionHTTPClient.make(proxy: server.proxyURL)
        } catch {
            try? await server.shutdown()
            throw error
        }
        let harness = SampleCityHarness(
            city: city, server: server, store: store, client: client, http: try SimpleHTTP(client: client, proxy: server.proxyURL))
        do {
            for kind in registry {
                _ = try await RegistryImporter.importFile(kind, data: city.registryCSVData(kind), file: "\(kind).csv", into: store)
            }
            if probes { try await ProbeRound.replay(endingAt: city.asOf, store: store, http: harness.http) }
            let result = try await body(harness)
            await harness.shutdown()
            return result
        } catch {
            await harness.shutdown()
            throw error
        }
    }

    /// The product's crawl settings through the city's proxy, with room for its largest site.
    func crawlConfiguration(maximumPages: Int = 2_000) -> CrawlConfiguration {
        var configuration = CrawlConfiguration()
        configuration.proxy = server.proxyURL
        configuration.maximumPages = maximumPages
        return configuration
    }

    func shutdown() async {
        try? await client.shutdown()
        await store.close()
        try? await server.shutdown()
    }
}
