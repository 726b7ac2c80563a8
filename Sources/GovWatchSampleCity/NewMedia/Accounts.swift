import Foundation
import GovWatchCore

/// The city's new-media accounts (政务新媒体), their posts (in feeds or in the posts
/// export), and the planted account problems.
enum NewMediaAccounts {
    /// How an account's posts reach GovWatch.
    private enum Source {
        case feed(FeedFormat)
        /// A feed document cut off mid-item; the posts come through the export instead.
        case malformedFeed
        /// A valid feed with no items.
        case emptyFeed
        /// A valid feed with thousands of items.
        case hugeFeed(FeedFormat)
        /// A feed the server answers only after a delay.
        case slowFeed(FeedFormat)
        /// The posts CSV export.
        case export
        /// No posts at all (stopped accounts, apps without news).
        case none
    }

    private struct Spec {
        var platform: SampleAccount.Platform
        var id: String
        var name: String
        var unit: String
        var main = true
        var status: SampleAccount.Status = .active
        var source: Source
        /// Days before the as-of day of the newest post.
        var newest = 1
        var count = 10
        var closureFiledDaysAgo: Int?
        var downloadURL: String?
        var interaction = true
    }

    /// Hosts of the feeds and of app downloads and app news pages.
    static let feedsHost = Roster.feedsHost

    static func build(into city: CityBuilder) {
        let office = Roster.cityOffice
        let specs: [Spec] = [
            Spec(platform: .wechat, id: "hxfabu", name: "鸿溪发布", unit: office, source: .feed(.rss)),
            Spec(platform: .weibo, id: "5732190046", name: "鸿溪发布", unit: office, source: .feed(.atom)),
            Spec(platform: .douyin, id: "dy_hxfabu", name: "鸿溪发布", unit: office, source: .feed(.json)),
            Spec(platform: .toutiao, id: "1689920234567", name: "鸿溪发布", unit: office, source: .export),
            Spec(platform: .wechat, id: "hxjyfb", name: "鸿溪教育", unit: Roster.education.unit, source: .feed(.rss)),
            Spec(platform: .weibo, id: "6021457783", name: "鸿溪教育", unit: Roster.education.unit, source: .feed(.atom), newest: 20),
            Spec(platform: .wechat, id: "jkhx2016", name: "健康鸿溪", unit: Roster.health.unit, source: .feed(.rss)),
            Spec(platform: .wechat, id: "hxwjfw", name: "鸿溪卫健服务", unit: Roster.health.unit, main: false, source: .feed(.json), newest: 2),
            Spec(platform: .wechat, id: "hxwjxc", name: "鸿溪卫健宣传", unit: Roster.health.unit, main: false, source: .feed(.rss), newest: 3),
            Spec(platform: .weibo, id: "5190322871", name: "健康鸿溪", unit: Roster.health.unit, source: .feed(.atom)),
            Spec(platform: .wechat, id: "hxrsfb", name: "鸿溪人社", unit: Roster.humanResources.unit, source: .feed(.json)),
            Spec(platform: .douyin, id: "hxrs12333", name: "鸿溪人社", unit: Roster.humanResources.unit, source: .feed(.json), newest: 120, count: 6),
            Spec(platform: .wechat, id: "hxzrzy", name: "鸿溪自然资源", unit: Roster.landPlanning.unit, source: .malformedFeed),
            Spec(platform: .wechat, id: "hxfgw", name: "鸿溪发改", unit: Roster.development.unit, source: .emptyFeed),
            Spec(platform: .wechat, id: "hxnyncj", name: "鸿溪农业农村", unit: Roster.agriculture.unit, source: .hugeFeed(.atom), count: 3000),
            Spec(platform: .wechat, id: "hxsthj", name: "鸿溪生态环境", unit: Roster.environment.unit, source: .slowFeed(.json)),
            Spec(platform: .wechat, id: "hxwlgt", name: "鸿溪文旅", unit: Roster.culture.unit, source: .feed(.rss)),
            Spec(platform: .douyin, id: "dy_hxwl", name: "鸿溪文旅", unit: Roster.culture.unit, source: .feed(.json), interaction: false),
            Spec(platform: .wechat, id: "hxzjj", name: "鸿溪住建", unit: Roster.housing.unit, status: .stopped, source: .export, newest: 200, count: 5),
            Spec(platform: .weibo, id: "3278864410", name: "鸿溪公安", unit: Roster.police.unit, source: .feed(.atom)),
            Spec(platform: .wechat, id: "hxga110", name: "鸿溪公安", unit: Roster.police.unit, source: .feed(.rss)),
            Spec(platform: .douyin, id: "dy_hxjc", name: "鸿溪警察", unit: Roster.police.unit, source: .export),
            Spec(platform: .wechat, id: "hxscjg", name: "鸿溪市场监管", unit: Roster.market.unit, source: .feed(.rss)),
            Spec(platform: .toutiao, id: "1702233445566", name: "鸿溪统计", unit: Roster.statistics.unit, source: .export, newest: 3),
            Spec(platform: .wechat, id: "hxczfb", name: "鸿溪财政", unit: Roster.finance.unit, source: .feed(.rss)),
            Spec(platform: .wechat, id: "hxjtys", name: "鸿溪交通", unit: Roster.transport.unit, source: .feed(.atom)),
            Spec(platform: .wechat, id: "qsfb", name: "青山发布", unit: Roster.qingshanOffice, source: .feed(.rss)),
            Spec(platform: .toutiao, id: "1711122233344", name: "青山发布", unit: Roster.qingshanOffice, source: .export, newest: 2),
            Spec(platform: .weibo, id: "7012345678", name: "澜江发布", unit: Roster.lanjiangOffice, source: .feed(.atom)),
            Spec(
                platform: .app, id: "cn.gov.hongxi.zwt", name: "鸿溪政务通", unit: office, status: .stopped, source: .none,
                closureFiledDaysAgo: 107, downloadURL: "http://\(Roster.appHost)/download/hongxi-zwt.apk"),
            Spec(
                platform: .app, id: "cn.gov.hongxi.rsapp", name: "鸿溪人社通", unit: Roster.humanResources.unit,
                source: .feed(.json), downloadURL: "http://\(Roster.appHost)/download/hongxi-rst.apk"),
            Spec(
                platform: .app, id: "cn.gov.qingshan.jyapp", name: "青山教育云", unit: Roster.qingshanEducation, status: .closed,
                source: .none, closureFiledDaysAgo: 170, downloadURL: "http://\(Roster.appHost)/download/qingshan-jyy.apk"),
            Spec(platform: .wechat, id: "hxcwb", name: "鸿溪创文", unit: office, main: false, status: .stopped, source: .none, closureFiledDaysAgo: 200),
            Spec(platform: .wechat, id: "hxjgsw", name: "鸿溪机关事务", unit: "鸿溪市机关事务管理局", source: .feed(.rss), newest: 2),
        ]
        for spec in specs { add(spec, city) }
        plantAccountProblems(city)
    }

