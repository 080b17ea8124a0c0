"""The built sample works from a sub-path of a plain static server: every internal link resolves."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

from conftest import serve_under

LINK = re.compile(r'(?:href|src|action)="([^"]+)"')


def unlinked(page: Path) -> bool:
    """Pages that no page links to: 404.html (a host shows it) and the redirects at moved
    articles' old addresses."""
    return page.name == "404.html" or 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def test_every_internal_link_of_the_sample_resolves_under_a_sub_path(sample_site: Path) -> None:
    with serve_under(sample_site, "/archive/tyrb/") as base:
        seen: set[str] = set()
        queue = [base]
        broken = []
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                with urllib.request.urlopen(url) as response:
                    kind = response.headers.get_content_type()
                    data = response.read()
            except HTTPError as error:
                broken.append(f"{url}: {error.code}")
                continue
            if kind != "text/html":
                continue
            for link in LINK.findall(data.decode("utf-8")):
                assert not link.startswith("/"), f"absolute link {link} in {url}"
                if link.startswith(("http:", "https:", "mailto:")):
                    continue
                target = urllib.parse.urljoin(url, link).split("#")[0].split("?")[0]
                assert target.startswith(base), f"{link} in {url} leaves the site"
                queue.append(target)
    assert not broken
    html_pages = [u for u in seen if u.endswith(".html")]
    linked = [p for p in sample_site.rglob("*.html") if not unlinked(p)]
    assert len(html_pages) == len(linked)  # every page is reachable


def test_every_sample_page_exists_in_every_script_with_its_lang_and_a_switch_to_the_same_page(sample_site: Path) -> None:
    scripts = {"": "zh-Hans", "zh-hant/": "zh-Hant", "zh-hk/": "zh-HK"}
    source_pages = [p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html")]
    source_pages = [p for p in source_pages if not p.startswith(("zh-hant/", "zh-hk/")) and not unlinked(sample_site / p)]
    assert len(source_pages) > 25
    for page in source_pages:
        for prefix, lang in scripts.items():
            path = sample_site / (prefix + page)
            html = path.read_text(encoding="utf-8")
            assert f'<html lang="{lang}">' in html, prefix + page
            switches = dict(re.findall(r'<a class="script" href="([^"]+)" hreflang="([^"]+)"', html))
            assert sorted(switches.values()) == sorted(set(scripts.values()) - {lang}), prefix + page
            for link, target_lang in switches.items():
                target = (path.parent / link).resolve()
                other_prefix = next(p for p, code in scripts.items() if code == target_lang)
                assert target == (sample_site / (other_prefix + page)).resolve(), f"{prefix + page} -> {link}"
