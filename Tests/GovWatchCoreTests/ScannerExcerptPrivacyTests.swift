import Foundation
import GovWatchCore
import Testing

/// Excerpts of any finding never show personal information in clear, whatever the
/// finding is about.
@Suite struct ScannerExcerptPrivacyTests {
    @Test func excerptsOfOtherFindingsMaskPersonalInformationOnTheSameLine() throws {
        let scanner = try ContentScanner.standard()
        let text = "患者王秀英确诊为乳腺癌，身份证号510402199001011234，联系电话13812345678，中华人民共合国"
        let findings = scanner.scan(text).findings(target: Target(kind: .account, code: "a", name: "a"), url: "u")
        #expect(findings.contains { $0.indicator == .accountContentSevereError })
        for finding in findings {
            let evidence = finding.evidence ?? ""
            #expect(!evidence.contains("13812345678"), "\(finding.indicator): \(evidence)")
            #expect(!evidence.contains("王秀英确诊"), "\(finding.indicator): \(evidence)")
        }
    }
}