    // MARK: Accounts and posts

    private static func add(_ spec: Spec, _ city: CityBuilder) {
        let clock = city.clock
        var feedURL: String?
        switch spec.source {
        case .feed(let format), .hugeFeed(let format), .slowFeed(let format):
            feedURL = "http://\(feedsHost)/\(spec.platform.rawValue)/\(spec.id).\(format.fileExtension)"
        case .malformedFeed, .emptyFeed:
            feedURL = "http://\(feedsHost)/\(spec.platform.rawValue)/\(spec.id).xml"
        case .export, .none: feedURL = nil
        }
        city.accounts.append(
            SampleAccount(
                platform: spec.platform, id: spec.id, name: spec.name, unit: spec.unit, main: spec.main, status: spec.status,
                feed: feedURL, closureFiled: spec.closureFiledDaysAgo.map { clock.daysAgo($0, hour: 0, minute: 0) },
                downloadURL: spec.downloadURL, interaction: spec.interaction))

        let posts: [SamplePost]
        switch spec.source {
        case .emptyFeed, .none: posts = []
        default: posts = makePosts(spec, clock)
        }
        let home = homeURL(platform: spec.platform, id: spec.id)
        switch spec.source {
        case .feed(let format), .slowFeed(let format), .hugeFeed(let format):
            city.feedPosts[spec.id] = posts
            city.addResource(
                feedURL!,
                original: Resource(
                    contentType: format.contentType,
                    body: FeedRenderer.render(format, title: spec.name, home: home, feedURL: feedURL!, posts: posts),
                    lastModified: posts.map(\.published).max()))
        case .malformedFeed:
            city.exportedPosts += posts
            city.addResource(
                feedURL!,
                original: Resource(
                    contentType: FeedFormat.rss.contentType,
                    body: FeedRenderer.malformedRSS(title: spec.name, home: home, feedURL: feedURL!, posts: posts)))
        case .emptyFeed:
            city.feedPosts[spec.id] = []
            city.addResource(
                feedURL!,
                original: Resource(
                    contentType: FeedFormat.rss.contentType,
                    body: FeedRenderer.render(.rss, title: spec.name, home: home, feedURL: feedURL!, posts: [])))
        case .export:
            city.exportedPosts += posts
        case .none: break
        }
        if case .slowFeed = spec.source { city.slowURLs.insert(feedURL!) }
        if spec.platform == .app {
            for post in posts {
                city.addResource(post.url, original: Resource.html("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(HTML.escape(post.title))</title></head><body>\(post.html)</body></html>"))
            }
        }
    }

