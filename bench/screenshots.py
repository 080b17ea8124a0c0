"""Screenshots of the sample edition for docs/screenshots/: home, a page (版), an article and search,
at phone (390x844) and desktop (1280x800) size, in Debian's Chromium.   make screenshots

Chinese text needs CJK fonts on the machine (apt-get install fonts-noto-cjk); without them the
pictures show boxes, so the script refuses to run.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PAGES = {
    "home": "index.html",
    "page": "2021-12-10/01/index.html",
    "article": "2021-12-10/01/xinghualing.html",
    "search": "search/index.html?q=%E6%95%B0%E6%8D%AE%E4%B8%AD%E5%BF%83",
}
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not fonts.strip():
        print("no Chinese fonts: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        subprocess.run([sys.executable, "build.py", "build", "--out", str(site)], cwd=ROOT, check=True, capture_output=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
                for name, path in PAGES.items():
                    page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(OUT / f"{name}-{size}.png"))
                page.close()
            browser.close()
        server.shutdown()
    print(f"wrote {len(PAGES) * len(SIZES)} screenshots to {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
