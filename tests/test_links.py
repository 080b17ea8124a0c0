"""The built sample works from a sub-path of a plain static server: every internal link resolves."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from urllib.error import HTTPError

from conftest import serve_under

LINK = re.compile(r'(?:href|src|action)="([^"]+)"')


def test_every_internal_link_of_the_sample_resolves_under_a_sub_path(sample_site):
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
    assert len(html_pages) == len(list(sample_site.rglob("*.html")))  # every page is reachable
