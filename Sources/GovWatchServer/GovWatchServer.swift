import Foundation
import GovWatchStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime
import ServiceLifecycle

/// The web platform: builds the application that `govwatch serve` runs and tests drive.
public enum GovWatchServer {
    /// Paths of the generated API that answer without credentials.
    static let publicAPIPaths: Set<String> = []

    /// Builds the router with every route, middleware and the generated API; returns the
    /// router and the catalog of its routes.
    public static func buildRouter(store: Store, configuration: ServerConfiguration, logger: Logger) async throws -> (
        router: Router<AppRequestContext>, catalog: RouteCatalog
    ) {
        let pages = try await PageRenderer.load()
        let cache = ComputedPageCache(capacity: configuration.pageCacheBytes)
        let router = Router(context: AppRequestContext.self)
        // Order: log outermost (sees the final status), headers on everything including
        // error pages, errors rendered before headers are applied, then who is calling, then CSRF.
        // Errors are rendered twice over: inside the identity middleware, so a signed-in
        // person's 403, 404 or 413 page has the navigation and their name; outside it, for
        // what the identity middleware itself throws (a bad token: a minimal page or JSON).
        // Request counts and latency by route pattern (bounded labels), outermost so it sees
        // the status of rendered errors too.
        if !configuration.trustedProxies.isEmpty {
            router.add(middleware: ForwardedClientMiddleware(trustedProxies: configuration.trustedProxies))
        }
        router.add(middleware: MetricsMiddleware<AppRequestContext>())
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorRenderingMiddleware(pages: pages, logger: logger))
        router.add(middleware: AuthenticationMiddleware(store: store, configuration: configuration))
        router.add(middleware: ErrorRenderingMiddleware(pages: pages, logger: logger))
        router.add(middleware: CSRFMiddleware())
        let catalog = RouteCatalog()
        // A known path with another method: 405 and `Allow`, not the router's 404.
        router.add(middleware: MethodNotAllowedMiddleware(catalog: catalog))

        let routes = Routes(router: router, catalog: catalog)
        HomeRoutes(store: store, pages: pages).register(on: routes)
        OverviewRoutes(store: store, pages: pages, configuration: configuration, cache: cache).register(on: routes)
        TargetRoutes(store: store, pages: pages, configuration: configuration, cache: cache).register(on: routes)
        FindingRoutes(store: store, pages: pages, configuration: configuration).register(on: routes)
        TicketRoutes(store: store, pages: pages, configuration: configuration, cache: cache).register(on: routes)
        RunRoutes(store: store, pages: pages, configuration: configuration).register(on: routes)
        ReportRoutes(store: store, pages: pages, configuration: configuration).register(on: routes)
        ScanRoutes(store: store, pages: pages).register(on: routes)
        RegistryRoutes(store: store, pages: pages, configuration: configuration).register(on: routes)
        UserRoutes(store: store, pages: pages, configuration: configuration).register(on: routes)
        SettingsRoutes(store: store, pages: pages, configuration: configuration).register(on: routes)
        try await LoginService(store: store, configuration: configuration).register(on: routes, pages: pages)

        MetricsRoutes().register(on: routes)
        routes.get("/api/v1/openapi.yaml", access: .everyone, kind: .api) { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
                let data = try? Data(contentsOf: url)
            else { throw WebError.notFound }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        try APIHandler(store: store, configuration: configuration, cache: cache).registerHandlers(
            on: routes.apiTransport(publicPaths: publicAPIPaths), serverURL: URL(string: "/api/v1")!)
        return (router, routes.catalog)
    }

    /// The application for `govwatch serve`: the router on the configured address, with
    /// extra services (the scheduler) run beside it and stopped with it.
    public static func buildApplication(
        store: Store, configuration: ServerConfiguration, services: [any Service] = [], logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let (router, _) = try await buildRouter(store: store, configuration: configuration, logger: logger)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "GovWatch"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Runs the server until SIGINT or SIGTERM, then stops it and its services gracefully.
    public static func serve(
        store: Store, configuration: ServerConfiguration, services: [any Service] = [], logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = try await buildApplication(
            store: store, configuration: configuration, services: services, logger: logger, onServerRunning: onServerRunning)
        try await app.runService()
    }
}
