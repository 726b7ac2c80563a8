import Foundation

/// Reads the list records Hanweb (大汉) CMS columns ship inside the page:
///
/// ```html
/// <script type="text/xml"><datastore><nextgroup><![CDATA[…]]></nextgroup>
///   <recordset><record><![CDATA[<li><a href="…">标题</a><span>2022-03-10</span></li>]]></record>…
/// ```
///
/// Hanweb's list script renders the column list from them in the browser, so without
/// reading them a Hanweb column looks empty.
public enum HanwebDatastore {
    /// The HTML of every `<record>` of the page's datastores, joined; nil when there is none.
    public static func recordsHTML(in document: HTMLDocument) -> String? {
        var html = ""
        for script in document.elements(named: "script") {
            let isXML = (script["type"] ?? "").lowercased().contains("xml")
            let raw = script.textContent
            // Some templates drop the type and keep only the <datastore> element.
            guard raw.contains("<record"), isXML || raw.contains("<datastore") else { continue }
            var rest = raw[...]
            while let open = rest.range(of: "<![CDATA["),
                let close = rest.range(of: "]]>", range: open.upperBound..<rest.endIndex)
            {
                let record = rest[open.upperBound..<close.lowerBound]
                rest = rest[close.upperBound...]
                // The <nextgroup> CDATA is a pager link, not a record.
                guard record.contains("<") else { continue }
                html += record
                html += "\n"
            }
        }
        return html.isEmpty ? nil : html
    }
}
