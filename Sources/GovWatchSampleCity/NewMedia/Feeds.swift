import Foundation

/// Feed documents for the accounts, in the three formats feed bridges (RSSHub and the
/// like) produce: RSS 2.0, Atom 1.0 and JSON Feed 1.1.
enum FeedFormat: String, Sendable {
    case rss, atom, json

    var fileExtension: String {
        switch self {
        case .rss: return "xml"
        case .atom: return "atom"
        case .json: return "json"
        }
    }

    var contentType: String {
        switch self {
        case .rss: return "application/rss+xml; charset=utf-8"
        case .atom: return "application/atom+xml; charset=utf-8"
        case .json: return "application/feed+json; charset=utf-8"
        }
    }
}

enum FeedRenderer {
    static func render(_ format: FeedFormat, title: String, home: String, feedURL: String, posts: [SamplePost]) -> Data {
        let posts = posts.sorted { $0.published > $1.published }
        switch format {
        case .rss: return Data(rss(title: title, home: home, feedURL: feedURL, posts: posts).utf8)
        case .atom: return Data(atom(title: title, home: home, feedURL: feedURL, posts: posts).utf8)
        case .json: return json(title: title, home: home, feedURL: feedURL, posts: posts)
        }
    }

    private static func cdata(_ text: String) -> String {
        "<![CDATA[" + text.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }

    static func rss(title: String, home: String, feedURL: String, posts: [SamplePost]) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel>
            <title>\(cdata(title))</title>
            <link>\(home)</link>
            <atom:link href="\(feedURL)" rel="self" type="application/rss+xml"/>
            <description>\(cdata(title + " - 由政务新媒体聚合服务生成"))</description>
            <generator>RSSHub</generator>
            <language>zh-cn</language>

            """
        if let newest = posts.first { xml += "<lastBuildDate>\(CityClock.rfc1123(newest.published))</lastBuildDate>\n" }
        for post in posts {
            xml += """
                <item>
                <title>\(cdata(post.title))</title>
                <description>\(cdata(post.html))</description>
                <pubDate>\(CityClock.rfc1123(post.published))</pubDate>
                <guid isPermaLink="false">\(post.guid)</guid>
                <link>\(post.url)</link>
                </item>

                """
        }
        return xml + "</channel>\n</rss>\n"
    }

    static func atom(title: String, home: String, feedURL: String, posts: [SamplePost]) -> String {
        func escape(_ text: String) -> String { OfficeDocuments.xmlEscape(text).replacingOccurrences(of: "\"", with: "&quot;") }
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>\(escape(title))</title>
            <id>\(feedURL)</id>
            <link href="\(home)"/>
            <link rel="self" href="\(feedURL)"/>

            """
        if let newest = posts.first { xml += "<updated>\(CityClock.iso8601(newest.published))</updated>\n" }
        for post in posts {
            xml += """
                <entry>
                <title>\(escape(post.title))</title>
                <id>\(post.guid)</id>
                <link href="\(post.url)"/>
                <published>\(CityClock.iso8601(post.published))</published>
                <updated>\(CityClock.iso8601(post.published))</updated>
                <content type="html">\(escape(post.html))</content>
                </entry>

                """
        }
        return xml + "</feed>\n"
    }

    private struct JSONFeed: Encodable {
        struct Item: Encodable {
            let id: String
            let url: String
            let title: String
            let content_html: String
            let date_published: String
        }

        let version = "https://jsonfeed.org/version/1.1"
        let title: String
        let home_page_url: String
        let feed_url: String
        let items: [Item]
    }

    static func json(title: String, home: String, feedURL: String, posts: [SamplePost]) -> Data {
        let feed = JSONFeed(
            title: title, home_page_url: home, feed_url: feedURL,
            items: posts.map {
                .init(id: $0.guid, url: $0.url, title: $0.title, content_html: $0.html, date_published: CityClock.iso8601($0.published))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(feed)) ?? Data("{}".utf8)
    }

    /// A feed cut off in the middle of an item, as a bridge that crashed mid-write leaves it.
    static func malformedRSS(title: String, home: String, feedURL: String, posts: [SamplePost]) -> Data {
        let full = rss(title: title, home: home, feedURL: feedURL, posts: posts)
        let cut = full.utf8.count * 2 / 3
        return Data(Array(full.utf8).prefix(cut)) + Data("<item><title>未闭合的条目 & 非法实体".utf8)
    }
}
