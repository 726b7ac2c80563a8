import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// Users, sessions, API tokens, login attempts and the audit log on SQLite and PostgreSQL.
@Suite struct UserStoreTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let audit = AuditContext(actor: "cli:tester", address: "命令行")
    /// A county (青山县人民政府) with a department, and the city's education bureau beside it.
    static let sitesCSV = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位,ICP备案号,公安备案号
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局,鸿溪市人民政府,,
        4301000010,青山县人民政府,http://www.qingshan.gov.cn/,portal,青山县人民政府,,,
        4301000011,青山县卫生健康局,http://wjj.qingshan.gov.cn/,department,青山县卫生健康局,青山县人民政府,,

        """

    static func importRegistry(_ store: Store) async throws {
        _ = try await RegistryImporter.importFile(.sites, data: Data(sitesCSV.utf8), file: "sites.csv", into: store)
    }

    @Test(arguments: TestDatabases.backends)
    func createsUsersWithUniqueNamesAndAuditsIt(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            try await Self.importRegistry(store)
            let user = try await store.createUser(
                username: "qs", displayName: "青山县管理员", role: .unit, unitName: "青山县人民政府", passwordHash: "$2b$hash",
                now: Self.now, audit: Self.audit)
            #expect(user.unitName == "青山县人民政府")
            #expect(user.role == .unit)
            await #expect(throws: UserStoreError.duplicateUsername("qs")) {
                try await store.createUser(
                    username: "qs", displayName: nil, role: .viewer, unitName: nil, passwordHash: "x", now: Self.now,
                    audit: Self.audit)
            }
            await #expect(throws: UserStoreError.unknownUnit("不存在的单位")) {
                try await store.createUser(
                    username: "other", displayName: nil, role: .unit, unitName: "不存在的单位", passwordHash: "x",
                    now: Self.now, audit: Self.audit)
            }
            await #expect(throws: UserStoreError.unitRequired) {
                try await store.createUser(
                    username: "other", displayName: nil, role: .unit, unitName: nil, passwordHash: "x", now: Self.now,
                    audit: Self.audit)
            }
            let entries = try await store.auditEntries(object: "user:qs")
            #expect(entries.map(\.action) == ["user.create"])
            #expect(entries.first?.actor == "cli:tester")
            #expect(entries.first?.address == "命令行")
            #expect(entries.first?.detail["unit"] == "青山县人民政府")
            #expect(try await store.users().map(\.username) == ["qs"])
        }
    }

    @Test(arguments: TestDatabases.backends)
    func sessionsExpireAfterIdleTimeAndDisablingEndsThem(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let user = try await store.createUser(
                username: "ins", displayName: nil, role: .inspector, unitName: nil, passwordHash: "x", now: Self.now,
                audit: Self.audit)
            let idle: TimeInterval = 8 * 3600
            try await store.createSession(
                userID: user.id, tokenHash: "h1", csrfToken: "c1", now: Self.now, idleTimeout: idle, address: "127.0.0.1")
            // Used after 7 hours: still alive, and its expiry moves to 7 + 8 hours.
            let used = try #require(
                try await store.useSession(tokenHash: "h1", now: Self.now.addingTimeInterval(7 * 3600), idleTimeout: idle))
            #expect(used.csrfToken == "c1")
            #expect(used.expiresAt == Self.now.addingTimeInterval(15 * 3600))
            // 8 hours and a second after that use: gone, and deleted.
            #expect(
                try await store.useSession(tokenHash: "h1", now: Self.now.addingTimeInterval(15 * 3600 + 1), idleTimeout: idle)
                    == nil)
            #expect(try await store.sessionCount(userID: user.id) == 0)

            try await store.createSession(
                userID: user.id, tokenHash: "h2", csrfToken: "c2", now: Self.now, idleTimeout: idle, address: nil)
            try await store.setUserDisabled("ins", disabled: true, now: Self.now, audit: Self.audit)
            #expect(try await store.sessionCount(userID: user.id) == 0)
            #expect(try await store.auditEntries(object: "user:ins").map(\.action) == ["user.create", "user.disable"])
        }
    }

    @Test(arguments: TestDatabases.backends)
    func apiTokensStopWorkingWhenRevokedOrExpired(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let user = try await store.createUser(
                username: "script", displayName: nil, role: .viewer, unitName: nil, passwordHash: "x", now: Self.now,
                audit: Self.audit)
            let forever = try await store.createAPIToken(
                userID: user.id, tokenHash: "t1", label: "报表脚本", expiresAt: nil, now: Self.now, audit: Self.audit)
            _ = try await store.createAPIToken(
                userID: user.id, tokenHash: "t2", label: "一天", expiresAt: Self.now.addingTimeInterval(86400), now: Self.now,
                audit: Self.audit)
            #expect(try await store.useAPIToken(tokenHash: "t1", now: Self.now)?.username == "script")
            #expect(try await store.useAPIToken(tokenHash: "t2", now: Self.now.addingTimeInterval(3600)) != nil)
            #expect(try await store.useAPIToken(tokenHash: "t2", now: Self.now.addingTimeInterval(86401)) == nil)
            #expect(try await store.useAPIToken(tokenHash: "unknown", now: Self.now) == nil)
            try await store.revokeAPIToken(id: forever.id, now: Self.now, audit: Self.audit)
            #expect(try await store.useAPIToken(tokenHash: "t1", now: Self.now) == nil)
            let tokens = try await store.apiTokens(userID: user.id)
            #expect(tokens.map(\.revoked) == [true, false])
            #expect(tokens.first?.lastUsedAt == Self.now)
            #expect(
                try await store.auditEntries(object: "user:script").map(\.action)
                    == ["user.create", "token.create", "token.create", "token.revoke"])
        }
    }

    @Test(arguments: TestDatabases.backends)
    func failedLoginsAreCountedPerUsernameSinceTheLastSuccessAndPerAddress(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let windowStart = Self.now.addingTimeInterval(-15 * 60)
            // An old failure outside the window does not count.
            try await store.recordLoginAttempt(
                username: "a", address: "10.0.0.1", at: windowStart.addingTimeInterval(-1), succeeded: false)
            for minute in 1...3 {
                try await store.recordLoginAttempt(
                    username: "a", address: "10.0.0.1", at: windowStart.addingTimeInterval(Double(minute) * 60), succeeded: false)
            }
            try await store.recordLoginAttempt(
                username: "b", address: "10.0.0.1", at: windowStart.addingTimeInterval(300), succeeded: false)
            var counts = try await store.failedLoginCounts(username: "a", address: "10.0.0.1", since: windowStart)
            #expect(counts.username == 3)
            #expect(counts.address == 4)
            try await store.recordLoginAttempt(
                username: "a", address: "10.0.0.1", at: windowStart.addingTimeInterval(400), succeeded: true)
            try await store.recordLoginAttempt(
                username: "a", address: "10.0.0.2", at: windowStart.addingTimeInterval(500), succeeded: false)
            counts = try await store.failedLoginCounts(username: "a", address: "10.0.0.2", since: windowStart)
            #expect(counts.username == 1)
            #expect(counts.address == 1)
        }
    }

    @Test(arguments: TestDatabases.backends)
    func aCountyUsersSubtreeHoldsItsDepartmentsAndNothingElse(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            try await Self.importRegistry(store)
            let county = try #require(try await store.unitSubtree(named: "青山县人民政府"))
            #expect(county.names == ["青山县人民政府", "青山县卫生健康局"])
            #expect(try await store.sites(within: county).map(\.code) == ["4301000010", "4301000011"])
            let department = try #require(try await store.unitSubtree(named: "青山县卫生健康局"))
            #expect(try await store.sites(within: department).map(\.code) == ["4301000011"])
            let user = try await store.createUser(
                username: "qs", displayName: nil, role: .unit, unitName: "青山县人民政府", passwordHash: "x", now: Self.now,
                audit: Self.audit)
            let unitID = try #require(user.unitID)
            let fromUser = try #require(try await store.unitSubtree(id: unitID))
            #expect(fromUser.names == county.names)
        }
    }
}
