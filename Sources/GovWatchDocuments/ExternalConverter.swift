import Foundation

/// Runs a Debian converter (pdftotext, catdoc, xls2csv) on a document and returns its text.
enum ExternalConverter {
    /// The executable named `tool` on `PATH` (or the usual system folders), if installed.
    static func executable(_ tool: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Whether `tool` is installed.
    static func isAvailable(_ tool: String) -> Bool { executable(tool) != nil }

    /// Writes `data` to a temporary file, runs `tool arguments FILE [-]` and returns its UTF-8 output.
    static func run(
        tool: String, package: String, arguments: [String], outputToStandardOutput: Bool, data: Data,
        fileExtension: String, file: String, timeout: TimeInterval
    ) throws -> String {
        guard let executable = executable(tool) else {
            throw DocumentReadError(file: file, reason: "需要 \(tool) 才能读取此格式，请安装 Debian 软件包 \(package)（apt-get install \(package)）")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.\(fileExtension)")
        do {
            try data.write(to: input)
        } catch {
            throw DocumentReadError(file: file, reason: "无法写入临时文件")
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + [input.path] + (outputToStandardOutput ? ["-"] : [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DocumentReadError(file: file, reason: "无法运行 \(tool)")
        }
        // A hostile or broken file must not hang an inspection.
        let watchdog = ProcessWatchdog(process)
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { watchdog.stopIfRunning() }
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if watchdog.fired {
            throw DocumentReadError(file: file, reason: "\(tool) 处理超时（超过 \(Int(timeout)) 秒）")
        }
        guard process.terminationStatus == 0 else {
            throw DocumentReadError(file: file, reason: "文件已损坏或格式不符（\(tool) 退出码 \(process.terminationStatus)）")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Stops a converter that runs too long; `Process` is not `Sendable`, access is serialised by a lock.
private final class ProcessWatchdog: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var didFire = false

    init(_ process: Process) { self.process = process }

    var fired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return didFire
    }

    func stopIfRunning() {
        lock.lock()
        defer { lock.unlock() }
        if process.isRunning {
            didFire = true
            process.terminate()
        }
    }
}
