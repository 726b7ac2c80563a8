import Foundation
import GovWatchTestSupport
import Testing

/// The politeness flags of `inspect` and `worker` (shared `CrawlOptions`), as a user types them.
@Suite struct CrawlFlagsTests {
    @Test("inspect and worker offer --per-host-rate, --per-host-connections, --contact and --no-autothrottle")
    func help() async throws {
        let folder = try ScanCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in ["inspect", "worker"] {
            let run = try await ScanCommandTests.govwatch([command, "--help"], in: folder)
            #expect(run.status == 0, "\(run.stderr)")
            for flag in ["--per-host-rate", "--per-host-connections", "--contact", "--no-autothrottle"] {
                #expect(run.stdout.contains(flag), "\(command) \(flag)")
            }
        }
    }

    @Test("a rate or connection count that is not positive is bad usage (exit 2), named in the message")
    func invalid() async throws {
        let folder = try ScanCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rate = try await ScanCommandTests.govwatch(["inspect", "--all", "--per-host-rate", "0", "--db", "sqlite://x.sqlite"], in: folder)
        #expect(rate.status == 2)
        #expect(rate.stderr.contains("--per-host-rate"))
        let connections = try await ScanCommandTests.govwatch(
            ["worker", "--per-host-connections", "0", "--exit-when-idle", "--db", "sqlite://x.sqlite"], in: folder)
        #expect(connections.status == 2)
        #expect(connections.stderr.contains("--per-host-connections"))
    }
}
