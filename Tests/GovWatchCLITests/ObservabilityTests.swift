import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `/metrics` and `--log-format json` on real processes: a `serve` scraped before and after
/// requests, and a `worker --metrics-port 0 --log-format json` scraped before and after it
/// inspects a queued run of the sample city.
@Suite struct ObservabilityTests {
    @Test func serveMetricsCountRequestsByRoutePattern() async throws {
        let directory = try ImportCommandTests.scratch()
        #expect(try await ImportCommandTests.govwatch(["users", "add", "admin", "--role", "admin"], in: directory).status == 0)
        let issued = try await ImportCommandTests.govwatch(["users", "token", "admin", "--name", "metrics"], in: directory)
        let token = try #require(issued.stdout.firstMatch(of: /gw_[A-Za-z0-9_-]+/).map { String($0.output) }, "\(issued.stderr)")
        let serve = try RunningProcess.start(["serve", "--port", "0", "--inspection-lanes", "0"], in: directory)
        defer { serve.terminate() }
        let started = try #require(try await serve.waitForStdout { $0.hasPrefix("GovWatch 网页平台已启动：") }, serve.diagnostics)
        let base = String(started.dropFirst("GovWatch 网页平台已启动：".count))

        let before = try PrometheusText.parse(try await Self.get(base + "metrics"))
        for _ in 0..<3 { _ = try await Self.get(base + "healthz") }
        _ = try await Self.get(base + "static/govwatch.css")
        let healthz = PrometheusText.Labels(["route": "/healthz", "method": "GET", "status": "200"])
        // Hummingbird records a request once its response is written, just after the client
        // has it: scrape again until the last one is in (no clock involved).
        var after = try PrometheusText.parse(try await Self.get(base + "metrics"))
        for _ in 0..<200 where after.value("govwatch_http_requests_total", healthz) < before.value("govwatch_http_requests_total", healthz) + 3 {
            try await Task.sleep(for: .milliseconds(20))
            after = try PrometheusText.parse(try await Self.get(base + "metrics"))
        }
        #expect(after.value("govwatch_http_requests_total", healthz) == before.value("govwatch_http_requests_total", healthz) + 3)
        #expect(
            after.value("govwatch_http_request_duration_seconds_count", healthz)
                >= before.value("govwatch_http_request_duration_seconds_count", healthz) + 3)
        #expect(after.types["govwatch_http_requests_total"] == "counter")
        #expect(after.types["govwatch_http_request_duration_seconds"] == "histogram")
        #expect(after.help["govwatch_http_requests_total"]?.isEmpty == false)
        // The static file is counted under its route pattern, not its path: labels stay bounded.
        let routes = Set(after.samples.filter { $0.name == "govwatch_http_requests_total" }.compactMap { $0.labels["route"] })
        #expect(!routes.contains("/static/govwatch.css"), "\(routes)")
        #expect(routes.contains { $0.hasPrefix("/static/") }, "\(routes)")

