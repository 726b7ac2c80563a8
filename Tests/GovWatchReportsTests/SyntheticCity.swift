import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// A small city (江城市) stored with hand-made runs, so every figure of its notice can be
/// worked out by hand (see the comments at each run).
///
/// - 2021Q4, one run (as of 2021-12-31): sites 2 of 5 pass, accounts 2 of 3 pass, 8 counted problems.
/// - 2022Q1, run A (as of 2022-02-28): everything; run B (as of 2022-03-31): site 4300000002
///   and account jcjy again, both now passing, so their results come from run B.
/// - A run as of 2022-04-01 (Q2) and an unfinished run in Q1, which the notice must ignore.
/// - Tickets from run A on 1 March (one reported fixed, one verified), re-inspected by run B.
enum SyntheticCity {
    static let sitesCSV = """
        code,name,url,kind,unit,parent
        4300000001,江城市人民政府,http://www.jc.gov.cn/,portal,江城市人民政府办公室,江城市人民政府
        4300000002,江城市教育局,http://jyj.jc.gov.cn/,department,江城市教育局,江城市人民政府
        4300000003,江城市财政局,http://czj.jc.gov.cn/,department,江城市财政局,江城市人民政府
        4300000004,东湖区人民政府,http://www.dh.gov.cn/,portal,东湖区人民政府办公室,东湖区人民政府
        4300000005,西山县卫生健康局,http://wjj.xs.gov.cn/,department,西山县卫生健康局,西山县人民政府
        4300000006,江城市统计局,http://tjj.jc.gov.cn/,department,江城市统计局,江城市人民政府

        """

    static let accountsCSV = """
        platform,id,name,unit,main,status,closure_filed,download_url
        wechat,jcfb,江城发布,江城市人民政府办公室,1,active,,
        weibo,1100000001,江城发布,江城市人民政府办公室,1,active,,
        wechat,jcjy,江城教育,江城市教育局,1,active,,
        wechat,jcjy2,江城教育服务,江城市教育局,0,active,,
        douyin,dy_jccz,江城财政,江城市财政局,1,active,,
        app,cn.gov.jc.app,江城通,江城市人民政府办公室,0,stopped,,http://app.jc.gov.cn/jct.apk

        """

    static func site(_ code: String, _ name: String) -> Target { Target(kind: .site, code: code, name: name) }
    static func account(_ id: String, _ name: String) -> Target { Target(kind: .account, code: id, name: name) }
    static let portal = site("4300000001", "江城市人民政府")
    static let education = site("4300000002", "江城市教育局")
    static let finance = site("4300000003", "江城市财政局")
    static let donghu = site("4300000004", "东湖区人民政府")
    static let xishan = site("4300000005", "西山县卫生健康局")
    static let statistics = site("4300000006", "江城市统计局")
    static let jcfb = account("jcfb", "江城发布")
    static let jcWeibo = account("1100000001", "江城发布")
    static let jcjy = account("jcjy", "江城教育")
    static let jcjy2 = account("jcjy2", "江城教育服务")
    static let dyFinance = account("dy_jccz", "江城财政")
    static let app = account("cn.gov.jc.app", "江城通")
    static let educationUnit = Target(kind: .unit, code: "江城市教育局", name: "江城市教育局")

    static func finding(
        _ target: Target, _ indicator: IndicatorID, _ level: Level, key: String, url: String? = nil,
        detail: JSONValue = [:], evidence: String? = nil
    ) -> Finding {
        Finding(target: target, indicator: indicator, level: level, url: url, detail: detail, evidence: evidence, locationKey: key)
    }

    static func card(_ target: Target, _ score: Double, vetoes: [IndicatorID] = []) -> Scorecard {
        Scorecard(target: target, score: score, vetoes: vetoes, passed: vetoes.isEmpty && score >= 60)
    }

    static func day(_ text: String) -> Date { ChinaTime.parseMoment(text, bareDayMeansEnd: true)! }

    // MARK: 2021Q4

