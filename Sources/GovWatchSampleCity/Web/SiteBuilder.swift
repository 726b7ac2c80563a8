import Foundation

/// Builds one website of the city: its columns, articles, letters and extra pages, with
/// the URL scheme and markup of its CMS (`SampleSite.Style`), in both variants.
///
/// Family files (`Sites/*.swift`) fill a builder and plant problems at the URLs it hands
/// back, so the planted list and the pages cannot drift apart.
final class SiteBuilder {
    let site: SampleSite
    let clock: CityClock
    /// The unit's short name for titles (市教育局).
    let unitShort: String
    /// The locality for titles (鸿溪市, 青山县).
    let locality: String
    let topics: [String]
    var random: DeterministicRandom

    var identity: Varying<Identity>
    var hasSearch = Varying(true)
    /// Extra HTML at the end of the homepage's main area (hidden links, a dead banner…).
    var homepageExtra = Varying("")
    /// Link blocks on the homepage (the portal's 部门网站, a county's 乡镇): (heading, [(title, url)]).
    var homepageLinkBlocks: [(String, [(String, String)])] = []
    /// Extra navigation entries: (title, href).
    var navExtras: [(String, String)] = []
    var friendLinks: [(String, String)] = [
        ("中国政府网", "http://www.gov.cn/"), ("湖南省人民政府", "http://www.hunan.gov.cn/"),
        ("鸿溪市人民政府", "http://www.hongxi.gov.cn/"),
    ]
    /// Homepage item dates as `03-10` instead of `2022-03-10` (some portals do).
    var homepageShortDates = false
    /// Hanweb column lists inside a `<script type="text/xml">` datastore, as Hanweb's jpage renders them.
    var hanwebDatastore = false
    /// Extra HTML pages inside the layout: path → (title, body); a nil body means the page is absent.
    private(set) var extraPages: [(path: String, title: String, body: Varying<String?>)] = []
    /// Raw resources outside the layout (documents, feeds): path → resource per variant.
    private(set) var rawResources: [(path: String, resource: Varying<Resource?>)] = []
    /// Registered columns whose list page is a raw resource (`addRawColumn`): the columns CSV
    /// lists them; the builder renders no list page, item or navigation entry for them.
    private(set) var rawColumns: [(path: String, name: String, category: SampleColumn.Category, periodDays: Int?, topLevel: Bool)] = []

    private(set) var columns: [ColumnSpec] = []
    private var nextID: Int

    init(site: SampleSite, clock: CityClock, unitShort: String, locality: String, topicKey: String, idBase: Int) {
        self.site = site
        self.clock = clock
        self.unitShort = unitShort
        self.locality = locality
        self.topics = ContentPools.topics[topicKey] ?? ContentPools.topics["portal"]!
        self.random = DeterministicRandom(name: site.host)
        self.nextID = idBase
        self.identity = Varying(
            Identity(code: site.code, icp: site.icp, police: site.police, sponsor: site.unit, badge: true))
    }

    // MARK: URLs

    var homepageURL: String { "http://\(site.host)/" }

    func url(_ path: String) -> String { "http://\(site.host)\(path)" }

    func columnPath(_ column: ColumnSpec, page: Int = 0) -> String {
        switch site.style {
        case .trs: return page == 0 ? "/\(column.key)/index.html" : "/\(column.key)/index_\(page).html"
        case .hanweb: return page == 0 ? "/col/col\(column.key)/index.html" : "/col/col\(column.key)/index_\(page + 1).html"
        case .table: return page == 0 ? "/\(column.key)/index.shtml" : "/\(column.key)/index_\(page + 1).shtml"
        }
    }

    func columnURL(_ index: Int) -> String { url(columnPath(columns[index])) }

    /// The path of an item page (article or letter) with its id and date.
    func itemPath(_ column: ColumnSpec, id: Int, date: Date?) -> String {
        switch site.style {
        case .trs:
            guard let date else { return "/\(column.key)/content_\(id).html" }
            return "/\(column.key)/\(CityClock.yearMonthCompact(date))/t\(CityClock.dayCompact(date))_\(id).html"
        case .hanweb:
            guard let date else { return "/art/art_\(column.key)_\(id).html" }
            let c = CityClock.components(date)
            return "/art/\(c.year!)/\(c.month!)/\(c.day!)/art_\(column.key)_\(id).html"
        case .table:
            return "/\(column.key)/content_\(id).shtml"
        }
    }

    /// How a column's list page links an item (TRS lists link relatively, as TRS publishes them).
    func itemHref(_ column: ColumnSpec, id: Int, date: Date?, fromHomepage: Bool) -> String {
        let path = itemPath(column, id: id, date: date)
        guard site.style == .trs else { return path }
        let prefix = "/\(column.key)/"
        return fromHomepage ? "." + path : "./" + path.dropFirst(prefix.count)
    }

    func attachmentPath(_ column: ColumnSpec, article: Article, attachment: Attachment) -> String {
        switch site.style {
        case .trs:
            let folder = (itemPath(column, id: article.id, date: article.date) as NSString).deletingLastPathComponent
            return "\(folder)/\(attachment.fileName)"
        case .hanweb: return "/attach/0/\(attachment.fileName)"
        case .table: return "/\(column.key)/files/\(attachment.fileName)"
        }
    }

