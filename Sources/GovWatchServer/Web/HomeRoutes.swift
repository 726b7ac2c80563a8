import Foundation
import GovWatchCore
import GovWatchStore
import Hummingbird
import NIOCore

/// `/` (the first 总览: the user and the latest run's pass rates), `/healthz`, `/static/…`.
struct HomeRoutes: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: Routes) {
        routes.get("/healthz", access: .everyone, kind: .asset) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }

        routes.get("/", access: .signedIn) { _, context in
            let identity = try context.requireIdentity()
            var values: [String: Any] = [
                "canInspect": identity.user.role == .admin || identity.user.role == .inspector
            ]
            if identity.user.role == .unit {
                values["scopeNote"] = "您可以查看\(identity.user.unitName ?? "本单位")及其下属单位的情况。"
            }
            if let latest = try await store.runs(limit: 1, offset: 0).items.first {
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd"
                formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
                let (_, cards) = try await store.scorecards(of: latest.code, within: identity.scope)
                let rates = [Target.Kind.site, .account].compactMap { kind -> [String: Any]? in
                    let ofKind = cards.filter { $0.target.kind == kind }
                    guard !ofKind.isEmpty else { return nil }
                    let count = (kind: kind, passed: ofKind.filter(\.passed).count, total: ofKind.count)
                    let rate = count.total == 0 ? "—" : String(format: "%.1f%%", Double(count.passed) * 100 / Double(count.total))
                    return [
                        "kindName": count.kind == .site ? "网站" : "政务新媒体",
                        "passed": count.passed, "total": count.total, "rate": rate,
                    ]
                }
                values["run"] = [
                    "code": latest.code, "asOf": formatter.string(from: latest.asOf),
                    "statusName": ["running": "进行中", "finished": "已完成", "failed": "失败"][latest.status] ?? latest.status,
                    "rates": rates,
                ] as [String: Any]
            }
            return try pages.page("home", frame: PageFrame(title: "总览", identity: identity, path: "/"), values: values)
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
