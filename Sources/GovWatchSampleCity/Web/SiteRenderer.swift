import Foundation

/// Turns a `SiteBuilder` into pages, in the markup of the site's CMS.
extension SiteBuilder {
    /// Items per list page before paging ("下一页").
    static let pageSize = 15

    /// Every URL of the site with both variants (`fixed` only where it differs).
    func render() -> [(url: String, entry: WebEntry)] {
        let original = renderVariant(.original)
        let fixed = renderVariant(.fixed)
        var result: [(String, WebEntry)] = []
        for url in Set(original.keys).union(fixed.keys).sorted() {
            let a = original[url]
            let b = fixed[url]
            let differs = a?.body != b?.body || (a == nil) != (b == nil) || a?.status != b?.status
            result.append((url, WebEntry(original: a, fixed: differs ? (b ?? Self.gone(site: site)) : nil)))
        }
        return result
    }

    /// A page that a fix removed answers 404, like any missing page.
    static func gone(site: SampleSite) -> Resource {
        notFoundPage(site: site)
    }

    /// The site's 404 page.
    static func notFoundPage(site: SampleSite) -> Resource {
        let html = """
            <!DOCTYPE html><html><head><meta charset="\(site.gbk ? "gb2312" : "utf-8")"><title>页面不存在</title></head>
            <body><div class="error404"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p><p><a href="/">返回\(HTML.escape(site.name))首页</a></p></div></body></html>
            """
        return Resource.html(html, gbk: site.gbk, status: 404)
    }

    private func renderVariant(_ variant: Variant) -> [String: Resource] {
        var pages: [String: Resource] = [:]
        func put(_ path: String, _ resource: Resource) {
            pages[url(path)] = resource
        }
        let live = columns.filter { variant == .fixed || $0.inOriginal }

        // Homepage, under both `/` and `/index.html`, as CMS-published sites answer.
        let home = Resource.html(homepage(variant, columns: live), gbk: site.gbk, lastModified: newestDate(live))
        put("/", home)
        put("/index.html", home)

        for column in live {
            renderColumn(column, variant: variant, into: &pages)
        }
        for page in extraPages {
            guard let body = page.body[variant] else { continue }
            put(page.path, Resource.html(layout(page.title, variant, crumbs: [(page.title, nil)], body: body), gbk: site.gbk))
        }
        for raw in rawResources {
            if let resource = raw.resource[variant] { put(raw.path, resource) }
        }
        if hasSearch[variant] {
            put(searchPath, Resource.html(searchResults(variant, columns: live), gbk: site.gbk))
        }
        put("/robots.txt", Resource(contentType: "text/plain; charset=utf-8", body: Data("User-agent: *\nAllow: /\n".utf8)))
        put("/css/style.css", Resource(contentType: "text/css", body: Data(Self.stylesheet.utf8)))
        put("/js/common.js", Resource(contentType: "application/javascript", body: Data(Self.script.utf8)))
        for image in ["/images/logo.png", "/images/dzjg.png", "/images/ga.png"] {
            put(image, Resource(contentType: "image/png", body: Self.tinyPNG))
        }
        return pages
    }

    private func newestDate(_ columns: [ColumnSpec]) -> Date? {
        columns.flatMap { $0.articles.compactMap(\.date) + $0.letters.map(\.asked) }.max()
    }

    // MARK: Layout

