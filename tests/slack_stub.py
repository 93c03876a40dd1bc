"""A stub of the Slack Web API on loopback, for tests of the Slack channel.

It records every call (method, Authorization header, body; a posted message
also gets the `ts` Slack would give it) and answers as Slack does:
`{"ok": true, ...}`. Point SLACK_API_URL at `stub.url`.

Scheduled messages (chat.scheduleMessage) are kept as Slack keeps them, can be
listed (chat.scheduledMessages.list) and deleted (chat.deleteScheduledMessage);
`deliver_due(now)` posts the due ones as Slack would, each once.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Optional
from urllib.parse import parse_qs

WAIT_SECONDS = 90
MAX_SCHEDULE_SECONDS = 120 * 24 * 60 * 60  # Slack's limit
SCHEDULE_METHODS = (
    "chat.scheduleMessage",
    "chat.scheduledMessages.list",
    "chat.deleteScheduledMessage",
)


class SlackStub:
    def __init__(self) -> None:
        self.calls: List[Dict] = []
        self.scheduled: Dict[str, Dict] = {}
        self.delivered: List[Dict] = []
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
                path, _, query = self.path.partition("?")
                method = path.rsplit("/", 1)[-1]
                # slack_sdk sends some arguments in the query string.
                body.update({k: v[0] for k, v in parse_qs(query).items()})
                answer = {"ok": True}
                if method == "chat.postMessage":
                    # Slack's answer names the message's ts; kept with the call for clicks.
                    body["ts"] = stub.next_ts()
                    answer.update(channel=body.get("channel"), ts=body["ts"])
                elif method == "auth.test":
                    answer.update(user_id="U0BOT", team_id="T0TEST", bot_id="B0BOT")
                elif method in SCHEDULE_METHODS:
                    answer = stub._scheduled(method, body)
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

    def _scheduled(self, method: str, body: Dict) -> Dict:
        with self._changed:
            if method == "chat.scheduleMessage":
                post_at = int(body.get("post_at") or 0)
                if post_at <= time.time():
                    return {"ok": False, "error": "time_in_past"}
                if post_at > time.time() + MAX_SCHEDULE_SECONDS:
                    return {"ok": False, "error": "time_too_far"}
                self._count += 1
                message_id = f"Q{self._count:08d}"
                self.scheduled[message_id] = {**body, "post_at": post_at, "id": message_id}
                return {
                    "ok": True,
                    "channel": body.get("channel"),
                    "scheduled_message_id": message_id,
                }
            if method == "chat.scheduledMessages.list":
                found = [
                    {
                        "id": m["id"],
                        "channel_id": m.get("channel"),
                        "post_at": m["post_at"],
                        "date_created": m["post_at"] - 1,
                        "text": m.get("text", ""),
                    }
                    for m in self.scheduled.values()
                    if not body.get("channel") or m.get("channel") == body.get("channel")
                ]
                return {"ok": True, "scheduled_messages": found}
            if method == "chat.deleteScheduledMessage":
                message = self.scheduled.get(body.get("scheduled_message_id"))
                if not message or message.get("channel") != body.get("channel"):
                    return {"ok": False, "error": "invalid_scheduled_message_id"}
                del self.scheduled[message["id"]]
                return {"ok": True}
            return {"ok": False, "error": "unknown_method"}

    def deliver_due(self, now: float) -> List[Dict]:
        """Posts the scheduled messages due at `now`, as Slack does, each once."""
        with self._changed:
            due = [m for m in self.scheduled.values() if m["post_at"] <= now]
            for message in due:
                del self.scheduled[message["id"]]
                self.delivered.append(message)
            return due

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
