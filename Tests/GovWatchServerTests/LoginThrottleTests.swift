import Foundation
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Sign-in under attack (web.md): lock-out per user name and per address with the movable
/// clock, and no way to tell an unknown user name from a wrong password, by the answer or by
/// the work done (both run bcrypt).
@Suite struct LoginThrottleTests {
    /// Counts the password checks the server makes, then runs the real bcrypt check.
    final class CountingVerifier: Sendable {
        private let hashes = Mutex<[String]>([])
        var calls: Int { hashes.withLock { $0.count } }
        var checkedHashes: [String] { hashes.withLock { $0 } }

        func verify(_ password: String, _ hash: String) async throws -> Bool {
            hashes.withLock { $0.append(hash) }
            return try await Credentials.verifyPassword(password, hash: hash)
        }
    }

    /// The test server with the counting verifier.
    static func counting(_ server: TestServer) -> (TestServer, CountingVerifier) {
        let verifier = CountingVerifier()
        var configuration = server.configuration
        configuration.verifyPassword = { try await verifier.verify($0, $1) }
        return (TestServer(store: server.store, clock: server.clock, configuration: configuration), verifier)
    }

    @Test func anUnknownUserNameRunsBcryptLikeAWrongPassword() async throws {
        try await TestServer.run { plain in
            let (server, verifier) = Self.counting(plain)
            let (user, _) = try await server.addUser(.viewer)
            try await server.test { client in
                #expect(try await server.postLogin(client, user.username, "wrong-password").status == .unauthorized)
                #expect(verifier.calls == 1)
                #expect(try await server.postLogin(client, "nobody-\(UUID().uuidString.prefix(6))", "wrong-password").status == .unauthorized)
                #expect(verifier.calls == 2, "the unknown user name must cost one bcrypt check too")
                // Against a real bcrypt hash of the server's cost, not a shortcut.
                let unknownPathHash = try #require(verifier.checkedHashes.last)
                #expect(unknownPathHash.hasPrefix("$2") && unknownPathHash.count == 60)
                #expect(unknownPathHash.split(separator: "$").dropFirst().first == "04")
                // The API's token exchange too.
                let api = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"nobody-else","password":"x"}"#))
                #expect(api.status == .unauthorized)
                #expect(verifier.calls == 3)
            }
        }
    }

    @Test func theAPIAnswersAnUnknownUserAndAWrongPasswordWithTheSameBytes() async throws {
        try await TestServer.run { server in
            let (user, _) = try await server.addUser(.viewer)
            try await server.test { client in
                func exchange(_ username: String) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/api/v1/tokens", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"username":"\#(username)","password":"wrong-password"}"#))
                }
                let wrongPassword = try await exchange(user.username)
                let unknownUser = try await exchange("nobody-here")
                #expect(wrongPassword.status == .unauthorized && unknownUser.status == .unauthorized)
                #expect(wrongPassword.body == unknownUser.body)
                #expect(String(buffer: unknownUser.body).contains("用户名或密码错误"))
            }
        }
    }

    @Test func aDisabledUserGetsTheSameAnswerAsAWrongPassword() async throws {
        try await TestServer.run { plain in
            let (server, verifier) = Self.counting(plain)
            let (user, password) = try await server.addUser(.viewer)
            try await server.store.setUserDisabled(user.username, disabled: true, now: server.clock.now, audit: AuditContext(actor: "test"))
            try await server.test { client in
                let disabled = try await server.postLogin(client, user.username, password)
                let wrong = try await server.postLogin(client, user.username, "wrong-password")
                #expect(disabled.status == .unauthorized && String(buffer: disabled.body) == String(buffer: wrong.body))
                #expect(verifier.calls == 2)
            }
        }
    }

    @Test func theUserNameStaysLockedFor15MinutesAfterTheFailureThatLockedIt() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.inspector)
            try await server.test { client in
                // One failure, then four more 14 minutes later: five within the window.
                #expect(try await server.postLogin(client, user.username, "wrong-password").status == .unauthorized)
                server.clock.advance(by: 14 * 60)
                for _ in 1...4 {
                    #expect(try await server.postLogin(client, user.username, "wrong-password").status == .unauthorized)
                }
                // The first failure leaves the window two minutes later; the lock still holds,
                // for 15 minutes from the fifth failure, whatever is tried.
                server.clock.advance(by: 2 * 60)
                let locked = try await server.postLogin(client, user.username, password)
                #expect(locked.status == .tooManyRequests)
                #expect(String(buffer: locked.body).contains("登录失败次数过多，已暂时锁定，请 13 分钟后再试"))
                #expect(locked.headers[.retryAfter] == "780")
                server.clock.advance(by: 12 * 60)
                #expect(try await server.postLogin(client, user.username, password).status == .tooManyRequests)
                // Another user name from the same address is not locked by it.
                let (other, otherPassword) = try await server.addUser(.viewer)
                #expect(try await server.postLogin(client, other.username, otherPassword).status == .seeOther)
                // 15 minutes after the fifth failure, the user signs in again.
                server.clock.advance(by: 60 + 1)
                #expect(try await server.postLogin(client, user.username, password).status == .seeOther)
            }
        }
    }

    @Test func aSuccessfulSignInStartsTheUserNamesCountAgain() async throws {
        try await TestServer.run { server in
            let (user, password) = try await server.addUser(.inspector)
            try await server.test { client in
                var statuses: [HTTPResponse.Status] = []
                for _ in 1...2 {
                    for _ in 1...4 { statuses.append(try await server.postLogin(client, user.username, "wrong-password").status) }
                    statuses.append(try await server.postLogin(client, user.username, password).status)
                }
                let round: [HTTPResponse.Status] = [.unauthorized, .unauthorized, .unauthorized, .unauthorized, .seeOther]
                #expect(statuses == round + round)
            }
        }
    }

    @Test func twentyFailuresFromOneAddressLockEveryUserNameFromIt() async throws {
        try await TestServer.run { plain in
            let (server, verifier) = Self.counting(plain)
            let (user, password) = try await server.addUser(.viewer)
            try await server.test { client in
                // Twenty different (unknown) names, four tries each at most: no name reaches five.
                for attempt in 0..<20 {
                    let status = try await server.postLogin(client, "guess-\(attempt % 5)-\(attempt / 5)", "123456").status
                    #expect(status == .unauthorized)
                }
                let checks = verifier.calls
                let locked = try await server.postLogin(client, user.username, password)
                #expect(locked.status == .tooManyRequests)
                #expect(String(buffer: locked.body).contains("登录失败次数过多"))
                #expect(ServerTestSupport.sessionSetCookie(in: locked) == nil)
                // While locked, no bcrypt work is done for the address (no CPU to burn).
                #expect(verifier.calls == checks)
                #expect(try await server.store.auditEntries(object: "user:\(user.username)").contains { $0.action == "login.locked" })
                server.clock.advance(by: 15 * 60 + 1)
                #expect(try await server.postLogin(client, user.username, password).status == .seeOther)
            }
        }
    }

    /// Behind nginx every connection comes from 127.0.0.1: with the proxy trusted, twenty
    /// failures from one client lock that client only; a client that is not a trusted proxy
    /// cannot pick its address with the header.
    @Test func behindATrustedProxyTheForwardedAddressIsTheClients() async throws {
        try await TestServer.run { plain in
            var configuration = plain.configuration
            configuration.trustedProxies = ["127.0.0.1"]
            let server = TestServer(store: plain.store, clock: plain.clock, configuration: configuration)
            let (user, password) = try await server.addUser(.viewer)
            @Sendable func login(_ client: any TestClientProtocol, from address: String, _ username: String, _ password: String)
                async throws -> TestResponse
            {
                try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", ForwardedClientMiddleware.forwardedFor: "10.1.1.1, \(address)"],
                    body: ByteBuffer(string: ServerTestSupport.form(["username": username, "password": password])))
            }
            try await server.test(.live) { client in
                for attempt in 0..<20 {
                    #expect(try await login(client, from: "198.51.100.7", "guess-\(attempt % 5)-\(attempt / 5)", "123456").status == .unauthorized)
                }
                #expect(try await login(client, from: "198.51.100.7", user.username, password).status == .tooManyRequests)
                // Another client behind the same proxy signs in.
                #expect(try await login(client, from: "198.51.100.8", user.username, password).status == .seeOther)
                let entries = try await server.store.auditEntries(object: "user:\(user.username)")
                #expect(entries.contains { $0.action == "login.locked" && $0.address == "198.51.100.7" })
                #expect(entries.contains { $0.address == "198.51.100.8" })
            }
            // Not trusted: the header is the client's own words and changes nothing.
            try await plain.test(.live) { client in
                let answer = try await login(client, from: "198.51.100.9", user.username, password)
                #expect(answer.status == .seeOther)
                let entries = try await plain.store.auditEntries(object: "user:\(user.username)")
                #expect(!entries.contains { $0.address == "198.51.100.9" })
                #expect(entries.contains { $0.address == "127.0.0.1" })
            }
        }
    }

    @Test func theClientAddressIsTheNearestUntrustedOneInTheChain() {
        let trusted: Set<String> = ["127.0.0.1", "10.0.0.2"]
        func client(_ peer: String, _ header: [String]) -> String {
            ForwardedClientMiddleware.clientAddress(peer: peer, forwardedFor: header, trustedProxies: trusted)
        }
        #expect(client("127.0.0.1", ["203.0.113.5"]) == "203.0.113.5")
        #expect(client("127.0.0.1", ["1.2.3.4, 203.0.113.5, 10.0.0.2"]) == "203.0.113.5")
        #expect(client("127.0.0.1", ["1.2.3.4", "2001:db8::1"]) == "2001:db8::1")
        #expect(client("192.0.2.1", ["203.0.113.5"]) == "192.0.2.1")
        #expect(client("127.0.0.1", []) == "127.0.0.1")
        #expect(client("127.0.0.1", ["203.0.113.5, not-an-address"]) == "127.0.0.1")
        #expect(client("127.0.0.1", ["10.0.0.2"]) == "10.0.0.2")
    }
}
