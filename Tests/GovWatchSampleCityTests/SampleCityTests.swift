import Foundation
import GovWatchCore
import GovWatchSampleCity
import Testing

@Suite("The sample city's data")
struct SampleCityDataTests {
    let city = SampleCity.standard

    @Test("planted problems cover every indicator id")
    func coversEveryIndicator() {
        let planted = Set(city.plantedProblems.map(\.indicator))
        for id in IndicatorID.all {
            #expect(planted.contains(id), "no planted problem for \(id)")
        }
        #expect(Set(city.plantedProblems.map(\.id)).count == city.plantedProblems.count)
    }

    @Test("planted targets name registered sites, accounts and units")
    func targetsAreRegistered() {
        let siteCodes = Set(city.sites.map(\.code))
        let accountIDs = Set(city.accounts.map(\.id))
        let units = Set(city.sites.map(\.unit) + city.accounts.map(\.unit) + city.people.map(\.unit))
        for problem in city.plantedProblems {
            switch problem.target.kind {
            case .site: #expect(siteCodes.contains(problem.target.code), "\(problem.id)")
            case .account: #expect(accountIDs.contains(problem.target.code), "\(problem.id)")
            case .unit: #expect(units.contains(problem.target.code), "\(problem.id)")
            }
        }
    }

    @Test("the city has clean sites and clean accounts of every style")
    func hasCleanTargets() {
        let clean = city.cleanSites
        #expect(clean.count >= 4)
        #expect(Set(clean.map(\.style)).count == 3)
        #expect(city.cleanAccounts.count >= 15)
        #expect(city.accounts.count >= 30)
        #expect(Set(city.accounts.compactMap(\.feed).map { URL(string: $0)!.pathExtension }) == ["xml", "atom", "json"])
    }

    @Test("fixable problems point at URLs whose fixed variant differs")
    func fixesExist() {
        let fixable = Set(city.fixableURLs)
        for problem in city.plantedProblems {
            for url in problem.fixedBy {
                #expect(fixable.contains(url), "\(problem.id) \(url)")
            }
        }
        #expect(city.plantedProblems.contains { $0.isFixable })
        #expect(city.plantedProblems.contains { !$0.isFixable && !$0.scenario && $0.url != nil })
    }

    @Test("the generator is deterministic")
    func deterministic() {
        let again = SampleCity()
        #expect(again.plantedProblems == city.plantedProblems)
        for file in RegistryFile.allCases {
            #expect(again.registryCSV(file) == city.registryCSV(file))
        }
        #expect(again.servedURLs == city.servedURLs)
        for url in city.servedURLs.prefix(200) {
            #expect(again.body(of: url) == city.body(of: url))
        }
    }

    @Test("planted ID numbers have valid check digits; look-alikes do not pass as personal data")
    func personalData() {
        let ids = city.plantedProblems.filter { $0.detail["kind"] == "id-card" }
        #expect(ids.count >= 5)
        // The clear values are in the served content; find each by its masked form.
        let pattern = try! NSRegularExpression(pattern: "[1-6][0-9]{16}[0-9X]")
        var found = 0
        for problem in ids {
            guard let url = problem.url, let masked = problem.detail["masked"] else { continue }
            // A post's text is in its account's feed.
            let source = city.body(of: url) ?? problem.detail["feed"].flatMap { city.body(of: $0) }
            let text = source.map { String(decoding: $0, as: UTF8.self) } ?? ""
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let value = String(text[Range(match.range, in: text)!])
                if PersonalData.mask(value, kind: .idCard) == masked {
                    #expect(PersonalData.isValidIDNumber(value))
                    found += 1
                }
            }
        }
        #expect(found >= 3)  // page, PDF and post; the .xlsx/.docx ones are zipped
        #expect(PersonalData.isValidIDNumber("11010519491231002X"))
        #expect(!PersonalData.isValidIDNumber("110105194912310021"))
        #expect(PersonalData.passesLuhn("4111111111111111"))
    }
}
