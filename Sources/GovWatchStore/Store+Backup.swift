import Crypto
import FluentKit
import Foundation
import Logging
import SQLKit
import ZIPFoundation

/// A failure of backup, restore or migration, in words for the operator.
public struct BackupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The row count and content checksum of one table: SHA-256 over its rows in id order, each
/// row in a canonical form that is the same on SQLite and PostgreSQL (integers and booleans
/// as integers, times as microseconds since 1970, doubles in their shortest exact form, text
/// length-prefixed, bytes by their SHA-256), so a copy on the other engine has the same sum.
public struct TableDigest: Sendable, Codable, Equatable {
    public var table: String
    public var rows: Int
    public var checksum: String
}

/// The logical type of a column, read from the engine's declared type. On PostgreSQL the
/// declared type is exact; on SQLite Fluent declares `.datetime` as REAL and `.double` as
/// DOUBLE, `.bool` as INTEGER (compared as 0/1 on both engines).
enum ColumnKind: Equatable {
    case integer, boolean, timestamp, double, text, blob
    /// A PostgreSQL type we carry as text and cast back (uuid, jsonb, enums).
    case other(String)

    static func sqlite(declared: String) -> ColumnKind {
        switch declared.uppercased() {
        case "INTEGER", "INT", "BIGINT", "BOOLEAN": return .integer
        case "REAL": return .timestamp
        case "DOUBLE", "FLOAT": return .double
        case "BLOB": return .blob
        default: return .text
        }
    }

    static func postgres(dataType: String, udtName: String) -> ColumnKind {
        switch udtName {
        case "int2", "int4", "int8": return .integer
        case "bool": return .boolean
        case "timestamptz", "timestamp": return .timestamp
        case "float4", "float8", "numeric": return .double
        case "text", "varchar", "bpchar": return .text
        case "bytea": return .blob
        default: return .other(udtName)
        }
    }
}

/// One value of a row as read for copying and checksumming.
enum CellValue: Sendable {
    case null
    case integer(Int64)
    case double(Double)
    /// A time, as microseconds since 1970 (PostgreSQL's precision).
    case micros(Int64)
    case text(String)
    case blob(Data)

    /// The canonical form hashed into a table checksum.
    var canonical: String {
        switch self {
        case .null: return "N;"
        case .integer(let value): return "I\(value);"
        case .double(let value): return "D\(value);"
        case .micros(let value): return "T\(value);"
        case .text(let value): return "S\(value.utf8.count):\(value);"
        case .blob(let value): return "B\(value.count):\(AttachmentHash.hex(value));"
        }
    }
}

enum AttachmentHash {
    static func hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

struct TableColumn {
    var name: String
    var kind: ColumnKind
}

struct TableSchema {
    var name: String
    /// Sorted by name: the canonical column order.
    var columns: [TableColumn]
    /// Column → referenced table.
    var references: [String: String]
    var hasID: Bool { columns.contains { $0.name == "id" } }
    var selfReferences: [String] { references.filter { $0.value == name }.map(\.key).sorted() }
}

/// Reads the schema and rows of one database, whatever its engine.
struct DatabaseReader {
    var sql: any SQLDatabase
    var isPostgres: Bool

    /// Fluent's own bookkeeping: each side has its own, written by its migrations.
    static let migrationsTable = "_fluent_migrations"
    /// Each database's own counters of its writes (`Store.dataVersions()`): the target's
    /// keep counting (its triggers see every copied row), so no version seen before comes back.
    static let bookkeepingTables: Set<String> = [migrationsTable, CreateDataVersions.table]

    func tableNames() async throws -> [String] {
        let query: SQLQueryString =
            isPostgres
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
            .filter { !Self.bookkeepingTables.contains($0) }.sorted()
    }

