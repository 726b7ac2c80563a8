// swift-tools-version:6.1
import PackageDescription

/// Settings every GovWatch target shares (see ../shared/notes/style.md, Hummingbird).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "GovWatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "govwatch", targets: ["govwatch"]),
        .library(name: "GovWatchCore", targets: ["GovWatchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // The web platform (see README, "Web platform").
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The configuration file (README, "Configuration"); already in the graph through the OpenAPI generator.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Observability: library code records through swift-metrics; the CLI exports Prometheus text.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // The domain: registry records, indicators, findings, scoring, content scanners.
        // No I/O frameworks, no web framework, no database.
        .target(
            name: "GovWatchCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Data")],
            swiftSettings: strictSettings
        ),
        // libxml2's HTML parser behind a plain-C facade (see ../shared/notes/swift-on-linux.md).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CHTMLParser", dependencies: ["CLibXML2"]),
        // Page understanding: title, publish date, dated lists, footer identity, links, text.
        .target(
            name: "GovWatchPage",
            dependencies: ["GovWatchCore", "CHTMLParser"],
            swiftSettings: strictSettings
        ),
        // Text out of attachments: .docx, .xlsx (ZIP + XML), PDF, legacy .doc/.xls.
        .target(
            name: "GovWatchDocuments",
            dependencies: [
                "GovWatchCore",
                "GovWatchPage",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        // Persistence: one set of Fluent migrations for SQLite (default) and PostgreSQL.
        .target(
            name: "GovWatchStore",
            dependencies: [
                "GovWatchCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Logging", package: "swift-log"),
                // Backups: checksums of table contents, and the archive holding snapshot and manifest.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        // The crawler, prober and checks that turn sites and accounts into findings.
        .target(
            name: "GovWatchInspection",
            dependencies: [
                "GovWatchCore",
                "GovWatchPage",
                "GovWatchDocuments",
                "GovWatchStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        // Observability for the processes: the Prometheus registry behind swift-metrics, the
        // `/metrics` endpoint of `worker`/`schedule run`, and the JSON log format.
        .target(
            name: "GovWatchObservability",
            dependencies: [
                "GovWatchCore",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        // The fictional city (鸿溪市) with planted problems, and the loopback proxy that serves it.
        .target(
            name: "GovWatchSampleCity",
            dependencies: [
                "GovWatchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        // The quarterly notice (通报): Word, HTML, Markdown, and its Excel attachments.
        .target(
            name: "GovWatchReports",
            dependencies: [
                "GovWatchCore",
                "GovWatchStore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        // The web platform: pages, the JSON API (generated from openapi.yaml), accounts and access.
        // No domain logic: it calls GovWatchStore, GovWatchInspection and GovWatchReports.
        .target(
            name: "GovWatchServer",
            dependencies: [
                "GovWatchCore",
                "GovWatchStore",
                "GovWatchInspection",
                "GovWatchReports",
                "GovWatchDocuments",
                "GovWatchObservability",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates"), .copy("Static"), .copy("openapi.yaml")],
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // The thin command line: parses arguments and calls the libraries.
        .executableTarget(
            name: "govwatch",
            dependencies: [
                "GovWatchCore",
                "GovWatchPage",
                "GovWatchDocuments",
                "GovWatchStore",
                "GovWatchInspection",
                "GovWatchSampleCity",
                "GovWatchReports",
                "GovWatchServer",
                "GovWatchObservability",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // What the test targets share: ToolAvailability, running child processes without holding
        // a thread of the concurrency pool, the govwatch binary runner. Only tests depend on it.
        .target(name: "GovWatchTestSupport", path: "Tests/GovWatchTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "GovWatchCoreTests", dependencies: ["GovWatchCore", "GovWatchTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "GovWatchPageTests", dependencies: ["GovWatchPage", "GovWatchCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "GovWatchDocumentsTests",
            dependencies: ["GovWatchDocuments", "GovWatchCore", "GovWatchTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GovWatchStoreTests",
            dependencies: ["GovWatchStore", "GovWatchCore", "GovWatchTestSupport", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GovWatchInspectionTests",
            dependencies: [
                "GovWatchInspection", "GovWatchSampleCity", "GovWatchStore", "GovWatchCore", "GovWatchTestSupport",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GovWatchSampleCityTests",
            dependencies: ["GovWatchSampleCity", "GovWatchCore", "GovWatchTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GovWatchReportsTests",
            dependencies: [
                "GovWatchReports", "GovWatchStore", "GovWatchCore", "GovWatchInspection", "GovWatchSampleCity", "GovWatchTestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GovWatchServerTests",
            dependencies: [
                "GovWatchServer", "GovWatchStore", "GovWatchCore", "GovWatchInspection",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GovWatchCLITests", dependencies: ["govwatch", "GovWatchCore", "GovWatchSampleCity", "GovWatchTestSupport"], swiftSettings: strictSettings),
    ]
)
