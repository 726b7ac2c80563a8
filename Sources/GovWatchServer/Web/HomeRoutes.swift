import Foundation
import GovWatchCore
import GovWatchStore
import Hummingbird
import NIOCore

/// `/healthz` and `/static/…` (the overview `/` is `OverviewRoutes`).
struct HomeRoutes: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: Routes) {
        routes.get("/healthz", access: .everyone, kind: .asset) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }

        routes.get("/static/{file}", access: .everyone, kind: .asset) { _, context in
            let name = context.parameters.get("file") ?? ""
            // Only plain file names of the shipped folder: no path tricks.
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }),
                !name.hasPrefix("."),
                let url = Bundle.module.url(forResource: "Static/" + name, withExtension: nil),
                let data = try? Data(contentsOf: url)
            else { throw WebError.notFound }
            let type: String =
                switch (name as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                case "svg": "image/svg+xml"
                case "png": "image/png"
                default: "application/octet-stream"
                }
            return Response(
                status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