    func schema(of table: String) async throws -> TableSchema {
        var columns: [TableColumn] = []
        var references: [String: String] = [:]
        if isPostgres {
            let rows = try await sql.raw(
                """
                SELECT column_name, data_type, udt_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(bind: table)
                """
            ).all()
            for row in rows {
                let kind = ColumnKind.postgres(
                    dataType: try row.decode(column: "data_type", as: String.self),
                    udtName: try row.decode(column: "udt_name", as: String.self))
                columns.append(TableColumn(name: try row.decode(column: "column_name", as: String.self), kind: kind))
            }
            let keys = try await sql.raw(
                """
                SELECT kcu.column_name, ccu.table_name AS referenced
                FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage kcu
                  ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema
                JOIN information_schema.constraint_column_usage ccu
                  ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema
                WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = \(bind: table)
                """
            ).all()
            for row in keys {
                references[try row.decode(column: "column_name", as: String.self)] = try row.decode(
                    column: "referenced", as: String.self)
            }
        } else {
            for row in try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table))").all() {
                columns.append(
                    TableColumn(
                        name: try row.decode(column: "name", as: String.self),
                        kind: .sqlite(declared: try row.decode(column: "type", as: String.self))))
            }
            for row in try await sql.raw("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(\(bind: table))").all() {
                references[try row.decode(column: "from", as: String.self)] = try row.decode(column: "table", as: String.self)
            }
        }
        return TableSchema(name: table, columns: columns.sorted { $0.name < $1.name }, references: references)
    }

    /// The select expression of a column that yields the value `kind` reads.
    private func selectExpression(_ column: TableColumn) -> String {
        let name = "\"\(column.name)\""
        if isPostgres {
            switch column.kind {
            case .integer: return "\(name)::bigint"
            case .boolean: return "\(name)::integer::bigint"
            case .timestamp: return "(EXTRACT(EPOCH FROM \(name)) * 1000000)::bigint"
            case .double: return "\(name)::float8"
            case .text, .other: return "\(name)::text"
            case .blob: return name
            }
        }
        switch column.kind {
        case .timestamp, .double: return "CAST(\(name) AS REAL)"
        default: return name
        }
    }

    /// Rows of `table` in id order, `limit` at a time after `afterID` (every GovWatch table has
    /// an integer id; a table without one is read whole, sorted by its canonical form).
    func rows(_ table: TableSchema, readAs columns: [TableColumn], afterID: Int64?, limit: Int) async throws
        -> [[CellValue]]
    {
        let list = columns.enumerated().map { "\(selectExpression($0.element)) AS c\($0.offset)" }.joined(separator: ", ")
        var query = SQLQueryString("SELECT \(list) FROM \"\(table.name)\"")
        if table.hasID {
            if let afterID { query += " WHERE \"id\" > \(bind: afterID)" }
            query += " ORDER BY \"id\" LIMIT \(literal: limit)"
        }
        let rows = try await sql.raw(query).all()
        var result: [[CellValue]] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            var cells: [CellValue] = []
            cells.reserveCapacity(columns.count)
            for (index, column) in columns.enumerated() {
                let key = "c\(index)"
                switch column.kind {
                case .integer, .boolean:
                    cells.append(try row.decode(column: key, as: Int64?.self).map(CellValue.integer) ?? .null)
                case .timestamp:
                    if isPostgres {
                        cells.append(try row.decode(column: key, as: Int64?.self).map(CellValue.micros) ?? .null)
                    } else {
                        cells.append(
                            try row.decode(column: key, as: Double?.self).map { .micros(Int64(($0 * 1_000_000).rounded())) }
                                ?? .null)
                    }
                case .double:
                    cells.append(try row.decode(column: key, as: Double?.self).map(CellValue.double) ?? .null)
                case .text, .other:
                    cells.append(try row.decode(column: key, as: String?.self).map(CellValue.text) ?? .null)
                case .blob:
                    cells.append(try row.decode(column: key, as: Data?.self).map(CellValue.blob) ?? .null)
                }
            }
            result.append(cells)
        }
        if !table.hasID { result.sort { $0.map(\.canonical).joined() < $1.map(\.canonical).joined() } }
        return result
    }

    func rowCount(_ table: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \"\(unsafeRaw: table)\"").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The checksums of every table (but Fluent's migrations table).
    func digests() async throws -> [TableDigest] {
        var result: [TableDigest] = []
        for name in try await tableNames() {
            let schema = try await schema(of: name)
            var hasher = TableHasher(table: name)
            try await forEachBatch(schema, readAs: schema.columns) { hasher.add($0) }
            result.append(hasher.digest)
        }
        return result
    }

    static let batchSize = 1_000

    func forEachBatch(_ table: TableSchema, readAs columns: [TableColumn], _ body: ([[CellValue]]) async throws -> Void)
        async throws
    {
        let idIndex = columns.firstIndex { $0.name == "id" }
        var after: Int64?
        while true {
            let batch = try await rows(table, readAs: columns, afterID: after, limit: Self.batchSize)
            if !batch.isEmpty { try await body(batch) }
            guard table.hasID, let idIndex, batch.count == Self.batchSize, case .integer(let last) = batch.last![idIndex]
            else { return }
            after = last
        }
    }
}

