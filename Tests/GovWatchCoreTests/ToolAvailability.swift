import Foundation
import Testing

/// What a test needs that a machine may lack (a program, a Python module, a server, a folder). A test that needs it carries `.requires(…)`: locally its absence skips
/// the test — Swift Testing reports it skipped, with the reason; in CI (`CI` set) it fails
/// the test, saying what is missing. Never a pass. (One copy of this small file per test
/// target: test targets cannot share source.)
enum ToolAvailability {
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// For a helper that needs the tool: throws, naming what is missing, when it is. A test
    /// reaching it carries the trait, so this fails only in CI.
    static func require(_ missing: String?) throws {
        if let missing { throw Missing(reason: missing) }
    }

    struct Missing: Error, CustomStringConvertible {
        var reason: String
        var description: String { "cannot run: \(reason)" }
    }

    /// Nil when `name` is an executable on PATH, else why not.
    static func program(_ name: String, package: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        return found ? nil : "\(name) is not installed (Debian package \(package); scripts/test.sh installs it as root)"
    }
}

extension Trait where Self == ConditionTrait {
    /// `@Test(.requires(ToolAvailability.pdftotext))`: skipped with the reason when missing,
    /// failed with it in CI.
    static func requires(_ missing: String?) -> Self {
        .enabled(Comment(rawValue: missing ?? "")) {
            if let missing, ToolAvailability.inCI { throw ToolAvailability.Missing(reason: missing) }
            return missing == nil
        }
    }
}