    private static func homeURL(platform: SampleAccount.Platform, id: String) -> String {
        switch platform {
        case .wechat: return "http://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=\(id)"
        case .weibo: return "http://weibo.com/u/\(id)"
        case .douyin: return "http://www.douyin.com/user/\(id)"
        case .toutiao: return "http://www.toutiao.com/c/user/\(id)/"
        default: return "http://\(Roster.appHost)/"
        }
    }

    private static func postURL(_ spec: Spec, serial: Int) -> String {
        let token = String(fnv1a64(Array("\(spec.id)/\(serial)".utf8)), radix: 36)
        let digits = String(format: "7%018llu", fnv1a64(Array("\(spec.id)#\(serial)".utf8)) % 1_000_000_000_000_000_000)
        switch spec.platform {
        case .wechat: return "http://mp.weixin.qq.com/s/\(token)"
        case .weibo: return "http://weibo.com/\(spec.id)/\(token)"
        case .douyin: return "http://www.douyin.com/video/\(digits)"
        case .toutiao: return "http://www.toutiao.com/article/\(digits)/"
        default: return "http://\(Roster.appHost)/news/\(serial).html"
        }
    }

    private static func makePosts(_ spec: Spec, _ clock: CityClock) -> [SamplePost] {
        var random = DeterministicRandom(name: spec.id)
        let unitShort = spec.unit.replacingOccurrences(of: "鸿溪市", with: "市")
        let topics = ContentPools.topics["portal"]!
        let step = spec.count > 100 ? 1 : 2
        return (0..<spec.count).map { serial in
            // Huge feeds post several times a day; the rest every other day.
            let days = spec.newest + (spec.count > 100 ? serial / 4 : serial * step)
            let published = clock.daysAgo(days, hour: 8 + (serial * 3) % 12, minute: (serial * 13) % 60)
            let topic = random.pick(topics)
            let title = random.pick(ContentPools.newsTitles).filled(unit: unitShort, locality: "鸿溪市", topic: topic)
            let sentence = random.pick(ContentPools.sentences).filled(unit: unitShort, locality: "鸿溪市", topic: topic)
            return SamplePost(
                platform: spec.platform, accountID: spec.id, published: published, title: title, url: postURL(spec, serial: serial),
                html: "<p>\(HTML.escape(sentence))</p>", guid: "\(spec.platform.rawValue):\(spec.id):\(serial)")
        }
    }

    // MARK: Planted account problems

