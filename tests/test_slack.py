"""The Slack channel without servers: signatures, events, retries, buttons, output.

Requests are signed with slack_sdk's SignatureVerifier (Slack's own code),
which is first checked against the example in Slack's documentation.
"""

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs, urlencode

import pytest
from rasa.shared.exceptions import InvalidConfigException
from sanic.compat import Header
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.channels import slack as slack_channel
from bot.channels.slack import (
    DEFAULT_API_URL,
    RecentEvents,
    SlackInput,
    SlackOutput,
    api_url,
    signature_problem,
)
from bot.channels.slack_blocks import buttons_message
from bot.content import load_protocol
from bot.render import render_answer

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
USER_TEXT = "de ouders weigeren hulp voor hun zoon"


class FixedClock:
    def __init__(self, now):
        self.value = now

    def now(self):
        return self.value


def test_the_test_signer_matches_slacks_documented_example():
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
        "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
        "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert (
        SignatureVerifier(SECRET).generate_signature(timestamp="1531420618", body=body) == signature
    )
    assert SignatureVerifier(SECRET, FixedClock(1531420618)).is_valid(body, "1531420618", signature)
    # The same request today: correctly signed, but years old.
    request = FakeRequest(
        body.encode(), {"X-Slack-Request-Timestamp": "1531420618", "X-Slack-Signature": signature}
    )
    assert not channel().is_request_from_slack_authentic(request)


class FakeRequest:
    def __init__(self, body: bytes, headers: dict, form=None):
        self.body = body
        self.headers = Header(headers)
        self.form = form or {}


def signed(body: bytes, content_type="application/json", age=0, secret=SECRET, extra=None):
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        **(extra or {}),
    }
    form = None
    if content_type == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qs

        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    return FakeRequest(body, headers, form)


def channel(**credentials) -> SlackInput:
    return SlackInput.from_credentials(
        {
            "slack_token": "xoxb-test",
            "slack_signing_secret": SECRET,
            "use_threads": True,
            **credentials,
        }
    )


def event_body(
    text=USER_TEXT, event_type="message", channel_id="D0DM", ts="1700000000.000100", **event
):
    return {
        "type": "event_callback",
        "event_id": f"Ev{ts}",
        "team_id": "T1",
        "authorizations": [{"user_id": "U0BOT", "is_bot": True}],
        "event": {
            "type": event_type,
            "channel": channel_id,
            "channel_type": "im",
            "user": "U0USER",
            "text": text,
            "ts": ts,
            **event,
        },
    }


class FakeClient:
    def __init__(self):
        self.calls = []
        self.updates = []
        self.error = None

    async def chat_postMessage(self, **kwargs):  # noqa: N802 - slack_sdk's name
        if self.error:
            raise self.error
        self.calls.append(kwargs)
        return {"ok": True}

    async def chat_update(self, **kwargs):
        self.updates.append(kwargs)
        return {"ok": True}


@pytest.fixture
def client(monkeypatch):
    fake = FakeClient()
    monkeypatch.setattr(slack_channel, "AsyncWebClient", lambda *args, **kwargs: fake)
    monkeypatch.delenv("ACTION_SERVER_URL", raising=False)  # guard: no health check
    return fake


class Assistant:
    """Stands in for Rasa: records each message and answers like the real bot."""

    def __init__(self, fail=False):
        self.messages = []
        self.fail = fail

    async def __call__(self, message):
        self.messages.append(message)
        if self.fail:
            raise RuntimeError("kapot")
        answer = render_answer(load_protocol(), "hulp_geweigerd")
        await message.output_channel.send_response(
            message.sender_id, {"text": answer.text, "custom": answer.payload, "timestamp": 1.0}
        )


def run(slack: SlackInput, request: FakeRequest, assistant=None):
    """One webhook call plus the turn it starts in the background."""
    assistant = assistant or Assistant()

    async def call():
        reply = await slack.receive(request, assistant)
        await asyncio.gather(*slack.turns)
        return reply

    return asyncio.run(call()), assistant


