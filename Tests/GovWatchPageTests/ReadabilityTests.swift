import Foundation
import GovWatchCore
import GovWatchPage
import Testing

/// Pages a crawler cannot read — bot challenges, pages drawn by scripts — and the data
/// endpoints a script names, on the real pages of the corpus and on the shapes of the
/// challenge pages WAFs in front of Chinese government sites serve.
@Suite("What cannot be read")
struct ReadabilityTests {
    static let asOf = ChinaTime.parseMoment("2024-08-01", bareDayMeansEnd: true)

    static func extract(_ html: String, url: String = "http://www.hongxi.gov.cn/col/col12/index.html") -> ExtractedPage {
        PageExtractor(asOf: asOf).extract(bytes: Array(html.utf8), contentType: "text/html; charset=utf-8", url: url)
    }

    @Test("www.lottery.gov.cn's anti-bot page is a challenge, and nothing else is read from it")
    func lotteryChallenge() throws {
        let page = try RealPages.extract("other-waf-challenge-www.lottery.gov.cn.html", url: "https://www.lottery.gov.cn/")
        #expect(page.unreadable == "challenge")
        #expect(page.links.isEmpty)
        #expect(page.listItems.isEmpty && page.undatedItems.isEmpty)
        #expect(page.search.isEmpty)
        #expect(page.identity == SiteIdentity())
        #expect(page.title == nil)
    }

    @Test("www.lottery.gov.cn's draw column is an empty shell drawn by scripts")
    func lotteryShell() throws {
        let page = try RealPages.extract("column-js-shell-www.lottery.gov.cn-kjlb.html", url: "https://www.lottery.gov.cn/kj/kjlb.html")
        #expect(page.unreadable == "javascript")
        #expect(page.dataSources.isEmpty)
        #expect(page.listItems.isEmpty)
    }

    @Test("the real articles, homepage and search list of the corpus are read", arguments: [
        "article-fgw.zj.gov.cn-hanweb.html", "article-gongbao-www.gov.cn.html", "article-www.ccgp-hebei.gov.cn-procurement.html",
        "article-www.cmse.gov.cn.html", "article-www.gzns.gov.cn.html", "article-www.kepu.gov.cn.html",
        "article-www.nfra.gov.cn-spa-rendered.html", "article-www.shanxi.gov.cn-trs.html", "article-www.wanzai.gov.cn-ucap.html",
        "article-www.yichun.gov.cn-ucap.html", "list-search-sousuo.gov.cn.html", "portal-home-www.gov.cn.html",
    ])
    func realPagesAreRead(_ file: String) throws {
        let page = try RealPages.extract(file)
        #expect(page.unreadable == nil)
    }

    /// 加速乐 (知道创宇): `document.cookie=('__jsl_clearance_s=')+…;location.href=location.pathname+location.search`,
    /// served with 521 or 200 by www.scio.gov.cn and others.
    @Test("a 加速乐 __jsl_clearance page is a challenge")
    func jiasule() {
        let html = """
            <html><head></head><body><script>document.cookie=('__')+('jsl')+('_')+('clearance')+('_s=')+(-~[]+'')+('1682047380.117|-1|');location.href=location.pathname+location.search</script></body></html>
            """
        #expect(Self.extract(html).unreadable == "challenge")
    }

    /// 瑞数 (Rivers Security): a `<meta r='m'>` seed, the `$_ts` script and an obfuscated loader,
    /// as www.nhc.gov.cn and the 药监局 answer a first request.
    @Test("a 瑞数 $_ts page is a challenge, a full page that carries $_ts is not")
    func riversSecurity() throws {
        let challenge = """
            <!DOCTYPE html><html><head><meta id="13JnD7t9MzWf" content="KszeWp.PSsEFpfp.U5uGy8PSBuml0f4X" r='m'>
            <script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=52206;$_ts.cd="qtJDrpAltcLqlqVmiaqjrnLllkg4qcLctGW3HO7";if($_ts.lcd)$_ts.lcd();</script>
            <script type="text/javascript" charset="utf-8" src="/LIWghRUPB4QK/oxYRCeR1jjgO.199cf1b.js" r='m'></script></head><body></body></html>
            <script type="text/javascript" r='m'>_$gW();</script>
            """
        #expect(Self.extract(challenge).unreadable == "challenge")
        // 瑞数 in front of a site also injects the script into every page it lets through.
        var article = String(decoding: try RealPages.bytes("article-www.shanxi.gov.cn-trs.html"), as: UTF8.self)
        article = article.replacingOccurrences(
            of: "<head>", with: "<head><meta content=\"KszeWp\" r=\"m\"><script r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=52206;</script>")
        let page = PageExtractor(asOf: Self.asOf).extract(html: article, url: "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml")
        #expect(page.unreadable == nil)
        #expect(page.published?.description == "2019-09-18T06:23:00+08:00")
    }