        // The overview twice: computed once, then answered from the page cache.
        for _ in 0..<2 { _ = try await Self.get(base, authorization: "Bearer \(token)") }
        let cached = try PrometheusText.parse(try await Self.get(base + "metrics"))
        let overview = { (result: String) in PrometheusText.Labels(["page": "overview", "result": result]) }
        #expect(cached.value("govwatch_page_cache_requests_total", overview("miss")) == 1)
        #expect(cached.value("govwatch_page_cache_requests_total", overview("hit")) == 1)
        #expect(cached.help["govwatch_page_cache_requests_total"]?.isEmpty == false)
    }

    @Test func workerServesMetricsAndLogsJSONWithRunSiteAndTask() async throws {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let directory = try ImportCommandTests.scratch()
        try await InspectResumeTests.prepare(city, in: directory)
        let worker = try RunningProcess.start(
            ["worker", "--proxy", server.proxyURL, "--metrics-port", "0", "--poll-seconds", "0.2", "--log-format", "json"], in: directory)
        defer { worker.terminate() }
        let listening = try #require(try await worker.waitForStderr { $0.contains("指标地址：") }, worker.diagnostics)
        let address = try #require(listening.range(of: "http://127.0.0.1:").map { listening[$0.lowerBound...] })
        let metricsURL = String(address.prefix { $0 != "\"" })
        #expect(metricsURL.hasSuffix("/metrics"))

        let before = try PrometheusText.parse(try await Self.get(metricsURL))
        let queued = try await ImportCommandTests.govwatch(["inspect", "--as-of", "2022-03-31", "--queue"] + InspectResumeTests.targets, in: directory)
        #expect(queued.status == 0, "\(queued.stderr)")
        let runCode = try #require(queued.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let finished = try await worker.waitForStderr { $0.contains("检查批次 \(runCode) 完成") }
        #expect(finished != nil, worker.diagnostics)
        let after = try PrometheusText.parse(try await Self.get(metricsURL))
        await worker.stop()
        try await server.shutdown()

        // The counters moved: pages by status class, bytes, the latency histogram, findings
        // by indicator, the tasks this worker leased.
        let ok = PrometheusText.Labels(["status_class": "2xx"])
        #expect(after.value("govwatch_fetch_responses_total", ok) > before.value("govwatch_fetch_responses_total", ok))
        #expect(after.value("govwatch_fetch_bytes_total") > before.value("govwatch_fetch_bytes_total"))
        #expect(after.value("govwatch_fetch_duration_seconds_count") > before.value("govwatch_fetch_duration_seconds_count"))
        #expect(
            after.value("govwatch_fetch_duration_seconds_count")
                == after.samples.filter { $0.name == "govwatch_fetch_responses_total" }.map(\.value).reduce(0, +))
        #expect(after.sum("govwatch_findings_total") > before.sum("govwatch_findings_total"))
        #expect(after.samples.contains { $0.name == "govwatch_findings_total" && $0.labels["indicator"]?.contains(".") == true })
        let leased = PrometheusText.Labels(["event": "leased"])
        // Three sites, the accounts (one task per unit or one in all), and finishing the run.
        #expect(after.value("govwatch_queue_tasks_total", leased) - before.value("govwatch_queue_tasks_total", leased) >= 5)
        #expect(after.types["govwatch_fetch_duration_seconds"] == "histogram")
        #expect(after.types["govwatch_fetch_responses_total"] == "counter")

        // Every line on stderr is one JSON object; the inspection's lines carry run, site and task.
        var records: [[String: Any]] = []
        for line in worker.stderrLines where !line.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let record = try #require(object, "not a JSON object: \(line)")
            for key in ["timestamp", "level", "label", "message"] { #expect(record[key] is String, "\(key) missing: \(line)") }
            records.append(record)
        }
        #expect(worker.stdoutLines.allSatisfy { $0.isEmpty }, "with --log-format json nothing but logs: \(worker.stdoutLines)")
        let siteCodes: Set<String> = ["4390000002", "4390000006", "4390000008"]
        let siteDone = records.filter { ($0["message"] as? String) == "网站检查完成" }
        #expect(siteDone.count == 3, "\(records)")
        var sitesSeen: Set<String> = []
        for record in siteDone {
            let metadata = try #require(record["metadata"] as? [String: Any], "\(record)")
            #expect(metadata["run"] as? String == runCode)
            #expect(Int(metadata["task"] as? String ?? "") != nil, "\(record)")
            if let site = metadata["site"] as? String { sitesSeen.insert(site) }
        }
        #expect(sitesSeen == siteCodes)
        // The worker's own progress line for a site carries the same metadata.
        let progress = records.filter { ($0["message"] as? String)?.hasPrefix("4390000006  ") == true }
        #expect(progress.count == 1, "\(records)")
        let progressMetadata = progress.first?["metadata"] as? [String: Any]
        #expect(progressMetadata?["site"] as? String == "4390000006" && progressMetadata?["run"] as? String == runCode)
    }

    static func get(_ url: String, authorization: String? = nil) async throws -> String {
        var request = URLRequest(url: try #require(URL(string: url)))
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode
        try #require(status == 200, "GET \(url): \(status.map(String.init) ?? "no status")")
        return String(decoding: data, as: UTF8.self)
    }
}

