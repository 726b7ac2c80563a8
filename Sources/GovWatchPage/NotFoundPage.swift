import Foundation

/// The not-found page of a site answered with 200 (a soft 404): many CMSs (TRS, Hanweb,
/// 大汉, 开普云) answer an unknown or deleted URL with a "页面不存在/已删除" template and
/// status 200, so only the page itself says the link is broken.
///
/// Two judgements, both on what a visitor reads: the page is the template the site
/// answered for a URL that cannot exist (`Fingerprint`, taken by the crawler per host), or
/// its wording is a not-found notice — its title is one, or its whole text is one short
/// notice. A page that merely talks about missing pages (a news item on "网页不存在错链问题
/// 整改") has a title that says more and text of its own, and is not one.
public enum NotFoundPage {
    /// The wording of not-found notices (checked on text without spaces).
    static let notices = [
        "页面不存在", "网页不存在", "页面未找到", "页面找不到", "找不到页面", "找不到您要的页面", "找不到该页面", "无法找到该页",
        "您访问的页面", "您要访问的页面", "您所访问的页面", "您请求的页面", "您所请求的页面", "访问的页面地址有误",
        "文件不存在", "文章不存在", "信息不存在", "内容不存在", "稿件不存在", "栏目不存在", "文章已删除", "信息已删除", "内容已删除",
        "已被删除", "已经被删除", "已被移除", "已经被移除", "已下线", "已撤稿", "已失效", "页面已过期",
        "pagenotfound", "notfound", "404",
    ]

    /// Words a not-found title may carry around the notice (apologies, "error", the status).
    static let titleFillers = [
        "抱歉", "对不起", "很抱歉", "非常抱歉", "错误", "提示", "信息提示", "温馨提示", "error", "页面", "访问", "出错",
        "不存在", "已删除", "未找到", "信息", "文章", "内容", "该",
    ]

    /// Non-space characters of text a not-found notice may have around it (a "返回首页" link,
    /// a few suggestions): more and the page has a content of its own.
    static let maximumNoticeText = 160

    /// Whether a page with this title and visible text is a not-found notice by its wording.
    public static func isNotice(title: String?, text: String) -> Bool {
        if let title, titleIsNotice(title) { return true }
        // Most pages say far more than a notice: counted with an early stop, before any copy.
        var length = 0
        for scalar in text.unicodeScalars where !scalar.properties.isWhitespace {
            length += 1
            if length > maximumNoticeText { return false }
        }
        guard mayHoldNotice(text) else { return false }
        // A 404 alone is too weak in text (a phone extension, a document number): words too.
        return contains(Array(compact(text).unicodeScalars), anyOf: noticeWords)
    }

    /// `notices` as scalars, for the native search (Foundation's `contains` was most of the cost).
    static let noticeScalars = notices.map { Array($0.unicodeScalars) }
    /// The same without the bare 404.
    static let noticeWords = notices.filter { $0 != "404" }.map { Array($0.unicodeScalars) }

    /// Whether `haystack` contains one of `needles` (short ones: a plain scan).
    static func contains(_ haystack: [Unicode.Scalar], anyOf needles: [[Unicode.Scalar]]) -> Bool {
        for needle in needles where !needle.isEmpty && needle.count <= haystack.count {
            var start = 0
            while start + needle.count <= haystack.count {
                if haystack[start] == needle[0] {
                    var matched = 1
                    while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return true }
                }
                start += 1
            }
        }
        return false
    }

    /// A character every notice has one of (存 of 不存在, 找 of 找不到, 删 of 删除 …): a text
    /// without any cannot hold one, and most titles are ruled out without a substring search.
    static let noticeMarks: Set<Unicode.Scalar> = ["存", "找", "删", "移", "线", "撤", "失", "期", "访", "请", "误", "4", "f", "F"]

    static func mayHoldNotice(_ text: String) -> Bool {
        text.unicodeScalars.contains { noticeMarks.contains($0) }
    }

    /// A title that is a not-found notice, alone or beside the site's name
    /// ("404 文件不存在", "页面不存在 - 某某市人民政府", "ERROR 404 您访问的页面不存在").
    public static func titleIsNotice(_ title: String) -> Bool {
        guard mayHoldNotice(title) else { return false }
        let parts = title.split { "-_|—–·:：".contains($0) }.map { compact(String($0)) }.filter { !$0.isEmpty }
        return parts.contains { part in
            guard contains(Array(part.unicodeScalars), anyOf: noticeScalars) else { return false }
            // What is left once the notice and its fillers are taken out must be next to nothing.
            var rest = part
            for word in (notices + titleFillers).sorted(by: { $0.count > $1.count }) {
                rest = rest.replacingOccurrences(of: word, with: "")
            }
            rest.removeAll { $0.isPunctuation || $0.isSymbol || $0.isNumber || "的了啦呀或者，。！!~".contains($0) }
            return rest.count <= 2
        }
    }

    /// Lower-cased text without white space.
    static func compact(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }

    /// What a host answers for a URL that cannot exist, reduced to what stays the same from
    /// one such URL to another: its title and the shape of its text (the letters a reader
    /// sees, without the digits and Latin text that echo the requested URL or the time).
    public struct Fingerprint: Sendable, Hashable {
        public var title: String
        public var shape: String

        public init(title: String?, text: String) {
            self.title = compact(title ?? "")
            self.shape = String(
                text.unicodeScalars.filter { !$0.isASCII && !$0.properties.isWhitespace && !$0.properties.isPunctuationLike }
                    .map(Character.init))
        }

        /// Whether a page is the same template: the same title and (nearly) the same text —
        /// a template may echo the requested path or a counter, nothing more.
        public func matches(_ other: Fingerprint) -> Bool {
            guard title == other.title else { return false }
            if shape == other.shape { return true }
            let a = Array(shape), b = Array(other.shape)
            let longest = max(a.count, b.count)
            guard longest > 0, Double(abs(a.count - b.count)) <= Double(longest) * 0.05 + 2 else { return false }
            var prefix = 0
            while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
            var suffix = 0
            while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
            return Double(prefix + suffix) >= Double(longest) * 0.9
        }
    }
}

extension Unicode.Scalar.Properties {
    /// Punctuation and symbols, full width included (they vary with markup, not with the page).
    fileprivate var isPunctuationLike: Bool {
        switch generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            true
        default: false
        }
    }
}
