import Foundation
import GovWatchCore

/// Where a planted problem's fix lives in the fixed variant.
enum FixScope {
    /// The fixed city still has it.
    case none
    /// Fixed by the fixed variant of these URLs.
    case urls([String])
    /// Fixed by every page of this host that differs in the fixed variant (footer, search form…).
    case site(String)
}

/// Pages answered by code rather than from the store (their query string matters or they
/// never end): endless calendars on a site's own host.
enum DynamicRoute: Sendable, Hashable {
    /// `?month=YYYY-MM` pages linking to the previous and next month, forever.
    case calendar(siteName: String)
}

/// Accumulates the whole city while the family files build it, then freezes it into a `SampleCity`.
final class CityBuilder {
    let clock: CityClock
    private(set) var sites: [SampleSite] = []
    private(set) var columns: [SampleColumn] = []
    var accounts: [SampleAccount] = []
    /// Posts exported from platforms (the posts CSV).
    var exportedPosts: [SamplePost] = []
    /// Posts carried by feeds, by account id.
    var feedPosts: [String: [SamplePost]] = [:]
    var people: [SamplePerson] = []
    var web = WebStore()
    var dynamicRoutes: [String: DynamicRoute] = [:]
    /// Hosts whose homepage fails one request in four.
    var flakyHomepageHosts: Set<String> = []
    /// URLs the server answers only after a delay (the slow feed).
    var slowURLs: Set<String> = []
    /// The page whose text carries `HostileMarkup` (next to a planted severe error).
    var hostileMarkupURL = ""
    private var planted: [(problem: PlantedProblem, fix: FixScope)] = []

    init(clock: CityClock) { self.clock = clock }

    /// Records a planted problem; ids are given in planting order (`P001`…).
    func plant(
        _ indicator: IndicatorID, _ target: Target, url: String?, note: String, detail: [String: String] = [:],
        mustBeFound: Bool = true, fix: FixScope = .none, scenario: Bool = false
    ) {
        let id = String(format: "P%03d", planted.count + 1)
        planted.append((
            PlantedProblem(
                id: id, indicator: indicator, target: target, url: url, note: note, detail: detail,
                mustBeFound: mustBeFound, scenario: scenario), fix
        ))
    }

    /// Registers a finished site: the registry rows and every page in both variants.
    func finish(_ builder: SiteBuilder) {
        sites.append(builder.site)
        // The fixture speaks plain HTTP only (no TLS; CONNECT is refused), so no site serves
        // HTTPS or redirects to it: every site carries this notice-level problem.
        plant(
            .siteHTTPSMissing, builder.site.target, url: builder.homepageURL,
            note: "站点仅提供HTTP访问，未启用HTTPS，也未跳转到HTTPS（夹具不提供TLS，CONNECT一律返回502）")
        for column in builder.columns where column.registered && column.inOriginal {
            columns.append(
                SampleColumn(
                    siteCode: builder.site.code, name: column.name, url: builder.url(builder.columnPath(column)),
                    category: column.category, periodDays: column.periodDays, topLevel: column.topLevel))
        }
        for column in builder.rawColumns {
            columns.append(
                SampleColumn(
                    siteCode: builder.site.code, name: column.name, url: builder.url(column.path),
                    category: column.category, periodDays: column.periodDays, topLevel: column.topLevel))
        }
        for (url, entry) in builder.render() {
            web.add(url, original: entry.original, fixed: entry.fixed)
        }
    }

    /// Adds a raw resource outside any site (feeds, downloads, external hosts).
    func addResource(_ url: String, original: Resource?, fixed: Resource? = nil) {
        web.add(url, original: original, fixed: fixed)
    }

    /// Replaces a resource added before (a feed that gains a planted post).
    func replaceResource(_ url: String, original: Resource?, fixed: Resource?) {
        web.replace(url, with: WebEntry(original: original, fixed: fixed))
    }

    /// The planted list with every fix scope resolved to URLs.
    func plantedProblems() -> [PlantedProblem] {
        let fixable = web.fixableURLs
        return planted.map { problem, fix in
            var problem = problem
            switch fix {
            case .none: problem.fixedBy = []
            case .urls(let urls): problem.fixedBy = urls
            case .site(let host): problem.fixedBy = fixable.filter { $0.hasPrefix("http://\(host)/") }
            }
            return problem
        }
    }
}
