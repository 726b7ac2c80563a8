import Foundation

/// A hostile endpoint of the fixture's hostile host, for crawler-robustness tests.
public struct HostileEndpoint: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// 302 to itself, forever.
        case redirectLoop
        /// A → B → A redirects.
        case redirectCycle
        /// `?month=YYYY-MM` pages, each linking the previous and next month, without end.
        case endlessCalendar
        /// A 20 MiB HTML page.
        case hugePage
        /// ~2 MB of gzip (`Content-Encoding: gzip`, always) inflating to ~2 GB of zeros.
        case gzipBomb
        /// One byte per second (86,400 declared); stops when the client goes away.
        case trickle
        /// 503 on every fourth request (a deterministic counter), 200 otherwise.
        case flaky
        /// 429 with `Retry-After: 1` on every odd-numbered request, 200 on the others.
        case rateLimited
    }

    public var kind: Kind
    public var url: String
    /// The link text sites use for it.
    public var title: String

    /// Whether a link to it is certainly broken (`certain`), possibly broken depending on the
    /// inspector's limits, or fine (nil).
    var brokenLink: (note: String, certain: Bool)? {
        switch kind {
        case .redirectLoop, .redirectCycle: return ("重定向循环", true)
        case .endlessCalendar: return nil
        case .hugePage: return ("20MB超大页面，超出响应大小上限时可能判为无法加载", false)
        case .gzipBomb: return ("gzip炸弹，解压超限时可能判为无法加载", false)
        case .trickle: return ("每秒1字节，整页超时时判为无法加载", false)
        case .flaky: return ("每4次请求失败1次，取决于重试", false)
        case .rateLimited: return ("429限流，遵守Retry-After重试即可成功", false)
        }
    }

    var linkedFromSites: Bool { true }

    /// The hostile host's paths.
    static func path(_ kind: Kind) -> String {
        switch kind {
        case .redirectLoop: return "/loop.html"
        case .redirectCycle: return "/cycle-a.html"
        case .endlessCalendar: return "/calendar/index.html?month=2022-03"
        case .hugePage: return "/huge.html"
        case .gzipBomb: return "/bomb.html"
        case .trickle: return "/trickle.html"
        case .flaky: return "/flaky.html"
        case .rateLimited: return "/busy.html"
        }
    }
}

/// hostile.hongxi.gov.cn: every endpoint a crawler must survive.
enum HostileHost {
    static let host = Roster.hostileHost
    static let hugeSize = 20 * 1024 * 1024
    static let trickleSize = 86_400

    static func endpoints(_ clock: CityClock) -> [HostileEndpoint] {
        let titles: [HostileEndpoint.Kind: String] = [
            .redirectLoop: "政务服务旧版入口", .redirectCycle: "网上办事大厅（旧）", .endlessCalendar: "政务活动日历",
            .hugePage: "2021年统计年鉴（全文）", .gzipBomb: "历史档案数据库", .trickle: "视频点播平台",
            .flaky: "公共资源交易平台", .rateLimited: "信用鸿溪查询",
        ]
        return HostileEndpoint.Kind.allCases.map {
            HostileEndpoint(kind: $0, url: "http://\(host)\(HostileEndpoint.path($0))", title: titles[$0]!)
        }
    }

    /// The 20 MiB page's repeated line (the page is this line over and over inside a valid document).
    static let hugeLine = Array("<p>鸿溪市统计年鉴数据表：第一产业增加值、第二产业增加值、第三产业增加值（单位：亿元）。</p>\n".utf8)
    static let hugeHead = Array("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>2021年统计年鉴（全文）</title></head><body>\n".utf8)
    static let hugeTail = Array("</body></html>\n".utf8)

    /// The bytes of the huge page in `range` (head, then repeated lines, then tail; exactly `hugeSize` bytes).
    static func hugeBytes(in range: Range<Int>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        let tailStart = hugeSize - hugeTail.count
        var offset = range.lowerBound
        // Copy whole runs (head, line remainders, tail) rather than byte by byte: 20 MiB per request.
        while offset < range.upperBound {
            if offset < hugeHead.count {
                let end = min(range.upperBound, hugeHead.count)
                result += hugeHead[offset..<end]
                offset = end
            } else if offset >= tailStart {
                result += hugeTail[(offset - tailStart)..<(range.upperBound - tailStart)]
                offset = range.upperBound
            } else {
                let inLine = (offset - hugeHead.count) % hugeLine.count
                let end = min(range.upperBound, tailStart, offset + hugeLine.count - inLine)
                result += hugeLine[inLine..<(inLine + end - offset)]
                offset = end
            }
        }
        return result
    }

    /// An endless calendar page for `month` (`YYYY-MM`; anything else means 2022-03).
    static func calendarPage(siteName: String, path: String, month: String?) -> String {
        var year = 2022
        var monthNumber = 3
        if let month, month.count == 7, let y = Int(month.prefix(4)), let m = Int(month.suffix(2)), (1...12).contains(m) {
            year = y
            monthNumber = m
        }
        func label(_ y: Int, _ m: Int) -> String { String(format: "%04d-%02d", y, m) }
        let previous = monthNumber == 1 ? label(year - 1, 12) : label(year, monthNumber - 1)
        let next = monthNumber == 12 ? label(year + 1, 1) : label(year, monthNumber + 1)
        var days = ""
        for day in 1...28 { days += "<td>\(day)</td>" + (day % 7 == 0 ? "</tr><tr>" : "") }
        return """
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(HTML.escape(siteName))活动日历 \(year)年\(monthNumber)月</title></head>
            <body><h1>活动日历 \(year)年\(monthNumber)月</h1>
            <p><a href="\(path)?month=\(previous)">上一月</a> | <a href="\(path)?month=\(next)">下一月</a></p>
            <table class="calendar"><tr><th>日</th><th>一</th><th>二</th><th>三</th><th>四</th><th>五</th><th>六</th></tr><tr>\(days)</tr></table>
            <p>本月暂无活动安排。</p><p><a href="/">返回首页</a></p></body></html>
            """
    }

    /// The hostile host's own index page.
    static func indexPage(_ clock: CityClock) -> String {
        let items = endpoints(clock).map { "<li><a href=\"\($0.url)\">\(HTML.escape($0.title))</a></li>" }.joined(separator: "\n")
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>测试链接</title></head><body><ul>\n\(items)\n</ul></body></html>"
    }
}

/// Hosts outside the city that its pages link to and that are alive: the national sites in
/// every footer, the platforms of the accounts, and the gambling sites behind the dark links.
enum ExternalHosts {
    static let alive: [String: String] = [
        "www.gov.cn": "中国政府网",
        "www.hunan.gov.cn": "湖南省人民政府门户网站",
        "bszs.conac.cn": "党政机关网站标识查询",
        "beian.miit.gov.cn": "ICP/IP地址/域名信息备案管理系统",
        "www.beian.gov.cn": "全国互联网安全管理服务平台",
        "mp.weixin.qq.com": "微信公众平台",
        "weibo.com": "微博",
        "www.douyin.com": "抖音",
        "www.toutiao.com": "今日头条",
        "www.hg8868-bet.com": "体育娱乐在线",
        "www.xpj3377.net": "娱乐城",
        "www.dafa888-vip.com": "VIP娱乐",
    ]

    static func page(host: String) -> Resource {
        let title = alive[host] ?? host
        return Resource.html(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(HTML.escape(title))</title></head><body><h1>\(HTML.escape(title))</h1></body></html>")
    }
}