def test_a_signed_message_is_answered_in_its_thread_with_the_steps(client, caplog):
    caplog.set_level(logging.DEBUG)
    reply, assistant = run(
        channel(), signed(json.dumps(event_body(f"<@U0BOT> {USER_TEXT}")).encode())
    )
    assert reply.status == 200
    (message,) = assistant.messages
    assert message.text == USER_TEXT and message.sender_id == "slack:T1:D0DM"
    assert message.input_channel == "slack"
    # Only where to answer is stored with the message: no user ids or names.
    assert message.metadata == {"out_channel": "D0DM", "thread_id": "1700000000.000100"}
    (post,) = client.calls
    assert post["channel"] == "D0DM" and post["thread_ts"] == "1700000000.000100"
    assert "as_user" not in post
    step = load_protocol().steps["weigering.direct_melden"]
    assert f"Bron: {step.source}" in json.dumps(post["blocks"], ensure_ascii=False)
    assert USER_TEXT not in caplog.text


@pytest.mark.parametrize(
    "change", ["secret", "body", "old", "future", "no_signature", "no_timestamp", "bad_timestamp"]
)
def test_a_badly_signed_or_stale_request_is_refused(client, change, caplog):
    body = json.dumps(event_body()).encode()
    request = signed(
        body,
        secret="ander-geheim" if change == "secret" else SECRET,
        age={"old": 301, "future": -301}.get(change, 0),
    )
    if change == "body":
        request.body = body.replace(b"hulp", b"help")
    if change == "no_signature":
        del request.headers["X-Slack-Signature"]
    if change == "no_timestamp":
        del request.headers["X-Slack-Request-Timestamp"]
    if change == "bad_timestamp":
        request.headers["X-Slack-Request-Timestamp"] = "gisteren"
    reply, assistant = run(channel(), request)
    assert reply.status == 401
    assert assistant.messages == [] and client.calls == []
    assert "Slack-verzoek geweigerd" in caplog.text


def test_a_request_just_inside_five_minutes_is_accepted(client):
    reply, assistant = run(channel(), signed(json.dumps(event_body()).encode(), age=290))
    assert reply.status == 200 and len(assistant.messages) == 1


def test_the_log_says_why_a_signature_was_refused():
    now = 1_700_000_000
    assert "ontbreekt" in signature_problem(Header({}), now)
    assert "geen getal" in signature_problem(
        Header({"X-Slack-Signature": "v0=1", "X-Slack-Request-Timestamp": "x"}), now
    )
    assert "5 minuten" in signature_problem(
        Header({"X-Slack-Signature": "v0=1", "X-Slack-Request-Timestamp": str(now - 400)}), now
    )
    assert "SLACK_SIGNING_SECRET" in signature_problem(
        Header({"X-Slack-Signature": "v0=1", "X-Slack-Request-Timestamp": str(now)}), now
    )


