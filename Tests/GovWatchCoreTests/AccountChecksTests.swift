import Foundation
import GovWatchCore
import Testing

@Suite struct AccountChecksTests {
    let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    let set = IndicatorSet.national2019

    func account(_ id: String, unit: String = "鸿溪市教育局", platform: Platform = .wechat, main: Bool = false,
                 status: AccountStatus = .active, closureFiled: CalendarDate? = nil, interaction: Bool? = nil) -> AccountRecord {
        AccountRecord(platform: platform, id: id, name: "账号\(id)", unit: unit, main: main, status: status,
                      closureFiled: closureFiled, downloadURL: platform == .app ? "http://app.hongxi.gov.cn/\(id).apk" : nil,
                      interaction: interaction)
    }

    func post(_ id: String, daysBefore: Double, title: String = "工作动态", text: String = "") -> PostRecord {
        PostRecord(platform: .wechat, account: id, published: asOf.addingTimeInterval(-daysBefore * 86_400), title: title,
                   url: "https://mp.weixin.qq.com/s/\(id)-\(Int(daysBefore))", text: text)
    }

    @Test func staleAndZombieAtTheirThresholds() throws {
        let fresh = AccountEvidence(account: account("a"), asOf: asOf, posts: [post("a", daysBefore: 13.9)])
        #expect(AccountStale.check(fresh, indicators: set) == nil)
        let stale = AccountEvidence(account: account("a"), asOf: asOf, posts: [post("a", daysBefore: 14.1), post("a", daysBefore: 30)])
        let finding = try #require(AccountStale.check(stale, indicators: set))
        #expect(finding.level == .veto)
        #expect(finding.evidence?.contains("最近一次发布于2022-03-17") == true)
        #expect(AccountZombie.check(stale, indicators: set) == nil)
        let zombie = AccountEvidence(account: account("a"), asOf: asOf, posts: [post("a", daysBefore: 91)])
        #expect(AccountZombie.check(zombie, indicators: set)?.level == .deduction)
        // A post after the as-of time does not count; nor does a stopped account go stale.
        let future = AccountEvidence(account: account("a"), asOf: asOf, posts: [post("a", daysBefore: -3)])
        #expect(AccountStale.check(future, indicators: set)?.detail["lastPost"] == .null)
        let stopped = AccountEvidence(account: account("a", status: .stopped, closureFiled: CalendarDate(year: 2022, month: 1, day: 1)), asOf: asOf, posts: [])
        #expect(AccountStale.check(stopped, indicators: set) == nil)
        // The fingerprint does not move as the last post ages.
        #expect(AccountStale.check(zombie, indicators: set)?.fingerprint == finding.fingerprint)
    }

    @Test func duplicatesPerUnitAndPlatform() {
        let accounts = [
            account("main", main: true), account("second"), account("third", status: .closed),
            account("weibo1", platform: .weibo), account("other", unit: "鸿溪市卫健委"), account("other2", unit: "鸿溪市卫健委", platform: .douyin),
        ]
        let findings = AccountDuplicate.check(accounts: accounts, indicators: set)
        #expect(findings.count == 1)
        #expect(findings.first?.target == Target(kind: .unit, code: "鸿溪市教育局", name: "鸿溪市教育局"))
        #expect(findings.first?.detail["accounts"] == ["main", "second"])
        #expect(findings.first?.detail["main"] == "main")
    }

    @Test func closureUnfiledAndDownloadableApp() {
        let unfiled = AccountEvidence(account: account("x", status: .stopped), asOf: asOf, posts: [])
        #expect(AccountClosureUnfiled.check(unfiled, indicators: set)?.detail["downloadable"] == false)
        let filed = AccountEvidence(account: account("x", status: .closed, closureFiled: CalendarDate(year: 2021, month: 12, day: 1)), asOf: asOf, posts: [])
        #expect(AccountClosureUnfiled.check(filed, indicators: set) == nil)
        let app = AccountEvidence(
            account: account("cn.gov.hx", platform: .app, status: .stopped, closureFiled: CalendarDate(year: 2021, month: 12, day: 1)),
            asOf: asOf, posts: [], downloadStillAnswers: true)
        let finding = AccountClosureUnfiled.check(app, indicators: set)
        #expect(finding?.detail["downloadable"] == true)
        #expect(finding?.evidence?.contains("仍可通过") == true)
        #expect(AccountClosureUnfiled.check(AccountEvidence(account: app.account, asOf: asOf, posts: [], downloadStillAnswers: false), indicators: set) == nil)
    }

    @Test func interactionOnlyWhenRecordedMissing() {
        #expect(AccountInteractionMissing.check(AccountEvidence(account: account("a", interaction: false), asOf: asOf, posts: []), indicators: set)?.level == .veto)
        #expect(AccountInteractionMissing.check(AccountEvidence(account: account("a", interaction: nil), asOf: asOf, posts: []), indicators: set) == nil)
        #expect(AccountInteractionMissing.check(AccountEvidence(account: account("a", interaction: true), asOf: asOf, posts: []), indicators: set) == nil)
    }

    @Test func postsAreScannedAndEvidenceIsMasked() throws {
        let scanner = try ContentScanner.standard()
        let evidence = AccountEvidence(
            account: account("a"), asOf: asOf,
            posts: [
                post("a", daysBefore: 1, title: "中华人民共合国成立纪念", text: "联系人手机13812345678。"),
                post("a", daysBefore: 2, title: "统一社会信用代码91430100MA4L0A1B2C，服务热线12345"),
            ])
        let findings = AccountChecks.run([evidence], registry: [evidence.account], indicators: set, scanner: scanner)
        let ids = findings.map(\.indicator)
        #expect(ids.contains(.accountContentSevereError))
        #expect(ids.contains(.accountContentPrivacy))
        #expect(!ids.contains(.accountStale))
        let privacy = try #require(findings.first { $0.indicator == .accountContentPrivacy })
        #expect(privacy.detail["masked"] == "138****5678")
        #expect(!(privacy.evidence ?? "").contains("13812345678"))
        #expect(findings.filter { $0.url == "https://mp.weixin.qq.com/s/a-2" }.isEmpty)
    }
}
