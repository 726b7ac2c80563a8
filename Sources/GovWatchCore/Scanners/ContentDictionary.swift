import Foundation

/// One line of a dictionary file: `wrong<TAB>correct<TAB>category` (interfaces.md).
public struct DictionaryEntry: Hashable, Sendable {
    /// What a dictionary line asks for.
    public enum Category: String, Hashable, Sendable, CaseIterable {
        /// 严重表述错误: reported as `content.severe-error`, `correct` is the suggestion.
        case severe
        /// 敏感词: reported as `content.sensitive`; `correct` may be empty.
        case sensitive
        /// A correct context (allow-list): a severe or sensitive term found inside this
        /// text is not reported. An addition to the file format of interfaces.md.
        case allow
    }

    /// The text to find (for `allow`: the text in which nothing is reported).
    public var wrong: String
    /// The correct text; may be empty for `sensitive` and `allow`.
    public var correct: String
    public var category: Category
    /// Where the entry came from (`file:line`), for messages.
    public var source: String

    public init(wrong: String, correct: String, category: Category, source: String = "") {
        self.wrong = wrong
        self.correct = correct
        self.category = category
        self.source = source
    }
}

/// A bad line in a dictionary file; the message is for a person, in Chinese.
public struct DictionaryFormatError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    public var file: String
    public var line: Int
    public var reason: String

    public var description: String { "\(file):\(line): 词典格式错误：\(reason)" }
    public var errorDescription: String? { description }
}

/// Severe-error, sensitive-word and allow lists in the dictionary file format.
public struct ContentDictionary: Hashable, Sendable {
    public var entries: [DictionaryEntry]

    public init(entries: [DictionaryEntry] = []) {
        self.entries = entries
    }

    /// Parses a dictionary file: one entry a line, fields separated by tabs
    /// (`wrong<TAB>correct<TAB>category`); `#` comment lines and blank lines are ignored.
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: `DictionaryFormatError` naming the line of the first bad entry.
    public static func parse(_ text: String, file: String) throws -> ContentDictionary {
        var entries: [DictionaryEntry] = []
        var lineNumber = 0
        // "\r\n" is one Character, so splitting at newline characters handles Windows files too.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            var line = rawLine
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if line.drop(while: { $0 == " " }).hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw DictionaryFormatError(
                    file: file, line: lineNumber,
                    reason: "应为“错误写法<TAB>正确写法<TAB>类别”三列，实际为 \(fields.count) 列")
            }
            let wrong = fields[0].trimmingCharacters(in: .whitespaces)
            let correct = fields[1].trimmingCharacters(in: .whitespaces)
            let categoryName = fields[2].trimmingCharacters(in: .whitespaces).lowercased()
            guard let category = DictionaryEntry.Category(rawValue: categoryName) else {
                throw DictionaryFormatError(
                    file: file, line: lineNumber,
                    reason: "类别“\(fields[2])”无效，应为 severe、sensitive 或 allow")
            }
            guard !DictionaryCompiler.normalizedPattern(wrong).isEmpty else {
                throw DictionaryFormatError(file: file, line: lineNumber, reason: "第一列（错误写法）为空")
            }
            if category == .severe, correct.isEmpty {
                throw DictionaryFormatError(file: file, line: lineNumber, reason: "严重表述错误必须给出正确写法（第二列）")
            }
            entries.append(DictionaryEntry(wrong: wrong, correct: correct, category: category, source: "\(file):\(lineNumber)"))
        }
        return ContentDictionary(entries: entries)
    }

    /// Reads and parses a dictionary file (UTF-8).
    public static func load(contentsOf url: URL) throws -> ContentDictionary {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DictionaryFormatError(file: url.path, line: 0, reason: "无法读取文件")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DictionaryFormatError(file: url.path, line: 0, reason: "不是 UTF-8 编码的文本")
        }
        return try parse(text, file: url.path)
    }

    /// The entries of `self` followed by those of `other`; for the same wrong text the
    /// later entry wins when compiled.
    public func merging(_ other: ContentDictionary) -> ContentDictionary {
        ContentDictionary(entries: entries + other.entries)
    }

    /// Names of the lists shipped with the product, in `Data/dictionaries/`.
    public static let shippedFileNames = ["severe-errors", "sensitive-words"]

    /// The severe-error and sensitive-word lists shipped with the product.
    public static func shipped() throws -> ContentDictionary {
        var result = ContentDictionary()
        for name in shippedFileNames {
            guard let url = Bundle.module.url(forResource: name, withExtension: "tsv", subdirectory: "Data/dictionaries")
            else {
                throw DictionaryFormatError(file: "Data/dictionaries/\(name).tsv", line: 0, reason: "随产品发布的词典缺失")
            }
            result = result.merging(try load(contentsOf: url))
        }
        return result
    }
}
