import FluentKit
import NIOCore
import NIOPosix
import Testing

@testable import GovWatchStore

/// The drivers decode every row on the connection's event loop (SQLiteNIO submits a task per
/// row), and an event loop busy with tasks does not read its sockets. Measured on this
/// machine: during a 20,000-row query a loopback round trip on the store's loop took 45–73 ms
/// against 5 ms on the other; on a loaded machine it stretched past the crawler's first-byte
/// deadline. The store's queries therefore run on event loops of their own.
@Suite("Store event loops")
struct StoreEventLoopTests {
    @Test("queries run apart from the event loops of the crawler and the web server", arguments: TestDatabases.backends)
    func apartFromTheNetwork(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let network = MultiThreadedEventLoopGroup.singleton.makeIterator().map { ObjectIdentifier($0) }
            for _ in 0..<8 {
                let loop = store.database.eventLoop
                #expect(!network.contains(ObjectIdentifier(loop)))
                // A query completes on that loop.
                _ = try await SettingRow.query(on: store.database).count()
            }
        }
    }
}
