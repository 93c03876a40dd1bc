"""Signed web sessions and the REST channel's refusals (bot.channels.sessions, rest)."""

import asyncio
import json
import os

import pytest

from bot import settings
from bot.channels import rate_limit, sessions
from bot.channels.rest import SafeRestInput
from bot.content import load_protocol

SECRET = b"s" * 40


class FakeRequest:
    def __init__(self, body: dict, address: str = "10.0.0.1"):
        self.body = json.dumps(body).encode()
        self.remote_addr = ""
        self.ip = address


class Rasa:
    """Stands in for Rasa: records the conversation id and answers once."""

    def __init__(self):
        self.senders = []

    async def __call__(self, message):
        self.senders.append(message.sender_id)
        await message.output_channel.send_response(message.sender_id, {"text": "antwoord"})


@pytest.fixture(autouse=True)
def fresh_limits_and_signer(monkeypatch, tmp_path):
    monkeypatch.setattr(rate_limit, "_limiters", {})
    monkeypatch.setattr(sessions, "_signer", sessions.SessionSigner(SECRET, 3600))
    monkeypatch.delenv("ACTION_SERVER_URL", raising=False)  # guard: no health check
    monkeypatch.setattr(settings, "LOCAL_DATA_DIR", tmp_path)


def send(body: dict, rasa=None, address="10.0.0.1"):
    rasa = rasa or Rasa()
    reply = asyncio.run(SafeRestInput().receive(FakeRequest(body, address), rasa))
    return reply.status, json.loads(reply.body), rasa


def new_sender() -> str:
    reply = asyncio.run(SafeRestInput().new_session(FakeRequest({})))
    return json.loads(reply.body)["sender"]


def test_a_session_from_the_server_reaches_its_own_web_conversation():
    sender = new_sender()
    status, messages, rasa = send({"sender": sender, "message": "ouders weigeren hulp"})
    assert status == 200 and messages[0]["text"] == "antwoord"
    (conversation,) = rasa.senders
    assert conversation.startswith("web:") and conversation == sessions.signer().conversation_id(
        sender
    )
    assert sender.split(".")[-1] not in conversation  # the signature is not stored


@pytest.mark.parametrize(
    "sender, status, key",
    [
        ("U0SLACKUSER", 401, "sessie_ontbreekt"),  # a Slack user id
        ("slack:T1:D0DM", 401, "sessie_ontbreekt"),
        ("teams:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee:29:1abc", 401, "sessie_ontbreekt"),
        ("web:abc", 401, "sessie_ontbreekt"),  # a stored id, guessed
        ("web.1700000000.abc.0123456789abcdef0123456789abcdef", 403, "sessie_onjuist"),
    ],
)
def test_an_unsigned_or_forged_sender_is_refused_and_reaches_nothing(sender, status, key):
    code, body, rasa = send({"sender": sender, "message": "het gezin is verhuisd naar Zwolle"})
    assert code == status and body == {"error": load_protocol().channel_texts[key]}
    assert rasa.senders == []


def test_a_changed_session_id_or_signature_is_refused():
    sender = new_sender()
    prefix, issued, session, signature = sender.split(".")
    other = "A" if session[0] != "A" else "B"
    for forged in (
        f"{prefix}.{issued}.{other}{session[1:]}.{signature}",  # another conversation
        f"{prefix}.{int(issued) + 99999}.{session}.{signature}",  # a longer life
        f"{prefix}.{issued}.{session}.{signature[:-1]}{'0' if signature[-1] != '0' else '1'}",
    ):
        code, _, rasa = send({"sender": forged, "message": "hoi"})
        assert code == 403 and rasa.senders == []


def test_a_session_of_another_server_secret_is_refused():
    other = sessions.SessionSigner(b"t" * 40, 3600).issue()
    assert send({"sender": other, "message": "hoi"})[0] == 403


