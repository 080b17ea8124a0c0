"""Conversion to traditional scripts: text only, across inline markup, glossary locked.

Cases live in tests/fixtures/conversions.txt (markdown-it-py's fixture style); the built sample
shows the same rules hold on real pages.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import conversion_cases
import opencc
import pytest

from conftest import ROOT, Built, Tree, article, run
from shuzibao.build import cache, pipeline
from shuzibao.build.pipeline import Report
from shuzibao.content import article_body as body
from shuzibao.render import story_html
from shuzibao.scripts import dictionary
from shuzibao.scripts.conversion import Converter, _convert_tokens, localize
from shuzibao.scripts.site_words import words_for
from shuzibao.search import documents, page_data

FIXTURES = Path(__file__).parent / "fixtures" / "conversions.txt"


def read_fixtures(path: Path) -> list[tuple[str, str, dict[str, str], str, str]]:
    """Blocks of: title line, `.`, source lines, `.`, expected lines, `.`."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    cases, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        name, config, glossary = (part.strip() for part in lines[i].split("|"))  # config+corner: corner quotes
        sections, i = [], i + 2  # skip the title and the first dot
        for _ in range(2):
            end = lines.index(".", i)
            sections.append("\n".join(lines[i:end]))
            i = end + 1
        cases.append((name, config, json.loads(glossary), sections[0], sections[1]))
    return cases


CASES = read_fixtures(FIXTURES)


@pytest.mark.parametrize("name, config, glossary, source, expected", CASES, ids=[c[0] for c in CASES])
def test_conversion_fixture(name: str, config: str, glossary: dict[str, str], source: str, expected: str) -> None:
    tokens = body.parse(source)
    _convert_tokens(tokens, Converter(config.removesuffix("+corner"), glossary, quotes=config.endswith("+corner")))
    assert story_html.render(tokens, lambda src: src).strip() == expected


def test_fixture_file_is_read_whole() -> None:
    titles = [line for line in FIXTURES.read_text(encoding="utf-8").splitlines() if " | " in line and not line.startswith(("#", "|"))]
    assert len(CASES) == len(titles) >= 9


def test_front_matter_fields_convert_and_addresses_do_not(built: Built) -> None:
    out = built({
        "site.yaml": "title: 太原日报\nglossary:\n  数据中心: {zh-Hant: 資料中心}\n",
        "2021-12-10/01/page.yaml": "name: 要闻\neditor: 范晓东\n",
        "2021-12-10/01/shuju-zhongxin.md": article("数据中心发展", kicker="头发", subtitle="里面", author="钟发"),
    })
    html = (out / "zh-hant/2021-12-10/01/shuju-zhongxin.html").read_text(encoding="utf-8")
    assert "資料中心發展" in html and "頭髮" in html and "裡面" in html and "鍾發" in html
    assert "太原日報" in html and "要聞" in html
    assert 'href="../../../2021-12-10/01/shuju-zhongxin.html"' in html and "shuju-zhongxin" in html
    assert 'class="kicker"' in html  # classes untouched


def test_an_article_glossary_adds_to_the_site_glossary(built: Built) -> None:
    out = built({
        "site.yaml": "title: 报\nglossary:\n  在并: 在并\n",
        "2021-12-10/01/a.md": "---\ntitle: 余小明在并\nglossary:\n  余小明: 余小明\n---\n余小明说。\n",
        "2021-12-10/01/b.md": "---\ntitle: 余小明\n---\n余小明说。\n",
    })
    assert "余小明在并" in (out / "zh-hant/2021-12-10/01/a.html").read_text(encoding="utf-8")
    assert "餘小明" in (out / "zh-hant/2021-12-10/01/b.html").read_text(encoding="utf-8")


# --- The newsroom's dictionary (issue 19): real OpenCC with our entries in its chain -------------

DICTIONARY_CASES = conversion_cases.read(conversion_cases.FIXTURES / "dictionary.txt")


def batch(config: str, stock: bool = False, quotes: bool = False) -> Callable[[list[str]], list[str]]:
    converter = Converter(config, {}, quotes=quotes, stock=stock)
    return lambda sentences: [run[0] for run in converter.many([[s] for s in sentences])]


@pytest.mark.parametrize("config", conversion_cases.CONFIGS)
def test_every_dictionary_case_comes_out_right(config: str) -> None:
    misses = conversion_cases.misses(DICTIONARY_CASES, batch(config), config)
    assert [(m.case.line, m.case.source, m.got, m.expected) for m in misses] == []


