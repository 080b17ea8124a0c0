"""Found and kept: feeds, the sitemap, structured data and open data of the sample edition, read
the way their readers read them (a feed parser, an XML parser, a JSON parser); moved articles'
old addresses and the 404 page, served by a static server and opened in Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import feedparser
import pytest

from conftest import ROOT, SAMPLE, Built, Tree, article, run, write_tree
from shuzibao.render import sitemap

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser

BASE = "https://epaper.example.com/tyrb/"  # the sample's base_url
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def local(site: Path, address: str) -> Path:
    """The output file behind a full address of the sample."""
    assert address.startswith(BASE), address
    return site / address.removeprefix(BASE)


def heads(day: str) -> list[tuple[str, str]]:
    """(page/slug, title) of an issue's stories in the sample, in page order (continuations left out)."""
    found = []
    for path in sorted((SAMPLE / day).glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        if "\ncontinues:" in text:
            continue
        if "\ndraft: true" in text:
            continue
        order = re.search(r"^order: (\d+)$", text, re.M)
        place = (False, int(order.group(1))) if order else (True, 0)  # as the build orders a page's articles
        title = re.search(r"^title: (.+)$", text, re.M)
        assert title, path
        found.append((path.parent.name, place, path.stem, title.group(1)))
    return [(f"{page}/{slug}", title) for page, _, slug, title in sorted(found)]


def child_text(element: ET.Element, path: str) -> str:
    """The text of the element's first child at `path`, which must be there."""
    child = element.find(path)
    assert child is not None and child.text is not None, path
    return child.text


# --- Feeds


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml", "zh-hant/feed.xml"])
def test_the_feeds_hold_the_latest_stories_whole(sample_site: Path, name: str) -> None:
    feed = feedparser.parse((sample_site / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    expected = [f"{day}/{ref}.html" for day in ("2021-12-11", "2021-12-10") for ref, _ in heads(day)]  # newest issue first
    assert [e.link.removeprefix(BASE).removeprefix("zh-hant/") for e in feed.entries] == expected
    for entry in feed.entries:
        assert local(sample_site, entry.link).is_file()
        assert entry.published_parsed is not None
    story = next(e for e in feed.entries if e.link.endswith("2021-12-10/01/xinghualing.html"))
    content = story.content[0].value
    assert "进入12月份" in content or "進入12月份" in content
    assert re.search("<h2>第3版 综合新闻（续）</h2>|<h2>第3版 綜合新聞（續）</h2>", content)  # the continuation, joined on
    assert "以下为示例续文" in content or "以下為示例續文" in content  # the continuation's own text
    photo = next(e for e in feed.entries if e.link.endswith("tupian-xinwen.html"))
    assert f'src="{BASE}2021-12-10/01/tiangong-ketang.svg"' in photo.content[0].value  # images at full addresses
    if name.startswith("zh-hant"):
        assert feed.feed.language == "zh-Hant" and "發展" in feed.entries[0].title + "".join(e.title for e in feed.entries)
    else:
        assert [e.title for e in feed.entries][: len(heads("2021-12-11"))] == [t for _, t in heads("2021-12-11")]


def test_every_page_links_its_feeds(sample_site: Path) -> None:
    html = (sample_site / "zh-hant/2021-12-10/01/xinghualing.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="太原日報（Atom）" href="../../feed.xml">' in html
    assert '<link rel="alternate" type="application/rss+xml" title="太原日報（RSS）" href="../../rss.xml">' in html


# --- Sitemap and robots.txt


def test_the_sitemap_lists_every_page_in_every_script_with_its_date(sample_site: Path) -> None:
    urls = ET.parse(sample_site / "sitemap.xml").getroot().findall(f"{SM}url")
    listed = {child_text(u, f"{SM}loc"): u for u in urls}
    pages = [p for p in sample_site.rglob("*.html") if p.name not in ("404.html", "offline.html") and "/search/" not in p.as_posix() and "shiwei-xuanjiang" not in p.name]
    assert sorted(listed) == sorted(BASE + p.relative_to(sample_site).as_posix() for p in pages)
    entry = listed[BASE + "zh-hk/2021-12-10/03/xinghualing-xu.html"]
    assert child_text(entry, f"{SM}lastmod") == "2021-12-10"
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
    assert alternates == {code: BASE + prefix + "2021-12-10/03/xinghualing-xu.html" for code, prefix in (("zh-Hans", ""), ("zh-Hant", "zh-hant/"), ("zh-HK", "zh-hk/"))}
    assert child_text(listed[BASE + "index.html"], f"{SM}lastmod") == "2021-12-11"
    assert (sample_site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_a_large_sitemap_becomes_an_index_with_a_part_per_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "LIMIT", 20)  # as if 50,000 addresses were reached: ten entries of two scripts a part
    content = tmp_path / "content"
    files = {"site.yaml": f"title: 测试日报\nbase_url: {BASE}\n"}
    for day in ["2020-12-30", "2020-12-31", "2021-01-01", "2021-01-02", "2021-01-03"]:
        files |= {f"{day}/01/page.yaml": "name: 要闻\n", f"{day}/01/a.md": article(f"{day} 甲"), f"{day}/01/b.md": article(f"{day} 乙")}
    write_tree(content, files)
    out = tmp_path / "out"
    assert run("build", "--content", str(content), "--out", str(out), "--no-search").code == 0
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SM}sitemapindex"
    parts = [(child_text(s, f"{SM}loc"), child_text(s, f"{SM}lastmod")) for s in index]
    assert parts == [(BASE + "sitemaps/2020.xml", "2020-12-31"), (BASE + "sitemaps/2021.xml", "2021-01-03"), (BASE + "sitemaps/2021-2.xml", "2021-01-03")]
    total: list[str] = []
    for loc, _ in parts:
        part = ET.parse(local(out, loc)).getroot().findall(f"{SM}url")
        assert len(part) <= 20
        total += [child_text(u, f"{SM}loc") for u in part]
    assert len(total) == len(set(total)) == 2 * (5 * 4 + 2 + 2)  # two scripts; per issue: its page, 版, two articles; home, archive, a page per year


# --- Structured data


def structured(html: str) -> dict[str, Any]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    data: dict[str, Any] = json.loads(found[0])  # a JSON-LD object, as the template writes it
    return data


def test_every_article_is_a_news_article_placed_in_print(sample_site: Path) -> None:
    for path in sorted((sample_site / "2021-12-10").glob("*/*.html")):
        if path.name in ("index.html", "shiwei-xuanjiang.html"):
            continue
        html = path.read_text(encoding="utf-8")
        data = structured(html)
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        headline = re.search(r'<h1 class="title">([^<]+)<', html)
        assert headline, path
        assert data["headline"] == headline.group(1)
        assert data["datePublished"] == "2021-12-10" and data["printEdition"] == "2021年12月10日 星期五"
        assert data["printPage"] == path.parent.name.lstrip("0")
        assert data["isPartOf"]["@type"] == "PublicationIssue" and data["isPartOf"]["isPartOf"] == {"@type": "Periodical", "name": "太原日报"}
        assert data["publisher"] == {"@type": "Organization", "name": "太原日报"}
        assert data["url"] == BASE + path.relative_to(sample_site).as_posix()
    lead = structured((sample_site / "2021-12-10/01/xinghualing.html").read_text(encoding="utf-8"))
    assert lead["isPartOf"]["pagination"] == "1, 3"  # the story jumps to 第3版
    assert lead["printSection"] == "要闻" and lead["alternativeHeadline"] == "杏花岭区深化省校合作成果初探"
    both = structured((sample_site / "2021-12-10/01/shuangchuang-jidi.html").read_text(encoding="utf-8"))
    assert both["author"] == [{"@type": "Person", "name": "何宝国"}]
    hant = structured((sample_site / "zh-hant/2021-12-10/01/xinghualing.html").read_text(encoding="utf-8"))
    assert hant["inLanguage"] == "zh-Hant" and hant["printSection"] == "要聞"


def test_an_issue_page_is_a_publication_issue(sample_site: Path) -> None:
    data = structured((sample_site / "2021-12-11/index.html").read_text(encoding="utf-8"))
    assert data["@type"] == "PublicationIssue" and data["issueNumber"] == "23512"
    assert data["datePublished"] == "2021-12-11" and data["pagination"] == "1, 2" and data["url"] == BASE + "2021-12-11/index.html"


# --- Open data


def test_each_issue_is_also_open_data(sample_site: Path) -> None:
    data = json.loads((sample_site / "2021-12-10/issue.json").read_text(encoding="utf-8"))
    assert data["format"] == "shuzibao-issue/1" and data["date"] == "2021-12-10" and data["paper"] == "太原日报"
    assert [p["label"] for p in data["pages"]] == ["01", "03"]
    front = data["pages"][0]
    assert front["scan"]["width"] == 2200 and (sample_site / "2021-12-10" / front["scan"]["url"]).is_file()
    assert (sample_site / "2021-12-10" / front["pdf"]["url"]).is_file()
    slugs = [a["slug"] for a in front["articles"]]
    assert [f"01/{s}" for s in slugs] == [ref for ref, _ in heads("2021-12-10") if ref.startswith("01/")]
    lead = next(a for a in front["articles"] if a["slug"] == "xinghualing")
    assert lead["continued_on"] == "03/xinghualing-xu" and lead["area"][0] == [1105, 1505]
    assert lead["paragraphs"][0].startswith("进入12月份") and re.search(r"<h\d>赋能产业升级", lead["html"])
    moved = next(a for a in front["articles"] if a["slug"] == "xuanjiang")
    assert moved["moved_from"] == ["02/shiwei-xuanjiang"]
    for page in data["pages"]:
        assert (sample_site / "2021-12-10" / page["url"]).is_file()
        for item in page["articles"]:
            assert (sample_site / "2021-12-10" / item["url"]).is_file() and item["paragraphs"]
    hant = json.loads((sample_site / "zh-hant/2021-12-10/issue.json").read_text(encoding="utf-8"))
    assert hant["language"] == "zh-Hant" and hant["pages"][0]["name"] == "要聞"


def test_open_data_gives_each_story_as_its_page_shows_it(sample_site: Path) -> None:
    """The body is made once for the page and the open data, but a photo's address is each file's own."""
    for folder in ("2021-12-10", "zh-hant/2021-12-10"):
        front = json.loads((sample_site / folder / "issue.json").read_text(encoding="utf-8"))["pages"][0]
        for item in front["articles"]:
            page = (sample_site / folder / item["url"]).read_text(encoding="utf-8")
            photos = re.findall(r'<img src="([^"]+)"', item["html"])
            if photos:
                assert all((sample_site / folder / src).is_file() for src in photos) and item["html"] not in page
            else:
                assert item["html"] in page
        assert any("<img" in item["html"] for item in front["articles"])


# --- Without base_url


def test_without_base_url_one_warning_says_what_is_left_out(built: Built, tmp_path: Path) -> None:
    result = run("build", "--content", str(tmp_path / "c"), "--out", str(tmp_path / "o"))  # no content yet: fails
    assert result.code == 1
    out = built({"2021-12-10/01/a.md": article()})
    warning = [line for line in run("check", "--content", str(out.parent / "content")).err.splitlines() if "base_url" in line]
    expected = (
        "site.yaml:1: 警告：没有 base_url，所以没有生成 RSS/Atom 订阅和 sitemap.xml，页面里也没有 canonical、分享卡片图片等完整网址"
        "（网站本身照常可用）。请写上网站的正式地址，例如 base_url: https://epaper.example.com/"
    )
    assert warning == [expected]
    assert not (out / "feed.xml").exists() and not (out / "sitemap.xml").exists()
    assert (out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    html = (out / "2021-12-10/01/a.html").read_text(encoding="utf-8")
    assert "canonical" not in html and "og:url" not in html and '"url"' not in html and "feed.xml" not in html
    assert (out / "404.html").is_file() and (out / "2021-12-10/issue.json").is_file()


# --- Permalinks that outlive a move, and the 404 page


class HostHandler(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub Pages or nginx's error_page: a missing address shows /404.html."""

    site_prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / self.site_prefix.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def host(folder: Path, prefix: str = "/epaper/") -> Iterator[str]:
    root = folder.parent / "host"
    (root / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    if not (root / prefix.strip("/")).exists():
        (root / prefix.strip("/")).symlink_to(folder)
    handler = type("Handler", (HostHandler,), {"site_prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


MOVED = {
    "2021-12-10/01/page.yaml": "name: 要闻\n",
    "2021-12-10/03/page.yaml": "name: 综合\n",
    "2021-12-10/03/new-name.md": article("搬过家的稿件", moved_from="[02/old-name, 01/first-name]"),
    "2021-12-10/01/other.md": article("另一篇"),
}


def test_a_moved_article_keeps_its_old_addresses(built: Built, browser: Browser) -> None:
    out = built(MOVED)
    with host(out) as base:
        page = browser.new_page()
        for old, prefix in (("2021-12-10/02/old-name.html", ""), ("2021-12-10/01/first-name.html", ""), ("zh-hant/2021-12-10/02/old-name.html", "zh-hant/")):
            page.goto(base + old + "#part-2")
            page.wait_for_url(base + prefix + "2021-12-10/03/new-name.html#part-2")
            assert "搬过家的稿件" in page.locator("h1").inner_text() or "搬過家的稿件" in page.locator("h1").inner_text()
        page.close()
    redirect = (out / "2021-12-10/02/old-name.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../03/new-name.html">' in redirect  # without JavaScript too
    assert '<meta name="robots" content="noindex">' in redirect


@pytest.mark.parametrize(
    "moved_from, fault",
    [
        ("[03/new-name]", "moved_from 写的 03/new-name 是这篇稿件现在的地址"),
        ("[01/other]", "旧地址 01/other 现在是 2021-12-10/01/other.md 的地址"),
        ("[第二版/old]", "字段“moved_from”的“第二版/old”应写成“版号/原文件名”"),
    ],
)
def test_an_old_address_that_cannot_be_kept_is_a_fault(tree: Tree, moved_from: str, fault: str) -> None:
    content = tree({**MOVED, "2021-12-10/03/new-name.md": article("搬过家的稿件", moved_from=moved_from)})
    result = run("check", "--content", str(content))
    assert result.code == 1 and f"2021-12-10/03/new-name.md:3: {fault}" in result.err, result.err


def test_two_articles_cannot_claim_one_old_address(tree: Tree) -> None:
    content = tree({**MOVED, "2021-12-10/01/other.md": article("另一篇", moved_from="[02/old-name]")})
    result = run("check", "--content", str(content))
    assert result.code == 1 and "2021-12-10/03/new-name.md:3: 旧地址 02/old-name 已由 2021-12-10/01/other.md 认领" in result.err, result.err


@pytest.mark.parametrize(
    "missing, status, prefix",
    [
        ("2021-12-10/01/nope.html", 404, ""),
        ("zh-hant/2021-12-10/01/nope.html", 404, ""),  # a host shows its one 404.html everywhere
        ("no/such/folder/page.html", 404, ""),
        ("nope.html", 404, ""),
        ("zh-hant/404.html", 200, "zh-hant/"),  # where the script switch on it leads
    ],
)
def test_the_404_page_works_from_any_depth(sample_site: Path, browser: Browser, missing: str, status: int, prefix: str) -> None:
    with host(sample_site) as base:
        page = browser.new_page()
        response = page.goto(base + missing)
        assert response is not None
        assert response.status == status
        assert page.locator("h1").inner_text() in ("找不到这个页面", "找不到這個頁面")
        page.wait_for_function("getComputedStyle(document.querySelector('.paper')).color === 'rgb(164, 22, 26)'")  # its stylesheet found
        home = page.locator(".not-found a", has_text=re.compile("最新一期"))
        page.wait_for_function("([a, want]) => a.href === want", arg=[home.element_handle(), base + prefix + "index.html"])
        day = page.locator(".that-day a")
        if "2021-12-10" in missing:
            assert day.is_visible() and day.evaluate("a => a.href") == base + "2021-12-10/index.html"
        else:
            assert day.is_hidden()
        page.close()


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Another host, which notes every request made to it (in a list given to each subclass)."""

    hits: ClassVar[list[str]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.hits.append(self.path)
        super().do_GET()


@pytest.mark.parametrize("missing", ["//{evil}/theme/x.html", "//{evil}/2021-12-10/01/x.html", "/..//{evil}/x.html", "//{evil}//zh-hant/x"])
def test_the_404_page_never_takes_a_host_from_the_address(sample_site: Path, browser: Browser, tmp_path: Path, missing: str) -> None:
    """An address that starts with //host/ must not make the page load that host's scripts."""
    evil = tmp_path / "evil"
    (evil / "theme").mkdir(parents=True)
    (evil / "theme/reader.js").write_text("document.title = 'pwned';", encoding="utf-8")
    hits: list[str] = []
    handler = type("Evil", (CountingHandler,), {"hits": hits})
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(evil)))
    threading.Thread(target=other.serve_forever, daemon=True).start()
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    try:
        with host(site, prefix="/") as base:
            page = browser.new_page()
            origin = base.rstrip("/")
            page.goto(origin + missing.format(evil=f"127.0.0.1:{other.server_port}"))
            page.wait_for_function("getComputedStyle(document.querySelector('.paper')).color === 'rgb(164, 22, 26)'")  # our own stylesheet
            page.wait_for_load_state("networkidle")
            assert page.evaluate("new URL(document.baseURI).origin") == origin
            assert page.title() != "pwned" and hits == []
            page.close()
    finally:
        other.shutdown()
        other.server_close()


def guide_policy() -> str:
    """The Content-Security-Policy the publishing guide gives hosts."""
    found = re.search(r"^Content-Security-Policy: (.+)$", (ROOT / "docs/publishing.md").read_text(encoding="utf-8"), re.M)
    assert found, "docs/publishing.md gives no Content-Security-Policy"
    return found.group(1)


class PolicyHandler(HostHandler):
    policy = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()


VIOLATIONS = "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"


def test_every_kind_of_page_satisfies_the_guides_content_security_policy(sample_site: Path, browser: Browser, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    (tmp_path / "host").mkdir()
    (tmp_path / "host/epaper").symlink_to(site)
    handler = type("Policy", (PolicyHandler,), {"policy": guide_policy(), "site_prefix": "/epaper/"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(tmp_path / "host")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/epaper/"
    try:
        page = browser.new_page()
        page.add_init_script(VIOLATIONS)
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        for path in ["index.html", "2021-12-10/index.html", "2021-12-10/01/index.html", "2021-12-10/01/xinghualing.html", "archive/index.html",
                     "zh-hant/2021-12-10/01/xinghualing.html", "2021-12-10/01/shiwei-xuanjiang.html", "no/such/page.html", "offline.html"]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__violations") == [], path
        page.goto(base + "2021-12-10/index.html")  # the service worker installed, and an issue saved, under the policy (issue 18)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.get_by_role("button", name="离线保存本期").click()
        page.get_by_role("button", name="删除").wait_for()
        assert page.evaluate("window.__violations") == []
        page.goto(base + "2021-12-10/01/xinghualing.html")
        page.get_by_role("button", name="放大字号").click()
        assert page.evaluate("document.documentElement.dataset.size") == "3"  # the theme's own script runs
        page.goto(base + "search/index.html?q=" + urllib.parse.quote("数据中心"))
        page.wait_for_selector("li.result")  # Pagefind and its WebAssembly run
        assert page.evaluate("window.__violations") == [] and [e for e in errors if "Content Security Policy" in e] == []
        page.close()
    finally:
        server.shutdown()
        server.server_close()
