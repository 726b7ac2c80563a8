import Foundation
import GovWatchTestSupport

/// A PostgreSQL cluster a test starts, stops and starts again on the same port (as
/// `scripts/throwaway-postgres.sh` does for the whole suite, whose server no test may stop):
/// in a temporary folder, trust authentication, fsync off, as the `postgres` user when the
/// tests run as root (initdb refuses root).
final class OwnPostgresCluster: @unchecked Sendable {
    let folder: URL
    let port: Int
    private let bin: URL

    /// `postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable`.
    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    init() async throws {
        try ToolAvailability.require(ToolAvailability.postgresServer)
        bin = ToolAvailability.postgresBinaries!
        folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("govwatch-test-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        if getuid() == 0 { try await Self.run("/bin/chown", ["postgres", folder.path]) }
        try await runAsPostgres("initdb", ["-D", dataPath, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])
        try await start()
    }

    private var dataPath: String { folder.appendingPathComponent("data").path }

    /// Starts the server and returns once it accepts connections (`pg_ctl -w`).
    func start() async throws {
        try await runAsPostgres("pg_ctl", [
            "-D", dataPath, "-w", "-l", folder.appendingPathComponent("server.log").path, "-o",
            "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start",
        ])
    }

    /// Stops the server as an operator restarting it would: `pg_ctl stop -m fast` ends every
    /// session (their clients see the connection closed) and returns once it is down.
    func stop() async throws {
        try await runAsPostgres("pg_ctl", ["-D", dataPath, "-w", "-m", "fast", "stop"])
    }

    /// Stops the server at once and deletes its folder, on a thread of its own without waiting
    /// (for a `defer`, which cannot await).
    func destroy() {
        let (command, folder) = (commandAsPostgres("pg_ctl", ["-D", dataPath, "-m", "immediate", "stop"]), folder)
        Thread.detachNewThread {
            try? Self.spawnAndWait(command.executable, command.arguments)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    private func runAsPostgres(_ tool: String, _ arguments: [String]) async throws {
        let command = commandAsPostgres(tool, arguments)
        try await Self.run(command.executable, command.arguments)
    }

    private func commandAsPostgres(_ tool: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        let path = bin.appendingPathComponent(tool).path
        return getuid() == 0 ? ("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments) : (path, arguments)
    }

    /// Runs a tool to its end, waiting on a thread of its own (see `spawnAndWait`).
    private static func run(_ executable: String, _ arguments: [String]) async throws {
        let failure = await ChildProcess.onThread { () -> ToolAvailability.Missing? in
            do {
                try spawnAndWait(executable, arguments)
                return nil
            } catch {
                return error as? ToolAvailability.Missing ?? ToolAvailability.Missing(reason: "\(error)")
            }
        }
        if let failure { throw failure }
    }

    /// Runs a tool to its end with posix_spawn and waitpid rather than Foundation's Process:
    /// `pg_ctl start` leaves the server running with descriptors inherited from it, and
    /// Process.waitUntilExit never returned after that on Linux.
    private static func spawnAndWait(_ executable: String, _ arguments: [String]) throws {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ToolAvailability.Missing(reason: "\(executable) could not start (\(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // Exited normally with status 0 (WIFEXITED and WEXITSTATUS, which Swift does not import).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ToolAvailability.Missing(reason: "\(executable) \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
    }

    /// A loopback port no one listens on now (bound and released).
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw ToolAvailability.Missing(reason: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