struct TableHasher {
    var table: String
    var rows = 0
    var hasher = SHA256()

    init(table: String) { self.table = table }

    mutating func add(_ batch: [[CellValue]]) {
        for row in batch {
            var line = ""
            for cell in row { line += cell.canonical }
            line += "\n"
            hasher.update(data: Data(line.utf8))
            rows += 1
        }
    }

    var digest: TableDigest {
        TableDigest(table: table, rows: rows, checksum: hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }
}

/// Writes rows into one database.
struct DatabaseWriter {
    var sql: any SQLDatabase
    var isPostgres: Bool

    /// Parameters per INSERT statement: well under SQLite's and PostgreSQL's limits.
    static let parametersPerStatement = 4_000

    private func bindExpression(_ cell: CellValue, as column: TableColumn) throws -> SQLQueryString {
        switch column.kind {
        case .integer, .boolean:
            let value: Int64?
            switch cell {
            case .null: value = nil
            case .integer(let v): value = v
            case .text(let s): value = Int64(s)
            default: throw BackupError("列 \(column.name) 的值不是整数")
            }
            if isPostgres {
                return column.kind == .boolean ? "(\(bind: value)::bigint <> 0)" : "\(bind: value)::bigint"
            }
            return "\(bind: value)"
        case .timestamp:
            let micros: Int64?
            switch cell {
            case .null: micros = nil
            case .micros(let v): micros = v
            case .double(let v): micros = Int64((v * 1_000_000).rounded())
            default: throw BackupError("列 \(column.name) 的值不是时间")
            }
            if isPostgres {
                return "(TIMESTAMPTZ 'epoch' + \(bind: micros)::bigint * INTERVAL '1 microsecond')"
            }
            return "\(bind: micros.map { Double($0) / 1_000_000 })"
        case .double:
            let value: Double?
            switch cell {
            case .null: value = nil
            case .double(let v): value = v
            case .integer(let v): value = Double(v)
            case .micros(let v): value = Double(v) / 1_000_000
            default: throw BackupError("列 \(column.name) 的值不是数值")
            }
            return isPostgres ? "\(bind: value)::float8" : "\(bind: value)"
        case .text, .other:
            let value: String?
            switch cell {
            case .null: value = nil
            case .text(let v): value = v
            case .integer(let v): value = String(v)
            case .double(let v): value = String(v)
            default: throw BackupError("列 \(column.name) 的值不是文字")
            }
            if isPostgres, case .other(let type) = column.kind {
                return "\(bind: value)::text::\(ident: type)"
            }
            return isPostgres ? "\(bind: value)::text" : "\(bind: value)"
        case .blob:
            let value: Data?
            switch cell {
            case .null: value = nil
            case .blob(let v): value = v
            case .text(let v): value = Data(v.utf8)
            default: throw BackupError("列 \(column.name) 的值不是二进制数据")
            }
            return isPostgres ? "\(bind: value)::bytea" : "\(bind: value)"
        }
    }

