import Foundation
import GovWatchCore
import GovWatchSampleCity
import Testing

@Test func zzDump() throws {
    let city = SampleCity.standard
    let dir = URL(fileURLWithPath: "/tmp/hongxi-dump")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for url in city.servedURLs {
        let name = url.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "/", with: "_")
        try city.body(of: url)!.write(to: dir.appendingPathComponent(name))
    }
    for file in RegistryFile.allCases { try city.registryCSV(file).write(to: dir.appendingPathComponent("registry-\(file).csv"), atomically: true, encoding: .utf8) }
    let json = try JSONEncoder().encode(city.plantedProblems)
    try json.write(to: dir.appendingPathComponent("planted.json"))
}