    /// 2021Q4: five sites (006 not yet inspected): 001 and 003 pass; 002 (homepage stale), 004
    /// (severe error) and 005 (blank-column veto) fail: 2 of 5 = 40%. Accounts: jcfb and the
    /// weibo account pass, jcjy is stale: 2 of 3 = 67%. Counted problems: 1 + 1 + 5 blank
    /// columns + 1 stale account = 8 (the blank veto itself is not counted).
    static let q4Cards = [
        card(portal, 100), card(education, 100, vetoes: [.siteHomepageStale]), card(finance, 100),
        card(donghu, 100, vetoes: [.siteContentSevereError]), card(xishan, 75, vetoes: [.siteColumnsBlankVeto]),
        card(jcfb, 100), card(jcWeibo, 100), card(jcjy, 100, vetoes: [.accountStale]),
    ]
    static var q4Findings: [Finding] {
        [
            finding(education, .siteHomepageStale, .veto, key: "home"),
            finding(donghu, .siteContentSevereError, .veto, key: "p1", detail: ["wrong": "中国共产共党", "correct": "中国共产党", "count": 1, "pageCount": 1]),
            finding(xishan, .siteColumnsBlankVeto, .veto, key: "veto"),
        ] + (1...5).map { finding(xishan, .siteColumnBlank, .deduction, key: "blank\($0)", detail: ["column": .string("栏目\($0)")]) }
            + [finding(jcjy, .accountStale, .veto, key: "stale", detail: ["platform": "wechat", "lastPost": "2021-12-01T08:00:00+08:00"])]
    }

    // MARK: 2022Q1 run A (as of 2022-02-28)

    /// Run A. Sites: 001 passes (only an HTTPS notice); 002 fails with a severe error on two
    /// pages (superseded by run B); 003 passes with 2 broken links (one on the homepage) and a
    /// stale 通知公告; 004 fails: 中国共产共党 on two pages (repeated) and two leaks in 公告公示
    /// (a mobile on a page, an ID number in an attachment); 005 fails on five blank columns;
    /// 006 is clean. Accounts: the three office accounts and jcjy2 pass, jcjy fails (run B
    /// replaces it), the douyin account fails (no interaction), the stopped app is still
    /// downloadable; 教育局 runs two wechat accounts.
    static let runACards = [
        card(portal, 100), card(education, 90, vetoes: [.siteContentSevereError]), card(finance, 93),
        card(donghu, 90, vetoes: [.siteContentSevereError]), card(xishan, 75, vetoes: [.siteColumnsBlankVeto]),
        card(statistics, 100),
        card(jcfb, 100), card(jcWeibo, 100), card(jcjy, 100, vetoes: [.accountStale]), card(jcjy2, 100),
        card(dyFinance, 100, vetoes: [.accountInteractionMissing]), card(app, 95),
    ]
    static var runAFindings: [Finding] {
        [
            finding(portal, .siteHTTPSMissing, .notice, key: "https"),
            finding(statistics, .siteHTTPSMissing, .notice, key: "https"),
            finding(education, .siteContentSevereError, .veto, key: "e1", url: "http://jyj.jc.gov.cn/a.html",
                    detail: ["wrong": "中华人民共合国", "correct": "中华人民共和国", "count": 2, "pageCount": 2, "occurrences": 1]),
            finding(education, .siteContentSevereError, .veto, key: "e2", url: "http://jyj.jc.gov.cn/b.html",
                    detail: ["wrong": "中华人民共合国", "correct": "中华人民共和国", "count": 2, "pageCount": 2, "occurrences": 1]),
            finding(finance, .siteLinksBroken, .deduction, key: "l1", url: "http://czj.jc.gov.cn/", detail: ["link": "http://czj.jc.gov.cn/x.html", "onHomepage": true]),
            finding(finance, .siteLinksBroken, .deduction, key: "l2", url: "http://czj.jc.gov.cn/a.html", detail: ["link": "http://czj.jc.gov.cn/y.pdf", "onHomepage": false]),
            finding(finance, .siteColumnStale, .deduction, key: "c1", detail: ["column": "通知公告", "category": "notice"]),
            finding(donghu, .siteContentSevereError, .veto, key: "d1", url: "http://www.dh.gov.cn/1.html",
                    detail: ["wrong": "中国共产共党", "correct": "中国共产党", "count": 2, "pageCount": 2, "occurrences": 1]),
            finding(donghu, .siteContentSevereError, .veto, key: "d2", url: "http://www.dh.gov.cn/2.html",
                    detail: ["wrong": "中国共产共党", "correct": "中国共产党", "count": 2, "pageCount": 2, "occurrences": 1]),
            finding(donghu, .siteContentPrivacy, .deduction, key: "p1",
                    detail: ["kind": "mobile", "masked": "138****0001", "columnCategory": "notice", "attachment": false]),
            finding(donghu, .siteContentPrivacy, .deduction, key: "p2",
                    detail: ["kind": "id-card", "masked": "430102********0011", "columnCategory": "notice", "attachment": true]),
            finding(xishan, .siteColumnsBlankVeto, .veto, key: "veto"),
            finding(jcjy, .accountStale, .veto, key: "stale", detail: ["platform": "wechat", "lastPost": "2022-02-01T08:00:00+08:00"]),
            finding(dyFinance, .accountInteractionMissing, .veto, key: "im", detail: ["platform": "douyin"]),
            finding(app, .accountClosureUnfiled, .deduction, key: "cl",
                    detail: ["status": "stopped", "closureFiled": nil, "downloadable": true]),
            finding(educationUnit, .accountDuplicate, .deduction, key: "wechat",
                    detail: ["platform": "wechat", "accounts": ["jcjy", "jcjy2"], "main": "jcjy"]),
        ] + (1...5).map { finding(xishan, .siteColumnBlank, .deduction, key: "blank\($0)", detail: ["column": .string("栏目\($0)")]) }
    }

