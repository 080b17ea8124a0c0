"""A static file server for the built site: 127.0.0.1 by default, nothing outside the folder.

No directory listings, no `..` escapes, no symlinks out of the folder; missing files get a 404.
"""

from __future__ import annotations

import http.server
import os
from functools import partial
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        """The file for a URL, or a path that does not exist when the URL leaves the folder."""
        root = Path(self.directory).resolve()
        candidate = Path(super().translate_path(path)).resolve()
        if candidate != root and root not in candidate.parents:
            return str(root / "\0outside")
        return str(candidate)

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(404, "Not Found")
        return None

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for faults and rebuilds, not for every request


def make_server(folder: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = partial(SiteHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)
