"""Bad input and faults: 4xx for malformed requests, a Dutch reply for odd
messages, and a safe message while the action server is down or too slow.

The tests on real servers use the shared assistant (tests/shared_assistant.py);
the slow action server needs a short REPLY_TIMEOUT_SECONDS, so that path runs
the guard in-process with Rasa's own remote-action code instead."""

import asyncio
import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

from bot.channels.guard import clean_text, handle_message
from bot.channels.rest import MAX_BODY_BYTES, parse_body
from bot.content import load_protocol
from harness.servers import PROJECT_ROOT, http_json, stop
from tests.shared_assistant import RATE_LIMIT_PER_CONVERSATION, new_sender
from tests.test_e2e_rest import step_ids, texts

# --- Unit: body checks and text cleaning ---


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"\xff\xfe",
        b"[]",
        b'"tekst"',
        b"{}",
        b'{"sender": "a"}',
        b'{"message": "hoi"}',
        b'{"sender": 5, "message": "hoi"}',
        b'{"sender": "a", "message": ["hoi"]}',
        b'{"sender": "", "message": "hoi"}',
        b'{"sender": "a", "message": "hoi", "metadata": 3}',
        json.dumps({"sender": "x" * 500, "message": "hoi"}).encode(),
    ],
)
def test_malformed_bodies_are_refused(raw):
    with pytest.raises(ValueError):
        parse_body(raw)


def test_valid_body():
    assert parse_body(b'{"sender": "a", "message": "hoi"}') == {
        "sender": "a",
        "message": "hoi",
    }


def test_control_characters_are_removed_but_lines_kept():
    assert (
        clean_text("\x00de ouders\x07 weigeren\u0085 hulp\nnu\x1b") == "de ouders weigeren hulp\nnu"
    )
    assert clean_text(" \x00\x01 ") == ""


def test_api_is_off_unless_a_token_is_set_and_cors_only_for_configured_origins(monkeypatch):
    from bot.__main__ import server_args

    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    assert server_args() == []
    monkeypatch.setenv("RASA_API_TOKEN", "g" * 40)
    monkeypatch.setenv("CORS_ORIGINS", "https://intranet.example.nl, https://b.example.nl")
    # The token is not on the command line (ps shows it to every user).
    assert server_args() == [
        "--enable-api",
        "--cors",
        "https://intranet.example.nl",
        "https://b.example.nl",
    ]


# --- On real servers ---

# --- Web sessions, request size and rate limits, tried as an outsider would ---


@pytest.mark.integration
def test_forged_guessed_and_expired_web_sessions_are_refused_and_read_nothing(assistant):
    from bot.channels.sessions import SessionSigner
    from harness.servers import TEST_SESSION_SECRET, post_json

    url = f"{assistant.url}/webhooks/rest/webhook"
    owner = new_sender("eigenaar")
    sender = assistant.session(owner)
    assistant.say(owner, "ik blijf me zorgen maken over een leerling")
    assert step_ids(assistant.say(owner, "we hebben gemeld bij Veilig Thuis")) == [
        "melding.blijven_volgen",
        "melding.opnieuw_contact",
    ]
    prefix, issued, session, signature = sender.split(".")
    expired = SessionSigner(TEST_SESSION_SECRET.encode(), 0, clock=lambda: 1_600_000_000).issue()
    texts_ = load_protocol().channel_texts
    attempts = {
        assistant.conversation_id(owner): (401, "sessie_ontbreekt"),  # the stored id
        f"{prefix}.{issued}.{session}.{'0' * len(signature)}": (403, "sessie_onjuist"),
        f"{prefix}.{int(issued) + 1}.{session}.{signature}": (403, "sessie_onjuist"),
        SessionSigner(b"ander-geheim" * 4, 3600).issue(): (403, "sessie_onjuist"),
        expired: (401, "sessie_verlopen"),
    }
    for forged, (status, key) in attempts.items():
        code, body = post_json(url, {"sender": forged, "message": "opnieuw beginnen"})
        assert (code, body) == (status, {"error": texts_[key]}), forged
    # The owner's case is untouched: fase=gemeld, so a move needs no question.
    assert step_ids(assistant.say(owner, "het gezin is nu verhuisd naar Zwolle")) == [
        "verhuizing.contact_nieuwe_woonplaats",
        "verhuizing.overdracht_checken",
    ]
    assert http_json(f"{assistant.url}/webhooks/rest/session", {})["sender"] != sender


@pytest.mark.integration
def test_a_huge_body_is_refused_by_sanic_before_it_is_read(assistant):
    # /session has no size check of its own: only Sanic's limit (MAX_REQUEST_BYTES) answers.
    status, body = post(f"{assistant.url}/webhooks/rest/session", b"x" * 2_000_000)
    assert status == 413, body
    status, _ = post(f"{assistant.url}/webhooks/slack/webhook", b"{" + b" " * 1_000_000 + b"}")
    assert status == 413  # Slack's own limit is never reached: Sanic refuses first
    assert step_ids(assistant.say(new_sender("na-groot"), "de ouders weigeren hulp")) == [
        "weigering.direct_melden"
    ]


@pytest.mark.integration
def test_too_many_messages_in_one_conversation_get_429_in_dutch(assistant):
    url = f"{assistant.url}/webhooks/rest/webhook"
    sender = assistant.session(new_sender("te-veel"))
    statuses = []
    for _ in range(RATE_LIMIT_PER_CONVERSATION + 2):
        status, body = post(url, json.dumps({"sender": sender, "message": "hoi"}).encode())
        statuses.append(status)
    assert statuses[:RATE_LIMIT_PER_CONVERSATION] == [
        200
    ] * RATE_LIMIT_PER_CONVERSATION and statuses[RATE_LIMIT_PER_CONVERSATION:] == [429, 429]
    assert json.loads(body)[0]["text"] == load_protocol().channel_texts["te_veel"]
    # Other conversations go on.
    assert step_ids(assistant.say(new_sender("na-te-veel"), "de ouders weigeren hulp")) == [
        "weigering.direct_melden"
    ]


