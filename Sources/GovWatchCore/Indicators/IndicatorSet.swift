import Foundation

/// The rules in force: level, points and thresholds of every indicator, and the pass mark.
///
/// Provinces adjust thresholds every year or two, so they live in a data file
/// (`Data/indicators/national-2019.json` by default) that an administrator can replace
/// without a rebuild; every run records `reference` (`national-2019@1`).
public struct IndicatorSet: Sendable, Codable, Equatable {
    public struct Rule: Sendable, Codable, Equatable {
        public var level: Level
        /// Points deducted per finding (deduction level only).
        public var points: Double?
        /// The most one indicator can deduct from a target.
        public var maxPoints: Double?
        /// Points per finding on the homepage, where an indicator distinguishes it.
        public var homepagePoints: Double?
        /// Indicator-specific thresholds, documented beside each indicator's check.
        public var thresholds: [String: Double]?
    }

    public var id: String
    public var version: Int
    public var title: String
    /// 合格 needs no veto and a score of at least this.
    public var passMark: Double
    /// A portal above this score may enter bonus scoring (加分), entered by hand.
    public var bonusEntryScore: Double
    public var maxBonus: Double
    public var indicators: [String: Rule]

    /// `national-2019@1`: what a run records.
    public var reference: String { "\(id)@\(version)" }

    public struct InvalidFile: Error, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "\(file): 指标文件无效：\(reason)" }
    }

    /// The rule of `indicator`; every set must define every known indicator.
    public func rule(_ indicator: IndicatorID) -> Rule {
        indicators[indicator.rawValue] ?? Rule(level: .notice)
    }

    public func level(_ indicator: IndicatorID) -> Level { rule(indicator).level }

    /// A threshold of `indicator`, or `fallback` when the set does not give one.
    public func threshold(_ indicator: IndicatorID, _ name: String, default fallback: Double) -> Double {
        rule(indicator).thresholds?[name] ?? fallback
    }

    /// `site.unreachable`'s `timeoutSeconds` (15): an availability probe whose homepage has
    /// not loaded completely within it fails (国办秘函〔2019〕19号: 超过（含）15秒仍打不开).
    public var probeTimeoutSeconds: Double {
        let seconds = threshold(.siteUnreachable, "timeoutSeconds", default: 15)
        return seconds > 0 ? seconds : 15
    }

    /// The set shipped with GovWatch.
    public static let national2019: IndicatorSet = {
        let url = Bundle.module.url(forResource: "national-2019", withExtension: "json", subdirectory: "Data/indicators")!
        return try! load(contentsOf: url)
    }()

    /// Loads and validates an administrator's file.
    public static func load(contentsOf url: URL) throws -> IndicatorSet {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InvalidFile(file: url.path, reason: "无法读取（\(error.localizedDescription)）")
        }
        return try decode(data, file: url.path)
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Decodes and validates a set; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws -> IndicatorSet {
        let set: IndicatorSet
        do {
            set = try JSONDecoder().decode(IndicatorSet.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw InvalidFile(file: file, reason: "缺少字段 \(path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw InvalidFile(file: file, reason: "字段 \(path(context.codingPath)) 的类型或取值不正确")
        } catch let DecodingError.dataCorrupted(context) {
            throw InvalidFile(
                file: file,
                reason: context.codingPath.isEmpty ? "不是有效的 JSON" : "字段 \(path(context.codingPath)) 的取值不正确")
        } catch {
            throw InvalidFile(file: file, reason: "JSON 格式错误")
        }
        for indicator in IndicatorID.all where set.indicators[indicator.rawValue] == nil {
            throw InvalidFile(file: file, reason: "缺少指标 \(indicator)")
        }
        for (id, rule) in set.indicators.sorted(by: { $0.key < $1.key }) where rule.level == .deduction && (rule.points ?? 0) <= 0 {
            throw InvalidFile(file: file, reason: "扣分指标 \(id) 缺少正数 points")
        }
        return set
    }
}
