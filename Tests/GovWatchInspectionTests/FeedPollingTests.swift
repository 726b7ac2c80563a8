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
        try await SampleCityHarness.with(registry: [.accounts]) { harness in
            let city = harness.city
            let store = harness.store
            let accounts = try await store.accounts()
            let poller = FeedPoller(http: harness.http)
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
        }
    }

    /// The usual fix of a post with personal information is to withdraw it: once the feed no
    /// longer lists it (among posts as recent), it is gone from the store too, and the next
    /// inspection stops finding its problems. Posts that merely aged out of the feed stay.
    @Test func aPostWithdrawnFromItsFeedIsRemovedAndOlderPostsStay() async throws {
        try await SampleCityHarness.with(registry: [.accounts]) { harness in
            let city = harness.city
            let store = harness.store
            let poller = FeedPoller(http: harness.http)
            let planted = city.plantedProblems.filter { $0.indicator == .accountContentPrivacy || $0.indicator == .accountContentSevereError }
            let accountIDs = Set(planted.map(\.target.code))
            let accounts = try await store.accounts().filter { accountIDs.contains($0.id) }
            #expect(accounts.count == 2)
            _ = try await poller.poll(accounts, store: store, now: { city.asOf })
            var before: [String: [PostRecord]] = [:]
            for account in accounts {
                before[account.id] = try await store.posts(platform: account.platform, account: account.id)
                #expect(before[account.id]?.contains { $0.url?.contains("planted") == true } == true, "\(account.id)")
            }

            // A feed that answers the same again removes nothing.
            _ = try await poller.poll(accounts, store: store, now: { city.asOf })
            for account in accounts {
                #expect(try await store.posts(platform: account.platform, account: account.id) == before[account.id])
            }

            harness.server.setFixed(problems: planted)
            _ = try await poller.poll(accounts, store: store, now: { city.asOf.addingTimeInterval(3_600) })
            for account in accounts {
                let after = try await store.posts(platform: account.platform, account: account.id)
                #expect(after == before[account.id]!.filter { $0.url?.contains("planted") != true }, "\(account.id)")
            }

            // A feed that shows only its newest post (a narrower window) withdraws nothing older.
            let someAccount = accounts[0]
            let stored = try await store.posts(platform: someAccount.platform, account: someAccount.id)
            let newest = try #require(stored.last)
            try await store.recordFeedPoll(
                platform: someAccount.platform, account: someAccount.id,
                state: FeedState(feedURL: someAccount.feed!, polledAt: city.asOf.addingTimeInterval(7_200)), posts: [newest])
            #expect(try await store.posts(platform: someAccount.platform, account: someAccount.id) == stored)
        }
    }
}
