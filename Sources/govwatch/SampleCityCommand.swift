import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchSampleCity

/// `govwatch sample-city`: serves the sample city 鸿溪市 on loopback as an HTTP proxy (what
/// `demo` starts in process), so `inspect --proxy` and the scheduler can be tried, and
/// benchmarks (`benchmarks/retention.sh`) can run many inspections against it. Runs until
/// the process is stopped.
struct SampleCityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-city",
        abstract: "在本机启动示例城市“鸿溪市”的网站（HTTP 代理方式访问），供 inspect --proxy 等试用；按 Ctrl+C 停止。")

    @Option(help: "监听端口（默认自动选择空闲端口）") var port = 0
    @Option(help: "把示例城市的台账（sites.csv、columns.csv、accounts.csv、people.csv）写入此目录") var registry: String?

    func run() async throws {
        let city = SampleCity.standard
        if let registry {
            let folder = URL(fileURLWithPath: registry)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for kind in RegistryFile.allCases {
                try city.registryCSVData(kind).write(to: folder.appendingPathComponent("\(kind.rawValue).csv"))
            }
        }
        let server = try await FixtureServer.start(city: city, port: port)
        writeOut("示例城市代理：\(server.proxyURL)\n")
        while true { try await Task.sleep(for: .seconds(3_600)) }
    }
}