    /// Inserts `rows` (cells in the order of `columns`) into `table`, several rows a statement.
    func insert(_ rows: [[CellValue]], into table: String, columns: [TableColumn]) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, Self.parametersPerStatement / max(1, columns.count))
        let head = SQLQueryString(
            "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0.name)\"" }.joined(separator: ", "))) VALUES ")
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var tuples: [SQLQueryString] = []
            for row in chunk {
                var values: [SQLQueryString] = []
                for (cell, column) in zip(row, columns) { values.append(try bindExpression(cell, as: column)) }
                tuples.append("(" + values.joined(separator: ", ") + ")")
            }
            try await sql.raw(head + tuples.joined(separator: ", ")).run()
            start += perStatement
        }
    }

    func setColumn(_ column: TableColumn, of table: String, id: Int64, to cell: CellValue) async throws {
        let value = try bindExpression(cell, as: column)
        try await sql.raw("UPDATE \(ident: table) SET \(ident: column.name) = \(value) WHERE \"id\" = \(bind: id)").run()
    }

    /// PostgreSQL: ids were copied, so each identity sequence moves past the largest.
    func advanceSequence(of table: String) async throws {
        guard isPostgres else { return }
        try await sql.raw(
            """
            SELECT setval(pg_get_serial_sequence(\(bind: "\"\(table)\""), 'id'),
                          COALESCE((SELECT MAX("id") FROM \(ident: table)), 0) + 1, false)
            """
        ).run()
    }
}

/// The outcome of a copy: what was read from the source and what the target holds after.
public struct CopyReport: Sendable {
    public var source: [TableDigest]
    public var target: [TableDigest]

    /// Tables whose rows or checksum differ (tables missing on one side count as empty).
    public var mismatches: [String] { DigestComparison.mismatches(expected: source, actual: target) }
}