def test_every_entry_has_a_case_that_it_decides() -> None:
    """An entry without a case could be removed or broken unseen: each phrase stands in a case's sentence, overlapping the span."""

    def covered(phrase: str) -> bool:
        for case in DICTIONARY_CASES:
            start = case.sentence.find(phrase)
            while start >= 0:
                if start < case.start + len(case.source) and case.start < start + len(phrase):
                    return True
                start = case.sentence.find(phrase, start + 1)
        return False

    every = [e for config in conversion_cases.CONFIGS for e in dictionary.entries(config)]
    assert len(every) >= 3 * 150
    assert [f"{e.file}:{e.line} {e.phrase}" for e in every if not covered(e.phrase)] == []


def test_the_cases_are_ones_stock_opencc_gets_wrong() -> None:
    """The dictionary earns its place: most of its cases are errors of OpenCC as it comes."""
    wrong = conversion_cases.misses(DICTIONARY_CASES, batch("s2tw", stock=True), "s2tw")
    assert len(wrong) >= 0.6 * len(DICTIONARY_CASES)


def test_every_form_reads_back_as_its_phrase_and_search_folds_it() -> None:
    """A form is the phrase in traditional characters (a typo would read back as another word), and
    the search page's fold table takes each character it writes where OpenCC wrote another back to
    the phrase's, so that a reader's query in either script still finds the story."""
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    fold = json.loads(page_data.fold_table())
    wrong = []
    for entry in dictionary.read(dictionary.SHARED):
        stock = s2t.convert(entry.phrase)
        new = [(f, p) for f, p, s in zip(entry.form, entry.phrase, stock, strict=True) if f != s and f != p]
        if t2s.convert(entry.form) != entry.phrase or any(p not in fold.get(f, "") for f, p in new):
            wrong.append(f"{entry.file}:{entry.line} {entry.phrase} {entry.form}")
    assert wrong == []


@pytest.mark.parametrize("half", ["tune.txt", "heldout.txt"])
@pytest.mark.parametrize("config", conversion_cases.CONFIGS)
def test_news_sentences_reach_the_target_and_nothing_stock_gets_right_is_made_wrong(half: str, config: str) -> None:
    """At least 95% of the cases where the words decide, per config, on both halves of our set
    (make bench-conversion prints the figures); no case that stock OpenCC gets right made wrong."""
    cases = conversion_cases.read(conversion_cases.NEWS / half)
    ours = conversion_cases.misses(cases, batch(config), config)
    stock = conversion_cases.misses(cases, batch(config, stock=True), config)
    assert len(cases) >= 200 and len(ours) <= 0.05 * len(cases)
    assert [m.case.sentence for m in ours if m.case not in {s.case for s in stock}] == []
    assert len(stock) > 2 * len(ours)  # the set is one where stock OpenCC goes wrong: the test can fail


def test_a_dictionary_file_that_is_malformed_is_a_fault_of_the_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "news.txt").write_text("# 注释\n头发\t頭髮\n发展\t發展展\n", encoding="utf-8")
    monkeypatch.setattr(dictionary, "FOLDER", tmp_path)
    with pytest.raises(dictionary.BadDictionary, match=r"news.txt:3: an entry is a phrase, a tab and a form of the same length"):
        dictionary.read("news.txt")


