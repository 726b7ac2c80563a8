import Foundation
import GovWatchPage

/// Visible text of an HTML page for scanning: the same text the inspection scans
/// (GovWatchPage's `PageText`, libxml2's HTML parser): visible text plus `alt`/`title`
/// attributes in document order, charset from the BOM, `<meta>` or sniffing.
enum HTMLText {
    static func extract(_ data: Data) -> String {
        HTMLDocument(bytes: data).visibleText(includeAttributes: true).string
    }
}
