import Foundation

/// Helpers the site checks share: the as-of day, hosts, URLs and JSON details.
enum SiteCheckSupport {
    /// The last calendar day (UTC+8) the as-of time covers. A bare `--as-of 2022-03-31` is
    /// 24:00 of 31 March, i.e. 2022-04-01T00:00+08:00, and covers 31 March, not 1 April.
    static func lastDay(coveredBy asOf: Date) -> CalendarDate {
        CalendarDate(asOf.addingTimeInterval(-0.001))
    }

    /// Whether the homepage was fetched: checks that judge what the crawl saw (stale
    /// homepage, identity, search, channels) say nothing about a site that did not load,
    /// whose availability `site.unreachable` judges from the probes instead.
    static func homepageLoaded(_ homepage: HomepageEvidence?) -> Bool {
        homepage?.loaded == true
    }

    /// The host of an absolute http(s) URL, lower-cased, without user info, port or trailing
    /// dot; nil for relative, `javascript:`, `mailto:` and other non-web links.
    static func host(of url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        var rest: Substring
        let lower = trimmed.lowercased()
        if lower.hasPrefix("http://") {
            rest = trimmed.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            rest = trimmed.dropFirst(8)
        } else if lower.hasPrefix("//") {
            rest = trimmed.dropFirst(2)
        } else {
            return nil
        }
        rest = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != "\\" }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("[") {
            // IPv6 literal: keep the brackets' content.
            guard let close = rest.firstIndex(of: "]") else { return nil }
            let literal = rest[rest.index(after: rest.startIndex)..<close]
            return literal.isEmpty ? nil : literal.lowercased()
        }
        if let colon = rest.firstIndex(of: ":") { rest = rest[..<colon] }
        while rest.hasSuffix(".") { rest = rest.dropLast() }
        return rest.isEmpty ? nil : rest.lowercased()
    }

    /// Whether `host` is under a government domain: .gov.cn, or .政务 (`xn--zfr164b`).
    static func isGovernmentHost(_ host: String) -> Bool {
        GovernmentDomain.isGovernment(host)
    }

    /// `host` is `domain` or one of its subdomains.
    static func host(_ host: String, isUnder domain: String) -> Bool {
        let domain = domain.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        guard !domain.isEmpty else { return false }
        return host == domain || host.hasSuffix("." + domain)
    }

    /// The hosts a site is served under: its registered URL, where its homepage ended after
    /// redirects, and the registered alternates, each with and without `www.`.
    static func ownHosts(_ evidence: SiteEvidence) -> Set<String> {
        var hosts = Set<String>()
        var candidates = [evidence.site.url]
        if let homepage = evidence.homepage { candidates += [homepage.url, homepage.finalURL] }
        for host in candidates.compactMap(host(of:)) + evidence.alternateHosts.map({ $0.lowercased() }) {
            hosts.insert(host)
            if host.hasPrefix("www.") { hosts.insert(String(host.dropFirst(4))) } else { hosts.insert("www." + host) }
        }
        return hosts
    }

    /// A document URL split into the page or file a person opens and the part inside it
    /// (`list.xlsx#Sheet1` → `list.xlsx`, `Sheet1`): findings name the file, `detail.part`
    /// the sheet or page, and the location key keeps both.
    static func splitPart(_ url: String) -> (url: String, part: String?) {
        guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
        let part = String(url[url.index(after: hash)...])
        return (String(url[..<hash]), part.isEmpty ? nil : part)
    }

    /// Whether a URL names a spreadsheet (its part is then a sheet).
    static func isSpreadsheet(_ url: String) -> Bool {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init)?.lowercased() ?? ""
        return [".xlsx", ".xls", ".et", ".ods", ".csv"].contains { path.hasSuffix($0) }
    }

    /// `value` as a JSON string, or null.
    static func json(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// `value` as a JSON number, or null.
    static func json(_ value: Int?) -> JSONValue {
        value.map { JSONValue.number(Double($0)) } ?? .null
    }

    /// At most `limit` names joined with “、”, with “等N个” when cut: for evidence sentences.
    static func list(_ names: [String], limit: Int = 5) -> String {
        let shown = names.prefix(limit).joined(separator: "、")
        return names.count > limit ? "\(shown)等\(names.count)个" : shown
    }

    /// One column per list-page URL — an imported column the crawler also discovered is one
    /// column, judged by the imported (authoritative) record — sorted by URL so every check
    /// reports columns in the same order on every run.
    static func uniqueColumns(_ columns: [ColumnEvidence]) -> [ColumnEvidence] {
        var byURL: [String: ColumnEvidence] = [:]
        for column in columns {
            if let existing = byURL[column.column.url], !existing.discovered || column.discovered { continue }
            byURL[column.column.url] = column
        }
        return byURL.values.sorted { $0.column.url < $1.column.url }
    }

    /// The level of a column finding: a column the crawler discovered and no administrator
    /// confirmed is a proposal, so its findings are notices whatever the indicator's level.
    static func level(_ indicator: IndicatorID, discovered: Bool, indicators: IndicatorSet) -> Level {
        discovered ? .notice : indicators.level(indicator)
    }

    /// The sentence a discovered column's finding ends with.
    static func discoveredNote(_ discovered: Bool) -> String {
        discovered ? "（该栏目为检查中自动发现、待管理员确认的栏目，暂作提示，不扣分，不计入单项否决）" : ""
    }

    /// Columns an administrator registered or confirmed: the only ones the column vetoes count.
    static func confirmedColumns(_ columns: [ColumnEvidence]) -> [ColumnEvidence] {
        uniqueColumns(columns).filter { !$0.discovered }
    }

    /// How many referring pages or sample messages a detail lists; the count is given beside.
    static let detailListLimit = 20
}