def test_an_old_session_is_refused_as_expired():
    now = [1_700_000_000.0]
    signer = sessions.SessionSigner(SECRET, 3600, clock=lambda: now[0])
    sender = signer.issue()
    assert signer.conversation_id(sender).startswith("web:")
    now[0] += 3601
    with pytest.raises(sessions.SessionRefused) as refused:
        signer.conversation_id(sender)
    assert refused.value.status == 401 and refused.value.text_key == "sessie_verlopen"


def test_two_sessions_are_two_conversations():
    assert len({sessions.signer().conversation_id(new_sender()) for _ in range(50)}) == 50


def test_metadata_is_not_passed_on_to_be_stored():
    class Recording(Rasa):
        async def __call__(self, message):
            self.metadata = message.metadata
            await super().__call__(message)

    rasa = Recording()
    body = {"sender": new_sender(), "message": "hoi", "metadata": {"naam": "Jesse van Dijk"}}
    assert send(body, rasa)[0] == 200
    assert not rasa.metadata


def test_too_many_messages_in_one_conversation_get_429_with_the_dutch_text(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_PER_CONVERSATION", "3")
    sender, rasa = new_sender(), Rasa()
    codes = [send({"sender": sender, "message": "hoi"}, rasa)[0] for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    _, messages, _ = send({"sender": sender, "message": "hoi"}, rasa)
    assert messages[0]["text"] == load_protocol().channel_texts["te_veel"]
    assert len(rasa.senders) == 3  # the limited messages never reached the NLU
    assert send({"sender": new_sender(), "message": "hoi"}, rasa)[0] == 200  # others go on


def test_too_many_requests_from_one_address_get_429(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_PER_ADDRESS", "2")
    codes = [send({"sender": new_sender(), "message": "hoi"}, address="10.9.9.9")[0]]
    codes += [send({"sender": "x", "message": "hoi"}, address="10.9.9.9")[0] for _ in range(2)]
    # The session request and the first message count; then 429, also before parsing.
    assert codes[-1] == 429
    _, body, _ = send({"sender": "x", "message": "hoi"}, address="10.9.9.9")
    assert body == {"error": load_protocol().channel_texts["te_veel"]}
    assert send({"sender": "x", "message": "hoi"}, address="10.1.1.1")[0] == 401


def test_the_rate_limiter_forgets_after_its_window():
    now = [0.0]
    limiter = rate_limit.RateLimiter(2, window=60, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    now[0] = 61
    assert limiter.allow("a")


def test_without_a_secret_setting_one_is_generated_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv("WEB_SESSION_SECRET", raising=False)
    first = sessions.load_secret()
    assert first == sessions.load_secret() and len(first) >= sessions.MIN_SECRET_CHARS
    path = tmp_path / sessions.SECRET_FILE_NAME
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_a_short_secret_setting_is_refused(monkeypatch):
    monkeypatch.setenv("WEB_SESSION_SECRET", "kort")
    with pytest.raises(settings.SettingsError, match="32"):
        sessions.load_secret()


def test_sanic_refuses_large_bodies_from_the_setting(monkeypatch):
    from sanic import Sanic

    monkeypatch.setenv("MAX_REQUEST_BYTES", "300000")
    settings.limit_request_size()
    app = Sanic(f"grootte_{os.getpid()}", configure_logging=False)
    assert app.config.REQUEST_MAX_SIZE == 300_000
    monkeypatch.setenv("MAX_REQUEST_BYTES", "nul")
    settings.limit_request_size()
    assert os.environ["SANIC_REQUEST_MAX_SIZE"] == str(settings.DEFAULT_MAX_REQUEST_BYTES)


def test_the_rest_blueprint_registers_its_three_routes_on_a_sanic_app():
    from sanic import Sanic

    app = Sanic(f"rest_{os.getpid()}", configure_logging=False)
    app.blueprint(SafeRestInput().blueprint(Rasa()), url_prefix="/webhooks/rest")
    app.router.finalize()
    paths = {route.path for route in app.router.routes}
    assert {"webhooks/rest", "webhooks/rest/webhook", "webhooks/rest/session"} <= paths