    var searchPath: String {
        switch site.style {
        case .trs: return "/was5/web/search"
        case .hanweb: return "/jrobot/search.do"
        case .table: return "/search/index.shtml"
        }
    }

    // MARK: Building

    @discardableResult
    func addColumn(_ column: ColumnSpec) -> Int {
        var column = column
        switch column.content {
        case .articles(let articles):
            column.content = .articles(articles.map { var a = $0; a.id = takeID(); return a })
        case .mailbox(let letters):
            column.content = .mailbox(letters.map { var l = $0; l.id = takeID(); return l })
        case .blank: break
        }
        columns.append(column)
        return columns.count - 1
    }

    private func takeID() -> Int {
        nextID += 1 + Int(random.next() % 37)
        return nextID
    }

    /// Adds an article to a column and returns its absolute URL.
    @discardableResult
    func addArticle(_ article: Article, to index: Int) -> String {
        var article = article
        article.id = takeID()
        guard case .articles(var articles) = columns[index].content else { preconditionFailure("not a list column") }
        articles.append(article)
        columns[index].content = .articles(articles)
        return url(itemPath(columns[index], id: article.id, date: article.date))
    }

    /// Adds a letter to a consultation column and returns its absolute URL.
    @discardableResult
    func addLetter(_ letter: Letter, to index: Int) -> String {
        var letter = letter
        letter.id = takeID()
        guard case .mailbox(var letters) = columns[index].content else { preconditionFailure("not a mailbox") }
        letters.append(letter)
        columns[index].content = .mailbox(letters)
        return url(itemPath(columns[index], id: letter.id, date: letter.asked))
    }

    /// The absolute URL of an attachment of the article at `articleURL`.
    func attachmentURL(column index: Int, articleURL: String, fileName: String) -> String {
        let column = columns[index]
        guard let article = column.articles.first(where: { url(itemPath(column, id: $0.id, date: $0.date)) == articleURL }),
            let attachment = article.attachments.first(where: { $0.fileName == fileName })
        else { preconditionFailure("no attachment \(fileName) at \(articleURL)") }
        return url(attachmentPath(column, article: article, attachment: attachment))
    }

    func addPage(_ path: String, title: String, body: Varying<String?>) {
        extraPages.append((path, title, body))
    }

    func addRaw(_ path: String, _ resource: Varying<Resource?>) {
        rawResources.append((path, resource))
    }

    /// Registers a column (listed in the columns CSV) whose list page at `path` is served raw
    /// with `addRaw`, and returns its absolute URL.
    @discardableResult
    func addRawColumn(
        _ name: String, path: String, category: SampleColumn.Category, periodDays: Int? = nil, topLevel: Bool = true,
        page: Varying<Resource?>
    ) -> String {
        addRaw(path, page)
        rawColumns.append((path, name, category, periodDays, topLevel))
        return url(path)
    }

    /// Ordinary articles for a column: pooled titles and prose, one per given date.
    func articles(for category: SampleColumn.Category, dates: [Date?]) -> [Article] {
        let pool: [String]
        switch category {
        case .news: pool = ContentPools.newsTitles
        case .notice: pool = ContentPools.noticeTitles
        case .policy: pool = ContentPools.policyTitles
        case .personnel: pool = ContentPools.personnelTitles
        case .planning: pool = ContentPools.planningTitles
        case .consultation, .other: pool = ContentPools.otherTitles
        }
        return dates.map { date in
            let topic = random.pick(topics)
            let title = random.pick(pool).filled(
                unit: unitShort, locality: locality, topic: topic, number: random.int(in: 2...6))
            return Article(title: title, date: date, source: site.unit, body: Varying(prose(topic: topic)))
        }
    }

    /// A few paragraphs of pooled prose about `topic`.
    func prose(topic: String, sentences count: Int = 4) -> String {
        let start = random.int(in: 0...(ContentPools.sentences.count - 1))
        var paragraphs: [String] = []
        for offset in 0..<count {
            let sentence = ContentPools.sentences[(start + offset * 3) % ContentPools.sentences.count]
            paragraphs.append(HTML.paragraph(sentence.filled(unit: unitShort, locality: locality, topic: topic)))
        }
        return paragraphs.joined(separator: "\n")
    }

    /// Ordinary answered letters, replied within two calendar days.
    func letters(asked dates: [Date]) -> [Letter] {
        dates.enumerated().map { index, asked in
            let (title, question, reply) = ContentPools.letters[(index + random.int(in: 0...7)) % ContentPools.letters.count]
            let replied = clock.adding(days: 1, to: asked).addingTimeInterval(3600 * 6)
            // A letter whose next-day reply would lie after the as-of time is still 办理中.
            return Letter(
                title: title, question: question, asker: random.pick(["王**", "李**", "张*", "刘**", "陈*", "杨**"]),
                asked: asked,
                reply: replied < clock.asOf
                    ? Letter.Reply(date: replied, text: Varying(reply), replier: site.unit) : nil)
        }
    }
}
