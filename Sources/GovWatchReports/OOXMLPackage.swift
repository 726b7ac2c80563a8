import Foundation
import ZIPFoundation

/// Office Open XML packages (.docx, .xlsx) assembled in memory with ZIPFoundation.
enum OOXMLPackage {
    /// A fixed entry date, so the same notice gives the same bytes.
    static let entryDate = Date(timeIntervalSince1970: 1_640_966_400)  // 2022-01-01 00:00 CST

    /// Zips `parts` (path, XML text) in order; `[Content_Types].xml` should come first.
    static func zip(_ parts: [(String, String)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: entryDate,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "in-memory archive has no data"])
        }
        return data
    }

    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    /// `[Content_Types].xml`: the package's parts (path, content type) plus the document
    /// properties every package here carries.
    static func contentTypes(_ parts: [(path: String, type: String)]) -> String {
        let all = parts + [
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
        ]
        return xmlHeader
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + all.map { "<Override PartName=\"\($0.path)\" ContentType=\"\($0.type)\"/>" }.joined()
            + "</Types>"
    }

    /// Text escaped for XML content and attribute values, without the characters XML 1.0
    /// forbids (control characters crawled pages sometimes carry).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0xFFFE...0xFFFF).contains(v) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