/// Helpers the three content checks share.
enum ContentFindingSupport {
    /// A dictionary term as written, without spaces and invisible characters, the way
    /// `RepeatedProblemGrouping` compares them: "中华人民 共合国" is the same error.
    static func normalizedTerm(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !ScalarClass.isIgnorableInTerm($0.value) }))
    }

    /// The problems of `kind` grouped by normalized term, in order of first appearance.
    static func grouped(_ problems: [ContentProblem], kind: ContentProblem.Kind) -> [(term: String, problems: [ContentProblem])] {
        var order: [String] = []
        var groups: [String: [ContentProblem]] = [:]
        for problem in problems where problem.kind == kind {
            let term = normalizedTerm(problem.evidence)
            if groups[term] == nil { order.append(term) }
            groups[term, default: []].append(problem)
        }
        return order.map { ($0, groups[$0]!) }
    }

    /// Detail keys every content finding has: `occurrences`, `line`, `column`,
    /// `attachment`, and `part` (plus `sheet` for spreadsheets) when the document names one.
    static func baseDetail(_ document: ScannedDocument, first: ContentProblem, occurrences: Int) -> [String: JSONValue] {
        let location = document.result.location(of: first)
        var detail: [String: JSONValue] = [
            "occurrences": .number(Double(occurrences)), "line": .number(Double(location.line)),
            "column": .number(Double(location.column)), "attachment": .bool(document.document.isAttachment),
        ]
        let (file, part) = SiteCheckSupport.splitPart(document.document.url)
        if let part {
            detail["part"] = .string(part)
            if SiteCheckSupport.isSpreadsheet(file) { detail["sheet"] = .string(part) }
        }
        return detail
    }

    /// The excerpt of `problem` as stored in a finding's evidence, with every piece of
    /// personal information of the document that still appears in clear replaced by its
    /// masked form — a second line of defence, so that no excerpt (of a severe error next to
    /// a named patient, say) ever carries personal information, whatever the excerpt
    /// renderer leaves.
    static func excerpt(_ document: ScannedDocument, for problem: ContentProblem) -> String {
        var text = document.result.excerpt(for: problem).description
        let clear = document.result.problems
            .filter(\.kind.isPersonalInformation)
            .map { (clear: String(document.result.text[$0.range]), masked: $0.evidence) }
            .filter { !$0.clear.isEmpty && $0.clear != $0.masked }
            .sorted { $0.clear.count > $1.clear.count }
        for value in clear where text.contains(value.clear) {
            text = text.replacingOccurrences(of: value.clear, with: value.masked)
        }
        return text
    }

    /// The document URL (with its part), the kind and the term or masked value: what names a
    /// content problem across runs, the same shape `ContentScanResult.findings` uses.
    static func locationKey(_ document: ScannedDocument, kind: ContentProblem.Kind, value: String) -> String {
        "\(document.document.url)\u{1F}\(kind.rawValue)\u{1F}\(value)"
    }
}
