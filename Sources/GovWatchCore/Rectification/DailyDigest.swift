import Foundation

/// The daily digest of one unit (整改日报): what it has to rectify and what changed in the
/// last day, so an operator learns of a problem without logging in.
public enum DailyDigest {
    /// The digest text of `unit` at `moment`, from its tickets and the log entries of the day
    /// before (`since`…`moment`). Returns nil when the unit has nothing open and nothing changed.
    public static func render(unit: String, tickets: [Ticket], events: [TicketEvent], since: Date, at moment: Date) -> String? {
        let own = tickets.filter { $0.unit == unit }
        let byID = Dictionary(own.compactMap { ticket in ticket.id.map { ($0, ticket) } }, uniquingKeysWith: { a, _ in a })
        let recent = events.filter { event in event.at >= since && event.at < moment && event.ticketID.map { byID[$0] != nil } == true }
        let open = own.filter { $0.state == .open }.sorted { ($0.deadline?.description ?? "", $0.id ?? 0) < ($1.deadline?.description ?? "", $1.id ?? 0) }
        let feedback = own.filter { $0.state == .feedback }
        guard !open.isEmpty || !feedback.isEmpty || !recent.isEmpty else { return nil }
        let overdue = open.filter { $0.isOverdue(at: moment) }
        var lines: [String] = []
        lines.append("\(unit) 整改日报（截至 \(ChinaTime.display(moment))）")
        lines.append("待整改 \(open.count) 件（其中逾期 \(overdue.count) 件），已反馈待核验 \(feedback.count) 件"
            + (open.isEmpty && feedback.isEmpty ? "，已清零" : ""))
        if !recent.isEmpty {
            lines.append("")
            lines.append("近期变化：")
            for event in recent.sorted(by: { ($0.at, $0.id ?? 0) < ($1.at, $1.id ?? 0) }) {
                guard let ticket = event.ticketID.flatMap({ byID[$0] }) else { continue }
                lines.append("  \(ChinaTime.display(event.at))  \(ticket.code)  \(event.action.chineseName)  \(ticket.target.name) \(ticket.indicator)"
                    + (event.reason.map { "：\($0)" } ?? ""))
            }
        }
        if !open.isEmpty {
            lines.append("")
            lines.append("待整改问题：")
            for ticket in open {
                let flag = ticket.isOverdue(at: moment) ? "【已逾期】" : ""
                lines.append("  \(ticket.code)  \(flag)期限 \(ticket.deadline?.description ?? "-")  \(ticket.level.chineseName)  \(ticket.target.name)  \(ticket.indicator)"
                    + (ticket.url.map { "  \($0)" } ?? "") + (ticket.evidence.map { "  \($0)" } ?? ""))
            }
        }
        lines.append("")
        lines.append("整改完成后请在平台反馈（govwatch tickets feedback 编号 --text 整改情况 --attach 盖章文件）。")
        return lines.joined(separator: "\n") + "\n"
    }
}
