import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchDocuments

/// `govwatch scan [FILE...|-] [--format text|json] [--dictionary FILE]...`: the
/// pre-publication check (三审) of drafts.
///
/// Exit codes: 0 clean (sensitive words alone are notices), 1 when a veto-level problem
/// or personal information is found, 2 when an input or a dictionary cannot be read
/// (the other files are still scanned and reported).
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "发布前检查（三审）：查找个人信息泄露、严重表述错误和敏感词",
        discussion: """
            支持纯文本（UTF-8 或 GBK）、HTML、.docx、.xlsx、PDF（需 pdftotext）、.doc 和 .xls（需 catdoc）。
            不给文件或给出 - 时读取标准输入。发现单项否决问题或个人信息时退出码为 1，无法读取输入时为 2。
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "要检查的文件；- 表示标准输入")
    var files: [String] = []

    @Option(name: .long, help: "输出格式：text（供人阅读）或 json")
    var format: Format = .text

    @Option(name: .long, help: "额外的词典文件（错误写法<TAB>正确写法<TAB>severe|sensitive），可多次给出")
    var dictionary: [String] = []

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var extraDictionaries: [ContentDictionary] = []
        for path in dictionary {
            do {
                extraDictionaries.append(try ContentDictionary.load(contentsOf: URL(fileURLWithPath: path)))
            } catch let error as DictionaryFormatError {
                throw reportFailure(error.description)
            }
        }
        let scanner: ContentScanner
        do {
            scanner = try ContentScanner.standard(additional: extraDictionaries)
        } catch let error as DictionaryFormatError where error.line > 0 {
            // A dictionary that was read but cannot be compiled (its terms use too many
            // distinct characters): the message names its file and line.
            throw reportFailure(error.description)
        } catch {
            throw reportFailure("随产品发布的词典无法加载：\(error.localizedDescription)")
        }

        let extractor = DocumentTextExtractor()
        var reports: [ScannedSection] = []
        var unreadable = 0
        let inputs = files.isEmpty ? ["-"] : files
        for file in inputs {
            do {
                let sections: [TextSection]
                if file == "-" {
                    let data = FileHandle.standardInput.readDataToEndOfFile()
                    sections = try extractor.extract(data: data, fileName: "-")
                } else {
                    sections = try extractor.extract(contentsOf: URL(fileURLWithPath: file), displayName: file)
                }
                for section in sections {
                    // The same sections the server's 三审 scans (`DraftScan`).
                    reports.append(ScannedSection(file: section.displayName(file: file), result: scanner.scan(section.text)))
                }
            } catch let error as DocumentReadError {
                _ = reportFailure(error.description)
                unreadable += 1
            }
        }

        switch format {
        case .json:
            // Written from the bytes as they are: a String and a Data copy of the document
            // (three copies at the end of a 100 MB scan) made most of the peak memory.
            let document = DraftScan.json(reports)
            document.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress else { return }
                FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none))
            }
        case .text: writeOut(Self.text(reports, readFiles: inputs.count - unreadable, unreadableFiles: unreadable))
        }
        if unreadable > 0 { throw ExitCode(2) }
        if reports.contains(where: { $0.result.requiresAction }) { throw ExitCode(1) }
    }

    /// For people: each problem with its place, its context (the problem in 【】, personal
    /// information around it masked) and the suggestion; then a summary.
    static func text(_ reports: [ScannedSection], readFiles: Int, unreadableFiles: Int) -> String {
        var output = ""
        var counts: [Level: Int] = [:]
        var personal = 0
        for report in reports {
            for problem in report.result.problems {
                let location = report.result.location(of: problem)
                counts[problem.level, default: 0] += 1
                if problem.kind.isPersonalInformation { personal += 1 }
                output += "\(report.file):\(location.line):\(location.column)  [\(problem.level.chineseName)] \(problem.kind.chineseName)：\(problem.evidence)\n"
                output += "    \(report.result.excerpt(for: problem, radius: 20))\n"
                let label = problem.kind.isPersonalInformation ? "去标识化" : "建议"
                output += "    \(label)：\(problem.suggestion)\n"
            }
        }
        let total = counts.values.reduce(0, +)
        var checked = "检查了 \(readFiles) 个文件"
        if unreadableFiles > 0 { checked += "（另有 \(unreadableFiles) 个文件无法读取，未检查）" }
        if total == 0 {
            output += "\(checked)，未发现问题。\n"
        } else {
            let parts = Level.allCases.compactMap { level in counts[level].map { "\(level.chineseName) \($0) 个" } }
            output += "\(checked)，发现 \(total) 个问题（\(parts.joined(separator: "，"))"
            output += personal > 0 ? "，其中个人信息 \(personal) 处）。\n" : "）。\n"
            if reports.contains(where: { $0.result.requiresAction }) {
                output += "存在单项否决问题或个人信息，请整改后再发布。\n"
            }
        }
        return output
    }
}
