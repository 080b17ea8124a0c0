"""Shared test helpers: write content trees, run the real command, serve output under a sub-path."""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import http.server
import io
import os
import shutil
import tempfile
import textwrap
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from shuzibao.cli import main

if TYPE_CHECKING:  # Playwright is imported only by the tests that open Chromium
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content"
CHROMIUM = Path("/usr/bin/chromium")

# The preview keeps its folder in the user's cache folder between runs; the tests' previews keep
# theirs in one thrown away with the test run.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="shuzibao-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


SITE = "title: 测试日报\n"
PAGE = "name: 要闻\n"


def article(title: str | None = "标题", body: str = "正文。", **front: object) -> str:
    """An article file: front matter from keyword arguments, then the body."""
    lines = ["---"]
    if title is not None:
        lines.append(f"title: {title}")
    lines += [f"{key}: {value}" for key, value in front.items()]
    return "\n".join([*lines, "---", body, ""])


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write a content tree; a site.yaml (unless there is one) and page.yaml files are added where
    the test gives none."""
    written = dict(files)
    if not (root / "site.yaml").exists():
        written.setdefault("site.yaml", SITE)
    for rel in list(written):
        parts = rel.split("/")
        if len(parts) == 3 and parts[2].endswith(".md"):
            written.setdefault(f"{parts[0]}/{parts[1]}/page.yaml", PAGE)
    for rel, data in written.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(textwrap.dedent(data) if data.startswith("\n") else data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*args: str) -> Run:
    """The real command line, in process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args), root=ROOT)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


class Tree(Protocol):
    """What the `tree` fixture gives: write a content tree, get its folder."""

    def __call__(self, files: Mapping[str, str | bytes]) -> Path: ...


class Built(Protocol):
    """What the `built` fixture gives: build a content tree (with these command-line options), get
    the output folder."""

    def __call__(self, files: Mapping[str, str | bytes], *options: str) -> Path: ...


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """`tree({...})` writes a content tree and returns its folder."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "content", files)

    return make


@pytest.fixture
def built(tmp_path: Path) -> Built:
    """`built({...})` builds a tree and returns the output folder; the build must succeed."""

    def make(files: Mapping[str, str | bytes], *options: str) -> Path:
        content = write_tree(tmp_path / "content", files)
        out = tmp_path / "out"
        result = run("build", "--content", str(content), "--out", str(out), *options)
        assert result.code == 0, result.err
        return out

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample edition in content/, built once for the session."""
    out = tmp_path_factory.mktemp("sample") / "dist"
    result = run("build", "--content", str(SAMPLE), "--out", str(out))
    assert result.code == 0, result.err
    return out


@contextlib.contextmanager
def serve_under(folder: Path, prefix: str = "/sub/path/") -> Iterator[str]:
    """Serve `folder` with Python's plain static server at http://127.0.0.1:PORT{prefix}."""
    root = folder.parent / "served"
    shutil.rmtree(root, ignore_errors=True)
    target = root / prefix.strip("/")
    target.parent.mkdir(parents=True)
    os.symlink(folder, target)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Real Chromium from Debian. Skipped only where it is missing, and never in CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium (apt-get install chromium): browser tests may not be skipped")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()


def snapshot(folder: Path, marker: bool = True) -> dict[str, str]:
    """Every file of a built site by its digest. Without `marker`, leave out the marker file: it
    holds a token of the build that made the folder, to tie it to its cache."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (marker or p.name != ".shuzibao-output")
    }


def scan_image(width: int = 600, height: int = 900, kind: str = "JPEG", shade: int = 0) -> bytes:
    """A stand-in page scan: rows of dark marks on white, like columns of print."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, height - 20, 14):
        for x in range(20, width - 20, 12):
            if (x * 7 + y * 3 + shade) % 5:
                draw.rectangle([x, y, x + 9, y + 9], fill=(40 + shade % 100, 40, 40))
    data = io.BytesIO()
    image.save(data, kind)
    return data.getvalue()


def pdf_file(pages: int = 1) -> bytes:
    """A small real PDF."""
    from PIL import Image

    data = io.BytesIO()
    frames = [Image.new("RGB", (200, 300), "white") for _ in range(pages)]
    frames[0].save(data, "PDF", save_all=True, append_images=frames[1:])
    return data.getvalue()
