import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore

/// `govwatch probe [--all] [--site CODE]... [--proxy URL]`.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "对网站首页做一次可用性监测并保存结果（调度器每天运行不少于20次）。"
    )

    @Flag(help: "监测所有已登记网站（未指定 --site 时的默认行为）")
    var all = false

    @Option(name: .customLong("site"), help: "网站标识码，可重复")
    var sites: [String] = []

    @Option(help: "HTTP 代理，如 http://127.0.0.1:8080（配置项 crawl.proxy）")
    var proxy: String?

    @Option(help: "指标文件（JSON），其 site.unreachable 的 timeoutSeconds 为监测超时；默认为当前使用的指标")
    var indicators: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let fileSet: IndicatorSet?
        do {
            fileSet = try indicators.map { try IndicatorSet.load(contentsOf: URL(fileURLWithPath: $0)) }
        } catch {
            throw reportFailure("\(error)")
        }
        let configuration = try loadConfiguration(explicitPath: global.configFile) { configuration throws(ConfigurationError) in
            try configuration.override("database.url", flag: "--db", with: global.db)
            try configuration.override("crawl.proxy", flag: "--proxy", with: proxy)
        }
        let results = try await withHTTPClient(proxy: configuration.string("crawl.proxy")) { client in
            try await withStore(global, configuration: configuration) { store in
                // `--indicators` wins over the set stored with `govwatch indicators set`.
                let set: IndicatorSet
                if let fileSet { set = fileSet } else { set = try await store.indicatorSet() }
                do {
                    return try await ProbeRound.run(codes: all ? [] : sites, store: store, http: client.http, indicators: set)
                } catch let error as ProbeRound.UnknownSites {
                    throw reportFailure(error.description)
                }
            }
        }
        for (site, probe) in results {
            let state = probe.ok ? "可访问" : "无法访问"
            let latency = probe.latencyMilliseconds.map { "\($0)ms" } ?? "-"
            let status = probe.status.map(String.init) ?? "-"
            writeOut("\(site.code)  \(site.name)  \(state)  HTTP \(status)  \(latency)\(probe.error.map { "  \($0)" } ?? "")\n")
        }
        let failed = results.filter { !$0.probe.ok }.count
        writeOut("共监测 \(results.count) 个网站，\(failed) 个无法访问\n")
    }
}
