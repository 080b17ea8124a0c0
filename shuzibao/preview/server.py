"""The HTTP server for the built site: 127.0.0.1 by default, nothing outside the folder.

No directory listings, no `..` escapes, no symlinks out of the folder. In preview it also pushes
a reload to open pages when a build finishes (Server-Sent Events), shows the current faults as an
overlay on every page, and never answers from a half-written site: requests wait while a rebuild
writes. None of that is in the files, so nothing of it reaches a published build.

Whatever a client sends, it gets an answer and the terminal no traceback: a request that names no
file (a NUL, a bad percent-escape, a name too long) gets 400 or 404, one the standard library cannot
parse its 4xx, and a client that goes away is let go. A host or port that cannot be listened on is
the user's to change (CannotListen: exit 2).
"""

from __future__ import annotations

import errno
import html
import http.server
import mimetypes
import posixpath
import re
import socket
import socketserver
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..faults import Fault

EVENTS = "/__shuzibao/events"
DEFAULT_PORT = 8000
PORTS_TRIED = 20  # ports from DEFAULT_PORT on tried when --port is not given, before any free one
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
Answer = tuple[int, dict[str, str], bytes]  # status, headers, body


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
    default_request_version = "HTTP/1.0"  # so that the answer to a request line it cannot read has a status line (HTTP/0.9 has none)
    timeout = 60  # seconds a silent client may hold its connection: one that went away frees its thread

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
        try:
            status, headers, body = self.answer()
        except Exception as error:  # a fault of the program: said in one line, and the request still answered
            say_internal_error(error)
            status, headers, body = plain(500, "500 预览服务器内部错误（程序的问题），终端里有说明\n")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def answer(self) -> Answer:
        path = url_path(self.path)
        if path is None:
            return plain(400, "400 地址无效：请检查网址\n")
        if self.live is None:
            return self.read(path)
        with self.live.lock.reading():
            return self.read(path)

    def read(self, path: str) -> Answer:
        """Status, headers and body for a decoded URL path; 404 for anything outside the folder."""
        if "\\" in path:  # a Windows-style separator: no file of a site has one, and it must never mean a folder
            return self.not_found()
        try:
            return self.read_file(self.folder.resolve(), path)
        except (OSError, RuntimeError):  # a name too long, a symlink loop (RuntimeError until Python 3.13), an unreadable file
            return self.not_found()

    def read_file(self, root: Path, path: str) -> Answer:
        clean = posixpath.normpath(path).lstrip("/")
        target = (root / clean).resolve()
        if target != root and root not in target.parents:
            return self.not_found()
        if target.is_dir():
            if not path.endswith("/"):  # to the normalised path: never to //host/, another site
                return 301, {"Location": urllib.parse.quote(f"/{clean}/" if clean else "/")}, b""
            target = target / "index.html"
        if not target.is_file():
            page = root / "404.html"  # the site's own, as static hosts show it
            if target.suffix in ("", ".html") and (page.is_file() or (self.live is not None and self.live.faults)):
                body = page.read_bytes() if page.is_file() else b"<!doctype html><body></body>"
                return 404, *self.typed(body, "text/html")
            return self.not_found()
        return 200, *self.typed(target.read_bytes(), mimetypes.guess_type(target.name)[0] or "application/octet-stream")

    def typed(self, body: bytes, kind: str) -> tuple[dict[str, str], bytes]:
        """The headers for a file's bytes, and the bytes: in preview, a UTF-8 page with the reload
        script and faults added. A text file that is not UTF-8 goes out as it is, with no charset
        claimed for it (and a page with nothing added: its bytes cannot be edited as text)."""
        if (kind.startswith("text/") or kind in ("application/javascript", "application/json")) and is_utf8(body):
            if kind == "text/html" and self.live is not None:
                body = inject(body, self.live)
            kind += "; charset=utf-8"
        headers = {"Content-Type": kind}
        if self.live is not None:
            headers["Cache-Control"] = "no-store"
        return headers, body

    def not_found(self) -> Answer:
        return plain(404, "404 找不到这个页面\n")

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
        except OSError:  # the page was closed or the client went away (reset, or silent past the timeout)
            pass


def url_path(target: str) -> str | None:
    """The path a request's target names, decoded; None when it can name no file: not a path from
    the root, a bad percent-escape, bytes that are not UTF-8, a NUL."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or BAD_ESCAPE.search(path):
        return None
    try:  # the request line was read as Latin-1: its bytes again, then percent-decoded, then UTF-8
        decoded = urllib.parse.unquote_to_bytes(path.encode("latin-1")).decode("utf-8")
    except UnicodeError:
        return None
    return None if "\0" in decoded else decoded


def plain(status: int, text: str) -> Answer:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def say_internal_error(error: BaseException) -> None:
    print(f"预览服务器内部错误（程序的问题，不是稿件的问题）：{type(error).__name__}: {error}", file=sys.stderr, flush=True)


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


class PreviewServer(http.server.ThreadingHTTPServer):
    """A thread per request, a listen backlog for bursts, and no traceback for a client that left."""

    daemon_threads = True
    # The kernel's queue of connections not yet accepted. The default, 5, drops the rest of a burst
    # (a page and its files, many tabs, a test's 200 clients at once): each dropped client waits a
    # second or more for its retry. The kernel caps it at net.core.somaxconn.
    request_queue_size = 1024

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, ConnectionError | TimeoutError):  # a client that went away is no fault
            say_internal_error(error)


class PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


def make_server(folder: Path, host: str, port: int, live: LiveState | None = None) -> PreviewServer:
    kind = PreviewServer6 if ":" in host else PreviewServer  # --host ::1
    return kind((host, port), partial(SiteHandler, folder=folder, live=live))


class CannotListen(Exception):
    """The host or port cannot be listened on: the user's to change, said in Chinese (exit 2)."""


class PortBusy(CannotListen):
    pass


def listen(folder: Path, host: str, port: int | None, live: LiveState | None = None) -> PreviewServer:
    """The server on `host` at `port`; with no port asked for, DEFAULT_PORT or, when another program
    has it, the next free one (as Hugo does): an editor who runs two previews gets two."""
    if port is not None:
        return bind(folder, host, port, live)
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED):
        try:
            return bind(folder, host, candidate, live)
        except PortBusy:
            continue
    return bind(folder, host, 0, live)  # the kernel picks a free one


def bind(folder: Path, host: str, port: int, live: LiveState | None) -> PreviewServer:
    try:
        return make_server(folder, host, port, live)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortBusy(f"端口 {port} 已被占用（另一个预览或别的程序正在用它）：请关掉那个程序，或用 --port 换一个端口；不写 --port 则自动找一个空闲端口") from error
        if error.errno == errno.EACCES:
            raise CannotListen(f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）：请用 --port 换一个，例如 --port 8000") from error
        why = "找不到这个地址" if isinstance(error, socket.gaierror) else "这不是本机的地址" if error.errno == errno.EADDRNOTAVAIL else error.strerror or str(error)
        raise CannotListen(f"无法在地址 {host} 上监听（{why}）：只在本机预览用 --host 127.0.0.1，让同一网络的同事也能看用 --host 0.0.0.0") from error


def address(server: PreviewServer) -> str:
    """The preview's address as a browser takes it."""
    host, port = server.socket.getsockname()[:2]
    return f"http://[{host}]:{port}/" if server.address_family == socket.AF_INET6 else f"http://{host}:{port}/"
