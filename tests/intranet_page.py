"""A page on another origin that embeds the web widget with one script tag."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness.servers import free_port


def intranet_page(script_url: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Intranet</title>'
        f"</head><body><h1>Intranet</h1><p>Nieuws van de organisatie.</p>"
        f'<script src="{script_url}" defer></script></body></html>'
    ).encode()


class IntranetPage:
    """Serves `body` on every path; its origin goes into CORS_ORIGINS or not."""

    def __init__(self):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.body = b""
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args):  # quiet test output
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
