"""The HTTP server for the built site: 127.0.0.1 by default, nothing outside the folder.

No directory listings, no `..` escapes, no symlinks out of the folder. In preview it also pushes
a reload to open pages when a build finishes (Server-Sent Events), shows the current faults as an
overlay on every page, and never answers from a half-written site: requests wait while a rebuild
writes. None of that is in the files, so nothing of it reaches a published build.
"""

from __future__ import annotations

import html
import http.server
import mimetypes
import posixpath
import socket
import socketserver
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..faults import Fault

EVENTS = "/__shuzibao/events"


class ReadWriteLock:
    """Many readers, or one writer."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


@dataclass
class LiveState:
    """What the preview server knows of the builds: their count and the faults of the last one."""

    generation: int = 0
    faults: list[Fault] = field(default_factory=list)
    warnings: list[Fault] = field(default_factory=list)  # of the last good build
    lock: ReadWriteLock = field(default_factory=ReadWriteLock)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def finished(self, faults: list[Fault], warnings: list[Fault] | None = None) -> None:
        """A build is over: with `faults` it failed (the last good build's warnings stay)."""
        with self._changed:
            self.generation += 1
            self.faults = faults
            if not faults:
                self.warnings = warnings or []
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen, timeout)
            return self.generation


class SiteHandler(http.server.BaseHTTPRequestHandler):
    server_version = "shuzibao"

    def __init__(self, request: socket.socket, client: tuple[str, int], server: socketserver.BaseServer, *, folder: Path, live: LiveState | None):
        self.folder, self.live = folder, live
        super().__init__(request, client, server)  # handles the request: the folder must be set first

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for faults and rebuilds, not for every request

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def do_GET(self) -> None:
        if self.live is not None and self.path.split("?")[0] == EVENTS:
            return self.events()
        self.respond(send_body=True)

    def respond(self, send_body: bool) -> None:
        path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        if self.live is None:
            status, headers, body = self.read(path)
        else:
            with self.live.lock.reading():
                status, headers, body = self.read(path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def read(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a URL path; 404 for anything outside the folder."""
        root = self.folder.resolve()
        target = (root / posixpath.normpath(path).lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return self.not_found()
        if target.is_dir():
            if not path.endswith("/"):
                return 301, {"Location": urllib.parse.quote(path) + "/"}, b""
            target = target / "index.html"
        if not target.is_file():
            page = root / "404.html"  # the site's own, as static hosts show it
            if target.suffix in ("", ".html") and (page.is_file() or (self.live is not None and self.live.faults)):
                body = page.read_bytes() if page.is_file() else b"<!doctype html><body></body>"
                return 404, {"Content-Type": "text/html; charset=utf-8"}, inject(body, self.live) if self.live is not None else body
            return self.not_found()
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html" and self.live is not None:
            body = inject(body, self.live)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        headers = {"Content-Type": kind}
        if self.live is not None:
            headers["Cache-Control"] = "no-store"
        return 200, headers, body

    def not_found(self) -> tuple[int, dict[str, str], bytes]:
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, "404 找不到这个页面\n".encode()

    def events(self) -> None:
        """Server-Sent Events: the build generation now, then each time it changes."""
        assert self.live is not None
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while True:
                generation = self.live.wait(seen, timeout=15)
                message = f"data: {generation}\n\n" if generation != seen else ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = generation
        except (BrokenPipeError, ConnectionResetError):
            pass


# Reload when a build newer than the one this page came from has finished.
RELOAD = """<script>(() => {
  const shown = "%s";
  new EventSource("%s").onmessage = (event) => { if (event.data !== shown) location.reload(); };
})();</script>"""


def inject(page: bytes, live: LiveState) -> bytes:
    """The preview's additions to a page: the reload script and, after a failed build, the faults;
    after a good one, its warnings (folded, for they do not stop publishing)."""
    extra = RELOAD % (live.generation, EVENTS)
    if live.faults:
        heading = f"<strong>构建失败：{len(live.faults)} 处错误。改正后页面会自动刷新；下面显示的是上一次成功构建的页面。</strong>"
        extra += overlay("div", "shuzibao-faults", "alert", ("#3b0d0d", "#ff5c5c"), heading, live.faults)
    elif live.warnings:
        heading = f'<summary style="cursor:pointer"><strong>{len(live.warnings)} 条警告</strong>（不影响发布，但请看一看；点此展开）</summary>'
        extra += overlay("details", "shuzibao-warnings", "status", ("#3b300d", "#f0c000"), heading, live.warnings)
    text = page.decode("utf-8")
    at = text.rfind("</body>")
    return (text[:at] + extra + text[at:] if at != -1 else text + extra).encode("utf-8")


def overlay(element: str, ident: str, role: str, colours: tuple[str, str], heading: str, faults: list[Fault]) -> str:
    """A box fixed over the bottom of the page: `heading`, then each fault on its own line."""
    background, border = colours
    items = "".join(f"<li>{html.escape(str(f))}</li>" for f in faults)
    return (
        f'<{element} id="{ident}" role="{role}" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;'
        f"z-index:99999;margin:0;padding:.75rem 1rem;background:{background};color:#fff;font:14px/1.6 monospace;"
        f'white-space:pre-wrap;border-top:4px solid {border}">{heading}'
        f'<ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul></{element}>'
    )


def make_server(folder: Path, host: str, port: int, live: LiveState | None = None) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer((host, port), partial(SiteHandler, folder=folder, live=live))
    server.daemon_threads = True
    return server
