import Foundation
import GovWatchCore

/// A website of the city as the registry (`import sites`) knows it.
public struct SampleSite: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case portal, department }
    /// How the site's CMS lays out its pages.
    public enum Style: String, Sendable, Hashable {
        /// TRS WCM: `/xwdt/index.html`, `./202203/t20220310_123.html`, `[2022-03-10]`.
        case trs
        /// Hanweb (大汉): `/col/col123/index.html`, `/art/2022/3/10/art_123_456.html`.
        case hanweb
        /// Table lists with `2022年03月10日` dates, `.shtml` pages.
        case table
    }

    /// 网站标识码.
    public var code: String
    public var name: String
    /// The host the site is served on, e.g. `jyj.hongxi.gov.cn`.
    public var host: String
    public var kind: Kind
    /// 主办单位.
    public var unit: String
    /// 上级单位.
    public var parent: String?
    public var icp: String
    public var police: String
    public var style: Style
    /// Whether the whole site is GBK-encoded on the wire.
    public var gbk: Bool

    /// The registered homepage URL (`http://HOST/`).
    public var url: String { "http://\(host)/" }
    /// The finding target for this site.
    public var target: Target { Target(kind: .site, code: code, name: name) }
}

/// A watched column (栏目) as the registry (`import columns`) knows it.
public struct SampleColumn: Sendable, Hashable {
    /// The spec's column categories.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case news, notice, policy, personnel, planning, consultation, other
    }

    /// The site's 网站标识码.
    public var siteCode: String
    public var name: String
    /// Absolute URL of the column's (first) list page.
    public var url: String
    public var category: Category
    public var periodDays: Int?
    public var topLevel: Bool
}

/// A new-media account as the registry (`import accounts`) knows it.
public struct SampleAccount: Sendable, Hashable {
    public enum Platform: String, Sendable, Hashable { case wechat, weibo, douyin, toutiao, kuaishou, app, other }
    public enum Status: String, Sendable, Hashable { case active, stopped, closed }

    public var platform: Platform
    /// Platform account id or the app's package name.
    public var id: String
    public var name: String
    public var unit: String
    public var main: Bool
    public var status: Status
    /// RSS/Atom/JSON Feed URL, when the account's posts come from a feed.
    public var feed: String?
    public var closureFiled: Date?
    public var downloadURL: String?
    /// Whether the account has an effective interaction function (留言/评论/私信), as an
    /// inspector recorded it; exported as the extra `interaction` column.
    public var interaction: Bool

    /// The finding target for this account.
    public var target: Target { Target(kind: .account, code: id, name: name) }
}

/// A new-media post, from a feed or from a platform export.
public struct SamplePost: Sendable, Hashable {
    public var platform: SampleAccount.Platform
    public var accountID: String
    public var published: Date
    public var title: String
    public var url: String
    /// HTML content (feeds carry HTML; the posts CSV carries it reduced to text).
    public var html: String
    /// A stable id for the feed's guid.
    public var guid: String
}

/// A responsible person (`import people`).
public struct SamplePerson: Sendable, Hashable {
    public var unit: String
    public var name: String
    public var role: String
    public var phone: String
    public var since: Date
    public var until: Date?
    public var handoverTo: String?
}
