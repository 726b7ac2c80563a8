import ArgumentParser
import Foundation
import GovWatchCore

/// `govwatch config show`: the effective configuration, each value with where it came from.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "查看配置：配置文件、环境变量和命令行参数合并后的实际取值。", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "列出每个配置项的实际取值及其来源（默认/配置文件/环境变量/命令行参数），密码等敏感信息已隐去。")

        @Option(help: "输出格式：text 或 json") var format: ShowFormat = .text
        @OptionGroup var global: GlobalOptions

        enum ShowFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

        func run() async throws {
            let configuration = try global.configuration()
            switch format {
            case .text: writeOut(Self.text(configuration))
            case .json: writeOut(try Self.json(configuration))
            }
        }

        static func text(_ configuration: GovWatchConfiguration) -> String {
            let rows = configuration.ordered.map { setting in
                [setting.key.name, setting.shownValue ?? "（未设置）", setting.source.chinese]
            }
            let file = configuration.filePath.map { "配置文件：\($0)" } ?? "配置文件：无（未找到 ./govwatch.yaml 或 /etc/govwatch/govwatch.yaml，也未用 --config 或 GOVWATCH_CONFIG 指定）"
            return file + "\n" + TextTable.render(header: ["配置项", "取值", "来源"], rows: rows)
        }

        struct ShowJSON: Encodable {
            struct Setting: Encodable {
                var key: String
                var value: String?
                var source: String
                var origin: String
                var detail: String?
                var environment: String
                var flags: [String]
                var meaning: String
            }
            var file: String?
            var settings: [Setting]
        }

        static func json(_ configuration: GovWatchConfiguration) throws -> String {
            let document = ShowJSON(
                file: configuration.filePath,
                settings: configuration.ordered.map { setting in
                    ShowJSON.Setting(
                        key: setting.key.name, value: setting.shownValue, source: setting.source.chinese, origin: setting.source.origin,
                        detail: setting.source.detail, environment: setting.key.environment, flags: setting.key.flags,
                        meaning: setting.key.meaning)
                })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        }
    }
}
