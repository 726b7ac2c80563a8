import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchPage

/// `govwatch extract FILE|URL [--proxy URL] [--format json]`: what the inspection sees
/// in one page — title, publish time, footer identity, dated list items, links, text.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "单页抽取结果：标题、发布时间、网站标识（网站标识码、ICP备案、公安备案、主办单位、党政机关标识）、日期列表、链接和正文"
    )

    @Argument(help: "本地 HTML 文件，或 http(s) 网址")
    var source: String

    @Option(name: .long, help: "HTTP 代理：http://主机:端口（配置项 crawl.proxy）")
    var proxy: String?

    @Option(name: .long, help: "输出格式：text（默认，中文）或 json（规范格式）")
    var format: OutputFormat = .text

    @Option(name: .long, help: "本地文件的原始网址，用于解析相对链接（默认取浏览器保存时记录的网址）")
    var url: String?

    @Option(name: .customLong("as-of"), help: "监测时间点（YYYY-MM-DD 或 ISO 8601），用于补全“03-10”这类不带年份的日期；默认当前时间")
    var asOf: String?

    func run() async throws {
        guard format != .csv else { throw reportFailure("extract 不支持 csv 格式，请使用 text 或 json") }
        var asOfDate = Date()
        if let asOf {
            guard let parsed = ChinaTime.parseMoment(asOf, bareDayMeansEnd: true) else {
                throw reportFailure("--as-of：无法识别的日期“\(asOf)”，应为 YYYY-MM-DD 或 ISO 8601")
            }
            asOfDate = parsed
        }
        let extractor = PageExtractor(asOf: asOfDate)
        let page: ExtractedPage
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            page = try await extractURL(with: extractor)
        } else {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: source))
            } catch {
                let reason = FileManager.default.fileExists(atPath: source) ? "无法读取文件" : "文件不存在"
                throw reportFailure("\(source): \(reason)")
            }
            page = extractor.extract(bytes: data, contentType: nil, url: url)
        }
        switch format {
        case .json:
            writeOut(String(decoding: page.jsonData(prettyPrinted: true), as: UTF8.self) + "\n")
        default:
            writeOut(Self.render(page))
        }
    }

    private func extractURL(with extractor: PageExtractor) async throws -> ExtractedPage {
        // No --config here: the file is $GOVWATCH_CONFIG or the default one (already checked before the command ran).
        let configuration = try loadConfiguration(explicitPath: nil) { configuration throws(ConfigurationError) in
            try configuration.override("crawl.proxy", flag: "--proxy", with: proxy)
        }
        let fetcher: PageFetcher
        do {
            fetcher = try PageFetcher(proxy: configuration.string("crawl.proxy"))
        } catch {
            throw reportFailure("--proxy：\(error)")
        }
        let fetched: FetchedPage
        do {
            fetched = try await fetcher.fetch(source)
        } catch {
            try? await fetcher.shutdown()
            throw reportFailure("\(source): \(error)")
        }
        try? await fetcher.shutdown()
        if !(200...299).contains(fetched.status) {
            FileHandle.standardError.write(Data("govwatch: \(fetched.finalURL)：HTTP \(fetched.status)\n".utf8))
        }
        if fetched.truncated {
            FileHandle.standardError.write(Data("govwatch: \(fetched.finalURL)：页面超过大小上限，只抽取了前 \(fetched.body.count) 字节\n".utf8))
        }
        return extractor.extract(bytes: fetched.body, contentType: fetched.contentType, url: fetched.finalURL.description)
    }

    /// The readable Chinese report.
    static func render(_ page: ExtractedPage) -> String {
        let none = "（未找到）"
        var lines: [String] = []
        lines.append("网址：\(page.url ?? none)")
        lines.append("标题：\(page.title ?? none)")
        lines.append("发布时间：\(page.published?.description ?? none)")
        if let charset = page.charset { lines.append("字符编码：\(charset)") }
        lines.append("网站标识码：\(page.identity.siteCode ?? none)")
        lines.append("ICP备案号：\(page.identity.icp ?? none)")
        lines.append("公安备案号：\(page.identity.police ?? none)")
        lines.append("主办单位：\(page.identity.sponsor ?? none)")
        lines.append("党政机关网站标识：\(page.identity.partyGovBadge ? "有" : "无")")
        lines.append("")
        if let unreadable = page.unreadable {
            let reason = unreadable == "challenge" ? "反爬虫验证页（WAF 挑战页），页面内容未能读取" : "内容由脚本加载，未找到数据来源，列表未能读取"
            lines.append("无法读取：\(reason)")
        }
        for source in page.dataSources {
            lines.append("列表数据接口：\(source)")
        }
        lines.append("站内搜索：\(page.search.isEmpty ? none : page.search.joined(separator: "  "))")
        lines.append("")
        lines.append("日期列表（\(page.listItems.count) 条）：")
        for item in page.listItems {
            lines.append("  \(item.date)  \(item.title)  \(item.url)")
        }
        if !page.undatedItems.isEmpty {
            lines.append("无日期列表（\(page.undatedItems.count) 条）：")
            for item in page.undatedItems {
                lines.append("  \(item.title)  \(item.url)")
            }
        }
        let hidden = page.links.filter(\.hidden).count
        lines.append("")
        lines.append("链接（\(page.links.count) 个，其中隐藏 \(hidden) 个）：")
        for link in page.links {
            let text = link.text.isEmpty ? "" : " \(link.text)"
            let hidden = link.hidden ? "[隐藏" + (link.hiding.map { "：\($0)" } ?? "") + "]" : ""
            lines.append("  [\(kindName(link.kind))]\(hidden)\(text) → \(link.url)")
        }
        lines.append("")
        let preview = page.text.count > 500 ? String(page.text.prefix(500)) + "……" : page.text
        lines.append("正文（共 \(page.text.count) 字）：")
        lines.append(preview)
        return lines.joined(separator: "\n") + "\n"
    }

    static func kindName(_ kind: PageLink.Kind) -> String {
        switch kind {
        case .page: "页面"
        case .image: "图片"
        case .attachment: "附件"
        case .script: "脚本"
        case .style: "样式"
        case .frame: "框架"
        }
    }
}