    /// 网站卫士 (WZWS), in front of wenshu.court.gov.cn and many provincial sites: a packed
    /// script whose word list names the cookie, the location and the challenge.
    @Test("a WZWS page is a challenge")
    func wzws() {
        let html = """
            <html><head></head><body><noscript><h1><strong>请开启JavaScript并刷新该页.</strong></h1></noscript>
            <script type="text/javascript">eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};return p}('15 D="k";J f(){B.w=A;19.T=D;}f();',59,74,'0|0x3|WZWS_CONFIRM_PREFIX_LABEL10|/WZWSRELw==|cookie|document|dynamicurl|location|wzwschallenge|wzwschallengex|wzwstemplate'.split('|'),0,{}))</script>
            </body></html>
            """
        #expect(Self.extract(html).unreadable == "challenge")
    }

    @Test("a redirect page and a small page without scripts are no challenge and no shell")
    func smallPagesThatAreRead() {
        let redirect = "<html><head><script>window.location.href='/hxszf/index.html';</script></head><body></body></html>"
        #expect(Self.extract(redirect).unreadable == nil)
        let refresh = "<html><head><meta http-equiv=\"refresh\" content=\"0;url=/index.html\"></head><body>正在跳转</body></html>"
        #expect(Self.extract(refresh).unreadable == nil)
        let plain = "<html><head><title>建设中</title></head><body><p>本栏目暂无信息</p></body></html>"
        #expect(Self.extract(plain).unreadable == nil)
    }

    /// A column template with header, navigation and footer, whose list container a
    /// script fills: how TRS and Hanweb "动态列表" templates and hand-built columns look.
    static func scriptedColumn(script: String) -> String {
        """
        <html><head><title>通知公告_鸿溪市人民政府</title><script src="/js/jquery.min.js"></script></head><body>
        <div class="header"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a><a href="/bsfw/">办事服务</a></div>
        <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>
        <div class="main"><h2>通知公告</h2><ul id="newsList" class="news-list"></ul><div id="pager"></div></div>
        <div class="footer"><p>主办单位：鸿溪市人民政府办公室　网站标识码：3509000001　闽ICP备05012345号</p>
        <p>地址：鸿溪市人民路1号　邮编：350900　联系电话：0591-12345678　建议使用1366×768分辨率浏览本网站</p></div>
        <script>\(script)</script></body></html>
        """
    }

    @Test("a list filled by $.ajax from a plainly named JSON endpoint: the endpoint is the data source")
    func namedEndpoint() {
        let page = Self.extract(Self.scriptedColumn(script: """
            $(function(){ $.ajax({ url: "/api/zwgk/tzgg/list.json", type: "get", dataType: "json",
              success: function(res){ var html=''; $.each(res.data.list, function(i, v){ html += '<li><a href="'+v.url+'">'+v.title+'</a><span>'+v.publishTime+'</span></li>'; }); $("#newsList").html(html); } }); });
            """))
        #expect(page.unreadable == nil)
        #expect(page.dataSources == ["http://www.hongxi.gov.cn/api/zwgk/tzgg/list.json"])
    }

    @Test("$.getJSON and fetch name endpoints too; a URL built by concatenation names none")
    func otherLoaders() {
        let getJSON = Self.extract(Self.scriptedColumn(script: "$.getJSON('../data/tzgg.json', function(d){ render(d); });"))
        #expect(getJSON.dataSources == ["http://www.hongxi.gov.cn/col/data/tzgg.json"])
        let fetch = Self.extract(Self.scriptedColumn(script: "fetch(\"/open/api/list?channelId=12&page=1\").then(r => r.json()).then(render);"))
        #expect(fetch.dataSources == ["http://www.hongxi.gov.cn/open/api/list?channelId=12&page=1"])
        let built = Self.extract(Self.scriptedColumn(script: "var page=1; $.ajax({url: \"/api/list?page=\" + page, success: render});"))
        #expect(built.dataSources.isEmpty)
        #expect(built.unreadable == "javascript")
    }

