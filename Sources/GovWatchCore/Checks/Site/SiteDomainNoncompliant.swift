import Foundation

/// `site.domain.noncompliant` (deduction): a government site's domain breaks the rules.
///
/// Rule (国办发〔2017〕47号): a government site is under .gov.cn; a government portal
/// (政府门户网站) uses `www.XXX.gov.cn`; a department site (部门网站) is under its
/// government's domain (`SiteEvidence.governmentDomain`, e.g. `fgw.hongxi.gov.cn` under
/// `hongxi.gov.cn`; checked only when known); and one site is not served under several
/// registered domains (`SiteEvidence.alternateHosts`: domains that serve the site rather than
/// redirect to its main host; `www.` and bare forms of the main host are the same domain).
/// The host judged is the registered homepage URL's.
///
/// At most two findings: one for the host (the first rule it breaks: `not-gov-cn`,
/// `portal-pattern`, `outside-government-domain`) and one for `several-domains`; the rule
/// is the location key. `detail`: `host`, `rule`, `expected` (the domain it should be
/// under, or the pattern, or null), `hosts` (for `several-domains`: the main host first,
/// then the others, sorted).
public enum SiteDomainNoncompliant {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteDomainNoncompliant

    /// The findings of this indicator for one site, in a stable order.
    public static func check(
        site: SiteRecord, alternateHosts: [String], governmentDomain: String?, indicators: IndicatorSet
    ) -> [Finding] {
        let target = Target(kind: .site, code: site.code, name: site.name)
        guard let host = SiteCheckSupport.host(of: site.url) else { return [] }
        let level = indicators.level(indicator)
        var findings: [Finding] = []
        let labels = host.split(separator: ".")
        let domain = governmentDomain.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". ")) }

        func finding(_ rule: String, expected: String?, evidence: String) -> Finding {
            Finding(
                target: target, indicator: indicator, level: level, url: site.url,
                detail: ["host": .string(host), "rule": .string(rule), "expected": SiteCheckSupport.json(expected)],
                evidence: evidence, locationKey: rule)
        }

        if !SiteCheckSupport.isGovernmentHost(host) {
            let expected = site.kind == .department ? domain : nil
            let under = expected.map { "，应使用本级政府域名\($0)的下级域名" } ?? "，应使用.gov.cn域名"
            findings.append(finding(
                "not-gov-cn", expected: expected ?? ".gov.cn",
                evidence: "\(site.kind.chineseName)使用非政府域名\(host)\(under)"))
        } else if site.kind == .portal, !(labels.count == 4 && labels[0] == "www") {
            findings.append(finding(
                "portal-pattern", expected: "www.XXX.gov.cn",
                evidence: "政府门户网站域名\(host)不符合“www.XXX.gov.cn”结构"))
        } else if site.kind == .department, let domain, !domain.isEmpty, !SiteCheckSupport.host(host, isUnder: domain) {
            findings.append(finding(
                "outside-government-domain", expected: domain,
                evidence: "部门网站域名\(host)不在本级政府门户网站域名\(domain)之下"))
        }

        let mainForms: Set<String> = [host, host.hasPrefix("www.") ? String(host.dropFirst(4)) : "www." + host]
        let others = Set(alternateHosts.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". ")) })
            .subtracting(mainForms).filter { !$0.isEmpty }.sorted()
        if !others.isEmpty {
            findings.append(Finding(
                target: target, indicator: indicator, level: level, url: site.url,
                detail: [
                    "host": .string(host), "rule": "several-domains", "expected": .null,
                    "hosts": .array(([host] + others).map(JSONValue.string)),
                ],
                evidence: "同一网站可通过多个域名访问：\(([host] + others).joined(separator: "、"))，应只保留一个注册域名",
                locationKey: "several-domains"))
        }
        return findings
    }
}
