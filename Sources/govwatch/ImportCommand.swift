import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchStore

extension GovWatchCore.RegistryFile: ArgumentParser.ExpressibleByArgument {}

/// `govwatch import sites|columns|accounts|posts|people FILE`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入登记信息（网站、栏目、账号、发布信息、责任人）。整个文件在一个事务中导入，任何一行有误则整个文件不导入。"
    )

    @Argument(help: "文件类型：sites | columns | accounts | posts | people")
    var kind: GovWatchCore.RegistryFile

    @Argument(help: "CSV 文件（UTF-8 或 GBK 编码，中文或英文表头）")
    var file: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw reportFailure("\(file): 无法读取文件：\(error.localizedDescription)")
        }
        let summary: ImportSummary
        do {
            summary = try await withStore(global) { store in
                try await RegistryImporter.importFile(kind, data: data, file: file, into: store)
            }
        } catch let error as ImportError {
            throw reportFailure(error.description)
        }
        var line = "\(file)：导入\(kind.chineseName) 新增 \(summary.inserted) 条，更新 \(summary.updated) 条，未变化 \(summary.unchanged) 条"
        if summary.unitsCreated > 0 { line += "，新建单位 \(summary.unitsCreated) 个" }
        writeOut(line + "\n")
    }
}
