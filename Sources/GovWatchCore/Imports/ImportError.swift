/// Why an import file was rejected, as the spec prints it: `FILE:LINE: field 'X': why`.
///
/// `reason` is in Chinese, for the civil servant who prepared the file.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String
    public var reason: String

    public init(file: String, line: Int, field: String, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(file):\(line): field '\(field)': \(reason)" }
}
