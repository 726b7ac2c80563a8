import Hummingbird
import Logging
import NIOCore

/// `GET /metrics` on its own loopback port, for the processes that have no web server
/// (`govwatch worker --metrics-port N`, `govwatch schedule run --metrics-port N`).
///
/// It listens on 127.0.0.1 only: a Prometheus on another machine scrapes it through a
/// reverse proxy or an SSH tunnel the operator chooses, never straight from the network.
public enum MetricsEndpoint {
    /// The endpoint's server failed (most often: the port is taken); `body`'s own errors are
    /// thrown as they are.
    public struct ListenFailure: Error, CustomStringConvertible {
        public var port: Int
        public var underlying: any Error
        public var description: String { "指标端口 \(port) 无法监听：\(underlying)" }
    }

    /// Serves the process's metrics on `127.0.0.1:port` (0: any free port) while `body` runs;
    /// `onListening` gets the bound port once the socket is open, before `body` starts.
    public static func serving<T: Sendable>(
        port: Int, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: ProcessMetrics.contentType],
                body: .init(byteBuffer: ByteBuffer(string: ProcessMetrics.exposition())))
        }
        let (listening, announce) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "GovWatch"),
            onServerRunning: { channel in
                announce.yield(channel.localAddress?.port ?? port)
                announce.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                // A server that cannot listen (the port is taken) ends the wait below too.
                defer { announce.finish() }
                do {
                    try await app.run()
                } catch let error as CancellationError {
                    throw error
                } catch {
                    throw ListenFailure(port: port, underlying: error)
                }
                return nil
            }
            var ports = listening.makeAsyncIterator()
            guard let bound = await ports.next() else {
                // The server ended before it listened: its error says why.
                while let _ = try await group.next() {}
                throw CancellationError()
            }
            await onListening(bound)
            group.addTask { try await body() }
            while let finished = try await group.next() {
                if let result = finished {
                    group.cancelAll()
                    return result
                }
            }
            throw CancellationError()
        }
    }
}
