import Foundation

/// The footer identity a site shows (网站标识码, ICP, 公安备案, 主办单位, 党政机关标识);
/// nil items are left out of the footer.
struct Identity: Sendable {
    var code: String?
    var icp: String?
    var police: String?
    var sponsor: String?
    var badge: Bool
}

/// A downloadable attachment of an article. A nil body means the link is dead (404).
struct Attachment: Sendable {
    var title: String
    var fileName: String
    var contentType: String
    var data: Varying<Data?>
}

/// An article (信息) of a list column.
struct Article: Sendable {
    var id = 0
    var title: String
    /// nil: published without a date (未注明发布时间).
    var date: Date?
    var source: String
    /// The body's HTML.
    var body: Varying<String>
    var attachments: [Attachment] = []
}

/// A letter in a consultation column (领导信箱 / 咨询留言).
struct Letter: Sendable {
    struct Reply: Sendable {
        var date: Date
        var text: Varying<String>
        var replier: String
    }

    var id = 0
    var title: String
    var question: String
    /// Masked, as mailboxes publish it (王**).
    var asker: String
    var asked: Date
    var reply: Reply?
}

/// What a column page lists.
enum ColumnContent: Sendable {
    case articles([Article])
    /// A blank column: "暂无信息", or only a placeholder item when `placeholder` is set.
    case blank(placeholder: String?)
    case mailbox([Letter])
}

/// A column (栏目) of a site as the generator builds it.
struct ColumnSpec: Sendable {
    /// TRS/table: the folder (`xwdt`, `zwgk/tzgg`); Hanweb: the numeric column id.
    var key: String
    var name: String
    var category: SampleColumn.Category
    var topLevel = true
    var periodDays: Int?
    /// Whether the homepage shows a block of its newest items.
    var onHomepage = false
    /// Whether the registry (columns CSV) lists it.
    var registered = true
    /// False for a column that only exists in the fixed variant.
    var inOriginal = true
    var content: ColumnContent

    var articles: [Article] {
        if case .articles(let articles) = content { return articles }
        return []
    }

    var letters: [Letter] {
        if case .mailbox(let letters) = content { return letters }
        return []
    }
}