def post(url, data: bytes, content_type="application/json"):
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.integration
def test_malformed_requests_get_4xx_and_the_server_goes_on(assistant):
    url = f"{assistant.url}/webhooks/rest/webhook"
    bad = [
        b"{niet json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'{"sender": "a"}',
        b'{"sender": 1, "message": 2}',
        b'{"sender": "a", "message": null}',
    ]
    for body in bad:
        status, _ = post(url, body)
        assert 400 <= status < 500, body
    status, _ = post(url, b'{"sender": "a", "message": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}')
    assert status == 413
    assert step_ids(assistant.say("na-fouten", "de ouders weigeren hulp")) == [
        "weigering.direct_melden"
    ]


@pytest.mark.integration
@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "😀😀😀",
        "Привет, как дела?",
        "\x00\x01\x02",
        "مرحبا",
        "a" * 5000,
        "{{}}[]<script>",
        "\u202e\u200b",
    ],
)
def test_odd_messages_get_a_sensible_reply(assistant, message):
    reply = assistant.say(f"raar-{uuid.uuid4().hex}", message)
    assert reply and all(m.get("text") or m.get("custom") for m in reply)
    assert step_ids(reply) == []
    texts_ = load_protocol().channel_texts
    if len(message) > 2000:
        assert texts(reply) == texts_["te_lang"]
    if not clean_text(message):
        assert texts(reply) == texts_["leeg"]


@pytest.mark.integration
def test_action_server_down_gives_a_dutch_message_and_the_case_continues(assistant):
    sender = f"storing-{uuid.uuid4().hex}"
    assert assistant.say(sender, "ik blijf me zorgen maken over een leerling")  # the question
    stop(assistant.actions)
    try:
        started = time.monotonic()
        reply = assistant.say(sender, "we hebben gemeld bij Veilig Thuis")
        assert time.monotonic() - started < 5
        assert texts(reply) == load_protocol().channel_texts["geen_antwoord"]
        assert "0800-2000" in texts(reply)
    finally:
        assistant.start_actions()
    # Back up: the open question is still open, the answer now gives the steps.
    reply = assistant.say(sender, "we hebben gemeld bij Veilig Thuis")
    assert step_ids(reply) == ["melding.blijven_volgen", "melding.opnieuw_contact"]


@pytest.mark.integration
def test_http_api_is_off_and_other_origins_get_no_cors(assistant):
    for path in ("/conversations/iemand/tracker", "/status", "/model/parse"):
        request = urllib.request.Request(f"{assistant.url}{path}")
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=10)
        assert error.value.code in (404, 405)
    request = urllib.request.Request(
        f"{assistant.url}/webhooks/rest/webhook",
        method="OPTIONS",
        headers={"Origin": "https://elders.example.com", "Access-Control-Request-Method": "POST"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            headers = reply.headers
    except urllib.error.HTTPError as error:
        headers = error.headers
    assert headers.get("Access-Control-Allow-Origin") in (None, "")


class SlowActionServer:
    """A stub action server on loopback: healthy, but every action hangs."""

    def __init__(self, delay: float):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.calls = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # /health
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"status": "ok"}')

            def do_POST(self):  # /webhook
                stub.calls += 1
                time.sleep(delay)
                self.send_response(500)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def rasa_running_a_custom_action(action_server_url: str):
    """Stands in for Rasa's processor after the NLU: runs one custom action with
    Rasa's own RemoteAction (the HTTP call to the action server, its timeouts)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    action = RemoteAction("action_stappen_hulp_geweigerd", EndpointConfig(action_server_url))

    async def on_new_message(message):
        tracker = DialogueStateTracker(message.sender_id, domain.slots)
        nlg = TemplatedNaturalLanguageGenerator(domain.responses)
        for event in await action.run(message.output_channel, nlg, tracker, domain):
            if getattr(event, "text", None):
                await message.output_channel.send_response(message.sender_id, event.as_dict())

    return on_new_message


async def one_turn(turn):
    """Runs a turn, then closes the guard's health-check session of this loop
    (in the server it lives as long as the server)."""
    from bot.channels import guard

    try:
        await turn
    finally:
        session = guard._health["session"]
        if session is not None and not session.closed:
            await session.close()


@pytest.mark.integration  # starts a (stub) server
def test_slow_action_server_gives_a_dutch_message_within_seconds(monkeypatch, caplog):
    from rasa.core.channels.channel import CollectingOutputChannel

    slow = SlowActionServer(delay=30)
    monkeypatch.setenv("ACTION_SERVER_URL", slow.url)  # the guard's health check: up
    monkeypatch.setenv("REPLY_TIMEOUT_SECONDS", "3")
    output = CollectingOutputChannel()
    rasa = rasa_running_a_custom_action(slow.url)
    try:
        started = time.monotonic()
        asyncio.run(
            one_turn(handle_message("de ouders weigeren hulp", "traag", output, rasa, "rest"))
        )
        assert time.monotonic() - started < 8
    finally:
        slow.close()
    assert slow.calls == 1  # the action was asked for, and did not answer in time
    assert "Geen antwoord binnen 3.0 s" in caplog.text  # the timeout, not an error
    assert texts(output.messages) == load_protocol().channel_texts["geen_antwoord"]
    assert step_ids(output.messages) == []
