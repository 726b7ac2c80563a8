import Foundation
import Testing

/// What a test needs that a machine may lack (a program, a Python module, a server, a folder
/// beside the clone). A test that needs it carries `.requires(…)`: locally its absence skips
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

    /// Nil when python3 can import pytest, python-docx and openpyxl (the notice files' check).
    static let pythonReportModules: String? = {
        if let missing = program("python3", package: "python3") { return missing }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import pytest, docx, openpyxl"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "python3 cannot be started" }
        process.waitUntilExit()
        return process.terminationStatus == 0
            ? nil : "python3 lacks pytest, python-docx or openpyxl (pip install pytest python-docx openpyxl; scripts/test.sh does it as root)"
    }()

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
