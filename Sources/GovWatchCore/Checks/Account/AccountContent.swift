/// `account.content.severe-error` (veto) and `account.content.privacy` (deduction): the
/// content scanners on every post (title and text) published up to the as-of time.
///
/// One finding per distinct problem per post (the post URL, or its time and title, is the
/// location). `detail` as the scanners give it: `wrong`/`correct`, or `kind`/`masked`, plus
/// `occurrences`, `line`, `column`, and `published`. Sensitive words have no account
/// indicator in indicators.md and are left out.
public enum AccountContent {
    public static func check(_ evidence: AccountEvidence, scanner: ContentScanner) -> [Finding] {
        evidence.postsUpToAsOf.reversed().flatMap { post -> [Finding] in
            let location = post.url ?? post.key
            return scanner.scan(post.scannedText, personalInformation: post.personalInformation).findings(target: evidence.target, url: location).map { finding in
                var finding = finding
                if case .object(var detail) = finding.detail {
                    detail["published"] = .string(ChinaTime.iso8601(post.published))
                    finding.detail = .object(detail)
                }
                return finding
            }
        }
    }
}
