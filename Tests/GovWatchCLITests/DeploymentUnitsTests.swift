import Foundation
import GovWatchTestSupport
import Synchronization
import Testing

/// The systemd units of `deploy/` (README, "Running in production"): `systemd-analyze verify`
/// finds nothing wrong in them, they carry the hardening the README promises, and the command
/// each one starts runs with the real binary (its flags parse and it gets as far as its start
/// line) against a configuration file in the place of /etc/govwatch/govwatch.yaml.
///
/// systemd-analyze is required in CI: `scripts/install-test-deps.sh` installs the Debian
/// package `systemd`, whose `verify` works offline, without systemd running (CI containers).
@Suite struct DeploymentUnitsTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy")
    static let units = ["govwatch-serve.service", "govwatch-scheduler.service", "govwatch-worker.service"]
    static let installedBinary = "/usr/local/bin/govwatch"
    static let installedConfig = "/etc/govwatch/govwatch.yaml"
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("govwatch")
    }

    static func text(_ unit: String) throws -> String {
        try String(contentsOf: deploy.appendingPathComponent(unit), encoding: .utf8)
    }

    /// The unit's `Key=value` lines of its [Service] section.
    static func serviceSettings(_ text: String) -> [(key: String, value: String)] {
        var inService = false
        var settings: [(String, String)] = []
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("[") { inService = line == "[Service]"; continue }
            guard inService, !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            settings.append((String(line[..<equals]), String(line[line.index(after: equals)...])))
        }
        return settings
    }

    /// Runs `systemd-analyze verify` on copies of `files` (name → text) whose ExecStart names the
    /// built binary (verify checks that it exists); returns its exit status and every line it
    /// printed about the units.
    static func verify(_ files: [String: String]) async throws -> (status: Int32, complaints: [String]) {
        let folder = try ImportCommandTests.scratch()
        for (name, text) in files {
            try text.replacingOccurrences(of: installedBinary, with: binary.path)
                .write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let result = try await ChildProcess.program(
            "systemd-analyze", ["verify"] + files.keys.sorted().map { folder.appendingPathComponent($0).path }, in: folder,
            stderrIntoStdout: true)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        return (result.status, lines.filter { line in files.keys.contains { line.contains($0) } })
    }

    @Test(.requires(ToolAvailability.systemdAnalyze)) func systemdAnalyzeVerifiesTheUnits() async throws {
        let files = Dictionary(uniqueKeysWithValues: try Self.units.map { ($0, try Self.text($0)) })
        let result = try await Self.verify(files)
        #expect(result.status == 0 && result.complaints.isEmpty, "\(result)")
        // The check sees a mistake: a misspelt key is reported (verify still exits 0 for it).
        let broken = try Self.text("govwatch-serve.service").replacingOccurrences(of: "NoNewPrivileges=", with: "NoNewPrivilege=")
        let complaint = try await Self.verify(["govwatch-serve.service": broken])
        #expect(complaint.complaints.contains { $0.contains("NoNewPrivilege") }, "\(complaint)")
    }

    @Test(arguments: units) func theUnitIsHardenedAndRunsAsTheServiceUser(_ unit: String) throws {
        let settings = Self.serviceSettings(try Self.text(unit))
        func value(_ key: String) -> String? { settings.last { $0.key == key }?.value }
        #expect(value("User") == "govwatch" && value("Group") == "govwatch")
        for (key, expected) in [
            ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
            ("PrivateDevices", "yes"), ("ReadWritePaths", "/var/lib/govwatch"), ("CapabilityBoundingSet", ""),
            ("EnvironmentFile", "-/etc/govwatch/govwatch.env"), ("Restart", "on-failure"),
        ] {
            #expect(value(key) == expected, "\(unit): \(key)=\(value(key) ?? "(missing)")")
        }
        let start = try #require(value("ExecStart"))
        #expect(start.hasPrefix(Self.installedBinary + " ") && start.contains("--config \(Self.installedConfig)"), "\(start)")
    }

    /// Each ExecStart, with the built binary and a test configuration file, starts its command:
    /// a flag the binary does not know would end it at once with a usage error (exit 2).
    @Test(arguments: units) func theUnitsCommandStartsWithTheRealBinary(_ unit: String) async throws {
        let start = try #require(Self.serviceSettings(try Self.text(unit)).last { $0.key == "ExecStart" }?.value)
        let folder = try ImportCommandTests.scratch()
        let config = folder.appendingPathComponent("govwatch.yaml")
        try """
            database:
              url: sqlite://\(folder.path)/govwatch.sqlite
            server:
              port: 0
            """.write(to: config, atomically: true, encoding: .utf8)
        var arguments = start.split(separator: " ").map(String.init)
        #expect(arguments.removeFirst() == Self.installedBinary)
        arguments = arguments.map { $0 == Self.installedConfig ? config.path : $0 }
        // The metrics ports of the units are fixed (nginx and Prometheus name them); any free one here.
        if let index = arguments.firstIndex(of: "--metrics-port"), index + 1 < arguments.count { arguments[index + 1] = "0" }

        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["GOVWATCH_DB"] = nil
        environment["GOVWATCH_CONFIG"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        let errors = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        // Its first line (serve: the address, worker and scheduler: "… 已启动"), or the end of
        // its output when it exits.
        var chunks = output.fileHandleForReading.chunks().makeAsyncIterator()
        var seen = ""
        while !seen.contains("\n") {
            guard let chunk = await chunks.next() else { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        let running = process.isRunning
        if running { process.terminate() }
        await process.exited()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(running, "\(unit): \(arguments) ended: \(process.terminationStatus) \(stderr)")
        #expect(seen.contains("已启动"), "\(unit): \(seen) \(stderr)")
    }
}
