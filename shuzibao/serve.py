"""A static file server for the built site: 127.0.0.1 by default, nothing outside the folder.

No directory listings, no `..` escapes, no symlinks out of the folder; missing files get a 404.
"""

from __future__ import annotations

import http.server
import os
from functools import partial
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):  # type: ignore[no-untyped-def]
        """404 for anything that resolves (through `..` or a symlink) outside the folder."""
        root = Path(self.directory).resolve()
        target = Path(self.translate_path(self.path)).resolve()
        if target != root and root not in target.parents:
            self.send_error(404, "Not Found")
            return None
        return super().send_head()

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(404, "Not Found")
        return None

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for faults and rebuilds, not for every request


def make_server(folder: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = partial(SiteHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)
