import ArgumentParser
import Foundation
import GovWatchStore

extension GlobalOptions {
    /// The database named by `--db` / `GOVWATCH_DB` / the configuration, without opening it.
    func databaseLocation() throws -> DatabaseLocation {
        let configuration = try configuration()
        do {
            return try DatabaseLocation.parse(configuration.string("database.url") ?? DatabaseLocation.defaultURL)
        } catch {
            throw reportFailure("\(error)")
        }
    }
}

/// Prints per-table digests side by side, one tab-separated line each.
private func printDigests(source: [TableDigest], target: [TableDigest], sourceTitle: String, targetTitle: String) {
    writeOut(
        DigestComparison.lines(source: source, target: target, sourceTitle: sourceTitle, targetTitle: targetTitle)
            .joined(separator: "\n") + "\n")
}

private func fileSize(_ url: URL) -> String {
    let bytes = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
    return String(format: "%.1f MB", Double(bytes) / 1_048_576)
}

/// `govwatch backup --to FILE`: a consistent snapshot of the whole database while the
/// service keeps running (see `Store.backup(to:logical:)`).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "备份整个数据库（运行中也可备份，得到一致的快照）：SQLite 在线快照，PostgreSQL 用 pg_dump；备份文件含各表行数和校验和。")

    @Option(help: "备份文件（ZIP），如 govwatch-20260101.zip") var to: String
    @Flag(help: "PostgreSQL：不用 pg_dump，逐表导出为 SQLite 快照（可恢复到 SQLite 或 PostgreSQL）") var logical = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let file = URL(fileURLWithPath: to)
        let manifest = try await withStore(global) { store in
            do {
                return try await store.backup(to: file, logical: logical)
            } catch let error as BackupError {
                throw reportFailure("备份失败：\(error.description)", code: 1)
            }
        }
        let kind =
            manifest.database == "database.pgdump" ? "pg_dump 自定义格式" : manifest.engine == "sqlite" ? "SQLite 在线快照" : "逐表导出的 SQLite 快照"
        writeOut("备份完成：\(file.path)（\(fileSize(file))，\(kind)，\(manifest.tables.count) 张表，共 \(manifest.tables.map(\.rows).reduce(0, +)) 行）\n")
        writeOut("表\t行数\t校验和\n")
        for table in manifest.tables { writeOut("\(table.table)\t\(table.rows)\t\(table.checksum.prefix(16))\n") }
    }
}

/// `govwatch restore --from FILE`: into an empty database (or, with `--force`, over one).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "从备份文件恢复数据库（目标须为空库，覆盖已有数据须加 --force），恢复后逐表核对行数和校验和。")

    @Option(help: "备份文件（govwatch backup 生成的 ZIP）") var from: String
    @Flag(help: "目标数据库已有数据时仍然恢复：先删除其全部数据") var force = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let location = try global.databaseLocation()
        let report: RestoreReport
        do {
            report = try await Store.restore(from: URL(fileURLWithPath: from), into: location, force: force)
        } catch let error as BackupError {
            throw reportFailure("恢复失败：\(error.description)", code: 1)
        } catch {
            throw reportFailure("恢复失败：\(DatabaseErrorText.cause(of: error))（详情：\(String(reflecting: error))）", code: 1)
        }
        printDigests(source: report.manifest.tables, target: report.restored, sourceTitle: "备份", targetTitle: "恢复后")
        guard report.mismatches.isEmpty else {
            throw reportFailure("恢复后的数据与备份不一致：\(report.mismatches.joined(separator: "、"))", code: 1)
        }
        writeOut("恢复完成：\(location)，\(report.restored.count) 张表的行数和校验和与备份一致（备份时间 \(report.manifest.createdAt)）\n")
    }
}

/// `govwatch migrate --to URL`: copies the whole database (`--db`) into another engine's
/// database, schema by the product's migrations, then compares per-table checksums.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "把整个数据库（--db，默认 SQLite）复制到另一个数据库（如 PostgreSQL），并逐表核对行数和校验和。")

    @Option(help: "目标数据库地址：postgres://user:pass@host:port/db，或 sqlite://PATH") var to: String
    @Flag(help: "目标数据库已有数据时仍然复制：先删除其全部数据") var force = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let sourceLocation = try global.databaseLocation()
        let targetLocation: DatabaseLocation
        do {
            targetLocation = try DatabaseLocation.parse(to)
        } catch {
            throw reportFailure("field '--to': \(error)")
        }
        guard sourceLocation != targetLocation else { throw reportFailure("field '--to': 目标数据库与源数据库相同") }
        if case .sqlite(let path) = sourceLocation, !FileManager.default.fileExists(atPath: path) {
            throw reportFailure("源数据库文件“\(path)”不存在")
        }
        let report = try await withStore(global) { source in
            let target: Store
            do {
                target = try await Store.open(targetLocation)
            } catch {
                throw reportFailure("目标数据库：" + DatabaseErrorText.openFailure(error, location: targetLocation), code: 1)
            }
            do {
                let report = try await source.copy(into: target, replacing: force)
                await target.close()
                return report
            } catch let error as BackupError {
                await target.close()
                throw reportFailure("迁移失败：\(error.description)", code: 1)
            } catch {
                await target.close()
                throw error
            }
        }
        printDigests(source: report.source, target: report.target, sourceTitle: "源库", targetTitle: "目标库")
        guard report.mismatches.isEmpty else {
            throw reportFailure("迁移后目标数据库与源数据库不一致：\(report.mismatches.joined(separator: "、"))", code: 1)
        }
        writeOut(
            "迁移完成：\(sourceLocation) → \(targetLocation)，\(report.source.count) 张表共 \(report.source.map(\.rows).reduce(0, +)) 行，行数和校验和全部一致\n")
    }
}
