import FluentKit
import Foundation
import GovWatchCore

public final class SettingRow: Model, @unchecked Sendable {
    public static let schema = "settings"
    @ID(custom: .id, generatedBy: .database) public var id: Int?
    @Field(key: "key") public var key: String
    @Field(key: "value") public var value: String
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}
}

/// Stored settings. The indicator set in force is one: provinces adjust thresholds, and an
/// administrator stores their file once instead of passing `--indicators` to every run.
extension Store {
    static let indicatorSetKey = "indicator_set"

    public func setting(_ key: String) async throws -> String? {
        try await SettingRow.query(on: database).filter(\.$key == key).first()?.value
    }

    public func setSetting(_ key: String, to value: String?, at now: Date = Date()) async throws {
        let existing = try await SettingRow.query(on: database).filter(\.$key == key).first()
        guard let value else {
            try await existing?.delete(on: database)
            return
        }
        let row = existing ?? SettingRow()
        row.key = key
        row.value = value
        row.updatedAt = now
        try await row.save(on: database)
    }

    /// The stored indicator set, or the shipped national one when none is stored.
    public func indicatorSet() async throws -> IndicatorSet {
        guard let json = try await setting(Self.indicatorSetKey) else { return .national2019 }
        return try IndicatorSet.decode(Data(json.utf8), file: "数据库设置 indicator_set")
    }

    /// Stores `set` as the indicator set in force (nil: back to the shipped one).
    public func storeIndicatorSet(_ set: IndicatorSet?) async throws {
        guard let set else { return try await setSetting(Self.indicatorSetKey, to: nil) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try await setSetting(Self.indicatorSetKey, to: String(decoding: try encoder.encode(set), as: UTF8.self))
    }
}
