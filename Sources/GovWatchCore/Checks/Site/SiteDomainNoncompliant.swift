import Foundation

/// `site.domain.noncompliant` (deduction): a government site's domain breaks the rules.
///
/// Rule (国办发〔2017〕47号《政府网站发展指引》): a government site uses an English domain under
/// .gov.cn or a Chinese one under .政务 (punycode `xn--zfr164b`); a government portal
/// (政府门户网站) on .gov.cn uses `www.XXX.gov.cn`; a department site (部门网站) on .gov.cn is
/// under its government's domain (`SiteEvidence.governmentDomain`, e.g. `fgw.hongxi.gov.cn`
/// under `hongxi.gov.cn`; checked only when known — a .政务 name is flat, one per body, so it
/// is not judged by this rule); and one site is served under at most one English and one
/// Chinese domain (一个政府网站原则上只注册一个中文域名和一个英文域名):
/// `SiteEvidence.alternateHosts` are the registered domains that serve the site rather than
/// redirect to its main host; `www.` and bare forms of a host are the same domain. The host
/// judged is the registered homepage URL's.
///
/// At most two findings: one for the host (the first rule it breaks: `not-gov-cn`,
/// `portal-pattern`, `outside-government-domain`) and one for `several-domains`; the rule
/// is the location key. `detail`: `host`, `rule`, `expected` (the domain it should be
/// under, or the pattern, or null), `hosts` (for `several-domains`: the main host first,
/// then the others, sorted).
public enum SiteDomainNoncompliant {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteDomainNoncompliant

    /// The central government's portal (中国政府网) is the one portal above the
    /// `www.XXX.gov.cn` pattern: the pattern names a region under gov.cn, and www.gov.cn is
    /// gov.cn's own.
    static let centralPortalHosts: Set<String> = ["www.gov.cn", "gov.cn"]

    /// The findings of this indicator for one site, in a stable order.
    public static func check(
        site: SiteRecord, alternateHosts: [String], governmentDomain: String?, indicators: IndicatorSet
    ) -> [Finding] {
        let target = Target(kind: .site, code: site.code, name: site.name)
        guard let host = GovernmentDomain.asciiHost(site.url) else { return [] }
        let level = indicators.level(indicator)
        var findings: [Finding] = []
        let labels = host.split(separator: ".")
        let domain = governmentDomain.flatMap(GovernmentDomain.asciiHost)

        func finding(_ rule: String, expected: String?, evidence: String) -> Finding {
            Finding(
                target: target, indicator: indicator, level: level, url: site.url,
                detail: ["host": .string(host), "rule": .string(rule), "expected": SiteCheckSupport.json(expected)],
                evidence: evidence, locationKey: rule)
        }

        let shown = GovernmentDomain.display(host)
        if !GovernmentDomain.isGovernment(host) {
            let expected = site.kind == .department ? domain : nil
            let under = expected.map { "，应使用本级政府域名\(GovernmentDomain.display($0))的下级域名" } ?? "，应使用.gov.cn或.政务域名"
            findings.append(finding(
                "not-gov-cn", expected: expected ?? ".gov.cn",
                evidence: "\(site.kind.chineseName)使用非政府域名\(shown)\(under)"))
        } else if GovernmentDomain.isChinese(host) {
            // A Chinese-language government domain: no `www.` pattern and no hierarchy to check.
        } else if site.kind == .portal, !(labels.count == 4 && labels[0] == "www"), !Self.centralPortalHosts.contains(host) {
            findings.append(finding(
                "portal-pattern", expected: "www.XXX.gov.cn",
                evidence: "政府门户网站域名\(shown)不符合“www.XXX.gov.cn”结构"))
        } else if site.kind == .department, let domain, !GovernmentDomain.isChinese(domain),
            !SiteCheckSupport.host(host, isUnder: domain)
        {
            findings.append(finding(
                "outside-government-domain", expected: domain,
                evidence: "部门网站域名\(shown)不在本级政府门户网站域名\(domain)之下"))
        }

        // Domains serving the site, `www.` and bare forms taken as one; the main host first.
        let others = Set(alternateHosts.compactMap(GovernmentDomain.asciiHost))
            .filter { GovernmentDomain.sameDomain($0, host) == false }.sorted()
        var distinct: [String] = []
        for other in others where !distinct.contains(where: { GovernmentDomain.sameDomain($0, other) }) {
            distinct.append(other)
        }
        let served = [host] + distinct
        let chinese = served.filter(GovernmentDomain.isChinese)
        let english = served.filter { !GovernmentDomain.isChinese($0) }
        if english.count > 1 || chinese.count > 1 {
            let names = served.map(GovernmentDomain.display)
            findings.append(Finding(
                target: target, indicator: indicator, level: level, url: site.url,
                detail: [
                    "host": .string(host), "rule": "several-domains", "expected": .null,
                    "hosts": .array(served.map(JSONValue.string)),
                ],
                evidence: "同一网站可通过多个域名访问：\(names.joined(separator: "、"))"
                    + "，原则上只应保留一个英文域名和一个中文域名（\(english.count)个英文域名、\(chinese.count)个中文域名）",
                locationKey: "several-domains"))
        }
        return findings
    }
}

