import Foundation

/// A crawled page or attachment with what the content scanner found in it: scanned once,
/// read by the three content checks.
public struct ScannedDocument: Sendable {
    /// The page or attachment as crawled.
    public var document: DocumentEvidence
    /// What the content scanner found in its text.
    public var result: ContentScanResult

    public init(document: DocumentEvidence, result: ContentScanResult) {
        self.document = document
        self.result = result
    }

    /// Scans `documents` with `scanner`, one per URL (the first seen wins), in URL order so
    /// findings come out in the same order on every run.
    public static func scan(_ documents: [DocumentEvidence], with scanner: ContentScanner) -> [ScannedDocument] {
        var seen = Set<String>()
        var unique: [DocumentEvidence] = []
        for document in documents where seen.insert(document.url).inserted {
            unique.append(document)
        }
        return unique.sorted { $0.url < $1.url }.map {
            ScannedDocument(document: $0, result: scanner.scan($0.text, personalInformation: $0.personalInformation))
        }
    }
}

/// Every `site.*` indicator over the evidence of one website.
public enum SiteChecks {
    /// The findings of one site, in the order indicators.md lists the indicators, each
    /// check's findings in its own stable order (by URL, homepage first where it matters),
    /// so two runs over the same evidence produce the same list. Levels come from
    /// `indicators`; slow replies count working days by `calendar`.
    public static func run(
        _ evidence: SiteEvidence, indicators: IndicatorSet, scanner: ContentScanner, calendar: WorkingCalendar = .china
    ) -> [Finding] {
        let target = evidence.target
        let asOf = evidence.asOf
        let homepage = evidence.homepage
        let scanned = ScannedDocument.scan(evidence.documents, with: scanner)
        var homepageURLs = Set([evidence.site.url])
        if let homepage { homepageURLs.formUnion([homepage.url, homepage.finalURL]) }

        // What was not really read is not judged (no stale, blank, identity, search or channel
        // finding from it): `site.inspection.incomplete` reports it instead.
        let unread = UnreadParts(evidence.unreadable)
        let readHomepage = unread.homepage ? nil : homepage
        let datedHomepage = unread.homepageDates ? nil : readHomepage
        let readColumns = evidence.columns.filter { !unread.columns.contains($0.column.url) }
        let channelUnread = evidence.columns.contains {
            $0.column.category == .consultation && unread.columns.contains($0.column.url)
        }

        var findings: [Finding] = []
        func add(_ finding: Finding?) { if let finding { findings.append(finding) } }

        add(SiteUnreachable.check(site: target, probes: evidence.probes, asOf: asOf, indicators: indicators))
        add(SiteHomepageStale.check(site: target, homepage: datedHomepage, asOf: asOf, indicators: indicators))
        findings += SiteColumnStale.check(site: target, columns: readColumns, asOf: asOf, indicators: indicators)
        add(SiteColumnsStaleVeto.check(site: target, columns: readColumns, asOf: asOf, indicators: indicators))
        add(SiteColumnsUnupdatedVeto.check(site: target, columns: readColumns, asOf: asOf, indicators: indicators))
        findings += SiteColumnBlank.check(site: target, columns: readColumns, indicators: indicators)
        add(SiteColumnsBlankVeto.check(site: target, columns: readColumns, indicators: indicators))
        if !channelUnread {
            // A channel that could not be read may well work: absence is not proven.
            add(SiteInteractionNoChannel.check(site: target, homepage: readHomepage, columns: readColumns, indicators: indicators))
        }
        findings += SiteInteractionUnanswered.check(site: target, messages: evidence.messages, asOf: asOf, indicators: indicators)
        findings += SiteInteractionSlowReply.check(
            site: target, messages: evidence.messages, asOf: asOf, indicators: indicators, calendar: calendar)
        findings += SiteContentSevereError.check(site: target, scanned: scanned, indicators: indicators)
        findings += SiteContentSensitive.check(site: target, scanned: scanned, indicators: indicators)
        findings += SiteContentPrivacy.check(site: target, scanned: scanned, indicators: indicators)
        findings += SiteLinksBroken.check(
            site: target, links: evidence.links, homepageURL: homepage?.url ?? evidence.site.url, indicators: indicators)
        findings += SiteIdentityMissing.check(site: evidence.site, homepage: readHomepage, indicators: indicators)
        findings += SiteDomainNoncompliant.check(
            site: evidence.site, alternateHosts: evidence.alternateHosts, governmentDomain: evidence.governmentDomain,
            indicators: indicators)
        add(SiteSearchMissing.check(site: target, homepage: readHomepage, indicators: indicators))
        add(SiteHTTPSMissing.check(site: target, homepage: homepage, indicators: indicators))
        findings += SiteDarkLink.check(
            site: target, hiddenLinks: evidence.hiddenLinks, ownHosts: SiteCheckSupport.ownHosts(evidence),
            homepageURLs: homepageURLs, indicators: indicators)
        findings += SiteInspectionIncomplete.check(site: target, unreadable: evidence.unreadable, indicators: indicators)
        return findings
    }

    /// The parts of a site that were not read, as the checks need them.
    struct UnreadParts {
        /// The homepage was not read.
        var homepage = false
        /// The homepage was read, but the dates of its items could not be.
        var homepageDates = false
        /// The list-page URLs of columns that were not read (as `ColumnRecord.url`).
        var columns: Set<String> = []

        init(_ parts: [UnreadablePart]) {
            for part in parts {
                switch part.scope {
                case .homepage: homepage = true
                case .column: columns.insert(part.url)
                case .homepageDates: homepageDates = true
                case .links, .crawl: break
                }
            }
        }
    }
}
