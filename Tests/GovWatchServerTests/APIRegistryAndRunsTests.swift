import Foundation
import GovWatchCore
import GovWatchStore
import HTTPTypes
import Testing

/// The registry, runs, findings and scorecards through the JSON API: the CLI's shapes,
/// lists with `items`/`total`, and a unit user's scope (404 by id, nothing through filters).
@Suite struct APIRegistryAndRunsTests {
    @Test func registryIsScopedToTheUnitsSubtree() async throws {
        try await APITestCity.withServer { city, client in
            let me = try await client.json(.get, "/api/v1/me", headers: city.bearer("county"))
            #expect(me.status == .ok && me.object["role"] as? String == "unit" && me.object["unit"] as? String == "青川县人民政府")

            let units = try await client.json(.get, "/api/v1/units", headers: city.bearer("county"))
            #expect(units.status == .ok && units.object["total"] as? Int == 2)
            let sites = try await client.json(.get, "/api/v1/sites", headers: city.bearer("county"))
            let codes = (sites.object["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["4301210001", "4301210002"] && sites.object["total"] as? Int == 2)
            let all = try await client.json(.get, "/api/v1/sites?limit=2&offset=1", headers: city.bearer("viewer"))
            #expect(all.object["total"] as? Int == 4 && (all.object["items"] as? [Any])?.count == 2)

            // Another unit's site, account: 404 as a missing one; through the unit filter: nothing.
            #expect(try await client.json(.get, "/api/v1/sites/4301000002", headers: city.bearer("county")).status == .notFound)
            #expect(try await client.json(.get, "/api/v1/sites/0000000000", headers: city.bearer("county")).status == .notFound)
            #expect(try await client.json(.get, "/api/v1/accounts/hx_jyj", headers: city.bearer("county")).status == .notFound)
            let filtered = try await client.json(.get, "/api/v1/sites?unit=%E9%B8%BF%E6%BA%AA%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80", headers: city.bearer("county"))
            #expect(filtered.status == .ok && filtered.object["total"] as? Int == 0)

            let site = try await client.json(.get, "/api/v1/sites/4301210002", headers: city.bearer("county"))
            #expect(site.status == .ok)
            #expect((site.object["site"] as? [String: Any])?["unit"] as? String == "青川县卫生健康局")
            #expect(((site.object["columns"] as? [[String: Any]])?.first)?["category"] as? String == "notice")
            #expect(site.object["latestRun"] as? String == city.run.code)
            #expect((site.object["scorecard"] as? [String: Any])?["passed"] as? Bool == true)
            let account = try await client.json(.get, "/api/v1/accounts/qc_wjj", headers: city.bearer("county"))
            #expect(account.status == .ok && (account.object["account"] as? [String: Any])?["platform"] as? String == "wechat")

            #expect(try await client.json(.get, "/api/v1/sites?limit=501", headers: city.bearer("admin")).status == .badRequest)
            #expect(try await client.json(.get, "/api/v1/sites?limit=0", headers: city.bearer("admin")).status == .badRequest)
            #expect(try await client.json(.get, "/api/v1/sites?offset=-1", headers: city.bearer("admin")).status == .badRequest)
            #expect(try await client.json(.get, "/api/v1/sites").status == .unauthorized)
        }
    }

    @Test func findingsAndScorecardsKeepTheCommandLineShapes() async throws {
        try await APITestCity.withServer { city, client in
            let findings = try await client.json(.get, "/api/v1/runs/\(city.run.code)/findings?limit=500", headers: city.bearer("admin"))
            #expect(findings.status == .ok && findings.object["total"] as? Int == 6)
            // Field for field what `govwatch findings --format json` prints for the same finding.
            let (_, stored) = try await city.store.findings(of: city.run.code)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let expected = try JSONSerialization.jsonObject(with: encoder.encode(stored)) as! [[String: Any]]
            let items = try #require(findings.object["items"] as? [[String: Any]])
            for item in items {
                let twin = try #require(expected.first { $0["fingerprint"] as? String == item["fingerprint"] as? String })
                #expect(NSDictionary(dictionary: item).isEqual(to: twin))
            }

            // The county's: its two sites and its account, never the city's.
            let county = try await client.json(.get, "/api/v1/runs/latest/findings", headers: city.bearer("county"))
            let targets = Set((county.object["items"] as? [[String: Any]] ?? []).compactMap { ($0["target"] as? [String: Any])?["code"] as? String })
            #expect(county.object["total"] as? Int == 4 && targets == ["4301210001", "4301210002", "qc_wjj"])
            let leak = try await client.json(.get, "/api/v1/runs/latest/findings?target=4301000002", headers: city.bearer("county"))
            #expect(leak.status == .ok && leak.object["total"] as? Int == 0)
            let vetoes = try await client.json(.get, "/api/v1/runs/latest/findings?level=veto", headers: city.bearer("county"))
            #expect(vetoes.object["total"] as? Int == 1)
            #expect(try await client.json(.get, "/api/v1/runs/latest/findings?level=fatal", headers: city.bearer("county")).status == .badRequest)
            #expect(try await client.json(.get, "/api/v1/runs/r-19990101-0001/findings", headers: city.bearer("admin")).status == .notFound)

            let cards = try await client.json(.get, "/api/v1/runs/latest/scorecards?passed=false", headers: city.bearer("county"))
            let card = try #require((cards.object["items"] as? [[String: Any]])?.first)
            #expect(cards.object["total"] as? Int == 1)
            #expect(card["vetoes"] as? [String] == ["site.homepage.stale"] && card["total"] as? Double == 99 && card["bonus"] as? Double == 0)
            #expect(card["incomplete"] as? Bool == false && card["unconfirmedColumns"] as? Int == 0)

            let runs = try await client.json(.get, "/api/v1/runs", headers: city.bearer("county"))
            let run = try #require((runs.object["items"] as? [[String: Any]])?.first)
            #expect(run["code"] as? String == city.run.code && run["state"] as? String == "finished")
            #expect(run["asOf"] as? String == "2022-04-01T00:00:00+08:00")
            let counts = try #require(run["counts"] as? [String: Int])
            #expect(counts == ["targets": 2, "passed": 1, "failed": 1, "findings": 4])
            let admin = try await client.json(.get, "/api/v1/runs/\(city.run.code)", headers: city.bearer("admin"))
            #expect((admin.object["counts"] as? [String: Int])?["findings"] == 6)
        }
    }

    @Test func startingAnInspectionQueuesItForTheWorkers() async throws {
        try await APITestCity.withServer { city, client in
            let request = jsonBody(["asOf": "2022-04-30", "sites": ["4301210001"]])
            let headers: HTTPFields = [.contentType: "application/json"]
            let started = try await client.json(.post, "/api/v1/runs", headers: city.bearer("inspector") + headers, body: request)
            #expect(started.status == .accepted)
            #expect(started.object["state"] as? String == "running" && started.object["asOf"] as? String == "2022-05-01T00:00:00+08:00")
            let code = try #require(started.object["code"] as? String)
            #expect(try await city.store.openInspectionTaskCount() > 0)
            #expect(try await city.store.auditEntries(object: code).map(\.action) == ["inspection.start"])

            let unknown = try await client.json(
                .post, "/api/v1/runs", headers: city.bearer("inspector") + headers, body: jsonBody(["sites": ["9999999999"]]))
            #expect(unknown.status == .badRequest && (unknown.object["error"] as? [String: Any])?["code"] as? String == "bad_request")
            let badDate = try await client.json(
                .post, "/api/v1/runs", headers: city.bearer("inspector") + headers, body: jsonBody(["asOf": "明天"]))
            #expect(badDate.status == .badRequest)
            for user in ["county", "viewer"] {
                let refused = try await client.json(.post, "/api/v1/runs", headers: city.bearer(user) + headers, body: request)
                #expect(refused.status == .forbidden)
            }
            #expect(try await city.store.runs(limit: 10, offset: 0).total == 2)
        }
    }
}
