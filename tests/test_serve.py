"""The preview server: loopback by default, nothing outside the output folder, no listings."""

from __future__ import annotations

import http.client
import threading
from pathlib import Path

from shuzibao.preview.server import make_server


def request(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", path)  # sent as written: no client-side normalisation of ..
    response = connection.getresponse()
    return response.status, response.read()


def test_server_serves_the_site_and_nothing_else(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "sub" / "page.html").write_text("page")
    (tmp_path / "secret.txt").write_text("secret")
    (site / "link").symlink_to(tmp_path / "secret.txt")
    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_port
        assert request(port, "/") == (200, b"home")
        assert request(port, "/sub/page.html") == (200, b"page")
        for path in ["/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/link"]:
            status, data = request(port, path)
            assert status == 404 and b"secret" not in data, path
        assert request(port, "/sub/")[0] == 404  # no directory listing
    finally:
        server.shutdown()
        server.server_close()
    assert server.server_address[0] == "127.0.0.1"
