// swift-tools-version:6.1
// The Swift drivers of the benchmarks (crawl, scan): their own package, so the main package's build is untouched.
//
// The main package exports no library product with the crawler (only `GovWatchCore`), and
// SwiftPM refuses a graph in which its targets appear twice, so this package does not
// depend on `../..`: it compiles the main package's own source folders through the
// symlinks in `Sources/Linked/` (same files, same settings, nothing copied). Once the main
// package exports `GovWatchInspection` as a library product, replace the symlinks with
// `.package(name: "GovWatch", path: "../..")`.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "GovWatchCrawlBench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "GovWatchCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Linked/GovWatchCore", resources: [.copy("Data")], swiftSettings: strictSettings),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/Linked/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CHTMLParser", dependencies: ["CLibXML2"], path: "Sources/Linked/CHTMLParser"),
        .target(
            name: "GovWatchPage", dependencies: ["GovWatchCore", "CHTMLParser"],
            path: "Sources/Linked/GovWatchPage", swiftSettings: strictSettings),
        .target(
            name: "GovWatchDocuments",
            dependencies: [
                "GovWatchCore", "GovWatchPage",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Sources/Linked/GovWatchDocuments", swiftSettings: strictSettings),
        .target(
            name: "GovWatchStore",
            dependencies: [
                "GovWatchCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Linked/GovWatchStore", swiftSettings: strictSettings),
        .target(
            name: "GovWatchInspection",
            dependencies: [
                "GovWatchCore", "GovWatchPage", "GovWatchDocuments", "GovWatchStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Linked/GovWatchInspection", swiftSettings: strictSettings),
        .executableTarget(
            name: "GovWatchCrawlBench",
            dependencies: [
                "GovWatchCore", "GovWatchStore", "GovWatchInspection",
            ],
            swiftSettings: strictSettings),
        // Page analysis alone, no network (per-page cost of the crawler's extraction).
        .executableTarget(
            name: "GovWatchAnalyzeBench",
            dependencies: ["GovWatchCore", "GovWatchPage", "GovWatchInspection"],
            swiftSettings: strictSettings),
        // The inspection queue under many workers (benchmarks/queue.sh).
        .executableTarget(
            name: "GovWatchQueueBench",
            dependencies: [
                "GovWatchCore", "GovWatchStore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings),
        // Scanner throughput (benchmarks/scan.sh).
        .executableTarget(name: "GovWatchScanBench", dependencies: ["GovWatchCore"], swiftSettings: strictSettings),
    ]
)
