import Foundation
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

/// The systemd units run GovWatch as a service user without capabilities, while the tests,
/// the benchmarks and the demo run as root here, where a privileged socket option is set
/// without complaint. The crawler once asked for SOL_SOCKET option 1 (SO_DEBUG, needing
/// CAP_NET_ADMIN) meaning TCP_NODELAY: as the service user every connection failed, every
/// site looked unreachable. This test fetches a page the way the service user does.
@Suite("Fetching as an unprivileged user")
struct UnprivilegedFetchTests {
    @Test("a process without privileges fetches a page through the proxy")
    func fetchWithoutPrivileges() async throws {
        let city = SampleCity.standard
        let portal = try #require(city.sites.first { $0.kind == .portal })
        let server = try await FixtureServer.start(city: city)
        defer { Task { try? await server.shutdown() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-unprivileged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = GovWatchBinary.environmentWithoutDatabase
        let arguments = ["extract", portal.url, "--proxy", server.proxyURL, "--format", "json"]
        let output: ProcessOutput
        if getuid() == 0 {
            // As root: drop to nobody, which loses every capability (setpriv, util-linux). The
            // binary is copied out of the build folder, which may sit under a private home.
            try ToolAvailability.require(ToolAvailability.program("setpriv", package: "util-linux"))
            // Copied by `cp`, not by this process: a file this process had open for writing
            // would be inherited by the children other tests spawn meanwhile, and executing it
            // would fail with ETXTBSY (exit 126) until they exec.
            let binary = folder.appendingPathComponent("govwatch")
            let copied = try await ChildProcess.program("cp", [GovWatchBinary.url.path, binary.path])
            try #require(copied.status == 0, "\(copied)")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
            output = try await ChildProcess.program(
                "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", binary.path] + arguments, in: folder,
                environment: environment)
            let identity = try await ChildProcess.program(
                "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/usr/bin/id", "-u"], environment: environment)
            #expect(identity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "65534")
        } else {
            output = try await GovWatchBinary.run(arguments, in: folder, environment: environment)
        }
        #expect(output.status == 0, "\(output.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect((json?["title"] as? String)?.isEmpty == false, "\(output.stdout.prefix(500)) \(output.stderr)")
    }
}
