"""Conversion to traditional scripts: text only, across inline markup, glossary locked.

Cases live in tests/fixtures/conversions.txt (markdown-it-py's fixture style); the built sample
shows the same rules hold on real pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Built, article
from shuzibao.content import article_body as body
from shuzibao.render import story_html
from shuzibao.scripts.conversion import Converter, _convert_tokens

FIXTURES = Path(__file__).parent / "fixtures" / "conversions.txt"


def read_fixtures(path: Path) -> list[tuple[str, str, dict[str, str], str, str]]:
    """Blocks of: title line, `.`, source lines, `.`, expected lines, `.`."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    cases, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        name, config, glossary = (part.strip() for part in lines[i].split("|"))
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
    _convert_tokens(tokens, Converter(config, glossary))
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
