import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchSampleCity
import GovWatchStore
import Testing

/// Feed polling against the sample city's feeds through the fixture proxy: all three
/// formats, and a malformed, an empty, a huge and a slow feed that must not stop the run.
@Suite(.serialized) struct FeedPollingTests {
    @Test func pollingStoresPostsReportsBadFeedsAndAddsOnlyNewPostsAgain() async throws {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-feeds-\(UUID().uuidString)")
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("feeds.sqlite").path))
        let client = try InspectionHTTPClient.make(proxy: server.proxyURL)
        do {
            _ = try await RegistryImporter.importFile(.accounts, data: city.registryCSVData(.accounts), file: "accounts.csv", into: store)
            let accounts = try await store.accounts()
            let poller = FeedPoller(http: try SimpleHTTP(client: client, proxy: server.proxyURL))
            let first = try await poller.poll(accounts, store: store)
            let byID = Dictionary(uniqueKeysWithValues: first.map { ($0.account.id, $0) })

            #expect(byID["hxzrzy"]?.problem?.contains("格式错误") == true, "malformed feed")
            #expect(byID["hxfgw"]?.problem == "数据源中没有任何信息", "empty feed")
            #expect(byID["hxnyncj"]?.problem == nil)
            #expect(byID["hxnyncj"]?.newPosts == FeedParser.maxItems, "huge feed is read up to the item limit")
            #expect(byID["hxsthj"]?.problem == nil && (byID["hxsthj"]?.newPosts ?? 0) > 0, "slow feed still read")
            // Every well-formed feed of every format brought its posts.
            for account in city.accounts where account.feed != nil {
                let expected = city.feedPosts[account.id]?.count ?? 0
                guard ["hxzrzy", "hxfgw", "hxnyncj"].contains(account.id) == false, expected > 0 else { continue }
                #expect(byID[account.id]?.newPosts == expected, "\(account.id)")
            }
            let postsAfterFirst = try await store.posts().count

            let second = try await poller.poll(accounts, store: store)
            #expect(second.allSatisfy { $0.newPosts == 0 })
            #expect(second.contains { $0.notModified }, "conditional requests answered 304")
            #expect(try await store.posts().count == postsAfterFirst)
            #expect(try await store.feedState(platform: .wechat, account: "hxzrzy")?.problem?.contains("格式错误") == true)
        } catch {
            try? await client.shutdown()
            await store.close()
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        await store.close()
        try await server.shutdown()
    }
}
