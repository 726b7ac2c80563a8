import Foundation
import GovWatchCore
import GovWatchStore

/// What `govwatch inspect --queue` stores for the workers: the request as `inspect` would
/// run it, with the indicator set and the extra dictionaries written out, since a worker on
/// another machine has neither the `--indicators` nor the `--dictionary` files.
public struct QueuedInspection: Codable, Sendable, Equatable {
    public struct DictionaryText: Codable, Sendable, Equatable {
        /// The file's name, for error messages.
        public var file: String
        public var text: String

        public init(file: String, text: String) {
            self.file = file
            self.text = text
        }
    }

    public var siteCodes: [String]
    public var accountIDs: [String]
    public var asOf: Date
    public var indicators: IndicatorSet
    public var dictionaries: [DictionaryText]

    public init(siteCodes: [String], accountIDs: [String], asOf: Date, indicators: IndicatorSet, dictionaries: [DictionaryText]) {
        self.siteCodes = siteCodes
        self.accountIDs = accountIDs
        self.asOf = asOf
        self.indicators = indicators
        self.dictionaries = dictionaries
    }

    /// The extra dictionary stored on the 设置 page, as a queued request carries it (none:
    /// empty). Every inspection started without `--dictionary` files takes it.
    public static func storedDictionaries(in store: Store) async throws -> [DictionaryText] {
        guard let text = try await store.dictionaryText() else { return [] }
        return [DictionaryText(file: Store.storedDictionaryName, text: text)]
    }

    public func json() throws -> String {
        // Dates as seconds (the default), not ISO 8601: the as-of time must come back exact.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> QueuedInspection {
        try JSONDecoder().decode(QueuedInspection.self, from: Data(json.utf8))
    }

    /// Starts (or continues) the run and queues, with this request, a task per site not yet
    /// done, one per unit for the accounts not yet done and one to finish the run (`inspect --queue`, and the
    /// scheduler's monthly inspection with `--queue-inspections`). Returns what was queued.
    public func enqueue(in store: Store, now: Date) async throws -> InspectionRunner.Plan {
        let plan = try await InspectionRunner.plan(try request(), store: store, now: now)
        let targets = plan.sites.map { InspectionTask.site($0.code) } + Self.accountTasks(plan.accounts)
        try await store.queueInspection(runCode: plan.run.code, request: try json(), targets: targets, at: now)
        InspectionMetrics.queueTasks("queued", count: targets.count)
        return plan
    }

    /// One task per unit with accounts to inspect, in the units' order of first appearance.
    public static func accountTasks(_ accounts: [AccountRecord]) -> [String] {
        var seen = Set<String>()
        return accounts.map(\.unit).filter { seen.insert($0).inserted }.map(InspectionTask.accounts(unit:))
    }

    /// The request to run: the scanner is built from the shipped dictionary, the stored
    /// extra ones and the content levels of the indicator set, as `inspect` builds it.
    public func request() throws -> InspectionRequest {
        let extra = try dictionaries.map { try ContentDictionary.parse($0.text, file: $0.file) }
        let scanner = try ContentScanner.standard(additional: extra, levels: ContentLevels(indicators: indicators))
        return InspectionRequest(siteCodes: siteCodes, accountIDs: accountIDs, asOf: asOf, indicators: indicators, scanner: scanner)
    }
}