    // MARK: 2022Q1 run B (as of 2022-03-31)

    /// Run B re-inspects 002 and jcjy: 002 now passes with a stale 工作动态 column and an ID
    /// number in a 领导信箱 reply; jcjy passes; 教育局 still runs two wechat accounts.
    static let runBCards = [card(education, 97), card(jcjy, 100)]
    static var runBFindings: [Finding] {
        [
            finding(education, .siteColumnStale, .deduction, key: "c2", detail: ["column": "工作动态", "category": "news"]),
            finding(education, .siteContentPrivacy, .deduction, key: "p3",
                    detail: ["kind": "id-card", "masked": "430102********0022", "columnCategory": "consultation", "attachment": false]),
            finding(educationUnit, .accountDuplicate, .deduction, key: "wechat",
                    detail: ["platform": "wechat", "accounts": ["jcjy", "jcjy2"], "main": "jcjy"]),
        ]
    }

    /// The store with the registry, the runs and the tickets.
    static let stored = Task<Store, any Error> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-notice-\(UUID().uuidString)")
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("city.sqlite").path))
        do {
            try await fill(store)
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    static func fill(_ store: Store) async throws {
        _ = try await RegistryImporter.importFile(.sites, data: Data(sitesCSV.utf8), file: "sites.csv", into: store)
        _ = try await RegistryImporter.importFile(.accounts, data: Data(accountsCSV.utf8), file: "accounts.csv", into: store)

        func run(_ asOf: Date, _ cards: [Scorecard], _ findings: [Finding], finish: Bool = true) async throws -> String {
            let run = try await store.startRun(asOf: asOf, indicatorSet: "national-2019@1", startedAt: asOf)
            try await store.record(findings, in: run.code)
            try await store.record(cards, in: run.code)
            if finish { try await store.finishRun(run.code, at: asOf.addingTimeInterval(3_600)) }
            return run.code
        }
        let policy = RectificationPolicy()
        _ = try await run(day("2021-12-31"), q4Cards, q4Findings)
        let runA = try await run(day("2022-02-28"), runACards, runAFindings)
        _ = try await store.applyInspection(
            findings: runAFindings, run: runA, asOf: day("2022-02-28"), scope: .everything, policy: policy,
            now: ChinaTime.parseMoment("2022-03-01T10:00:00+08:00")!)
        // 财政局 reports its homepage link and its stale 通知公告 fixed; the office verifies the column.
        let tickets = try await store.tickets()
        let link = try #require(tickets.first { $0.target == finance && $0.indicator == .siteLinksBroken && $0.url == "http://czj.jc.gov.cn/" })
        _ = try await store.feedback(link.code, text: "已修复", actor: "江城市财政局", at: ChinaTime.parseMoment("2022-03-10T09:00:00+08:00")!)
        let column = try #require(tickets.first { $0.target == finance && $0.indicator == .siteColumnStale })
        _ = try await store.feedback(column.code, text: "已更新", actor: "江城市财政局", at: ChinaTime.parseMoment("2022-03-12T09:00:00+08:00")!)
        _ = try await store.verify(column.code, reason: "已核实更新", actor: "市政府办公室", at: ChinaTime.parseMoment("2022-03-15T09:00:00+08:00")!)
        // An unfinished run in Q1 (ignored), run B, then a Q2 run (ignored).
        _ = try await run(day("2022-03-20"), [card(xishan, 100)], [], finish: false)
        let runB = try await run(day("2022-03-31"), runBCards, runBFindings)
        _ = try await store.applyInspection(
            findings: runBFindings, run: runB, asOf: day("2022-03-31"),
            scope: ReinspectionScope(targets: [.init(education), .init(jcjy)]), policy: policy,
            now: ChinaTime.parseMoment("2022-03-31T20:00:00+08:00")!)
        _ = try await run(day("2022-04-01"), [card(xishan, 100)], [])
    }
}

