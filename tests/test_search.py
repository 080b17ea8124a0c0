"""Search that finds every occurrence: real queries through the real Pagefind bundle in Chromium.

The oracle is plain substring search over each story's source text: a query must find exactly
the stories that contain it (recall 1.00, precision 1.00), typed in either script, on every site.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cbor2
import opencc
import pagefind_bin
import pytest

from conftest import ROOT, SAMPLE, Built, article, run, serve_under, snapshot
from shuzibao.build import pipeline
from shuzibao.build.pipeline import Report
from shuzibao.model import Edition
from shuzibao.scripts.conversion import localize
from shuzibao.search import canonical
from shuzibao.search import documents as search
from shuzibao.search.canonical import MAGIC

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser, Page

# Two-character words, names, long phrases, Latin and digits, in both scripts.
QUERIES = [
    "数据", "发展", "太原", "示范", "基地", "快递", "书法", "宣讲",
    "何宝国", "赵继钊", "王亚平", "杏花岭", "安永", "陈凯",
    "数据中心", "国家双创示范基地", "高质量发展", "全方位推动高质量发展", "党的十九届六中全会精神",
    "5G", "PM2.5", "1+3+N", "116家", "2020年7月",
    "發展", "數據中心", "書法", "趙繼釗", "質量", "頭部企業", "在並",
    "不存在的词语", "太空科普课",
]


T2S = opencc.OpenCC("t2s")


def expected_heads(edition: Edition, query: str) -> set[str]:
    """The stories whose source text contains the query, by substring: the oracle."""
    wanted = T2S.convert(query)
    return {a.path for a in search.heads(edition) if wanted in search.story_text(a) or query in search.story_text(a)}


@pytest.fixture(scope="module")
def sample_edition() -> Edition:
    return pipeline.load_edition(SAMPLE, drafts=False, report=Report())


def search_in_browser(page: Page, url: str) -> list[dict[str, str]]:
    page.goto(url)
    page.wait_for_function("(() => { const s = document.querySelector('.search-status').textContent; return s && !s.includes('正在') && !s.includes('正在'); })()")
    while page.locator("button.more").is_visible():
        page.locator("button.more").click()  # the list is busy until the next results are in
        page.wait_for_function("() => document.querySelector('ol.results').getAttribute('aria-busy') !== 'true'")
    results: list[dict[str, str]] = page.eval_on_selector_all(  # what the script makes of each result, as JSON
        "li.result",
        "items => items.map(li => ({href: li.querySelector('a').href, title: li.querySelector('a').textContent,"
        " where: li.querySelector('.where').textContent, excerpt: li.querySelector('.excerpt').innerHTML}))",
    )
    return results


def shown_texts(edition: Edition, prefix: str) -> dict[str, str]:
    """Each story's text as the variant's readers see it, by page address."""
    variant = next(v for v in edition.site.variants if v.prefix == prefix)
    shown = localize(edition, variant)
    return {f"{prefix}{a.path.removesuffix('.md')}.html": search.run_on(search.story_text(a, headings=False)) for a in search.heads(shown)}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("数据中心", "数 据 中 心"),
        ("“1+3+N”", "1 3 N"),
        ("PM2.5", "PM2 5"),
        ("A数B", "A 数 B"),
        ("\uff57\uff4f\uff52\uff4c\uff44\uff11\uff12\uff13的", "\uff57\uff4f\uff52\uff4c\uff44\uff11\uff12\uff13 的"),  # full-width letters and digits
        ("𠀀𠀁", "𠀀 𠀁"),  # Han beyond the Basic Plane
        ("ｱｲｳ한국어", "ｱｲｳ한국어"),  # other letters stay a run, as in search.js
        ("__x_y__", "x y"),
        ("café 12,000.5%", "café 12 000 5"),
        ("云🌦️雨", "云 雨"),
        ("", ""),
    ],
)
def test_the_index_sees_each_han_character_alone_and_runs_of_letters_and_digits(text: str, words: str) -> None:
    assert search.spaced(text) == words


@pytest.mark.parametrize("prefix", ["", "zh-hant/", "zh-hk/"])
def test_every_query_finds_exactly_the_stories_that_contain_it(sample_site: Path, sample_edition: Edition, browser: Browser, prefix: str) -> None:
    texts = shown_texts(sample_edition, prefix)
    page = browser.new_page()
    misses = []
    with serve_under(sample_site, "/paper/") as base:
        for query in QUERIES:
            expected = {f"{base}{prefix}{a.removesuffix('.md')}.html" for a in expected_heads(sample_edition, query)}
            found = search_in_browser(page, f"{base}{prefix}search/index.html?q={urllib.parse.quote(query)}")
            hrefs = [r["href"] for r in found]
            if set(hrefs) != expected or len(hrefs) != len(set(hrefs)):
                misses.append(f"{query}: missing {sorted(expected - set(hrefs))}, extra {sorted(set(hrefs) - expected)}")
            for result in found:  # the excerpt is the page's own text, the query marked in it
                text = re.sub(r"</?mark>", "", result["excerpt"]).strip("…")
                assert text in texts[result["href"].removeprefix(base)], f"excerpt not in the story: {result['excerpt']}"
                if T2S.convert(query) in T2S.convert(text):
                    assert "<mark>" in result["excerpt"], result
    page.close()
    assert not misses, "\n".join(misses)
    assert sum(1 for q in QUERIES if expected_heads(sample_edition, q)) >= len(QUERIES) - 2  # the set is not vacuous


@pytest.mark.parametrize("prefix", ["", "zh-hant/", "zh-hk/"])
def test_results_show_title_date_page_and_a_marked_excerpt_in_the_page_script(sample_site: Path, sample_edition: Edition, browser: Browser, prefix: str) -> None:
    """One index serves the three sites: each shows its own script's title, page name and excerpt."""
    variant = next(v for v in sample_edition.site.variants if v.prefix == prefix)
    shown = {f"{prefix}{a.path.removesuffix('.md')}.html": a for a in search.heads(localize(sample_edition, variant))}
    page = browser.new_page(viewport={"width": 390, "height": 844})
    with serve_under(sample_site, "/paper/") as base:
        found = search_in_browser(page, f"{base}{prefix}search/index.html?q=数据中心")
        assert found, "no results"
        first = found[0]
        story = shown[first["href"].removeprefix(base)]
        assert first["title"] == story.headline and first["where"].endswith(f" {story.page.name}")
        center = "数据中心" if prefix == "" else "數據中心"
        assert f"<mark>{center}</mark>" in first["excerpt"]
        assert re.match(r"\d{4}年\d{1,2}月\d{1,2}日 星期. · 第\d+版 ", first["where"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
    titles = {v.code: {a.headline for a in search.heads(localize(sample_edition, v))} for v in sample_edition.site.variants}
    assert titles["zh-Hans"] != titles["zh-Hant"]  # the scripts' titles differ: the test can tell them apart
    assert (sample_site / "pagefind").is_dir() and not any((sample_site / v.prefix / "pagefind").exists() for v in sample_edition.site.variants[1:])


def test_results_are_newest_first_in_print_order(sample_site: Path, sample_edition: Edition, browser: Browser) -> None:
    page = browser.new_page()
    with serve_under(sample_site, "/paper/") as base:
        found = [r["href"].removeprefix(base) for r in search_in_browser(page, f"{base}search/index.html?q=太原")]
    in_print_order = [a.path.removesuffix(".md") + ".html" for a in search.heads(sample_edition)]
    newest_first = sorted(in_print_order, key=lambda p: (p[:10], -in_print_order.index(p)), reverse=True)
    assert found == [p for p in newest_first if p in found] and len({p[:10] for p in found}) == 2
    page.close()


def test_filters_by_page_and_by_year_and_month(sample_site: Path, sample_edition: Edition, browser: Browser) -> None:
    page = browser.new_page()
    with serve_under(sample_site, "/paper/") as base:
        on_page_3 = search_in_browser(page, f"{base}search/index.html?q=太原&page=" + urllib.parse.quote("第3版"))
        expected = {a.path for a in search.heads(sample_edition) if any(p.page.label == "03" for p in a.story) and "太原" in search.story_text(a)}
        assert {r["href"].removeprefix(base).replace(".html", ".md") for r in on_page_3} == expected != set()
        everything = search_in_browser(page, f"{base}search/index.html?q=太原")
        in_month = search_in_browser(page, f"{base}search/index.html?q=太原&month=2021-12")
        assert page.eval_on_selector("select[name=month]", "s => s.selectedOptions[0].textContent") == "2021年12月"
        in_year = search_in_browser(page, f"{base}search/index.html?q=太原&year=2021")
        assert len(in_month) == len(in_year) == len(everything) > 0
        page.select_option("select[name=month]", label="2021年12月")  # a filter chosen by hand searches again
        page.wait_for_url("**month=*")
    page.close()


def test_a_story_split_over_pages_is_found_once_at_its_head(sample_site: Path, sample_edition: Edition, browser: Browser) -> None:
    page = browser.new_page()
    with serve_under(sample_site, "/paper/") as base:
        found = search_in_browser(page, f"{base}search/index.html?q=" + urllib.parse.quote("示例续文"))
        hrefs = [r["href"].removeprefix(base) for r in found]
        assert sorted(hrefs) == ["2021-12-10/01/xinghualing.html", "2021-12-10/01/xuanjiang.html", "2021-12-11/01/fenhe-gongyuan.html"]
    page.close()


def test_chrome_is_not_indexed(sample_site: Path, browser: Browser) -> None:
    page = browser.new_page()
    with serve_under(sample_site, "/paper/") as base:
        assert search_in_browser(page, f"{base}search/index.html?q=" + urllib.parse.quote("往期回顾")) == []
        assert search_in_browser(page, f"{base}search/index.html?q=" + urllib.parse.quote("返回本版")) == []
    page.close()


def test_the_search_page_loads_pagefind_before_the_reader_presses_enter(sample_site: Path, browser: Browser) -> None:
    """Opened without a query, the page fetches the folding table and the newest shard's code,
    WebAssembly and metadata at once: Enter waits only for its words' index and results."""
    context = browser.new_context()  # nothing cached from another test
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    with serve_under(sample_site, "/paper/") as base:
        page.goto(f"{base}search/index.html")
        page.wait_for_load_state("networkidle")
        before = [url.removeprefix(base) for url in asked]
        assert "search/fold.json" in before and "pagefind/2021-12/pagefind.js" in before
        assert any(url.endswith(".pf_meta") for url in before) and any("wasm" in url for url in before)
        asked.clear()
        page.fill("#search-q", "太原")
        page.press("#search-q", "Enter")
        page.wait_for_function("document.querySelectorAll('li.result').length > 0 && !document.querySelector('ol.results').hasAttribute('aria-busy')")
        after = [url.removeprefix(base) for url in asked if "pagefind/" in url or "fold.json" in url]
        assert after and all(".pf_index" in url or ".pf_fragment" in url for url in after), after
    context.close()


def test_a_search_page_opened_without_a_network_searches_once_it_is_back(sample_site: Path, browser: Browser) -> None:
    """What the page fetched as it opened failed: the search asks again, rather than failing on."""
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    with serve_under(sample_site, "/paper/") as base:
        page.route("**/pagefind/**", lambda route: route.abort("internetdisconnected"))
        page.route("**/fold.json", lambda route: route.abort("internetdisconnected"))
        page.goto(f"{base}search/index.html")
        page.wait_for_load_state("networkidle")
        assert f"{base}pagefind/2021-12/pagefind.js" in failed and f"{base}search/fold.json" in failed
        page.unroute("**/pagefind/**")
        page.unroute("**/fold.json")
        page.fill("#search-q", "书法")
        page.press("#search-q", "Enter")
        page.wait_for_function("document.querySelectorAll('li.result').length > 0 && !document.querySelector('ol.results').hasAttribute('aria-busy')")
    context.close()


def test_a_query_searches_every_month_newest_first(tmp_path: Path, built: Built, browser: Browser) -> None:
    """The index is one bundle per month: a query asks them newest first, a year's worth more at
    a time, and the reader can go on into earlier years."""
    months = [(2020 + (10 + m) // 12, (10 + m) % 12 + 1) for m in range(14)]  # 2020-11 .. 2021-12
    files = {"site.yaml": "title: 测试日报\n"}
    for year, month in months:
        day = f"{year}-{month:02d}-15"
        files[f"{day}/01/page.yaml"] = "name: 要闻\n"
        files[f"{day}/01/bingxue.md"] = article(f"{year}年{month}月的冰雪运动", "冰雪运动进校园。")
        files[f"{day}/01/other.md"] = article("别的新闻", "与此无关。")
    out = built(files)
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == [f"{y}-{m:02d}" for y, m in months]  # one index, every script's
    newest_first = [f"{y}-{m:02d}-15/01/bingxue.html" for y, m in reversed(months)]
    page = browser.new_page()
    with serve_under(out, "/paper/") as base:
        page.goto(f"{base}zh-hant/search/index.html?q=" + urllib.parse.quote("冰雪"))
        page.wait_for_function("document.querySelector('.search-status').textContent.includes('已搜索至')")
        first_round = page.eval_on_selector_all("li.result a", "links => links.map(a => a.href)")
        assert [h.removeprefix(f"{base}zh-hant/") for h in first_round] == newest_first[:13]  # the newest, then 12 more
        status = page.text_content(".search-status")
        assert status is not None and "2020年12月" in status and page.text_content("button.more") == "搜索更早的報紙"
        page.click("button.more")
        page.wait_for_function("document.querySelector('.search-status').textContent.includes('14')")
        everything = page.eval_on_selector_all("li.result a", "links => links.map(a => a.href)")
        assert [h.removeprefix(f"{base}zh-hant/") for h in everything] == newest_first
        assert page.locator("button.more").is_hidden()
        in_2020 = search_in_browser(page, f"{base}search/index.html?q=" + urllib.parse.quote("冰雪") + "&year=2020")
        assert [r["href"].removeprefix(base) for r in in_2020] == newest_first[-2:]
    page.close()


def test_search_bundles_do_not_depend_on_the_order_a_file_system_lists_files(tmp_path: Path) -> None:
    """ext4 lists a folder by a hash seeded per file system, tmpfs by age: Pagefind numbers pages in
    that order, and the build numbers them again by content, so both give the same bundles."""
    memory = Path("/dev/shm")
    if not memory.is_dir() or memory.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs a second file system (tmpfs at /dev/shm)")
    elsewhere = Path(tempfile.mkdtemp(dir=memory))
    try:
        for out in (tmp_path / "out", elsewhere / "out"):
            assert run("build", "--content", str(SAMPLE), "--out", str(out), "--no-cache").code == 0
        bundles = [{k: v for k, v in snapshot(out, marker=False).items() if "pagefind/" in k} for out in (tmp_path / "out", elsewhere / "out")]
        assert bundles[0] and bundles[0] == bundles[1]
    finally:
        shutil.rmtree(elsewhere)


def test_a_template_change_reuses_every_search_bundle_byte_for_byte(tmp_path: Path) -> None:
    """The search documents depend on the stories, not on the templates or the masthead: a full
    build after either change makes no document and takes every bundle as published, the same
    bytes a cold build makes; a glossary change makes the documents again."""
    from shuzibao.build.pipeline import Project, build
    from shuzibao.build.shard_reuse import location
    from shuzibao.urls import search_bundle

    templates, content = tmp_path / "templates", tmp_path / "content"
    shutil.copytree(ROOT / "templates", templates)
    shutil.copytree(SAMPLE, content)

    def bundles(out: Path) -> dict[str, str]:
        return {k: v for k, v in snapshot(out, marker=False).items() if "pagefind/" in k}

    project = Project(content, tmp_path / "out", templates, ROOT / "theme", tmp_path / "images")
    first = build(project, jobs=1)
    assert first.shards_indexed == 1 and first.shards_reused == 0  # one month, one index for the three scripts
    published = bundles(project.out)
    (templates / "base.html").write_text((templates / "base.html").read_text(encoding="utf-8").replace("<body>", "<body data-masthead=\"new\">"), encoding="utf-8")
    second = build(project, jobs=1)
    assert not second.cached and second.shards_indexed == 0 and second.shards_reused == 1
    assert second.documents_known == 2  # both issues' documents: not even made to be compared
    assert bundles(project.out) == published
    cold = build(Project(content, tmp_path / "cold", templates, ROOT / "theme", tmp_path / "images"), jobs=1)
    assert cold.shards_indexed == 1 and bundles(tmp_path / "cold") == published
    story = content / "2021-12-11/01/gongnuan.md"
    story.write_text(story.read_text(encoding="utf-8").replace("供暖", "供热"), encoding="utf-8")
    third = build(project, jobs=1)
    assert third.cached and third.shards_indexed == 1  # what goes into the month changed: made again
    assert bundles(project.out) != published and location(project.out).is_file()
    edited = bundles(project.out)
    settings = content / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("title: 太原日报", "title: 太原日报·数字报"), encoding="utf-8")
    masthead = build(project, jobs=1)
    assert not masthead.cached and masthead.documents_known == 2 and masthead.shards_reused == 1 and bundles(project.out) == edited
    settings.write_text(settings.read_text(encoding="utf-8").replace("在并: 在并", "在并: 在并\n  供热: 供熱氣"), encoding="utf-8")
    glossary = build(project, jobs=1)  # a glossary can change what the traditional scripts' metadata say
    assert glossary.documents_known == 0 and glossary.shards_indexed == 1
    cold = build(Project(content, tmp_path / "cold-again", templates, ROOT / "theme", tmp_path / "images"), jobs=1)
    assert bundles(project.out) == bundles(tmp_path / "cold-again")
    shutil.rmtree(project.out / search_bundle("2021-12"))  # a bundle lost from the output is made again, from documents made again
    settings.write_text(settings.read_text(encoding="utf-8").replace("title: 太原日报·数字报", "title: 太原日报"), encoding="utf-8")
    lost = build(project, jobs=1)
    assert lost.documents_known == 0 and lost.shards_indexed == 1 and bundles(project.out) == bundles(tmp_path / "cold-again")


def test_only_a_change_to_what_the_indexing_code_does_makes_the_bundles_again() -> None:
    """The bundles are keyed by the indexing code (search/), so that a changed indexer re-indexes
    the archive; a reworded docstring or comment, or code laid out otherwise, must not (at ten
    years that is 38 minutes of Pagefind)."""
    from shuzibao.build.shard_reuse import what_code_does

    source = (ROOT / "shuzibao/search/documents.py").read_text(encoding="utf-8")
    reworded = "# a comment\n\n" + source.replace("The documents Pagefind indexes", "What Pagefind reads", 1).replace("\n\n\n", "\n\n\n\n")
    assert reworded != source and what_code_does(reworded) == what_code_does(source)
    changed = source.replace("<main data-pagefind-body>", "<main data-pagefind-body class=story>", 1)
    assert changed != source and what_code_does(changed) != what_code_does(source)


def small_documents() -> list[tuple[str, bytes]]:
    """Three stories' documents, as search/documents.py makes them: a title, a page filter, a sort key."""
    documents = []
    for number, text in enumerate(["数 据 中 心 5G", "发 展 PM2 5", "太 原 数 据"]):
        document = (
            f'<html lang="zh-hans"><head><meta data-pagefind-meta="title[content]" content="第{number}篇">'
            f'<meta data-pagefind-filter="page[content]" content="{number + 1}">'
            f'<meta data-pagefind-sort="date[content]" content="2021-12-{10 + number}"></head>'
            f"<body><main data-pagefind-body>{text}</main></body></html>"
        )
        documents.append((f"2021-12-{10 + number}/01/a.html", document.encode()))
    return documents


def pagefind(site: Path, bundle: Path) -> Path:
    subprocess.run([str(pagefind_bin.get_executable()), "--site", str(site), "--output-path", str(bundle), "--silent"], check=True)
    return bundle


def test_what_pagefind_writes_is_read_and_written_back_byte_for_byte(tmp_path: Path) -> None:
    """The bundles are renumbered through cbor2 (search/canonical.py), which keeps no float sizes
    and no map order: Pagefind's index, filter and metadata files must hold neither, or a
    Pagefind upgrade could change what the browser reads."""
    canonical.lay_out(small_documents(), tmp_path / "documents")
    bundle = pagefind(tmp_path / "documents", tmp_path / "bundle")
    written = [p for p in bundle.rglob("*") if p.suffix in (".pf_index", ".pf_filter", ".pf_meta")]
    assert {p.suffix for p in written} == {".pf_index", ".pf_filter", ".pf_meta"}
    for path in written:
        raw = gzip.decompress(path.read_bytes()).removeprefix(MAGIC)
        assert cbor2.dumps(cbor2.loads(raw)) == raw, path.name


def test_a_bundle_pagefind_numbered_otherwise_than_laid_out_is_numbered_again(tmp_path: Path) -> None:
    """Should a file system list the laid-out documents otherwise to Pagefind than to the build,
    the index is numbered again by address: the same stories, words, filters and sorts, and the
    fragments byte for byte. Here two documents swap files after they were laid out."""
    canonical.lay_out(small_documents(), tmp_path / "laid-out")
    swapped = tmp_path / "swapped"
    canonical.lay_out(small_documents(), swapped)
    pages = canonical.pages_of(swapped)
    first, last = swapped / pages[0][0], swapped / pages[-1][0]
    first_bytes, last_bytes = first.read_bytes(), last.read_bytes()
    first.write_bytes(last_bytes)
    last.write_bytes(first_bytes)
    pages[0][0], pages[-1][0] = pages[-1][0], pages[0][0]
    (swapped / canonical.PAGES).write_text(json.dumps(pages), encoding="utf-8")
    bundles = []
    for site in (tmp_path / "laid-out", swapped):
        bundle = pagefind(site, tmp_path / f"bundle-{site.name}")
        meta = cbor2.loads(gzip.decompress(next(bundle.glob("*.pf_meta")).read_bytes()).removeprefix(MAGIC))
        numbered_by_pagefind = [sort[1] for sort in meta[4]]
        canonical.canonicalize(bundle, canonical.pages_of(site))
        bundles.append((bundle, numbered_by_pagefind))
    assert bundles[0][1] == [[0, 1, 2]] and bundles[1][1] == [[2, 1, 0]]  # in the order of the files each was given
    decoded = [decode(bundle) for bundle, _ in bundles]
    assert decoded[0] == decoded[1]
    assert [json.loads(fragment.removeprefix(MAGIC))["url"] for fragment in decoded[0]["fragments"]] == [f"/{path}" for path, _ in small_documents()]


def decode(bundle: Path) -> dict[str, Any]:
    """What a bundle says, whatever its files' names and compression."""
    def read(path: Path) -> Any:
        return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(MAGIC))
    meta = read(next(bundle.glob("*.pf_meta")))
    return {
        "fragments": [gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes()) for name, _ in meta[1]],
        "words": [read(bundle / "index" / f"{name}.pf_index") for _, _, name in meta[2]],
        "filters": [read(bundle / "filter" / f"{name}.pf_filter") for _, name in meta[3]],
        "sorts": meta[4],
        "meta": [meta[1], [chunk[:2] for chunk in meta[2]], meta[5]],
    }