/// Government domain names (国办发〔2017〕47号): English ones under .gov.cn, Chinese ones
/// under .政务, compared in their ASCII form (`鸿溪市人民政府.政务` is
/// `xn--gmq658ainal6so7i63dgq4i.xn--zfr164b`).
public enum GovernmentDomain {
    /// `.政务` in punycode.
    public static let chineseTopLevel = "xn--zfr164b"

    /// The ASCII (IDNA) form of a host, or of a URL's host: lower-cased, without user, port
    /// or trailing dot; nil when the text names no domain.
    public static func asciiHost(_ text: String) -> String? {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { return nil }
        if !value.lowercased().hasPrefix("http://") && !value.lowercased().hasPrefix("https://") {
            value = "http://" + value
        }
        // Foundation applies IDNA to a non-ASCII host (UTS #46), as a browser does.
        guard var host = URL(string: value)?.host?.lowercased() else { return nil }
        while host.hasSuffix(".") { host.removeLast() }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
        guard host.contains("."), host.allSatisfy({ allowed.contains($0) }), !host.hasPrefix("."), !host.contains("..") else {
            return nil
        }
        return host
    }

    /// Under .政务.
    public static func isChinese(_ host: String) -> Bool {
        let ascii = asciiHost(host) ?? host.lowercased()
        return ascii == chineseTopLevel || ascii.hasSuffix("." + chineseTopLevel)
    }

    /// Under .gov.cn or .政务.
    public static func isGovernment(_ host: String) -> Bool {
        let ascii = asciiHost(host) ?? host.lowercased()
        return ascii == "gov.cn" || ascii.hasSuffix(".gov.cn") || isChinese(ascii)
    }

    /// The same domain, `www.` or not.
    public static func sameDomain(_ a: String, _ b: String) -> Bool {
        func bare(_ host: String) -> String { host.hasPrefix("www.") ? String(host.dropFirst(4)) : host }
        return bare(a) == bare(b)
    }

    /// The host as a person reads it: a Chinese domain in Chinese where Foundation can say it.
    public static func display(_ host: String) -> String {
        guard host.split(separator: ".").contains(where: { $0.hasPrefix("xn--") }) else { return host }
        return host.split(separator: ".").map { label in
            label.hasPrefix("xn--") ? (Punycode.decode(String(label.dropFirst(4))) ?? String(label)) : String(label)
        }.joined(separator: ".")
    }

    /// The domain of a department site's government: that of the portal registered for the
    /// site's `parent` (the portal run by that government, or by a unit whose parent it is),
    /// without `www.` — `hongxi.gov.cn` for 鸿溪市人民政府 at `www.hongxi.gov.cn`. Nil for a
    /// portal, a site without a parent, or when no .gov.cn portal of that government is
    /// registered.
    public static func governmentDomain(of site: SiteRecord, registry: [SiteRecord]) -> String? {
        guard site.kind == .department, let government = site.parent, !government.isEmpty else { return nil }
        let portals = registry.filter { $0.kind == .portal && ($0.unit == government || $0.parent == government) }
            .sorted { $0.code < $1.code }
        for portal in portals {
            guard let host = asciiHost(portal.url), isGovernment(host), !isChinese(host) else { continue }
            return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        }
        return nil
    }
}

/// RFC 3492 decoding, only to show a Chinese domain in Chinese in findings.
enum Punycode {
    static func decode(_ input: String) -> String? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        var output: [UnicodeScalar] = []
        var n = 128, i = 0, bias = 72
        var rest = Substring(input)
        if let dash = input.lastIndex(of: "-") {
            for scalar in input[..<dash].unicodeScalars {
                guard scalar.isASCII else { return nil }
                output.append(scalar)
            }
            rest = input[input.index(after: dash)...]
        }
        var digits = rest.unicodeScalars.makeIterator()
        func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / count
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        while let firstDigit = digits.next() {
            let oldI = i
            var w = 1
            var k = base
            var next: UnicodeScalar? = firstDigit
            while true {
                guard let scalar = next else { return nil }
                let digit: Int
                switch scalar.value {
                case 0x61...0x7A: digit = Int(scalar.value) - 0x61
                case 0x41...0x5A: digit = Int(scalar.value) - 0x41
                case 0x30...0x39: digit = Int(scalar.value) - 0x30 + 26
                default: return nil
                }
                // Labels are at most 63 characters: anything this large is not a domain label.
                guard w < 1 << 40, i < 1 << 40 else { return nil }
                i += digit * w
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                w *= base - t
                k += base
                next = digits.next()
            }
            bias = adapt(i - oldI, output.count + 1, oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF, let scalar = UnicodeScalar(n) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        return String(String.UnicodeScalarView(output))
    }
}
