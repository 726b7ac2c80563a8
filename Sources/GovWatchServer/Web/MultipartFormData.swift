import Foundation

/// A `multipart/form-data` body as a browser's upload form sends it (RFC 7578): text fields
/// and files. The ticket page's feedback form works without scripts, so the browser posts
/// the files itself; the JSON API reads its own multipart bodies through the generated code.
struct MultipartFormData {
    struct Part {
        var name: String
        /// Present for file fields (possibly empty when no file was chosen).
        var fileName: String?
        var data: Data
    }

    var parts: [Part]

    /// The first text field named `name`.
    func text(_ name: String) -> String? {
        parts.first { $0.name == name && $0.fileName == nil }.map { String(decoding: $0.data, as: UTF8.self) }
    }

    /// The chosen files (a file field left empty sends no name and no bytes: skipped).
    var files: [Part] { parts.filter { $0.fileName != nil && !($0.fileName!.isEmpty && $0.data.isEmpty) } }

    /// The boundary of a `multipart/form-data` Content-Type; nil for other types.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Parses `body`; a body that is not well formed is a 400.
    init(body: Data, boundary: String) throws {
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else { throw WebError.badRequest("上传内容格式有误") }
        while true {
            // After a delimiter: `--` ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: Data("\r\n".utf8)) else { throw WebError.badRequest("上传内容格式有误") }
            let headerStart = cursor + 2
            guard let headerEnd = body.range(of: separator, in: headerStart..<body.endIndex) else {
                throw WebError.badRequest("上传内容格式有误")
            }
            let headers = String(decoding: body[headerStart..<headerEnd.lowerBound], as: UTF8.self)
            let contentStart = headerEnd.upperBound
            guard let next = body.range(of: Data("\r\n".utf8) + delimiter, in: contentStart..<body.endIndex) else {
                throw WebError.badRequest("上传内容格式有误")
            }
            if let disposition = Self.disposition(headers) {
                parts.append(Part(name: disposition.name, fileName: disposition.fileName, data: Data(body[contentStart..<next.lowerBound])))
            }
            cursor = next.upperBound
        }
        self.parts = parts
    }

    /// `name` and `filename` of a part's Content-Disposition.
    static func disposition(_ headers: String) -> (name: String, fileName: String?)? {
        for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            var name: String?
            var fileName: String?
            for parameter in Self.parameters(String(line.dropFirst("content-disposition:".count))) {
                switch parameter.key.lowercased() {
                case "name": name = parameter.value
                case "filename": fileName = parameter.value
                default: break
                }
            }
            return name.map { ($0, fileName) }
        }
        return nil
    }

    /// `form-data; name="a"; filename="b;c.pdf"`: quoted values may hold `;`.
    static func parameters(_ text: String) -> [(key: String, value: String)] {
        var result: [(String, String)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard let equals = text[index...].firstIndex(of: "=") else { break }
            let key = text[index..<equals].split(separator: ";").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            var valueStart = text.index(after: equals)
            var value = ""
            if valueStart < text.endIndex, text[valueStart] == "\"" {
                valueStart = text.index(after: valueStart)
                var cursor = valueStart
                while cursor < text.endIndex, text[cursor] != "\"" {
                    if text[cursor] == "\\", text.index(after: cursor) < text.endIndex { cursor = text.index(after: cursor) }
                    value.append(text[cursor])
                    cursor = text.index(after: cursor)
                }
                index = cursor < text.endIndex ? text.index(after: cursor) : cursor
            } else {
                let end = text[valueStart...].firstIndex(of: ";") ?? text.endIndex
                value = text[valueStart..<end].trimmingCharacters(in: .whitespaces)
                index = end
            }
            result.append((key, value))
        }
        return result
    }
}
