import Foundation

/// Finds the site search a page offers, in the shapes government sites use:
///
/// - a GET form with a query field (TRS `was5/web/search?searchword=`, Hanweb
///   `jsearchfront/search.do?q=`, `jrobotfront`): its target with a sample query (政府);
/// - a POST form (TRS `sxgovsearch.jsp`): its action, which a check can only load, not query;
/// - a form without an action, whose query a script sends (中国政府网's header box): the
///   page itself, the one thing a check can load for it;
/// - a link labelled 搜索/检索/站内搜索/全文检索 — often to a shared search platform on
///   another host (`sousuo.gov.cn`, `search.*.gov.cn/jsearchfront/…`).
///
/// Each target is an absolute URL; a check that it loads tells whether the search works.
public struct SearchFinder {
    let document: HTMLDocument
    /// The URL links resolve against (`<base href>` or the page URL).
    let base: NormalizedURL
    /// The page's own URL (the target of a form without an action).
    let page: NormalizedURL
    /// The page's links (see `LinkCollector`), resolved against `base`.
    let links: [PageLink]

    public init(document: HTMLDocument, base: NormalizedURL, page: NormalizedURL, links: [PageLink]) {
        self.document = document
        self.base = base
        self.page = page
        self.links = links
    }

    /// Words of a form or field that make it a search.
    static let searchHints = ["搜索", "检索", "查询", "search", "keyword", "searchword", "query", "关键字", "关键词", "sousuo", "jsearch", "was5", "jrobot"]
    /// Labels of links to a search page.
    static let linkLabels = ["搜索", "检索", "站内搜索", "全文检索", "高级搜索", "高级检索", "站内检索", "全站搜索"]

    /// The search targets, forms first, without duplicates.
    public func targets() -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        for target in formTargets() + linkTargets() where seen.insert(target).inserted {
            result.append(target)
        }
        return result
    }

    func formTargets() -> [String] {
        var targets: [String] = []
        for form in document.elements(named: "form") {
            let method = (form["method"] ?? "get").trimmingCharacters(in: .whitespaces).lowercased()
            let inputs = Array(form.descendants(named: "input"))
            let field = inputs.first { input in
                let type = (input["type"] ?? "text").lowercased()
                return (type == "text" || type == "search" || type.isEmpty) && input["name"].map { !$0.isEmpty } == true
            }
            // A text box without a name whose query a script copies into a hidden field
            // (`<input type="hidden" name="searchWord">`, gzns.gov.cn): that field is the query.
            let hiddenQuery = field == nil && inputs.contains { ($0["type"] ?? "text").lowercased() == "text" }
                ? inputs.first { input in
                    let hiddenName = (input["name"] ?? "").lowercased()
                    return (input["type"] ?? "").lowercased() == "hidden"
                        && ["search", "keyword", "word", "query"].contains { hiddenName.contains($0) }
                } : nil
            guard let field = field ?? hiddenQuery, let name = field["name"] else { continue }
            let hint = (form.normalizedText + " " + inputs.compactMap { $0["value"] ?? $0["placeholder"] }.joined(separator: " ")
                + " " + (form["action"] ?? "") + " " + name + " " + (form["class"] ?? "") + " " + (form["id"] ?? "")
                + " " + (form["name"] ?? "") + " " + (field["class"] ?? "") + " " + (field["id"] ?? "")
                + " " + (field["placeholder"] ?? "")).lowercased()
            let looksLikeSearch = Self.searchHints.contains { hint.contains($0) } || name == "q" || name == "wd" || name == "kw"
            guard looksLikeSearch else { continue }
            let action = (form["action"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            // A form without an action submits to the page itself; `javascript:` actions
            // are sent by a script, which does the same.
            let scripted = action.isEmpty || action.hasPrefix("#") || action.lowercased().hasPrefix("javascript:")
            if scripted {
                // Submitted by a script (中国政府网's box goes to sousuo.www.gov.cn) or to the page
                // itself: there is a search, and the page it stands on is what can be checked.
                targets.append(page.description)
                continue
            }
            guard let target = base.resolve(action) else { continue }
            if method == "post" {
                // The results cannot be asked for with a GET: that the action loads is what is checked.
                targets.append(target.description)
                continue
            }
            var components = URLComponents(string: target.description)
            var items = components?.queryItems ?? []
            for input in inputs where (input["type"] ?? "").lowercased() == "hidden" && input != field {
                if let hiddenName = input["name"], !hiddenName.isEmpty { items.append(URLQueryItem(name: hiddenName, value: input["value"] ?? "")) }
            }
            items.append(URLQueryItem(name: name, value: "政府"))
            components?.queryItems = items
            if let string = components?.string, let normalized = NormalizedURL(string) {
                targets.append(normalized.description)
            }
        }
        return targets
    }

    /// Visible links whose text (or title, or image alt) is a search label.
    func linkTargets() -> [String] {
        var targets: [String] = []
        for link in links where link.kind == .page && !link.hidden && !link.text.isEmpty && link.text.count <= 8 {
            guard Self.linkLabels.contains(where: { link.text.contains($0) }), link.url != page.description,
                NormalizedURL.isValid(link.url)
            else { continue }
            targets.append(link.url)
        }
        return targets
    }
}
