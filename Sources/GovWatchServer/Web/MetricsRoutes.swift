import GovWatchObservability
import Hummingbird
import NIOCore

/// `GET /metrics`: the process's metrics in Prometheus text format.
///
/// Served without signing in: Prometheus scrapes carry no session, and what it shows is
/// aggregate counts and latencies whose labels are bounded sets (route patterns, status
/// classes, indicator ids, job kinds), never a site, a user, a URL or a page's text. `serve`
/// listens on loopback by default; behind nginx the example configuration (`deploy/`) answers
/// `/metrics` only to the monitoring host.
struct MetricsRoutes {
    func register(on routes: Routes) {
        routes.get("/metrics", access: .everyone, kind: .asset) { _, _ in
            Response(
                status: .ok, headers: [.contentType: ProcessMetrics.contentType],
                body: .init(byteBuffer: ByteBuffer(string: ProcessMetrics.exposition())))
        }
    }
}