    /// The page skeleton every page of the site shares: head metadata, header with search,
    /// navigation, breadcrumb, body and the identity footer.
    func layout(
        _ title: String, _ variant: Variant, crumbs: [(String, String?)], meta: String = "", body: String
    ) -> String {
        let charsetMeta = site.gbk ? "<meta charset=gb2312>" : "<meta charset=\"utf-8\">"
        let identity = identity[variant]
        var nav = "<li><a href=\"/\">首页</a></li>"
        for column in columns.filter({ $0.topLevel && (variant == .fixed || $0.inOriginal) }).prefix(8) {
            nav += "<li><a href=\"\(columnPath(column))\">\(HTML.escape(column.name))</a></li>"
        }
        for (title, href) in navExtras {
            nav += "<li><a href=\"\(HTML.escape(href))\">\(HTML.escape(title))</a></li>"
        }
        let crumbHTML = crumbs.isEmpty ? "" : "<div class=\"position\">当前位置：<a href=\"/\">首页</a>"
            + crumbs.map { name, href in
                " &gt; " + (href.map { "<a href=\"\($0)\">\(HTML.escape(name))</a>" } ?? HTML.escape(name))
            }.joined() + "</div>\n"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            \(charsetMeta)
            <meta http-equiv="X-UA-Compatible" content="IE=edge">
            <title>\(HTML.escape(title))</title>
            <meta name="SiteName" content="\(HTML.escape(site.name))">
            <meta name="SiteDomain" content="\(site.host)">
            \(identity.code.map { "<meta name=\"SiteIDCode\" content=\"\($0)\">" } ?? "")
            \(meta)<link rel="stylesheet" type="text/css" href="/css/style.css">
            </head>
            <body>
            <div class="header">
            <div class="logo"><a href="/"><img src="/images/logo.png" alt="\(HTML.escape(site.name))"></a></div>
            \(hasSearch[variant] ? searchForm : "")
            </div>
            <div class="nav"><ul>\(nav)</ul></div>
            <div class="main">
            \(crumbHTML)\(body)
            </div>
            \(footer(identity))
            <script type="text/javascript" src="/js/common.js"></script>
            </body>
            </html>
            """
    }

    private var searchForm: String {
        let field: String
        switch site.style {
        case .trs: field = "searchword"
        case .hanweb: field = "q"
        case .table: field = "keyword"
        }
        return """
            <div class="search"><form action="\(searchPath)" method="get" target="_blank">
            <input type="text" name="\(field)" class="search-input" placeholder="请输入关键字"><input type="submit" value="搜索" class="search-btn">
            </form></div>
            """
    }

    private func footer(_ identity: Identity) -> String {
        var html = "<div class=\"footer\">\n<div class=\"yqlj\">友情链接："
        html += friendLinks.map { "<a href=\"\($0.1)\" target=\"_blank\">\(HTML.escape($0.0))</a>" }.joined(separator: "　")
        html += "</div>\n"
        if identity.badge {
            let badgeID = String(fnv1a64(Array(site.code.utf8)), radix: 16).uppercased()
            html += "<div class=\"dzjg\"><a href=\"http://bszs.conac.cn/sitename?method=show&amp;id=\(badgeID)\" target=\"_blank\"><img src=\"/images/dzjg.png\" alt=\"党政机关\"></a></div>\n"
        }
        html += "<div class=\"copyright\">\n"
        if let sponsor = identity.sponsor {
            html += "<p>主办单位：\(HTML.escape(sponsor))　承办：\(HTML.escape(sponsor))办公室　联系电话：0731-8888\(site.code.suffix(4))</p>\n"
        }
        var line: [String] = []
        if let code = identity.code { line.append("网站标识码：\(code)") }
        if let icp = identity.icp {
            line.append("<a href=\"http://beian.miit.gov.cn/\" target=\"_blank\">\(HTML.escape(icp))</a>")
        }
        if let police = identity.police {
            let record = police.filter { $0.isASCII && $0.isNumber }
            line.append(
                "<a href=\"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=\(record)\" target=\"_blank\"><img src=\"/images/ga.png\" alt=\"\">\(HTML.escape(police))</a>")
        }
        html += "<p>" + line.joined(separator: "　") + "</p>\n"
        html += "<p>建议使用1366×768分辨率 IE9及以上版本浏览器浏览本站</p>\n</div>\n</div>"
        return html
    }

    // MARK: Homepage

    private func homepage(_ variant: Variant, columns live: [ColumnSpec]) -> String {
        var body = ""
        for column in live where column.onHomepage {
            let colHref = site.style == .trs ? "." + columnPath(column) : columnPath(column)
            body += "<div class=\"box\">\n<div class=\"box-hd\"><h3>\(HTML.escape(column.name))</h3><a class=\"more\" href=\"\(colHref)\">更多&gt;&gt;</a></div>\n<ul>\n"
            for item in listed(column).prefix(7) {
                let href = itemHref(column, id: item.id, date: item.date, fromHomepage: true)
                let date = item.date.map { homepageShortDates ? CityClock.monthDay($0) : CityClock.isoDay($0) }
                body += "<li><a href=\"\(href)\" target=\"_blank\" title=\"\(HTML.escape(item.title))\">\(HTML.escape(item.title))</a>"
                    + (date.map { "<span class=\"date\">\($0)</span>" } ?? "") + "</li>\n"
            }
            body += "</ul>\n</div>\n"
        }
        for (heading, links) in homepageLinkBlocks {
            body += "<div class=\"box links\">\n<div class=\"box-hd\"><h3>\(HTML.escape(heading))</h3></div>\n<ul>\n"
            body += links.map { "<li><a href=\"\($0.1)\" target=\"_blank\">\(HTML.escape($0.0))</a></li>" }.joined(separator: "\n")
            body += "\n</ul>\n</div>\n"
        }
        body += homepageExtra[variant]
        return layout(site.name, variant, crumbs: [], body: body)
    }

    /// A list column's items, newest first (undated items keep their order, last).
    private func listed(_ column: ColumnSpec) -> [(id: Int, title: String, date: Date?)] {
        switch column.content {
        case .articles(let articles):
            return articles.map { ($0.id, $0.title, $0.date) }
                .sorted { ($0.date ?? .distantPast) > ($1.date ?? .distantPast) }
        case .mailbox(let letters):
            return letters.sorted { $0.asked > $1.asked }.map { ($0.id, $0.title, $0.asked) }
        case .blank: return []
        }
    }

    // MARK: Columns

    private func renderColumn(_ column: ColumnSpec, variant: Variant, into pages: inout [String: Resource]) {
        switch column.content {
        case .blank(let placeholder):
            let list = placeholder.map {
                "<ul class=\"list\"><li><a href=\"javascript:;\">\(HTML.escape($0))</a></li></ul>"
            } ?? "<div class=\"list\"><p class=\"nodata\" style=\"text-align:center;\">暂无信息</p></div>"
            pages[url(columnPath(column))] = Resource.html(
                layout(column.name, variant, crumbs: [(column.name, nil)], meta: columnMeta(column), body: list), gbk: site.gbk)
        case .articles(let articles):
            renderList(column, variant: variant, into: &pages)
            for article in articles {
                renderArticle(article, column: column, variant: variant, into: &pages)
            }
        case .mailbox(let letters):
            renderMailbox(column, letters: letters, variant: variant, into: &pages)
        }
    }

    private func columnMeta(_ column: ColumnSpec) -> String {
        "<meta name=\"ColumnName\" content=\"\(HTML.escape(column.name))\">\n"
    }

    private func renderList(_ column: ColumnSpec, variant: Variant, into pages: inout [String: Resource]) {
        let items = listed(column)
        let pageCount = max(1, (items.count + Self.pageSize - 1) / Self.pageSize)
        for page in 0..<pageCount {
            let slice = items.dropFirst(page * Self.pageSize).prefix(Self.pageSize)
            var body = ""
            switch site.style {
            case .trs:
                body += "<div class=\"list\"><ul>\n"
                for item in slice {
                    let date = item.date.map { "<span>[\(CityClock.isoDay($0))]</span>" } ?? ""
                    body += "<li><a href=\"\(itemHref(column, id: item.id, date: item.date, fromHomepage: false))\" target=\"_blank\" title=\"\(HTML.escape(item.title))\">\(HTML.escape(item.title))</a>\(date)</li>\n"
                }
                body += "</ul></div>\n"
            case .hanweb:
                var records = ""
                for item in slice {
                    let date = item.date.map { "<span class=\"bt-data-time\">\(CityClock.isoDay($0))</span>" } ?? ""
                    let li = "<li><a href=\"\(itemPath(column, id: item.id, date: item.date))\" target=\"_blank\" title=\"\(HTML.escape(item.title))\">\(HTML.escape(item.title))</a>\(date)</li>"
                    records += hanwebDatastore ? "<record><![CDATA[\n\(li)\n]]></record>\n" : li + "\n"
                }
                if hanwebDatastore {
                    body += "<div id=\"\(column.key)\"><script type=\"text/xml\"><datastore>\n<recordset>\n\(records)</recordset>\n</datastore></script></div>\n"
                } else {
                    body += "<ul class=\"bt-list\">\n\(records)</ul>\n"
                }
            case .table:
                body += "<table class=\"list-table\" width=\"100%\">\n<tr><th>标题</th><th width=\"140\">发布日期</th></tr>\n"
                for item in slice {
                    body += "<tr><td><a href=\"\(itemPath(column, id: item.id, date: item.date))\" target=\"_blank\">\(HTML.escape(item.title))</a></td><td>\(item.date.map(CityClock.chineseDay) ?? "")</td></tr>\n"
                }
                body += "</table>\n"
            }
            body += pager(column, page: page, pageCount: pageCount, total: items.count)
            let lastModified = slice.compactMap(\.date).max()
            pages[url(columnPath(column, page: page))] = Resource.html(
                layout(column.name, variant, crumbs: [(column.name, nil)], meta: columnMeta(column), body: body),
                gbk: site.gbk, lastModified: lastModified)
        }
    }

    private func pager(_ column: ColumnSpec, page: Int, pageCount: Int, total: Int) -> String {
        func href(_ target: Int) -> String {
            let path = columnPath(column, page: target)
            return String(path.split(separator: "/").last!)
        }
        var html = "<div class=\"page\">共\(total)条　第\(page + 1)/\(pageCount)页　"
        if page > 0 {
            html += "<a href=\"\(href(0))\">首页</a> <a href=\"\(href(page - 1))\">上一页</a> "
        }
        if page + 1 < pageCount {
            html += "<a href=\"\(href(page + 1))\">下一页</a> <a href=\"\(href(pageCount - 1))\">尾页</a>"
        }
        return html + "</div>\n"
    }

    private func renderArticle(_ article: Article, column: ColumnSpec, variant: Variant, into pages: inout [String: Resource]) {
        var meta = columnMeta(column) + "<meta name=\"ArticleTitle\" content=\"\(HTML.escape(article.title))\">\n"
        if let date = article.date {
            meta += "<meta name=\"PubDate\" content=\"\(CityClock.minute(date))\">\n"
        }
        meta += "<meta name=\"ContentSource\" content=\"\(HTML.escape(article.source))\">\n"
        var info: String
        switch site.style {
        case .trs:
            info = "<div class=\"info\">"
                + (article.date.map { "<span>发布时间：\(CityClock.minute($0))</span>　" } ?? "")
                + "<span>来源：\(HTML.escape(article.source))</span>　<span>【字体：<a href=\"javascript:;\">大</a> <a href=\"javascript:;\">中</a> <a href=\"javascript:;\">小</a>】</span></div>"
        case .hanweb:
            info = "<table class=\"article-info\" width=\"100%\"><tr>"
                + (article.date.map { "<td><span>发布日期：\(CityClock.isoDay($0))</span></td>" } ?? "")
                + "<td><span>信息来源：\(HTML.escape(article.source))</span></td><td>浏览次数：<span id=\"c\">--</span></td></tr></table>"
        case .table:
            info = "<div class=\"article-meta\">"
                + (article.date.map { "发布日期：\(CityClock.chineseDay($0))　" } ?? "")
                + "信息来源：\(HTML.escape(article.source))</div>"
        }
        var attachments = ""
        var renderedAttachments: [(String, Resource?)] = []
        for attachment in article.attachments {
            let path = attachmentPath(column, article: article, attachment: attachment)
            let href = site.style == .trs ? "./" + attachment.fileName : path
            attachments += "<p><a href=\"\(href)\" target=\"_blank\">\(HTML.escape(attachment.title))</a></p>\n"
            renderedAttachments.append(
                (path, attachment.data[variant].map { Resource(contentType: attachment.contentType, body: $0, lastModified: article.date) }))
        }
        if !attachments.isEmpty {
            attachments = "<div class=\"fj\"><p>附件：</p>\n\(attachments)</div>\n"
        }
        let contentClass = site.style == .trs ? "TRS_Editor" : (site.style == .hanweb ? "zoom" : "content")
        let body = """
            <div class="article">
            <h1>\(HTML.escape(article.title))</h1>
            \(info)
            <div class="\(contentClass)" id="zoom">
            \(article.body[variant])
            </div>
            \(attachments)</div>
            """
        pages[url(itemPath(column, id: article.id, date: article.date))] = Resource.html(
            layout(article.title, variant, crumbs: [(column.name, columnPath(column))], meta: meta, body: body),
            gbk: site.gbk, lastModified: article.date)
        for (path, resource) in renderedAttachments {
            if let resource { pages[url(path)] = resource }
        }
    }

    // MARK: Consultation

    private func mailboxFolder(_ column: ColumnSpec) -> String {
        (columnPath(column) as NSString).deletingLastPathComponent
    }

    private func renderMailbox(_ column: ColumnSpec, letters: [Letter], variant: Variant, into pages: inout [String: Resource]) {
        let folder = mailboxFolder(column)
        var body = "<div class=\"xx-tool\"><a class=\"btn\" href=\"\(folder)/write.html\">我要写信</a>　<span>办理时限：一般信件5个工作日内答复</span></div>\n"
        body += "<table class=\"xx-list\" width=\"100%\">\n<tr><th>信件标题</th><th>来信时间</th><th>答复时间</th><th>办理状态</th></tr>\n"
        for letter in letters.sorted(by: { $0.asked > $1.asked }) {
            let href = itemPath(column, id: letter.id, date: letter.asked)
            body += "<tr><td><a href=\"\(href)\" target=\"_blank\">\(HTML.escape(letter.title))</a></td><td>\(CityClock.isoDay(letter.asked))</td><td>\(letter.reply.map { CityClock.isoDay($0.date) } ?? "")</td><td>\(letter.reply == nil ? "办理中" : "已回复")</td></tr>\n"
        }
        body += "</table>\n"
        pages[url(columnPath(column))] = Resource.html(
            layout(column.name, variant, crumbs: [(column.name, nil)], meta: columnMeta(column), body: body), gbk: site.gbk)
        for letter in letters {
            var rows = [
                ("来信人", HTML.escape(letter.asker)), ("来信时间", CityClock.minute(letter.asked)),
                ("来信内容", HTML.escape(letter.question)), ("办理状态", letter.reply == nil ? "办理中" : "已回复"),
            ]
            if let reply = letter.reply {
                rows += [
                    ("答复单位", HTML.escape(reply.replier)), ("答复时间", CityClock.minute(reply.date)),
                    ("答复内容", reply.text[variant]),
                ]
            }
            let detail = "<div class=\"xx-detail\">\n<h1>\(HTML.escape(letter.title))</h1>\n<table width=\"100%\">\n"
                + rows.map { "<tr><th width=\"120\">\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
                + "\n</table>\n</div>"
            pages[url(itemPath(column, id: letter.id, date: letter.asked))] = Resource.html(
                layout(letter.title, variant, crumbs: [(column.name, columnPath(column))],
                       meta: "<meta name=\"PubDate\" content=\"\(CityClock.minute(letter.asked))\">\n", body: detail),
                gbk: site.gbk, lastModified: letter.reply?.date ?? letter.asked)
        }
        let form = """
            <form class="xx-form" action="\(folder)/submit.html" method="post">
            <p><label>姓名：</label><input type="text" name="name"></p>
            <p><label>联系电话：</label><input type="text" name="phone"></p>
            <p><label>信件标题：</label><input type="text" name="title"></p>
            <p><label>信件内容：</label><textarea name="content" rows="8"></textarea></p>
            <p><input type="submit" value="提交"></p>
            </form>
            """
        pages[url(folder + "/write.html")] = Resource.html(
            layout("我要写信", variant, crumbs: [(column.name, columnPath(column)), ("我要写信", nil)], body: form), gbk: site.gbk)
        pages[url(folder + "/submit.html")] = Resource.html(
            layout("提交成功", variant, crumbs: [(column.name, columnPath(column))],
                   body: "<p>您的信件已提交成功，我们将在5个工作日内答复。</p>"), gbk: site.gbk)
    }

    // MARK: Search

    private func searchResults(_ variant: Variant, columns live: [ColumnSpec]) -> String {
        let hits = live.flatMap { column in
            column.articles.prefix(2).map { (column, $0) }
        }.prefix(8)
        var body = "<div class=\"search-result\"><p>共找到 \(hits.count) 条相关结果</p><ul>\n"
        for (column, article) in hits {
            body += "<li><a href=\"\(itemPath(column, id: article.id, date: article.date))\">\(HTML.escape(article.title))</a>"
                + (article.date.map { "<span>\(CityClock.isoDay($0))</span>" } ?? "") + "</li>\n"
        }
        body += "</ul></div>"
        return layout("站内搜索", variant, crumbs: [("站内搜索", nil)], body: body)
    }

    // MARK: Static assets

    static let stylesheet = """
        body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
        .header{background:#b5121b;height:110px}.nav{background:#c7161e}.nav li{display:inline-block;padding:0 18px}
        .nav a{color:#fff}.main{width:1200px;margin:0 auto}.box{float:left;width:580px;margin:10px}
        .list li span,.box li .date{float:right;color:#999}.footer{clear:both;background:#eee;text-align:center;padding:20px}
        .dzjg{float:left;margin-left:200px}.page{text-align:center;margin:20px}
        """

    static let script = "document.addEventListener('DOMContentLoaded',function(){var c=document.getElementById('c');if(c){c.innerHTML='1';}});\n"

    /// A valid 1×1 PNG (transparent), for logos and badges.
    static let tinyPNG = Data([
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
        0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
        0x42, 0x60, 0x82,
    ])
}
