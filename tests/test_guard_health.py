"""The guard's memory of the action server's /health (bot/channels/guard.py):
asked once per HEALTH_REMEMBERED_SECONDS, and at once again when the action
server stops in between (its probe connection closes)."""

import asyncio
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.channels import guard


class HealthStub:
    """A loopback server that answers GET /health and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's server

            def do_GET(self):
                stub.calls += 1
                body = b'{"status": "ok"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def get_request(self):
                connection, address = super().get_request()
                stub.connections.append(connection)
                return connection, address

        self.connections = []
        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Like a stopped process: the listening socket and every connection close."""
        self.server.shutdown()
        self.server.server_close()
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # closed already


@pytest.fixture
def stub(monkeypatch):
    server = HealthStub()
    monkeypatch.setenv("ACTION_SERVER_URL", server.url)
    yield server
    server.stop()


async def _checks(count: int):
    try:
        return [await guard.action_server_up() for _ in range(count)]
    finally:
        guard.forget_health()
        await guard._health["session"].close()


def test_health_is_asked_once_for_messages_close_together(stub):
    assert asyncio.run(_checks(5)) == [True] * 5
    assert stub.calls == 1


def test_health_is_asked_again_after_the_remembered_seconds(stub, monkeypatch):
    monkeypatch.setattr(guard, "HEALTH_REMEMBERED_SECONDS", 0.0)
    assert asyncio.run(_checks(3)) == [True] * 3
    assert stub.calls == 3


def test_a_stopped_action_server_is_noticed_within_the_remembered_seconds(stub):
    async def scenario():
        first = await guard.action_server_up()
        stub.stop()
        await asyncio.sleep(0.05)  # the server's other work, while the close arrives
        return first, await guard.action_server_up()

    async def run():
        try:
            return await scenario()
        finally:
            guard.forget_health()
            await guard._health["session"].close()

    assert asyncio.run(run()) == (True, False)