/// The Prometheus text exposition format (0.0.4), read strictly: every line a `# HELP`, a
/// `# TYPE`, or a sample `name{label="value",…} number`, names and label names valid, each
/// family's TYPE before its samples.
struct PrometheusText {
    struct Labels: Hashable {
        var pairs: [String: String]
        init(_ pairs: [String: String] = [:]) { self.pairs = pairs }
        subscript(_ name: String) -> String? { pairs[name] }
    }

    struct Sample {
        var name: String
        var labels: Labels
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]
    var help: [String: String] = [:]

    struct Malformed: Error, CustomStringConvertible {
        var line: String
        var reason: String
        var description: String { "\(reason): \(line)" }
    }

    static var metricName: Regex<Substring> { #/^[a-zA-Z_:][a-zA-Z0-9_:]*$/# }
    static var labelName: Regex<Substring> { #/^[a-zA-Z_][a-zA-Z0-9_]*$/# }

    static func parse(_ text: String) throws -> PrometheusText {
        var result = PrometheusText()
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0].wholeMatch(of: metricName) != nil else { throw Malformed(line: line, reason: "bad comment") }
                if line.hasPrefix("# HELP ") {
                    result.help[parts[0]] = parts[1]
                } else {
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[1]) else {
                        throw Malformed(line: line, reason: "unknown type")
                    }
                    guard result.types[parts[0]] == nil else { throw Malformed(line: line, reason: "second TYPE") }
                    result.types[parts[0]] = parts[1]
                }
                continue
            }
            guard !line.hasPrefix("#") else { continue }
            result.samples.append(try sample(line))
        }
        for sample in result.samples {
            let family = result.types[sample.name] != nil ? sample.name : histogramFamily(sample.name)
            guard let family, result.types[family] != nil else {
                throw Malformed(line: sample.name, reason: "sample without TYPE")
            }
        }
        return result
    }

    static func histogramFamily(_ name: String) -> String? {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return nil
    }

    static func sample(_ line: String) throws -> Sample {
        var rest = Substring(line)
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        guard name.wholeMatch(of: metricName) != nil else { throw Malformed(line: line, reason: "bad metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = String(rest.prefix { $0 != "=" })
                guard labelName.wholeMatch(of: Self.labelName) != nil else { throw Malformed(line: line, reason: "bad label name") }
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { throw Malformed(line: line, reason: "label without value") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { throw Malformed(line: line, reason: "bad escape") }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "n": value.append("\n")
                        case "\\", "\"": value.append(escaped)
                        default: throw Malformed(line: line, reason: "bad escape")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw Malformed(line: line, reason: "unterminated label value") }
                rest = rest.dropFirst()
                guard labels[labelName] == nil else { throw Malformed(line: line, reason: "repeated label") }
                labels[labelName] = value
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Malformed(line: line, reason: "no value") }
        let fields = rest.split(separator: " ")
        guard (1...2).contains(fields.count), let value = Double(fields[0]) ?? ["+Inf": .infinity, "-Inf": -.infinity, "NaN": .nan][String(fields[0])]
        else { throw Malformed(line: line, reason: "bad value") }
        return Sample(name: name, labels: Labels(labels), value: value)
    }

    /// The sample of `name` whose labels include `labels` (summed over the rest); 0 when none.
    func value(_ name: String, _ labels: Labels = Labels()) -> Double {
        samples.filter { sample in sample.name == name && labels.pairs.allSatisfy { sample.labels[$0.key] == $0.value } }
            .map(\.value).reduce(0, +)
    }

    func sum(_ name: String) -> Double { value(name) }
}