    @Test("the list of a data endpoint: common key names, JSONP, Unix times")
    func jsonLists() throws {
        let nested = """
            {"code":200,"data":{"total":3,"list":[
             {"title":"关于开展2022年春季植树活动的通知","url":"/zwgk/tzgg/202203/t20220325_1.html","publishTime":"2022-03-25 10:00:00"},
             {"title":"关于调整办公时间的公告","url":"http://www.hongxi.gov.cn/zwgk/tzgg/202203/t20220320_2.html","publishTime":"2022-03-20"},
             {"title":"2022年度预算公开","url":"/zwgk/tzgg/202203/t20220301_3.html"}]}}
            """
        let page = try #require(PageExtractor(asOf: Self.asOf).extractDataList(
            bytes: Array(nested.utf8), url: "http://www.hongxi.gov.cn/api/zwgk/tzgg/list.json"))
        #expect(page.listItems.map(\.date.description) == ["2022-03-25", "2022-03-20"])
        #expect(page.listItems.first?.url == "http://www.hongxi.gov.cn/zwgk/tzgg/202203/t20220325_1.html")
        #expect(page.undatedItems.map(\.title) == ["2022年度预算公开"])

        let flat = #"[{"name":"鸿溪市2021年政府信息公开工作年度报告","link":"./202201/t20220125_9.html","fbsj":"2022/1/25"}]"#
        let flatPage = try #require(PageExtractor(asOf: Self.asOf).extractDataList(
            bytes: Array(flat.utf8), url: "http://www.hongxi.gov.cn/xxgk/ndbg/list.json"))
        #expect(flatPage.listItems.first?.url == "http://www.hongxi.gov.cn/xxgk/ndbg/202201/t20220125_9.html")
        #expect(flatPage.listItems.first?.date.description == "2022-01-25")

        // 1648173600000 ms = 2022-03-25 10:00 in China.
        let jsonp = #"jQuery1830({"rows":[{"docTitle":"<em>鸿溪</em>发布暴雨预警","docPubUrl":"/xwdt/1.html","docRelTime":1648173600000}]});"#
        #expect(PageExtractor.isData(bytes: Array(jsonp.utf8), contentType: "application/javascript"))
        let jsonpPage = try #require(PageExtractor(asOf: Self.asOf).extractDataList(
            bytes: Array(jsonp.utf8), url: "http://www.hongxi.gov.cn/api/list"))
        #expect(jsonpPage.listItems.first?.title == "鸿溪发布暴雨预警")
        #expect(jsonpPage.listItems.first?.date.description == "2022-03-25")

        #expect(PageExtractor(asOf: Self.asOf).extractDataList(bytes: Array(#"{"status":"ok"}"#.utf8), url: "http://www.hongxi.gov.cn/api/x") == nil)
        #expect(PageExtractor.isData(bytes: Array(nested.utf8), contentType: "application/json;charset=UTF-8"))
        #expect(PageExtractor.isData(bytes: Array(" [1]".utf8), contentType: "text/plain"))
        #expect(!PageExtractor.isData(bytes: Array("<html></html>".utf8), contentType: "text/html"))
    }

    /// 中国政府网's 滚动信息 block, as a public page that embeds it loads it (repository
    /// lqc3413/tesk3-3, js/index.js): `$.ajax({url: "https://www.gov.cn/pushinfo/v150203/pushinfo.jsonp",
    /// dataType: 'jsonp', jsonpCallback: 'pushInfoJsonpCallBack'})`, entries with `title`, `link`, `pubDate`.
    @Test("中国政府网's pushinfo JSONP: the endpoint is named, its entries are read")
    func govCnPushInfo() throws {
        let page = Self.extract(Self.scriptedColumn(script: """
            $(function () { $.ajax({ type: 'GET', url: "https://www.gov.cn/pushinfo/v150203/pushinfo.jsonp", dataType: 'jsonp',
              jsonp: 'pushInfoJsonpCallBack', jsonpCallback: 'pushInfoJsonpCallBack',
              success: function (res) { $('#newsList').html(res.map(function (item) { return '<li><a href="' + item.link + '">' + item.title + '</a></li>'; }).join('')); } }) })
            """))
        #expect(page.dataSources == ["https://www.gov.cn/pushinfo/v150203/pushinfo.jsonp"])
        let body = #"pushInfoJsonpCallBack([{"title":"国务院常务会议部署推进城市更新","link":"https://www.gov.cn/yaowen/liebiao/202407/content_1.htm","pubDate":"2024-07-31"},{"title":"国务院办公厅印发通知","link":"https://www.gov.cn/zhengce/content/202407/content_2.htm","pubDate":"2024-07-30"}])"#
        #expect(PageExtractor.isData(bytes: Array(body.utf8), contentType: "application/javascript;charset=utf-8"))
        let list = try #require(PageExtractor(asOf: Self.asOf).extractDataList(
            bytes: Array(body.utf8), url: "https://www.gov.cn/pushinfo/v150203/pushinfo.jsonp"))
        #expect(list.listItems.map(\.date.description) == ["2024-07-31", "2024-07-30"])
        #expect(list.listItems.first?.url == "https://www.gov.cn/yaowen/liebiao/202407/content_1.htm")
    }

    @Test("a Cloudflare-style interstitial is a challenge too")
    func cloudflare() {
        let html = """
            <!DOCTYPE HTML><html lang="en-US"><head><title>Just a moment...</title></head><body>
            <h1>Checking your browser before accessing www.hongxi.gov.cn.</h1>
            <form id="challenge-form" action="/?__cf_chl_jschl_tk__=abc" method="POST"><input type="hidden" name="jschl_vc" value="1"/></form>
            <script>(function(){ var a = document.getElementById('challenge-form'); setTimeout(function(){ a.submit(); }, 4000); })();</script>
            </body></html>
            """
        #expect(Self.extract(html).unreadable == "challenge")
    }
}
