"""Readers' budgets, audited on the built sample edition (issue: readers on phones).

- weight: every article page's HTML + CSS + JS, gzip-compressed, at most 30 KB, and no request
  to any other host (stylesheets, scripts, images, icons);
- validity: every page type in every script through the W3C Nu HTML checker (npm `vnu-jar`, Java);
- Lighthouse (npm `lighthouse`, mobile mode, Debian's Chromium) on the home page, a page (版),
  an article and the search page: performance, accessibility, best practices and SEO, each >= 95.

The npm tools are installed into bench/.tools/ on first use. Prints a table; exits 1 when a budget
is missed.   python bench/audit.py  (or: make audit)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / ".tools"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
PAGE_TYPES = {
    "home": "index.html",
    "page (版)": "2021-12-10/01/index.html",
    "article": "2021-12-10/01/xinghualing.html",
    "search": "search/index.html?q=%E6%95%B0%E6%8D%AE%E4%B8%AD%E5%BF%83",
}
RESOURCE = re.compile(r'<(?:link[^>]+rel="(?:stylesheet|icon)"[^>]*href|script[^>]*src|img[^>]*src)="([^"]+)"')


def tools() -> Path:
    if not (TOOLS / "node_modules" / ".bin" / "lighthouse").exists():
        print("installing lighthouse and vnu-jar into bench/.tools ...", flush=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "lighthouse@12", "vnu-jar"], check=True)
    return TOOLS / "node_modules"


def weight(site: Path) -> tuple[int, list[str]]:
    """The heaviest article page, compressed with what it loads; and any request to another host."""
    heaviest, foreign = 0, []
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        total = len(gzip.compress(html.encode("utf-8")))
        for link in RESOURCE.findall(html):
            if link.startswith(("http:", "https:", "//")):
                foreign.append(f"{page.relative_to(site)}: {link}")
            else:
                target = (page.parent / link.split("?")[0]).resolve()
                if target.suffix in (".css", ".js"):
                    total += len(gzip.compress(target.read_bytes()))
        if page.name != "index.html" and re.search(r"\d{4}-\d{2}-\d{2}/[^/]+/[^/]+\.html$", page.as_posix()):
            heaviest = max(heaviest, total)  # an article page
    return heaviest, foreign


def validate(site: Path, node_modules: Path) -> list[str]:
    pages = [site / p.split("?")[0] for p in PAGE_TYPES.values()] + [site / "archive/index.html", site / "2021-12-10/index.html"]
    pages += [site / "zh-hant" / p.relative_to(site) for p in pages]
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", *map(str, pages)], capture_output=True, text=True)
    return [line for line in result.stderr.splitlines() if line.strip()]


def lighthouse(base: str, node_modules: Path) -> dict[str, dict[str, int]]:
    scores = {}
    for name, path in PAGE_TYPES.items():
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run(
                [str(node_modules / ".bin" / "lighthouse"), base + path, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
                 "--only-categories=performance,accessibility,best-practices,seo", "--output=json", f"--output-path={report.name}"],
                env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin:/usr/local/bin"}, check=True, capture_output=True,
            )
            categories = json.loads(Path(report.name).read_text())["categories"]
        scores[name] = {key: round(value["score"] * 100) for key, value in categories.items()}
    return scores


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    node_modules = tools()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        subprocess.run([sys.executable, "build.py", "build", "--out", str(site)], cwd=ROOT, check=True, capture_output=True)
        heaviest, foreign = weight(site)
        errors = validate(site, node_modules)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        scores = lighthouse(f"http://127.0.0.1:{server.server_port}/", node_modules)
        server.shutdown()
    ok = heaviest <= 30 * 1024 and not foreign and not errors and all(s >= 95 for page in scores.values() for s in page.values())
    print(f"heaviest article page, HTML + CSS + JS gzipped: {heaviest / 1024:.1f} KB (budget 30 KB)")
    print(f"requests to other hosts: {len(foreign)}" + "".join(f"\n  {f}" for f in foreign))
    print(f"Nu HTML checker errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors))
    print("\n| Lighthouse (mobile) | performance | accessibility | best practices | SEO |\n|---|---|---|---|---|")
    for name, s in scores.items():
        print(f"| {name} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