public enum DigestComparison {
    public static func mismatches(expected: [TableDigest], actual: [TableDigest]) -> [String] {
        let byName = Dictionary(actual.map { ($0.table, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [String] = []
        for digest in expected {
            let other = byName[digest.table]
            if other?.rows ?? 0 != digest.rows || (digest.rows > 0 && other?.checksum != digest.checksum) {
                result.append(digest.table)
            }
        }
        let expectedNames = Set(expected.map(\.table))
        for digest in actual where !expectedNames.contains(digest.table) && digest.rows > 0 { result.append(digest.table) }
        return result
    }

    /// A table of both sides, for printing: 表名 行数 校验和前 16 位, and a mark on a mismatch.
    public static func lines(source: [TableDigest], target: [TableDigest], sourceTitle: String, targetTitle: String) -> [String] {
        let byName = Dictionary(target.map { ($0.table, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = ["表\t\(sourceTitle)行数\t\(targetTitle)行数\t\(sourceTitle)校验和\t\(targetTitle)校验和\t结果"]
        let bad = Set(mismatches(expected: source, actual: target))
        for digest in source {
            let other = byName[digest.table]
            lines.append(
                [
                    digest.table, String(digest.rows), other.map { String($0.rows) } ?? "-",
                    String(digest.checksum.prefix(16)), other.map { String($0.checksum.prefix(16)) } ?? "-",
                    bad.contains(digest.table) ? "不一致" : "一致",
                ].joined(separator: "\t"))
        }
        return lines
    }
}

extension Store {
    var isPostgres: Bool {
        if case .postgres = location { return true }
        return false
    }

    var sqlDatabase: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw BackupError("数据库驱动不支持 SQL") }
            return sql
        }
    }

    var readSQLDatabase: any SQLDatabase {
        get throws {
            guard let sql = readDatabase as? any SQLDatabase else { throw BackupError("数据库驱动不支持 SQL") }
            return sql
        }
    }

    /// The checksums of every table, read in one consistent snapshot.
    public func tableDigests() async throws -> [TableDigest] {
        try await readConsistently { reader in try await reader.digests() }
    }

    /// Rows in all tables but Fluent's migrations table: 0 for a new database.
    public func storedRowCount() async throws -> Int {
        let reader = DatabaseReader(sql: try sqlDatabase, isPostgres: isPostgres)
        var total = 0
        for table in try await reader.tableNames() { total += try await reader.rowCount(table) }
        return total
    }

    /// Runs `body` in a read transaction that sees one snapshot of the whole database
    /// (PostgreSQL: REPEATABLE READ; SQLite in WAL mode: any read transaction).
    func readConsistently<T: Sendable>(_ body: @escaping @Sendable (DatabaseReader) async throws -> T) async throws -> T {
        let postgres = isPostgres
        return try await database.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw BackupError("数据库驱动不支持 SQL") }
            if postgres { try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run() }
            return try await body(DatabaseReader(sql: sql, isPostgres: postgres))
        }
    }

    /// Copies every row of this database into `target` (its schema made by the product's
    /// migrations when it was opened), table by table in foreign-key order, in one target
    /// transaction, and checks the target's per-table checksums against the source's.
    /// `target` must hold no rows unless `replacing`, which first deletes them.
    public func copy(into target: Store, replacing: Bool = false) async throws -> CopyReport {
        if !replacing, try await target.storedRowCount() > 0 {
            throw BackupError("目标数据库 \(target.location) 已有数据；确认要覆盖请加 --force")
        }
        let targetPostgres = target.isPostgres
        let sourcePostgres = isPostgres
        let targetDatabase = target.database
        let source = try await readConsistently { reader in
            try await targetDatabase.transaction { db in
                guard let sql = db as? any SQLDatabase else { throw BackupError("数据库驱动不支持 SQL") }
                let writer = DatabaseWriter(sql: sql, isPostgres: targetPostgres)
                let targetReader = DatabaseReader(sql: sql, isPostgres: targetPostgres)
                return try await Self.copyTables(
                    from: reader, sourcePostgres: sourcePostgres, to: writer, targetReader: targetReader, replacing: replacing)
            }
        }
        let after = try await target.tableDigests()
        return CopyReport(source: source, target: after)
    }

    /// Tables in an order where every table comes after those it references.
    static func dependencyOrder(_ schemas: [TableSchema]) -> [TableSchema] {
        var remaining = schemas.sorted { $0.name < $1.name }
        var placed = Set<String>()
        var ordered: [TableSchema] = []
        let names = Set(schemas.map(\.name))
        while !remaining.isEmpty {
            let ready = remaining.firstIndex { schema in
                schema.references.values.allSatisfy { $0 == schema.name || placed.contains($0) || !names.contains($0) }
            }
            let next = remaining.remove(at: ready ?? 0)
            placed.insert(next.name)
            ordered.append(next)
        }
        return ordered
    }

    private static func copyTables(
        from reader: DatabaseReader, sourcePostgres: Bool, to writer: DatabaseWriter, targetReader: DatabaseReader,
        replacing: Bool
    ) async throws -> [TableDigest] {
        let targetNames = Set(try await targetReader.tableNames())
        var sourceSchemas: [TableSchema] = []
        for name in try await reader.tableNames() {
            guard targetNames.contains(name) else {
                throw BackupError("目标数据库没有表 \(name)：源数据库来自更新的版本，请先升级本程序")
            }
            sourceSchemas.append(try await reader.schema(of: name))
        }
        var targetSchemas: [String: TableSchema] = [:]
        for name in targetNames { targetSchemas[name] = try await targetReader.schema(of: name) }

        if replacing {
            for schema in dependencyOrder(Array(targetSchemas.values)).reversed() {
                for column in schema.selfReferences {
                    try await writer.sql.raw("UPDATE \(ident: schema.name) SET \(ident: column) = NULL").run()
                }
                try await writer.sql.raw("DELETE FROM \(ident: schema.name)").run()
            }
        }

        var digests: [TableDigest] = []
        for schema in dependencyOrder(sourceSchemas) {
            let targetSchema = targetSchemas[schema.name]!
            let targetKinds = Dictionary(targetSchema.columns.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
            // The column's type on PostgreSQL is exact, so it decides how a value is read and written.
            var columns: [TableColumn] = []
            for column in schema.columns {
                guard let targetKind = targetKinds[column.name] else {
                    throw BackupError("目标数据库的表 \(schema.name) 没有列 \(column.name)：源数据库来自更新的版本，请先升级本程序")
                }
                columns.append(TableColumn(name: column.name, kind: sourcePostgres || !writer.isPostgres ? column.kind : targetKind))
            }
            let selfColumns = Set(schema.selfReferences)
            let idIndex = columns.firstIndex { $0.name == "id" }
            var deferred: [(id: Int64, column: TableColumn, value: CellValue)] = []
            var hasher = TableHasher(table: schema.name)
            try await reader.forEachBatch(schema, readAs: columns) { batch in
                hasher.add(batch)
                var rows = batch
                if !selfColumns.isEmpty, let idIndex {
                    // A row may reference one inserted later: the reference is set afterwards.
                    for (rowIndex, row) in batch.enumerated() {
                        guard case .integer(let id) = row[idIndex] else { continue }
                        for (index, column) in columns.enumerated() where selfColumns.contains(column.name) {
                            if case .null = row[index] { continue }
                            deferred.append((id, column, row[index]))
                            rows[rowIndex][index] = .null
                        }
                    }
                }
                try await writer.insert(rows, into: schema.name, columns: columns)
            }
            for item in deferred { try await writer.setColumn(item.column, of: schema.name, id: item.id, to: item.value) }
            if schema.hasID { try await writer.advanceSequence(of: schema.name) }
            digests.append(hasher.digest)
        }
        return digests
    }
}

/// What a backup archive holds besides the database: written as `manifest.json`.
public struct BackupManifest: Codable, Sendable {
    public static let formatName = "govwatch-backup"
    public var format = BackupManifest.formatName
    public var version = 1
    /// When the snapshot was taken (ISO 8601, UTC).
    public var createdAt: String
    /// The engine backed up: `sqlite` or `postgres`.
    public var engine: String
    /// The archive entry holding the database: `database.sqlite` (an SQLite file: SQLite's
    /// own snapshot, or PostgreSQL's logical export) or `database.pgdump` (`pg_dump -Fc`).
    public var database: String
    /// The product migrations applied to the database backed up.
    public var migrations: [String]
    /// Every table's rows and checksum in the snapshot.
    public var tables: [TableDigest]

    static let entryName = "manifest.json"
    static let sqliteEntry = "database.sqlite"
    static let pgDumpEntry = "database.pgdump"
}

/// The result of a restore: the manifest of the archive and the restored database's digests.
public struct RestoreReport: Sendable {
    public var manifest: BackupManifest
    public var restored: [TableDigest]
    public var mismatches: [String] { DigestComparison.mismatches(expected: manifest.tables, actual: restored) }
}

/// PostgreSQL's client programs, found on PATH or in Debian's versioned folder.
public enum PostgresTools {
    public static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        let debian = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map { "/usr/lib/postgresql/\($0)/bin" }
        for directory in path + debian {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// The connection URL without its password, which goes to the tool in PGPASSWORD instead
    /// (a command line is visible to every user of the machine).
    static func connection(_ url: String) -> (url: String, environment: [String: String]) {
        var environment = ProcessInfo.processInfo.environment
        guard var components = URLComponents(string: url), let password = components.password else {
            return (url, environment)
        }
        environment["PGPASSWORD"] = password
        components.password = nil
        return (components.string ?? url, environment)
    }

    /// Runs a tool to its end; a non-zero exit is an error carrying its stderr.
    static func run(_ tool: URL, _ arguments: [String], environment: [String: String]) async throws {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard status == 0 else {
            throw BackupError("\(tool.lastPathComponent) 失败（退出码 \(status)）：\(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

extension Store {
    /// The names of the product migrations applied, in order.
    func appliedMigrations() async throws -> [String] {
        try await sqlDatabase.raw("SELECT name FROM _fluent_migrations ORDER BY batch, name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    /// Writes a consistent snapshot of the whole database to `file` (a ZIP archive: the
    /// database and `manifest.json` with every table's rows and checksum), while other
    /// processes keep writing. SQLite: `VACUUM INTO`, one read transaction's snapshot.
    /// PostgreSQL: `pg_dump -Fc` on a snapshot exported from the transaction that computes
    /// the checksums, so both see the same rows; with `logical` (or without `pg_dump`) the
    /// rows are copied into an SQLite file instead, in one REPEATABLE READ transaction.
    public func backup(to file: URL, logical: Bool = false, pgDump: URL? = PostgresTools.find("pg_dump")) async throws
        -> BackupManifest
    {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let migrations = try await appliedMigrations()
        let createdAt = ISO8601DateFormatter().string(from: Date())
        var manifest: BackupManifest
        switch location {
        case .sqlite:
            let snapshot = work.appendingPathComponent(BackupManifest.sqliteEntry)
            try await sqlDatabase.raw("VACUUM INTO \(literal: snapshot.path)").run()
            let tables = try await Self.digests(ofSQLiteFile: snapshot)
            manifest = BackupManifest(
                createdAt: createdAt, engine: "sqlite", database: BackupManifest.sqliteEntry, migrations: migrations, tables: tables)
        case .postgres(let url):
            if !logical, let pgDump {
                let dump = work.appendingPathComponent(BackupManifest.pgDumpEntry)
                let tables = try await database.transaction { db in
                    guard let sql = db as? any SQLDatabase else { throw BackupError("数据库驱动不支持 SQL") }
                    try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                    let snapshotID = try await sql.raw("SELECT pg_export_snapshot() AS id").first()!.decode(column: "id", as: String.self)
                    let connection = PostgresTools.connection(url)
                    async let dumped: Void = PostgresTools.run(
                        pgDump, ["--format=custom", "--snapshot=\(snapshotID)", "--file=\(dump.path)", "--dbname=\(connection.url)"],
                        environment: connection.environment)
                    let tables = try await DatabaseReader(sql: sql, isPostgres: true).digests()
                    try await dumped
                    return tables
                }
                manifest = BackupManifest(
                    createdAt: createdAt, engine: "postgres", database: BackupManifest.pgDumpEntry, migrations: migrations, tables: tables)
            } else {
                let snapshot = work.appendingPathComponent(BackupManifest.sqliteEntry)
                let copy = try await Store.open(.sqlite(path: snapshot.path), logger: logger, readers: false)
                let report: CopyReport
                do {
                    report = try await self.copy(into: copy)
                    try await copy.sqlDatabase.raw("PRAGMA journal_mode = DELETE").run()
                } catch {
                    await copy.close()
                    throw error
                }
                await copy.close()
                if !report.mismatches.isEmpty {
                    throw BackupError("导出校验不一致：\(report.mismatches.joined(separator: "、"))")
                }
                manifest = BackupManifest(
                    createdAt: createdAt, engine: "postgres", database: BackupManifest.sqliteEntry, migrations: migrations,
                    tables: report.source)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(to: work.appendingPathComponent(BackupManifest.entryName))
        let partial = work.appendingPathComponent("archive.zip")
        let archive = try Archive(url: partial, accessMode: .create)
        for entry in [BackupManifest.entryName, manifest.database] {
            try archive.addEntry(with: entry, fileURL: work.appendingPathComponent(entry), compressionMethod: .deflate)
        }
        let destination = file.standardizedFileURL
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.moveItem(at: partial, to: destination)
        return manifest
    }

    /// The digests of an SQLite file (a snapshot), left in rollback-journal mode so it is one file.
    static func digests(ofSQLiteFile file: URL) async throws -> [TableDigest] {
        let snapshot = try await Store.open(.sqlite(path: file.path), logger: Logger(label: "govwatch.store"), readers: false)
        do {
            let tables = try await snapshot.tableDigests()
            try await snapshot.sqlDatabase.raw("PRAGMA journal_mode = DELETE").run()
            await snapshot.close()
            return tables
        } catch {
            await snapshot.close()
            throw error
        }
    }

    /// Reads the manifest of a backup archive.
    public static func backupManifest(of file: URL) throws -> BackupManifest {
        let archive = try openArchive(file)
        guard let entry = archive[BackupManifest.entryName] else { throw BackupError("“\(file.path)”不是 GovWatch 备份文件（缺少 manifest.json）") }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        guard let manifest = try? JSONDecoder().decode(BackupManifest.self, from: data), manifest.format == BackupManifest.formatName
        else { throw BackupError("“\(file.path)”不是 GovWatch 备份文件（manifest.json 无法识别）") }
        return manifest
    }

    private static func openArchive(_ file: URL) throws -> Archive {
        guard FileManager.default.fileExists(atPath: file.path) else { throw BackupError("备份文件“\(file.path)”不存在") }
        do {
            return try Archive(url: file, accessMode: .read)
        } catch {
            throw BackupError("“\(file.path)”不是 GovWatch 备份文件（无法作为 ZIP 打开）")
        }
    }

    /// Restores a backup into the database at `location`, which must hold no rows unless
    /// `force` (then its rows are replaced). An SQLite snapshot is copied row by row into
    /// either engine; a `pg_dump` archive goes to PostgreSQL through `pg_restore`. The
    /// restored database's checksums are compared with the manifest's.
    public static func restore(
        from file: URL, into location: DatabaseLocation, force: Bool, pgRestore: URL? = PostgresTools.find("pg_restore"),
        logger: Logger = Logger(label: "govwatch.store")
    ) async throws -> RestoreReport {
        let manifest = try backupManifest(of: file)
        let archive = try openArchive(file)
        guard let entry = archive[manifest.database] else { throw BackupError("备份文件缺少 \(manifest.database)") }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let extracted = work.appendingPathComponent(manifest.database)
        _ = try archive.extract(entry, to: extracted)

        var target = try await Store.open(location, logger: logger)
        var targetOpen = true
        do {
            if !force, try await target.storedRowCount() > 0 {
                throw BackupError("目标数据库 \(location) 已有数据，未恢复；确认要用备份覆盖请加 --force")
            }
            if manifest.database == BackupManifest.sqliteEntry {
                let snapshot = try await Store.open(.sqlite(path: extracted.path), logger: logger)
                do {
                    _ = try await snapshot.copy(into: target, replacing: force)
                } catch {
                    await snapshot.close()
                    throw error
                }
                await snapshot.close()
            } else {
                guard case .postgres(let url) = location else {
                    throw BackupError("这是 PostgreSQL 的 pg_dump 备份，只能恢复到 PostgreSQL；要恢复到 SQLite，请备份时加 --logical，或恢复到 PostgreSQL 后用 govwatch migrate")
                }
                guard let pgRestore else { throw BackupError("找不到 pg_restore（PostgreSQL 客户端），无法恢复 pg_dump 备份") }
                // pg_restore replaces the table of write counters with the backup's.
                let versionsBefore = try await target.dataVersions()
                await target.close()
                targetOpen = false
                let connection = PostgresTools.connection(url)
                try await PostgresTools.run(
                    pgRestore,
                    ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                     "--dbname=\(connection.url)", extracted.path],
                    environment: connection.environment)
                target = try await Store.open(location, logger: logger)
                targetOpen = true
                try await target.advanceDataVersions(past: versionsBefore)
            }
            let restored = try await target.tableDigests()
            await target.close()
            return RestoreReport(manifest: manifest, restored: restored)
        } catch {
            if targetOpen { await target.close() }
            throw error
        }
    }
}
