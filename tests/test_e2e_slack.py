"""End to end over Slack: the shared assistant (tests/shared_assistant.py), a
stub Slack Web API.

Signed Events API requests go to /webhooks/slack/webhook; the answers must
arrive on the stub as chat.postMessage calls in the thread of the message.
"""

import json
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from bot import regio
from bot.content import load_protocol
from bot.context_content import load_context_texts
from bot.regio_answer import place_line
from harness.servers import post_json
from tests.shared_assistant import SLACK_SECRET as SECRET
from tests.shared_assistant import SLACK_TOKEN as TOKEN
from tests.slack_stub import SlackStub

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def slack(assistant, slack_stub):
    return Slack(assistant.url + "/webhooks/slack/webhook", slack_stub, assistant.url)


class Slack:
    """Sends requests to the webhook as Slack does."""

    def __init__(self, webhook: str, stub: SlackStub, base_url: str = "") -> None:
        self.webhook, self.stub, self.base_url = webhook, stub, base_url
        self.count = 0

    def post(
        self, body: bytes, content_type="application/json", age=0, secret=SECRET, headers=None
    ):
        timestamp = str(int(time.time()) - age)
        signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
        request = urllib.request.Request(
            self.webhook,
            data=body,
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, dict(reply.headers), reply.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8")

    def message(self, text: str, user="U0E2E", channel="D0E2E", **options):
        """A direct message; returns its ts, the thread the answer must go to."""
        self.count += 1
        ts = f"1700000{self.count:03d}.000100"
        body = {
            "type": "event_callback",
            "event_id": f"Ev{ts}",
            "team_id": "T0TEST",
            "authorizations": [{"user_id": "U0BOT", "is_bot": True}],
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": channel,
                "user": user,
                "text": text,
                "ts": ts,
            },
        }
        return ts, self.post(json.dumps(body).encode(), **options)

    def mention(self, text: str, channel: str, user="U0E2E", thread_ts=None):
        """An @mention in a public channel; returns the thread the answer goes to."""
        self.count += 1
        ts = f"1700000{self.count:03d}.000100"
        event = {"type": "app_mention", "channel": channel, "user": user, "ts": ts}
        event["text"] = f"<@U0BOT> {text}"
        if thread_ts:
            event["thread_ts"] = thread_ts
        body = {
            "type": "event_callback",
            "event_id": f"Ev{ts}",
            "team_id": "T0TEST",
            "authorizations": [{"user_id": "U0BOT", "is_bot": True}],
            "event": event,
        }
        self.post(json.dumps(body).encode())
        return thread_ts or ts

    def click(self, message: dict, value: str, user="U0E2E"):
        """A click on the button with `value` in `message` (a postMessage the stub got)."""
        (button,) = [
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["value"] == value
        ]
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T0TEST"},
            "team": {"id": "T0TEST"},
            "channel": {"id": message["channel"]},
            "message": {
                "ts": message["ts"],
                "thread_ts": message["thread_ts"],
                "blocks": message["blocks"],
            },
            "actions": [{**button, "type": "button"}],
        }
        return self.post(
            urlencode({"payload": json.dumps(payload)}).encode(),
            "application/x-www-form-urlencoded",
        )

    def reply_with_step(self, thread_ts: str, step_id: str):
        text = load_protocol().steps[step_id].text
        return self.stub.wait_for_post(
            lambda body: (
                body.get("thread_ts") == thread_ts
                and text in json.dumps(body.get("blocks"), ensure_ascii=False)
            )
        )


def test_url_verification_returns_the_challenge(slack):
    body = json.dumps({"token": "x", "challenge": "uitdaging-123", "type": "url_verification"})
    status, _, text = slack.post(body.encode())
    assert (status, text) == (200, "uitdaging-123")


def test_a_signed_message_gets_the_steps_with_their_source_in_its_thread(slack):
    ts, (status, _, _) = slack.message("de ouders weigeren hulp")
    assert status == 200
    post = slack.reply_with_step(ts, "weigering.direct_melden")
    assert post is not None, slack.stub.calls
    step = load_protocol().steps["weigering.direct_melden"]
    assert post["channel"] == "D0E2E"
    assert f"Bron: {step.source}" in json.dumps(post["blocks"], ensure_ascii=False)
    assert step.text in post["text"] and f"Bron: {step.source}" in post["text"]
    auth = {c["auth"] for c in slack.stub.calls if c["body"].get("thread_ts") == ts}
    assert auth == {f"Bearer {TOKEN}"}

    # The follow-up buttons come in the same thread; a click is answered there too.
    buttons = slack.stub.wait_for_post(
        lambda body: body.get("thread_ts") == ts and "actions" in json.dumps(body.get("blocks"))
    )
    assert slack.click(buttons, "/vraag_veilig_thuis")[0] == 200
    assert slack.reply_with_step(ts, "veilig_thuis.bereikbaarheid") is not None
    # The clicked message now shows the choice instead of the buttons.
    (update,) = [c["body"] for c in slack.stub.calls if c["method"] == "chat.update"]
    assert update["ts"] == buttons["ts"] and "U koos: *Veilig Thuis" in json.dumps(update["blocks"])
    assert "actions" not in json.dumps(update["blocks"])


