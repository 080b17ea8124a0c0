"""The edition a reader gets: home, issues, pages (版), articles, jumps, archive, drafts."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Built, article


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_every_page_type_is_written(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": article("甲"), "2021-12-10/02/b.md": article("乙")})
    for path in ["index.html", "archive/index.html", "2021-12-10/index.html", "2021-12-10/01/index.html",
                 "2021-12-10/01/a.html", "2021-12-10/02/index.html", "2021-12-10/02/b.html"]:
        assert (out / path).is_file(), path


def test_home_page_is_the_latest_issue_first_page_with_the_page_list(built: Built) -> None:
    out = built({
        "2021-12-09/01/old.md": article("旧闻"),
        "2021-12-10/01/new.md": article("新闻"),
        "2021-12-10/02/more.md": article("更多"),
    })
    home = read(out, "index.html")
    assert "新闻" in home and "旧闻" not in home
    assert "2021年12月10日 星期五" in home
    assert 'href="2021-12-10/02/index.html"' in home  # the page list
    assert 'href="2021-12-10/01/new.html"' in home


def test_issue_page_lists_every_page_with_its_name_and_articles(built: Built) -> None:
    out = built({
        "2021-12-10/01/page.yaml": "name: 要闻\n",
        "2021-12-10/01/a.md": article("头条"),
        "2021-12-10/04/page.yaml": "name: 副刊\n",
        "2021-12-10/04/b.md": article("散文"),
    })
    html = read(out, "2021-12-10/index.html")
    assert html.index("第1版") < html.index("要闻") < html.index("头条") < html.index("第4版") < html.index("副刊") < html.index("散文")


def test_pages_sort_by_letter_then_number_and_show_labels_without_zeros(built: Built) -> None:
    out = built({
        "2021-12-10/A01/a.md": article("甲"),
        "2021-12-10/A02/b.md": article("乙"),
        "2021-12-10/B1/c.md": article("丙"),
        "2021-12-10/10/d.md": article("丁"),
        "2021-12-10/2/e.md": article("戊"),
    })
    html = read(out, "2021-12-10/index.html")
    shown = re.findall(r'class="label">(第[^<]+版)<', html)
    assert shown == ["第2版", "第10版", "第A1版", "第A2版", "第B1版"]
    page = read(out, "2021-12-10/A01/index.html")
    assert "第A1版" in page and 'rel="next" href="../A02/index.html"' in page and 'rel="prev" href="../10/index.html"' in page


def test_article_shows_kicker_title_subtitle_byline_date_and_page(built: Built) -> None:
    out = built({
        "2021-12-10/01/page.yaml": "name: 要闻\n",
        "2021-12-10/01/a.md": article("我市有了两个国家双创示范基地", kicker="全面贯彻新发展理念", subtitle="张新伟出席", author="[赵继钊, 殷雪莺]"),
    })
    html = read(out, "2021-12-10/01/a.html")
    assert '<p class="kicker">全面贯彻新发展理念</p>' in html
    assert '<h1 class="title">我市有了两个国家双创示范基地</h1>' in html
    assert "——张新伟出席" in html
    assert "赵继钊、殷雪莺" in html
    assert "2021年12月10日" in html and "第1版 要闻" in html


def test_articles_follow_order_then_file_name(built: Built) -> None:
    out = built({
        "2021-12-10/01/a.md": article("无序甲"),
        "2021-12-10/01/b.md": article("第二", order=2),
        "2021-12-10/01/c.md": article("第一", order=1),
        "2021-12-10/01/d.md": article("无序乙"),
    })
    html = read(out, "2021-12-10/01/index.html")
    assert [html.index(t) for t in ["第一", "第二", "无序甲", "无序乙"]] == sorted(html.index(t) for t in ["第一", "第二", "无序甲", "无序乙"])
    first = read(out, "2021-12-10/01/c.html")
    assert 'rel="next" href="b.html"' in first


def test_previous_and_next_article_run_across_pages(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": article("甲"), "2021-12-10/02/b.md": article("乙")})
    assert 'rel="next" href="../02/b.html"' in read(out, "2021-12-10/01/a.html")
    assert 'rel="prev" href="../01/a.html"' in read(out, "2021-12-10/02/b.html")


def test_previous_and_next_issue(built: Built) -> None:
    out = built({"2021-12-09/01/a.md": article("甲"), "2021-12-10/01/b.md": article("乙"), "2021-12-13/01/c.md": article("丙")})
    html = read(out, "2021-12-10/index.html")
    assert 'rel="prev" href="../2021-12-09/index.html"' in html and 'rel="next" href="../2021-12-13/index.html"' in html


CHAIN = {
    "2021-12-10/01/page.yaml": "name: 要闻\n",
    "2021-12-10/01/story.md": article("一个跨三版的故事", body="第一部分。"),
    "2021-12-10/03/page.yaml": "name: 综合\n",
    "2021-12-10/03/story-2.md": article(None, body="第二部分。", continues="01/story"),
    "2021-12-10/05/page.yaml": "name: 专题\n",
    "2021-12-10/05/story-3.md": article(None, body="第三部分。", continues="03/story-2"),
}


def test_jumps_link_both_ways_along_a_chain_over_three_pages(built: Built) -> None:
    out = built(CHAIN)
    head = read(out, "2021-12-10/01/story.html")
    middle = read(out, "2021-12-10/03/story-2.html")
    tail = read(out, "2021-12-10/05/story-3.html")
    assert '（下转<a href="../03/story-2.html">第3版</a>）' in head
    assert '（上接<a href="../01/story.html">第1版</a>）' in middle
    assert '（下转<a href="../05/story-3.html">第5版</a>）' in middle
    assert '（上接<a href="../03/story-2.html">第3版</a>）' in tail
    assert "下转" not in tail.split("<main")[1]


def test_the_whole_story_reads_on_the_head_part_page(built: Built) -> None:
    out = built(CHAIN)
    head = read(out, "2021-12-10/01/story.html")
    assert head.index("第一部分") < head.index("第二部分") < head.index("第三部分")
    tail = read(out, "2021-12-10/05/story-3.html")
    assert "第一部分" not in tail and 'href="../01/story.html">阅读全文' in tail


def test_continuation_takes_the_head_title_and_shows_on_its_page_listing(built: Built) -> None:
    out = built(CHAIN)
    assert "一个跨三版的故事" in read(out, "2021-12-10/03/story-2.html")
    listing = read(out, "2021-12-10/03/index.html")
    assert "一个跨三版的故事" in listing and "（上接" in listing and "（下转" in listing


def test_typed_markers_that_agree_become_the_generated_links_once(built: Built) -> None:
    out = built({
        "2021-12-10/01/a.md": article("转版", body="第一段。\n\n（下转第3版）"),
        "2021-12-10/03/a-2.md": article(None, body="(上接第1版)\n\n第二段。", continues="01/a"),
    })
    head = read(out, "2021-12-10/01/a.html")
    assert head.count("下转") == 1 and "（下转第3版）" not in head
    assert read(out, "2021-12-10/03/a-2.html").count("上接") == 1


def test_drafts_are_left_out_of_a_published_build(built: Built) -> None:
    files = {"2021-12-10/01/a.md": article("公开稿"), "2021-12-10/01/b.md": article("草稿稿件", draft="true")}
    out = built(files)
    assert not (out / "2021-12-10/01/b.html").exists()
    assert "草稿稿件" not in read(out, "2021-12-10/01/index.html")


def test_drafts_are_built_with_the_drafts_option(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": article("公开稿"), "2021-12-10/01/b.md": article("草稿稿件", draft="true")}, "--drafts")
    assert (out / "2021-12-10/01/b.html").exists()


def test_archive_lists_every_issue_by_year_and_month(built: Built) -> None:
    out = built({
        "2020-12-31/01/a.md": article("甲"),
        "2021-01-04/01/b.md": article("乙"),
        "2021-12-10/01/c.md": article("丙"),
    })
    html = read(out, "archive/index.html")  # the latest year's page, the years listed newest first
    assert html.index("2021年") < html.index("2020年") < html.index("2021年12月") < html.index("2021年1月")
    year = read(out, "archive/2021/index.html")
    assert "2020年12月" not in html and "2021年12月" in year and "2020年12月" not in year
    for date in ["2021-01-04", "2021-12-10"]:
        assert f'href="../{date}/index.html"' in html
    assert 'href="../../2020-12-31/index.html"' in read(out, "archive/2020/index.html")


def test_images_beside_the_article_are_published_and_linked_in_every_script(built: Built) -> None:
    out = built({
        "2021-12-10/01/photo.md": article("图片新闻", body="![师生观看直播](zhibo.svg)\n\n图为师生观看现场直播。", photographer="牛利敏"),
        "2021-12-10/01/zhibo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })
    assert (out / "2021-12-10/01/zhibo.svg").is_file()
    assert not (out / "zh-hant/2021-12-10/01/zhibo.svg").exists()
    assert 'src="zhibo.svg" alt="师生观看直播"' in read(out, "2021-12-10/01/photo.html")
    assert 'src="../../../2021-12-10/01/zhibo.svg"' in read(out, "zh-hant/2021-12-10/01/photo.html")
    assert "牛利敏 摄" in read(out, "2021-12-10/01/photo.html")


def test_raw_html_in_a_body_is_shown_as_text(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": article("安全", body='<script>alert(1)</script>\n\n段落<b onclick="x">粗</b>')})
    html = read(out, "2021-12-10/01/a.html")
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<b onclick" not in html


def test_front_matter_text_is_escaped(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": article('"<i>斜</i>"')})
    assert "&lt;i&gt;斜" in read(out, "2021-12-10/01/a.html")


def test_every_variant_has_the_same_tree_and_links_to_each_other(built: Built) -> None:
    out = built({"site.yaml": "title: 测试日报\nvariants:\n  - {code: zh-Hant, label: 繁體, opencc: s2tw}\n  - {code: zh-HK, label: 香港繁體, opencc: s2hk}\n",
                 "2021-12-10/01/a.md": article("数据中心发展")})
    source = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if not p.relative_to(out).as_posix().startswith("zh-"))
    for prefix, code in [("zh-hant/", "zh-Hant"), ("zh-hk/", "zh-HK")]:
        for path in source:
            html = read(out, prefix + path)
            assert f'<html lang="{code}">' in html
        article_html = read(out, prefix + "2021-12-10/01/a.html")
        assert "數據中心發展" in article_html
        assert 'href="../../../2021-12-10/01/a.html" hreflang="zh-Hans"' in article_html
    assert 'href="../../zh-hk/2021-12-10/01/a.html"' in read(out, "2021-12-10/01/a.html")


def test_site_words_are_in_each_script(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": article("甲")})
    assert "往期回顧" in read(out, "zh-hant/index.html") and "往期回顾" in read(out, "index.html")