def test_editing_the_dictionary_makes_the_next_build_a_full_one(tmp_path: Path) -> None:
    package = tmp_path / "shuzibao"
    shutil.copytree(ROOT / "shuzibao", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.environment(cache.program(package, ()), [], [])
    with open(package / "scripts" / "dictionaries" / "news.txt", "a", encoding="utf-8") as entries:
        entries.write("新词\t新詞\n")
    assert cache.environment(cache.program(package, ()), [], []) != before


# --- Names, quotation marks, the command ---------------------------------------------------------


def test_bylines_authors_photographers_and_editors_are_converted_as_names(built: Built) -> None:
    out = built({
        "site.yaml": "title: 报\n",
        "2021-12-10/01/page.yaml": "name: 要闻\neditor: 范晓东\n",
        "2021-12-10/01/a.md": article(
            "干部作风", author=["于洋", "记者 余晓明"], photographer="钟华", body="本报讯（记者 于洋 通讯员 范丽）干部作风建设。\n\n（干建国）\n\n图为现场。 钟华 摄"
        ),
    })
    html = (out / "zh-hant/2021-12-10/01/a.html").read_text(encoding="utf-8")
    assert "（記者 于洋 通訊員 范麗）幹部作風" in html and "（干建國）" in html and "鍾華 攝" in html
    assert "於洋" not in html and "範" not in html and "餘曉明" not in html and "余曉明" in html
    data = json.loads((out / "zh-hant/2021-12-10/issue.json").read_text(encoding="utf-8"))
    story = data["pages"][0]["articles"][0]
    assert story["authors"] == ["于洋", "記者 余曉明"] and story["photographers"] == ["鍾華"] and data["pages"][0]["editor"] == "范曉東"


def test_corner_quotes_by_default_in_taiwan_and_hong_kong_and_as_written_elsewhere(built: Built, tmp_path: Path) -> None:
    variants = "  - {code: zh-Hant, label: 繁體, opencc: s2tw}\n  - {code: zh-HK, label: 香港, opencc: s2hk}\n  - {code: zh-Hantk, label: 原样, opencc: s2tw, quotes: keep}\n"
    out = built({
        "site.yaml": f"title: 报\nvariants:\n{variants}",
        "2021-12-10/01/a.md": article("“十四五”开局", body="他说：“要把‘实干’落到实处。”访问 <https://example.com/“x”> 或 `“代码”`。"),
    })
    for prefix in ("zh-hant/", "zh-hk/"):
        html = (out / prefix / "2021-12-10/01/a.html").read_text(encoding="utf-8")
        assert "「十四五」" in html and "「要把『實幹』落到實處。」" in html and "“" not in html.replace("https://example.com/“x”", "").replace("“代碼”", "")
        assert "https://example.com/“x”" in html and "<code>“代碼”</code>" in html
    assert "“十四五”" in (out / "zh-hantk/2021-12-10/01/a.html").read_text(encoding="utf-8")
    assert "“十四五”开局" in (out / "2021-12-10/01/a.html").read_text(encoding="utf-8")
    edition = pipeline.load_edition(tmp_path / "content", drafts=False, report=Report())
    variant = next(v for v in edition.site.variants if v.code == "zh-Hant")
    shown = localize(edition, variant)
    document = documents.index_document(next(edition.issues[0].articles()), [(variant, next(shown.issues[0].articles()), words_for(variant))])
    assert "「十四五」開局" in document and "「要把『實幹』" in document  # what search shows: title and excerpt


def test_convert_explains_each_difference_with_its_entry(tree: Tree) -> None:
    content = tree({"site.yaml": "title: 报\nglossary:\n  在并: 在并\n"})
    result = run("convert", "--explain", "本报讯（记者 于洋）会议并发布了“十四五”规划，在并落地", "--variant", "zh-Hant", "--content", str(content))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "OpenCC（s2tw）：本報訊（記者 於洋）會議併發布了“十四五”規劃，在並落地"
    assert lines[1] == "本报（zh-Hant）：本報訊（記者 于洋）會議並發布了「十四五」規劃，在并落地"
    entry = next(e for e in dictionary.entries("s2tw") if e.phrase == "并发")
    assert any("人名（署名）：于洋" in line for line in lines)
    assert any(f"词典 news.txt:{entry.line}：并发 → 並發" in line for line in lines)
    assert any("引号" in line for line in lines) and any("词表（glossary）：在并" in line for line in lines)
    plain = run("convert", "今天台风", "--variant", "s2hk", "--content", str(content))
    assert plain.code == 0 and plain.out.strip() == "今天颱風"
    unknown = run("convert", "发展", "--variant", "zh-TW", "--content", str(content))
    assert unknown.code == 2 and "没有字形版本“zh-TW”" in unknown.err


def test_a_regional_entry_joins_its_own_config_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """s2hk.txt goes in front of Hong Kong's variant stage: 臺 as a regional form, in s2hk alone."""
    for name in ("news.txt", "names.txt"):
        shutil.copy(dictionary.FOLDER / name, tmp_path / name)
    (tmp_path / "s2hk.txt").write_text("# 香港\n舞臺\t舞臺\n", encoding="utf-8")
    monkeypatch.setattr(dictionary, "FOLDER", tmp_path)
    dictionary.engine.cache_clear()
    try:
        assert dictionary.engine("s2hk").convert("舞台上，一个中国") == "舞臺上，一個中國"
        assert dictionary.engine("s2tw").convert("舞台") == "舞臺" and dictionary.engine("s2t").convert("一个中国") == "一個中國"
        assert [(e.phrase, e.file) for e in dictionary.entries("s2hk")][-1] == ("舞臺", "s2hk.txt")
    finally:
        dictionary.engine.cache_clear()