def test_a_retry_of_slack_is_not_answered_twice(slack):
    ts, (status, _, _) = slack.message("de ouders weigeren hulp", user="U0RETRY", channel="D0RETRY")
    body = {
        "type": "event_callback",
        "event_id": f"Ev{ts}",
        "team_id": "T0TEST",
        "authorizations": [{"user_id": "U0BOT", "is_bot": True}],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": "D0RETRY",
            "user": "U0RETRY",
            "text": "de ouders weigeren hulp",
            "ts": ts,
        },
    }
    status, headers, _ = slack.post(
        json.dumps(body).encode(),
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert status == 200 and headers.get("X-Slack-No-Retry") == "1"
    assert slack.reply_with_step(ts, "weigering.direct_melden") is not None
    # A next message of the same user is answered after any work for the retry.
    later, _ = slack.message("dank je wel", user="U0RETRY", channel="D0RETRY")
    assert slack.stub.wait_for_post(lambda body: body.get("thread_ts") == later) is not None
    steps = slack.stub.posts(
        lambda body: body.get("thread_ts") == ts and "Bron:" in body.get("text", "")
    )
    assert len(steps) == 1


@pytest.mark.parametrize("problem", ["signature", "stale"])
def test_a_badly_signed_or_stale_request_is_refused_and_not_answered(slack, problem):
    options = {"secret": "verkeerd-geheim"} if problem == "signature" else {"age": 6 * 60}
    _, (status, _, _) = slack.message(
        "de ouders weigeren hulp", user="U0BAD", channel="D0BAD", **options
    )
    assert status == 401
    # A good message after it is answered; by then nothing came for the refused one.
    good, _ = slack.message("de ouders weigeren hulp", user="U0GOOD", channel="D0GOOD")
    assert slack.reply_with_step(good, "weigering.direct_melden") is not None
    assert slack.stub.posts(lambda body: body.get("channel") == "D0BAD") == []


MOVE_STEP = "verhuizing.overdracht_checken"


def move_step_text() -> str:
    """The move step as the assistant says it once it knows the town (Zwolle)."""
    return load_protocol().steps[MOVE_STEP].text_with_place.replace("{plaats}", "Zwolle")


def test_a_dm_case_reaches_neither_a_channel_thread_nor_a_rest_client(slack):
    """State told in a DM stays there: a channel thread of the same user and a
    REST request with the user's or the conversation's id see none of it."""
    own = uuid.uuid4().hex[:8].upper()  # ids no other test of the shared assistant uses
    user, dm, public = f"U0ISO{own}", f"D0ISO{own}", f"C0ISO{own}"
    first, _ = slack.message("ik blijf me zorgen maken over een leerling", user=user, channel=dm)
    assert slack.stub.wait_for_post(lambda body: body.get("thread_ts") == first) is not None
    reported, _ = slack.message("we hebben gemeld bij Veilig Thuis", user=user, channel=dm)
    assert slack.reply_with_step(reported, "melding.blijven_volgen") is not None

    # The same user in a public channel: a new case, so the assistant must ask.
    thread = slack.mention("het gezin is verhuisd naar Zwolle", channel=public, user=user)
    asked = slack.stub.wait_for_post(lambda body: body.get("thread_ts") == thread)
    assert asked is not None and "Bron:" not in asked.get("text", "")
    in_thread = json.dumps(
        slack.stub.posts(lambda b: b.get("thread_ts") == thread), ensure_ascii=False
    )
    assert move_step_text() not in in_thread and "Check daarom altijd" not in in_thread

    # REST with what an outsider can know: refused, and the DM case is unchanged.
    url = f"{slack.base_url}/webhooks/rest/webhook"
    for sender in (user, dm, f"slack:T0TEST:{dm}"):
        status, body = post_json(url, {"sender": sender, "message": "opnieuw beginnen"})
        assert status == 401 and body == {
            "error": load_protocol().channel_texts["sessie_ontbreekt"]
        }
    # fase=gemeld is still known in the DM: a move is answered without a question.
    moved, _ = slack.message("het gezin is nu verhuisd naar Zwolle", user=user, channel=dm)
    answer = slack.stub.wait_for_post(
        lambda body: body.get("thread_ts") == moved and move_step_text() in body.get("text", "")
    )
    assert answer is not None, [
        p.get("text") for p in slack.stub.posts(lambda b: b.get("thread_ts") == moved)
    ]


# --- Follow-up reminders (issue 13): Slack stores and sends them ---


def _with_text(slack, thread_ts, part):
    return slack.stub.wait_for_post(
        lambda body: (
            body.get("thread_ts") == thread_ts and part in json.dumps(body, ensure_ascii=False)
        )
    )


def test_a_slack_reminder_is_scheduled_in_slack_listed_delivered_once_and_cancelled(slack):
    suffix = uuid.uuid4().hex[:8].upper()
    user, channel = f"U0H{suffix}", f"D0H{suffix}"
    ts, _ = slack.message("de ouders weigeren hulp", user=user, channel=channel)
    assert slack.reply_with_step(ts, "weigering.direct_melden") is not None
    buttons = slack.stub.wait_for_post(
        lambda body: (
            body.get("thread_ts") == ts and "/herinner_mij" in json.dumps(body.get("blocks"))
        )
    )
    assert slack.click(buttons, "/herinner_mij", user=user)[0] == 200
    asked = _with_text(slack, ts, "Over 2 weken")
    choice = [
        e["value"]
        for b in asked["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Over 2 weken"
    ][0]
    assert slack.click(asked, choice, user=user)[0] == 200
    assert _with_text(slack, ts, "stuur ik u hier een herinnering") is not None
    (scheduled,) = [m for m in slack.stub.scheduled.values() if m["channel"] == channel]
    # In the DM itself, naming no user (no Slack user id in what Slack stores).
    assert not scheduled.get("thread_ts") and "<@" not in json.dumps(scheduled)
    assert 13 * 86400 < scheduled["post_at"] - time.time() < 15 * 86400
    blocks = json.dumps(scheduled["blocks"], ensure_ascii=False)
    assert "Bron: " in blocks and "Later nog eens" in blocks and "Het gaat goed" in blocks

    # Listed, with a button to cancel it.
    listed_ts, _ = slack.message("mijn herinneringen", user=user, channel=channel)
    listed = _with_text(slack, listed_ts, "Uw herinneringen:")
    cancel = [
        e["value"]
        for b in listed["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if scheduled["id"] in e["value"]
    ]
    assert cancel

    # Slack posts it when due, once; its buttons lead back into the conversation.
    delivered = slack.stub.deliver_due(scheduled["post_at"])
    assert [m["id"] for m in delivered] == [scheduled["id"]]
    assert slack.stub.deliver_due(scheduled["post_at"] + 60) == []
    later_ts = f"18{int(time.time() * 1000) % 10**8:08d}.000100"
    message = {**delivered[0], "ts": later_ts, "thread_ts": later_ts}
    assert slack.click(message, delivered_value(message, "Later nog eens"), user=user)[0] == 200
    assert _with_text(slack, later_ts, "Wanneer wilt u een herinnering?") is not None

    # A second one, cancelled from the list: Slack no longer holds it.
    assert slack.click(asked, choice, user=user)[0] == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not scheduled_in(slack, channel):
        time.sleep(0.2)
    (second,) = scheduled_in(slack, channel)
    value = f'/herinnering_annuleren{{"herinnering_id": "{second["id"]}"}}'
    # Another conversation (another DM) cannot cancel it.
    other_ts, _ = slack.message(value, user=f"U0A{suffix}", channel=f"D0A{suffix}")
    assert _with_text(slack, other_ts, "bestaat niet") is not None
    assert second["id"] in slack.stub.scheduled
    own_ts, _ = slack.message(value, user=user, channel=channel)
    assert _with_text(slack, own_ts, "is geannuleerd") is not None
    assert second["id"] not in slack.stub.scheduled


def delivered_value(message, title):
    return [
        e["value"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == title
    ][0]


def scheduled_in(slack, channel):
    return [m for m in list(slack.stub.scheduled.values()) if m["channel"] == channel]


def test_a_move_names_the_veilig_thuis_regio_of_the_place_in_the_blocks(slack):
    """Issue 12 in Slack: the region line (CBS) is quoted under the steps."""
    own = uuid.uuid4().hex[:8].upper()
    moved = "het gezin dat we bij Veilig Thuis hebben gemeld is verhuisd naar Nijverdal"
    ts, (status, _, _) = slack.message(moved, user=f"U0REG{own}", channel=f"D0REG{own}")
    assert status == 200
    expected = place_line(load_context_texts(), regio.lookup("Nijverdal").place)
    post = slack.stub.wait_for_post(
        lambda body: (
            body.get("thread_ts") == ts
            and f"> {expected}" in json.dumps(body.get("blocks"), ensure_ascii=False)
        )
    )
    assert post is not None, [
        p.get("text") for p in slack.stub.posts(lambda b: b.get("thread_ts") == ts)
    ]
    assert "Twente" in expected and "Hellendoorn" in expected
