import Foundation
import GovWatchCore

/// 鸿溪市 (Hongxi), a deterministic fictional city for tests, benchmarks and `govwatch demo`:
/// its government websites and new-media accounts, the registry files that describe them,
/// and the problems planted in them.
///
/// Every date is relative to `asOf` (default: 2022-03-31 24:00 CST, i.e. `--as-of 2022-03-31`),
/// so staleness is the same whenever the tests run. Serve it with `FixtureServer`.
///
/// Conventions the importer and the inspections rely on:
/// - Hosts: the portal `www.hongxi.gov.cn`, departments `*.hongxi.gov.cn` (and `www.hxamr.cn`,
///   deliberately outside .gov.cn), counties `www.qingshan.gov.cn` (with `wjj.qingshan.gov.cn`)
///   and `www.lanjiang.gov.cn` (GBK throughout); feeds on `feeds.hongxi.gov.cn`, app downloads on
///   `app.hongxi.gov.cn`, crawler traps on `hostile.hongxi.gov.cn` (linked from 自然资源和规划局's
///   相关链接 page); footer and platform hosts answer 200; any other host answers 502.
/// - HTTPS: the fixture is plain HTTP and answers `CONNECT` with 502, so every site carries a
///   planted `site.https.missing` (notice level); a "clean" site has no other planted problem.
/// - The accounts CSV has an extra column `interaction` (`1`/`0`), the inspector's record of an
///   effective interaction function (`account.interaction.missing`).
/// - Stopped and closed accounts publish nothing and are not expected to be stale or zombie.
/// - `PlantedProblem.mustBeFound == false` marks links to hostile endpoints whose verdict
///   depends on the inspector's limits; `scenario == true` marks the rectification problems.
///
/// ```swift
/// let city = SampleCity.standard
/// let server = try await FixtureServer.start(city: city)
/// // crawl through http://127.0.0.1:\(server.port) as an HTTP proxy …
/// try await server.shutdown()
/// ```
public struct SampleCity: Sendable {
    /// 2022-03-31 24:00 China Standard Time (= 2022-04-01T00:00:00+08:00).
    public static let defaultAsOf = Date(timeIntervalSince1970: 1_648_742_400)

    /// The city's government domain.
    public static let domain = "hongxi.gov.cn"

    /// The city at the default as-of time, built once (building takes a moment).
    public static let standard = SampleCity()

    public let asOf: Date
    public let sites: [SampleSite]
    public let columns: [SampleColumn]
    public let accounts: [SampleAccount]
    /// Posts in the platform export (the posts CSV): accounts without a usable feed.
    public let exportedPosts: [SamplePost]
    /// Posts carried by each feed in the original variant, by account id.
    public let feedPosts: [String: [SamplePost]]
    public let people: [SamplePerson]
    /// Every planted problem, in planting order.
    public let plantedProblems: [PlantedProblem]
    /// The hostile host's endpoints.
    public let hostileEndpoints: [HostileEndpoint]
    /// The page whose text carries `HostileMarkup` beside a planted severe error, so the
    /// markup reaches that finding's evidence (and its ticket).
    public let hostileMarkupURL: String

    let web: WebStore
    let dynamicRoutes: [String: DynamicRoute]
    let flakyHomepageHosts: Set<String>
    let slowURLs: Set<String>
    let notFoundPages: [String: Resource]

    /// Builds the city for `asOf` (the end of the as-of day in CST).
    public init(asOf: Date = SampleCity.defaultAsOf) {
        let clock = CityClock(asOf: asOf)
        let city = CityBuilder(clock: clock)
        CityPortal.build(into: city)
        ContentProblemSites.build(into: city)
        ColumnProblemSites.build(into: city)
        LinkAndHostSites.build(into: city)
        InteractionSites.build(into: city)
        CleanAndCountySites.build(into: city)
        NewMediaAccounts.build(into: city)
        PeopleAndScenarios.build(into: city)
        city.addResource("http://\(HostileHost.host)/", original: Resource.html(HostileHost.indexPage(clock)))
        city.addResource("http://\(HostileHost.host)/robots.txt", original: Resource(contentType: "text/plain", body: Data("User-agent: *\nAllow: /\n".utf8)))

        self.asOf = asOf
        sites = city.sites
        columns = city.columns
        accounts = city.accounts
        exportedPosts = city.exportedPosts.sorted { ($0.accountID, $0.published) < ($1.accountID, $1.published) }
        feedPosts = city.feedPosts
        people = city.people
        plantedProblems = city.plantedProblems()
        hostileEndpoints = HostileHost.endpoints(clock)
        hostileMarkupURL = city.hostileMarkupURL
        web = city.web
        dynamicRoutes = city.dynamicRoutes
        flakyHomepageHosts = city.flakyHomepageHosts
        slowURLs = city.slowURLs
        notFoundPages = Dictionary(uniqueKeysWithValues: city.sites.map { ($0.host, SiteBuilder.notFoundPage(site: $0)) })
    }

    // MARK: Looking things up

    /// The sites that have no planted problem other than the fixture-wide `site.https.missing`.
    public var cleanSites: [SampleSite] {
        let problemCodes = Set(
            plantedProblems.filter { $0.target.kind == .site && $0.indicator != .siteHTTPSMissing }.map(\.target.code))
        return sites.filter { !problemCodes.contains($0.code) }
    }

    /// The accounts that have no planted problem (as account or through their unit's duplicates).
    public var cleanAccounts: [SampleAccount] {
        let problemIDs = Set(plantedProblems.filter { $0.target.kind == .account }.map(\.target.code))
        let duplicated = Set(plantedProblems.filter { $0.indicator == .accountDuplicate }.flatMap { ($0.detail["accounts"] ?? "").split(separator: ",").map(String.init) })
        return accounts.filter { !problemIDs.contains($0.id) && !duplicated.contains($0.id) }
    }

    /// Every URL the city serves statically (pages, attachments, feeds, downloads), sorted.
    public var servedURLs: [String] { web.entries.keys.sorted() }

    /// URLs whose fixed variant differs from the original (pages, attachments, feeds, and the
    /// homepages whose failures the fixed variant ends).
    public var fixableURLs: [String] {
        (web.fixableURLs + flakyHomepageHosts.map { "http://\($0)/" }).sorted()
    }

    /// The body of `url` as served (before any `Content-Encoding`), or nil when it answers 404.
    public func body(of url: String, fixed: Bool = false) -> Data? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        return web[storeKey(host: host, path: components.percentEncodedPath)]?.resource(fixed: fixed)?.body
    }

    /// Every host the fixture server answers (sites, feeds, downloads, hostile, external).
    public var hosts: [String] {
        var hosts = Set(sites.map(\.host))
        hosts.formUnion([Roster.feedsHost, Roster.appHost, HostileHost.host])
        hosts.formUnion(ExternalHosts.alive.keys)
        return hosts.sorted()
    }

    /// A dictionary file (`--dictionary`, tab-separated `wrong<TAB>correct<TAB>category`) with
    /// every severe error and sensitive word the city plants, so inspections find them whatever
    /// lists the product ships.
    public static let dictionaryTSV = """
        # 鸿溪市样例城市所用词条（严重表述错误、敏感词）
        中华人民共合国\t中华人民共和国\tsevere
        中国共产共党\t中国共产党\tsevere
        代开发票\t\tsensitive
        六合彩\t\tsensitive

        """
}