    private static func plantAccountProblems(_ city: CityBuilder) {
        let clock = city.clock
        func account(_ id: String) -> SampleAccount { city.accounts.first { $0.id == id }! }

        // A severe error and personal information in posts; the fixed feed drops the post.
        plantPost(
            city, account: account("hxjyfb"), format: .rss, title: "我市开展未成年人保护法宣传周活动", daysAgo: 4,
            html: "<p>活动现场，志愿者向家长和学生宣讲《中华人民共合国未成年人保护法》，发放宣传资料2000余份。</p>",
            problems: [(.accountContentSevereError, "推文正文把“中华人民共和国”错写为“中华人民共合国”", ["wrong": "中华人民共合国", "correct": "中华人民共和国"])])
        plantPost(
            city, account: account("5190322871"), format: .atom, title: "寻人启事：请市民协助寻找走失老人", daysAgo: 5,
            html: "<p>李某某，男，身份证号\(PlantedValues.postID)，于3月25日走失，有知情者请联系其家属，电话\(PlantedValues.postMobile)。</p>",
            problems: [
                (.accountContentPrivacy, "微博正文公开了完整的居民身份证号码", ["kind": "id-card", "masked": PersonalData.mask(PlantedValues.postID, kind: .idCard)]),
                (.accountContentPrivacy, "微博正文公开了个人手机号码", ["kind": "mobile", "masked": PersonalData.mask(PlantedValues.postMobile, kind: .mobile)]),
            ])

        // Staleness.
        let stale = account("6021457783")
        city.plant(.accountStale, stale.target, url: nil, note: "最新一条微博为20天前，超过2周未更新", detail: ["lastPost": CityClock.isoDay(clock.daysAgo(20))])
        let zombie = account("hxrs12333")
        city.plant(.accountStale, zombie.target, url: nil, note: "最新一条视频为120天前，超过2周未更新", detail: ["lastPost": CityClock.isoDay(clock.daysAgo(120))])
        city.plant(.accountZombie, zombie.target, url: nil, note: "超过90天未发布（僵尸账号）", detail: ["lastPost": CityClock.isoDay(clock.daysAgo(120))])
        let empty = account("hxfgw")
        city.plant(.accountStale, empty.target, url: empty.feed, note: "数据源为空，从未发布任何内容，超过2周未更新")
        city.plant(.accountZombie, empty.target, url: empty.feed, note: "数据源为空，90天内无任何发布（僵尸账号）")

        // Duplicate accounts of one unit on one platform.
        city.plant(
            .accountDuplicate, Target(kind: .unit, code: Roster.health.unit, name: Roster.health.unit), url: nil,
            note: "市卫健委除主账号“健康鸿溪”外还运营2个活跃的微信公众号",
            detail: ["platform": "wechat", "accounts": "hxwjfw,hxwjxc", "main": "jkhx2016"])

        // Interaction recorded as missing by the inspector (accounts CSV column `interaction`).
        let mute = account("dy_hxwl")
        city.plant(.accountInteractionMissing, mute.target, url: nil, note: "检查人员记录：账号关闭了评论与私信，无有效互动功能（账号表interaction列为0）")

        // Closure not filed; a stopped app still downloadable.
        let unfiled = account("hxzjj")
        city.plant(.accountClosureUnfiled, unfiled.target, url: nil, note: "账号已停用（最后发布于200天前），未向主管部门备案（无停用备案日期）")
        let app = account("cn.gov.hongxi.zwt")
        city.plant(
            .accountClosureUnfiled, app.target, url: app.downloadURL,
            note: "移动客户端已停用并备案，但下载地址仍可下载（返回200）；固定变体下返回404",
            detail: ["downloadURL": app.downloadURL!], fix: .urls([app.downloadURL!]))
        let apk = Resource(contentType: "application/vnd.android.package-archive", body: Data("PK\u{03}\u{04}hongxi-app".utf8))
        city.addResource(app.downloadURL!, original: apk, fixed: Resource(status: 404, contentType: "text/html; charset=utf-8", body: Data("<h1>404 Not Found</h1>".utf8)))
        city.addResource("http://\(Roster.appHost)/download/hongxi-rst.apk", original: apk)
        // The closed app's download URL is not stored, so it answers 404 as it should.
    }

    /// Adds a post with problems to an account's feed (the fixed feed leaves it out) and plants its problems.
    private static func plantPost(
        _ city: CityBuilder, account: SampleAccount, format: FeedFormat, title: String, daysAgo: Int, html: String,
        problems: [(IndicatorID, String, [String: String])]
    ) {
        let post = SamplePost(
            platform: account.platform, accountID: account.id, published: city.clock.daysAgo(daysAgo, hour: 18),
            title: title, url: account.platform == .wechat ? "http://mp.weixin.qq.com/s/planted-\(account.id)" : "http://weibo.com/\(account.id)/planted",
            html: html, guid: "\(account.platform.rawValue):\(account.id):planted")
        let clean = city.feedPosts[account.id] ?? []
        city.feedPosts[account.id] = clean + [post]
        let home = homeURL(platform: account.platform, id: account.id)
        city.replaceResource(
            account.feed!,
            original: Resource(contentType: format.contentType, body: FeedRenderer.render(format, title: account.name, home: home, feedURL: account.feed!, posts: clean + [post])),
            fixed: Resource(contentType: format.contentType, body: FeedRenderer.render(format, title: account.name, home: home, feedURL: account.feed!, posts: clean)))
        for (indicator, note, detail) in problems {
            city.plant(indicator, account.target, url: post.url, note: note + "（固定变体的数据源删除了该条）", detail: detail.merging(["feed": account.feed!]) { a, _ in a }, fix: .urls([account.feed!]))
        }
    }
}
