"""Scrapy peer for benchmarks/crawl.sh: follows every <a href> on the start URL's host.

    scrapy runspider scrapy_spider.py -a start=http://127.0.0.1:PORT/ -s CONCURRENT_REQUESTS=16 ...

Settings the benchmark passes on the command line: CONCURRENT_REQUESTS and
CONCURRENT_REQUESTS_PER_DOMAIN (= the shared concurrency), DOWNLOAD_DELAY=0,
ROBOTSTXT_OBEY=True, LOG_LEVEL=WARNING. Prints `pages=N` at the end.
"""
from urllib.parse import urlparse

import scrapy


class SiteSpider(scrapy.Spider):
    name = "site"
    pages = 0

    def __init__(self, start, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_urls = [start]
        self.allowed_domains = [urlparse(start).hostname]

    def parse(self, response):
        self.pages += 1
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)

    def closed(self, reason):
        print(f"pages={self.pages} reason={reason}", flush=True)