def test_the_url_verification_challenge_is_echoed_as_plain_text(client):
    body = {
        "token": "x",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    reply, assistant = run(channel(), signed(json.dumps(body).encode()))
    assert reply.status == 200 and reply.body == body["challenge"].encode()
    assert reply.content_type.startswith("text/plain")
    assert assistant.messages == []


def test_a_retry_or_a_second_event_for_the_same_message_is_not_answered_again(client):
    slack = channel(slack_channel="C0TEAM")
    first = event_body(channel_id="C0TEAM", channel_type="channel")
    retry = signed(
        json.dumps(first).encode(),
        extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"},
    )
    mention = event_body(f"<@U0BOT> {USER_TEXT}", event_type="app_mention", channel_id="C0TEAM")
    assistant = Assistant()
    assert run(slack, signed(json.dumps(first).encode()), assistant)[0].status == 200
    duplicate, _ = run(slack, retry, assistant)
    assert duplicate.status == 200 and duplicate.headers.get("X-Slack-No-Retry") == "1"
    run(slack, signed(json.dumps(mention).encode()), assistant)
    assert len(assistant.messages) == 1 and len(client.calls) == 1


@pytest.mark.parametrize(
    "event",
    [
        {"bot_id": "B1"},  # the assistant's own answers
        {"subtype": "channel_join"},
        {"subtype": "message_changed"},
        {"channel_type": "channel", "channel": "C0OTHER"},  # a channel it was not asked in
    ],
)
def test_events_that_are_not_questions_are_acknowledged_and_ignored(client, event):
    body = event_body(**{"ts": "1700000000.000200", **event})
    reply, assistant = run(channel(), signed(json.dumps(body).encode()))
    assert reply.status == 200 and assistant.messages == [] and client.calls == []


BUTTONS = [
    {"title": "Opnieuw beginnen", "payload": "/opnieuw_beginnen"},
    {"title": "Veilig Thuis bellen: 0800-2000", "payload": "/vraag_veilig_thuis"},
]


def button_click(value="/vraag_veilig_thuis"):
    payload = {
        "type": "block_actions",
        "user": {"id": "U0USER", "username": "niet.bewaren", "team_id": "T1"},
        "team": {"id": "T1", "domain": "school"},
        "channel": {"id": "D0DM"},
        "container": {"type": "message", "message_ts": "1700000001.000300"},
        "message": {
            "ts": "1700000001.000300",
            "thread_ts": "1700000000.000100",
            "blocks": buttons_message("Wilt u nog iets weten?", BUTTONS)["blocks"],
        },
        "actions": [
            {
                "type": "button",
                "action_id": "knop_1",
                "value": value,
                "text": {"type": "plain_text", "text": "Veilig Thuis bellen: 0800-2000"},
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_a_button_click_is_sent_on_as_its_payload_in_the_same_thread(client):
    reply, assistant = run(channel(), signed(button_click(), "application/x-www-form-urlencoded"))
    assert reply.status == 200
    (message,) = assistant.messages
    assert message.text == "/vraag_veilig_thuis" and message.sender_id == "slack:T1:D0DM"
    assert "niet.bewaren" not in json.dumps(message.metadata)  # no profile names
    assert client.calls[0]["thread_ts"] == "1700000000.000100"
    # The buttons make way for the choice, so the thread shows what was clicked.
    (update,) = client.updates
    assert (update["channel"], update["ts"]) == ("D0DM", "1700000001.000300")
    assert [b["type"] for b in update["blocks"]] == ["section", "context"]
    assert update["blocks"][-1]["elements"][0]["text"] == "U koos: *Veilig Thuis bellen: 0800-2000*"


def test_an_empty_message_gets_the_dutch_answer_of_the_guard(client):
    reply, assistant = run(channel(), signed(json.dumps(event_body("<@U0BOT>")).encode()))
    assert reply.status == 200 and assistant.messages == []
    assert client.calls[0]["text"] == load_protocol().channel_texts["leeg"]


def test_a_failing_turn_still_gets_the_safe_message(client):
    reply, _ = run(channel(), signed(json.dumps(event_body()).encode()), Assistant(fail=True))
    assert reply.status == 200
    assert [c["text"] for c in client.calls] == [load_protocol().channel_texts["geen_antwoord"]]


def test_a_refusal_by_slack_is_logged_by_its_code_without_the_text(client, caplog):
    client.error = SlackApiError("fout", {"ok": False, "error": "not_in_channel"})
    output = SlackOutput("xoxb-test", "C0TEAM", "1.2")
    asyncio.run(output.send_text_message("U0USER", "Geheime tekst"))
    assert "not_in_channel" in caplog.text and "Geheime tekst" not in caplog.text


def test_other_custom_payloads_are_never_posted_raw(client):
    output = SlackOutput("xoxb-test", "D0DM")
    message = {
        "text": "Casus 1",
        "buttons": [{"title": "1. Melden", "payload": "/x"}],
        "custom": {"type": "oefencasus", "casus_id": "c1"},
    }
    asyncio.run(output.send_response("U0USER", message))
    (post,) = client.calls
    assert post["blocks"][-1]["type"] == "actions" and "casus_id" not in json.dumps(post)


def test_recent_events_are_forgotten_after_the_retry_window():
    now = [0.0]
    recent = RecentEvents(window=100, max_size=2, clock=lambda: now[0])
    assert not recent.seen("a") and recent.seen("a")
    now[0] = 101
    assert not recent.seen("a")
    assert not recent.seen("b") and not recent.seen("c")
    assert not recent.seen("a")  # pushed out by the size limit


def test_the_api_url_comes_from_the_settings():
    assert api_url("") == DEFAULT_API_URL
    assert api_url("http://127.0.0.1:9000/api") == "http://127.0.0.1:9000/api/"
    with pytest.raises(InvalidConfigException, match="SLACK_API_URL"):
        api_url("slack.com/api")
    slack = channel(api_url="http://127.0.0.1:9000/api/")
    assert slack.get_output_channel("C1").client.base_url == "http://127.0.0.1:9000/api/"


def test_the_signing_secret_is_mandatory():
    with pytest.raises(InvalidConfigException):
        SlackInput.from_credentials({"slack_token": "xoxb-test", "slack_signing_secret": ""})


def test_a_mention_in_a_channel_is_answered_in_the_thread_it_was_written_in(client):
    body = event_body(
        f"<@U0BOT> {USER_TEXT}",
        event_type="app_mention",
        channel_id="C0OTHER",
        ts="1700000005.000100",
        thread_ts="1700000004.000100",
    )
    del body["event"]["channel_type"]  # app_mention events carry none
    reply, assistant = run(channel(), signed(json.dumps(body).encode()))
    assert reply.status == 200 and assistant.messages[0].text == USER_TEXT
    assert {(c["channel"], c["thread_ts"]) for c in client.calls} == {
        ("C0OTHER", "1700000004.000100")
    }


def test_a_dm_and_each_channel_thread_are_separate_conversations(client):
    """State told in a DM must never appear in a public channel thread."""
    slack = channel()
    dm = event_body(ts="1700000010.000100")
    thread_one = event_body(
        f"<@U0BOT> {USER_TEXT}",
        event_type="app_mention",
        channel_id="C0OTHER",
        ts="1700000011.000100",
    )
    thread_two = event_body(
        f"<@U0BOT> {USER_TEXT}",
        event_type="app_mention",
        channel_id="C0OTHER",
        ts="1700000012.000100",
    )
    reply_in_one = event_body(
        f"<@U0BOT> {USER_TEXT}",
        event_type="app_mention",
        channel_id="C0OTHER",
        ts="1700000013.000100",
        thread_ts="1700000011.000100",
    )
    for body in (thread_one, thread_two, reply_in_one):
        del body["event"]["channel_type"]
    assistant = Assistant()
    for body in (dm, thread_one, thread_two, reply_in_one):
        run(slack, signed(json.dumps(body).encode()), assistant)
    assert [m.sender_id for m in assistant.messages] == [
        "slack:T1:D0DM",
        "slack:T1:C0OTHER:1700000011.000100",
        "slack:T1:C0OTHER:1700000012.000100",
        "slack:T1:C0OTHER:1700000011.000100",
    ]


def test_a_button_in_a_channel_thread_continues_that_thread_not_the_dm(client):
    payload = json.loads(parse_qs(button_click().decode())["payload"][0])
    payload["channel"] = {"id": "C0OTHER"}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    _, assistant = run(channel(), signed(body, "application/x-www-form-urlencoded"))
    assert assistant.messages[0].sender_id == "slack:T1:C0OTHER:1700000000.000100"


def test_an_event_without_team_is_ignored(client):
    body = event_body(ts="1700000020.000100")
    del body["team_id"]
    reply, assistant = run(channel(), signed(json.dumps(body).encode()))
    assert reply.status == 200 and assistant.messages == []


class FakeRedis:
    """The one Redis call SharedRecentEvents makes: SET key value NX EX."""

    def __init__(self, store=None, fail=False):
        self.store = {} if store is None else store
        self.fail = fail

    def set(self, key, value, nx=False, ex=None):
        if self.fail:
            raise ConnectionError("weg")
        if nx and key in self.store:
            return None
        self.store[key] = value
        return True


def test_a_retry_that_reaches_another_process_is_not_answered_twice():
    shared = {}
    first = slack_channel.SharedRecentEvents(FakeRedis(shared), "p:")
    second = slack_channel.SharedRecentEvents(FakeRedis(shared), "p:")  # another replica
    assert first.seen_before("T1:C1:1.0") is False
    assert second.seen_before("T1:C1:1.0") is True
    assert second.seen_before("T1:C1:2.0") is False


def test_without_redis_the_process_memory_still_stops_a_retry(caplog):
    events = slack_channel.SharedRecentEvents(FakeRedis(fail=True), "p:")
    assert events.seen_before("T1:C1:1.0") is False
    assert events.seen_before("T1:C1:1.0") is True
