"""A stub of the Slack Web API on loopback, for tests of the Slack channel.

It records every call (method, Authorization header, body; a posted message
also gets the `ts` Slack would give it) and answers as Slack does:
`{"ok": true, ...}`. Point SLACK_API_URL at `stub.url`.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Optional
from urllib.parse import parse_qs

WAIT_SECONDS = 90


class SlackStub:
    def __init__(self) -> None:
        self.calls: List[Dict] = []
        self._count = 0
        self._changed = threading.Condition()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                method = self.path.rsplit("/", 1)[-1]
                answer = {"ok": True}
                if method == "chat.postMessage":
                    # Slack's answer names the message's ts; kept with the call for clicks.
                    body["ts"] = stub.next_ts()
                    answer.update(channel=body.get("channel"), ts=body["ts"])
                elif method == "auth.test":
                    answer.update(user_id="U0BOT", team_id="T0TEST", bot_id="B0BOT")
                stub._record(
                    {"method": method, "auth": self.headers.get("Authorization"), "body": body}
                )
                data = json.dumps(answer).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/api/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def next_ts(self) -> str:
        with self._changed:
            self._count += 1
            return f"1800000000.{self._count:06d}"

    def _record(self, call: Dict) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def posts(self, predicate: Callable[[Dict], bool] = lambda body: True) -> List[Dict]:
        """Bodies of the chat.postMessage calls that match."""
        with self._changed:
            return [
                c["body"]
                for c in self.calls
                if c["method"] == "chat.postMessage" and predicate(c["body"])
            ]

    def wait_for_post(
        self, predicate: Callable[[Dict], bool], timeout: float = WAIT_SECONDS
    ) -> Optional[Dict]:
        """The first matching postMessage, waiting for it if needed (None if it never came)."""
        with self._changed:
            self._changed.wait_for(lambda: bool(self.posts(predicate)), timeout=timeout)
        found = self.posts(predicate)
        return found[0] if found else None

    def __enter__(self) -> "SlackStub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
