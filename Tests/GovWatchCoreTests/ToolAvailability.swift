import Foundation
import Testing

/// What a test needs that a machine may lack (a program, a Python module, a server, a folder
/// beside the clone). Locally its absence skips the test — Swift Testing reports it skipped,
/// with the reason; in CI (`CI` set) it fails the test, saying what is missing. Never a pass.
/// (One copy of this small file per test target: test targets cannot share source.)
enum ToolAvailability {
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Skips (locally) or fails (in CI) the running test, or test case of a parameterized
    /// test, when `missing` says what it lacks; returns when `missing` is nil.
    static func require(_ missing: String?) throws {
        guard let missing else { return }
        if inCI { throw Missing(reason: missing) }
        try Test.cancel("skipped: \(missing)")
    }

    /// Nil when the spec (`../shared/spec/`, beside the clone) is there, else why not.
    static var spec: String? {
        FileManager.default.fileExists(atPath: specFolder.appendingPathComponent("indicators.md").path)
            ? nil : "the spec is not beside the clone (\(specFolder.standardizedFileURL.path) is absent)"
    }

    static var specFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/spec")
    }

    struct Missing: Error, CustomStringConvertible {
        var reason: String
        var description: String { "required in CI, but \(reason)" }
    }

    /// Nil when `name` is an executable on PATH, else why not.
    static func program(_ name: String, package: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        return found ? nil : "\(name) is not installed (Debian package \(package); scripts/test.sh installs it as root)"
    }

    /// A trait that requires what `missing` checks, before the test runs.
    struct Requirement: TestTrait, TestScoping {
        var missing: @Sendable () -> String?
        func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
            try ToolAvailability.require(missing())
            try await function()
        }
    }
}

extension Trait where Self == ToolAvailability.Requirement {
    /// `@Test(.requires(ToolAvailability.pdftotext))`: skipped locally, failed in CI, when missing.
    static func requires(_ missing: @autoclosure @escaping @Sendable () -> String?) -> Self {
        ToolAvailability.Requirement(missing: missing)
    }
}
