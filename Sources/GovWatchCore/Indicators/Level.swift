/// How an indicator counts toward a target's result (`indicators.md`, "Levels").
public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
    /// 单项否决: any one makes the target 不合格.
    case veto
    /// 扣分: points deducted from 100.
    case deduction
    /// Recorded and shown, no points.
    case notice

    /// The word a civil servant reads in reports and on the dashboard.
    public var chineseName: String {
        switch self {
        case .veto: "单项否决"
        case .deduction: "扣分"
        case .notice: "提示"
        }
    }

    private var rank: Int {
        switch self {
        case .veto: 0
        case .deduction: 1
        case .notice: 2
        }
    }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
