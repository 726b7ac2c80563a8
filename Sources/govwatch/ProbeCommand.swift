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

    @Option(help: "HTTP 代理，如 http://127.0.0.1:8080")
    var proxy: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let results = try await withHTTPClient(proxy: proxy) { client in
            try await withStore(global) { store in
                do {
                    return try await ProbeRound.run(codes: all ? [] : sites, store: store, http: client.http)
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
