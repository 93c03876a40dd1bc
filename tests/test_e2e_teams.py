"""End to end over Teams: the shared assistant (tests/shared_assistant.py), with
the Teams channel switched on by TEAMS_* settings that point at local stubs of
Microsoft's services.

A signed channel message with a mention goes in; the stubbed Bot Connector
receives the reply card with the steps and their sources. Requests without a
valid token are refused and never reach the NLU or the tracker store.
"""

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
import yaml

from bot import regio
from bot.content import load_protocol
from bot.context_content import load_context_texts
from bot.regio_answer import place_line
from bot.render import render_answer
from harness.servers import PROJECT_ROOT, post_json
from harness.tracker_db import run_sql
from tests.teams_stubs import TENANT_ID, channel_message, new_key
from tests.test_teams import runs

pytestmark = pytest.mark.integration


def domain_text(response):
    """A fixed response of domain.yml."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return domain["responses"][response][0]["text"]


@pytest.fixture
def stubs(teams_stubs):
    return teams_stubs


def post(assistant, activity, authorization=None):
    """The HTTP status of the webhook's answer."""
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(
        f"{assistant.url}/webhooks/teams/webhook",
        data=json.dumps(activity).encode("utf-8"),
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def new_thread():
    return f"19:{uuid.uuid4().hex}@thread.tacv2;messageid=1700000000000"


def replies_in(activities, conversation):
    return [a["body"] for a in activities if a["body"]["conversation"]["id"] == conversation]


def cards(bodies):
    return [att["content"] for body in bodies for att in body.get("attachments", [])]


def stored(assistant, thread):
    """The stored events of the Teams conversation `thread` (namespaced by tenant)."""
    return assistant.stored_events(f"teams:{TENANT_ID}:{thread}")


def with_steps(activities, conversation):
    """True once the steps card and the follow-up buttons have arrived."""
    found = cards(replies_in(activities, conversation))
    return any(c.get("actions") for c in found) and any("ColumnSet" in json.dumps(c) for c in found)


def test_a_channel_message_with_a_mention_gets_the_steps_with_their_sources(assistant, stubs):
    thread = new_thread()
    message = channel_message(stubs, "<at>Meldcode</at> de ouders weigeren hulp", thread)
    assert post(assistant, message, f"Bearer {stubs.sign()}") == 200

    replies = replies_in(stubs.wait_for(lambda a: with_steps(a, thread)), thread)
    assert all(r["replyToId"] == message["id"] for r in replies)
    assert all(r["recipient"] == {"id": message["from"]["id"]} for r in replies)
    (steps_card,) = [c for c in cards(replies) if "ColumnSet" in json.dumps(c)]
    expected = render_answer(load_protocol(), "hulp_geweigerd")
    (step,) = expected.payload["stappen"]
    assert step["id"] == "weigering.direct_melden"
    texts = runs(steps_card)
    assert step["tekst"] in texts and f"Bron: {step['bron']}" in texts
    assert steps_card["fallbackText"] == expected.text
    buttons = [a for c in cards(replies) for a in c.get("actions", [])]
    assert "/vraag_verantwoordelijkheid" in [b["data"]["payload"] for b in buttons]

    # The NLU got the text without the mention; the display name was not stored.
    # Rasa saves the turn after its replies went out: wait for the store.
    deadline = time.monotonic() + 30
    while True:
        user_texts = [e["text"] for e in stored(assistant, thread) if e["event"] == "user"]
        if user_texts or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert user_texts == ["de ouders weigeren hulp"]
    assert "Jan Jansen" not in assistant.stored_text()
    assert "Jan Jansen" not in assistant.rasa_log.read_text(encoding="utf-8", errors="replace")


def test_a_button_click_is_answered_like_its_payload(assistant, stubs):
    thread = new_thread()
    click = channel_message(stubs, "", thread, value={"payload": "/vraag_verantwoordelijkheid"})
    assert post(assistant, click, f"Bearer {stubs.sign()}") == 200
    replies = replies_in(stubs.wait_for(lambda a: with_steps(a, thread)), thread)
    step_texts = [runs(c) for c in cards(replies) if "ColumnSet" in json.dumps(c)][0]
    expected = render_answer(load_protocol(), "verantwoordelijkheid")
    assert [s["tekst"] for s in expected.payload["stappen"]] == [
        t for t in step_texts if t in {s["tekst"] for s in expected.payload["stappen"]}
    ]


def test_only_a_mention_gets_the_safe_empty_message_answer(assistant, stubs):
    thread = new_thread()
    assert (
        post(
            assistant,
            channel_message(stubs, "<at>Meldcode</at>&nbsp;", thread),
            f"Bearer {stubs.sign()}",
        )
        == 200
    )
    (reply,) = replies_in(stubs.wait_for(lambda a: replies_in(a, thread)), thread)
    assert reply["text"] == load_protocol().channel_texts["leeg"] and reply["textFormat"] == "plain"
    assert stored(assistant, thread) == []


@pytest.mark.parametrize(
    "case",
    ["no token", "not bearer", "bad signature", "wrong audience", "expired", "other serviceUrl"],
)
def test_requests_without_a_valid_token_are_refused_and_reach_nothing(assistant, stubs, case):
    now = int(time.time())
    thread = new_thread()
    message = channel_message(stubs, "<at>Meldcode</at> de ouders weigeren hulp", thread)
    authorization = {
        "no token": None,
        "not bearer": f"Basic {stubs.sign()}",
        "bad signature": f"Bearer {stubs.sign(key=new_key())}",
        "wrong audience": f"Bearer {stubs.sign(aud='een-andere-bot')}",
        "expired": f"Bearer {stubs.sign(exp=now - 3600, iat=now - 7200, nbf=now - 7200)}",
        "other serviceUrl": f"Bearer {stubs.sign(serviceurl='https://aanvaller.example')}",
    }[case]
    assert post(assistant, message, authorization) in (401, 403)
    # Refused before any processing starts: nothing in the tracker store, no reply.
    assert stored(assistant, thread) == []
    assert replies_in(stubs.activities, thread) == []


def test_the_commands_of_the_app_manifest_are_understood(assistant):
    manifest = json.loads(
        (PROJECT_ROOT / "deploy" / "teams" / "manifest.json").read_text(encoding="utf-8")
    )
    not_understood = [domain_text("utter_default"), domain_text("utter_out_of_scope")]
    for command in manifest["bots"][0]["commandLists"][0]["commands"]:
        reply = assistant.say(f"teams-command-{uuid.uuid4().hex}", command["title"])
        said = "\n".join(m.get("text", "") for m in reply)
        assert said and not any(text in said for text in not_understood), command["title"]


# --- Follow-up reminders (issue 13) ---

REMINDER_BUTTONS = ["Zorgen blijven", "Het gaat goed", "Later nog eens"]


def say(assistant, stubs, thread, text="", payload=None):
    """A signed message (or button click) in `thread`; the HTTP status."""
    extra = {"value": {"payload": payload}} if payload else {}
    message = channel_message(stubs, f"<at>Meldcode</at> {text}" if text else "", thread, **extra)
    return post(assistant, message, f"Bearer {stubs.sign()}")


def texts_in(bodies):
    found = [b.get("text") or "" for b in bodies]
    return found + [t for c in cards(bodies) for t in runs(c)]


def wait_for_text(stubs, thread, part, count=1):
    """The replies in `thread` once `count` of them contain `part`."""

    def arrived(activities):
        return sum(part in t for t in texts_in(replies_in(activities, thread))) >= count

    return replies_in(stubs.wait_for(arrived), thread)


def proactive(stubs, thread):
    """Reminders that arrived: new messages (no reply) with the three reminder buttons."""
    return [
        body
        for body in replies_in(stubs.activities, thread)
        if "replyToId" not in body
        and [a["title"] for c in cards([body]) for a in c.get("actions", [])] == REMINDER_BUTTONS
    ]


def reminder_rows(assistant, sender):
    return run_sql(
        assistant.env,
        "SELECT id, channel, reference, situatie, due_at, state FROM herinneringen "
        "WHERE conversation_id = :conversation",
        # namespaced by tenant, as the tracker
        {"conversation": f"teams:{TENANT_ID}:{sender}"},
    )


def make_due(assistant, reminder_id, seconds):
    """Time passes: the reminder is due `seconds` from now."""
    run_sql(
        assistant.env,
        "UPDATE herinneringen SET due_at = :due WHERE id = :id",
        {"due": time.time() + seconds, "id": reminder_id},
    )


def set_reminder(assistant, stubs, thread, days="7"):
    """Steps first, then Herinner mij and a choice, as a user clicks them; the row."""
    assert say(assistant, stubs, thread, payload='/zorgen_blijven{"fase": "gemeld"}') == 200
    replies = replies_in(stubs.wait_for(lambda a: with_steps(a, thread)), thread)
    buttons = [a["data"]["payload"] for c in cards(replies) for a in c.get("actions", [])]
    assert "/herinner_mij" in buttons
    before = len(reminder_rows(assistant, thread))
    assert say(assistant, stubs, thread, payload="/herinner_mij") == 200
    asked = wait_for_text(stubs, thread, "Wanneer wilt u een herinnering?")
    choices = [a for c in cards(asked) for a in c.get("actions", []) if a["title"] == "Over 1 week"]
    assert choices, "keuzes voor de herinnering ontbreken"
    payload = choices[-1]["data"]["payload"].replace('"7"', f'"{days}"')
    assert say(assistant, stubs, thread, payload=payload) == 200
    wait_for_text(stubs, thread, "stuur ik u hier een herinnering", count=before + 1)
    rows = reminder_rows(assistant, thread)
    assert len(rows) == before + 1
    return rows[-1]


def test_a_reminder_is_set_listed_and_arrives_exactly_once(assistant, stubs):
    thread = new_thread()
    row = set_reminder(assistant, stubs, thread)
    reminder_id, channel, reference, situation, due_at, state = row
    assert (channel, situation, state) == ("teams", "zorgen_na_melding", "pending")
    assert json.loads(reference)["service_url"] == stubs.url
    assert "Jan Jansen" not in reference
    # Due at 09:00 Dutch time, 7 days ahead.
    assert 6 * 86400 < due_at - time.time() < 8 * 86400

    assert say(assistant, stubs, thread, "mijn herinneringen") == 200
    listed = wait_for_text(stubs, thread, "Uw herinneringen:")
    cancel = [a for c in cards(listed) for a in c.get("actions", []) if reminder_id in str(a)]
    assert cancel and cancel[0]["title"].startswith("Annuleer ")

    make_due(assistant, reminder_id, 3)
    stubs.wait_for(lambda a: len(proactive(stubs, thread)) >= 1)
    time.sleep(4)  # several more scheduler rounds
    (reminder,) = proactive(stubs, thread)
    assert reminder["recipient"] == {"id": "29:1a2b3c"}
    texts = texts_in([reminder])
    assert any("Herinnering: zorgen na een melding bij Veilig Thuis" in t for t in texts)
    assert any(t.startswith("Bron: ") for t in texts)
    assert reminder_rows(assistant, thread) == []

    # "Later nog eens" asks when again.
    later = [a for c in cards([reminder]) for a in c["actions"] if a["title"] == "Later nog eens"]
    assert say(assistant, stubs, thread, payload=later[0]["data"]["payload"]) == 200
    wait_for_text(stubs, thread, "Wanneer wilt u een herinnering?", count=2)


def test_a_cancelled_reminder_never_arrives(assistant, stubs):
    thread = new_thread()
    reminder_id = set_reminder(assistant, stubs, thread, days="14")[0]
    cancel = f'/herinnering_annuleren{{"herinnering_id": "{reminder_id}"}}'
    # Someone in another conversation cannot cancel it.
    other = new_thread()
    assert say(assistant, stubs, other, payload=cancel) == 200
    wait_for_text(stubs, other, "bestaat niet")
    assert len(reminder_rows(assistant, thread)) == 1
    assert say(assistant, stubs, thread, payload=cancel) == 200
    wait_for_text(stubs, thread, "is geannuleerd")
    assert reminder_rows(assistant, thread) == []
    time.sleep(3)
    assert proactive(stubs, thread) == []


def test_a_rest_client_can_neither_read_nor_change_a_teams_conversation(assistant, stubs):
    thread = new_thread()
    message = channel_message(stubs, "<at>Meldcode</at> de ouders weigeren hulp", thread)
    assert post(assistant, message, f"Bearer {stubs.sign()}") == 200
    stubs.wait_for(lambda a: with_steps(a, thread))
    deadline = time.monotonic() + 30
    while not stored(assistant, thread) and time.monotonic() < deadline:
        time.sleep(0.5)
    before = stored(assistant, thread)
    assert before
    url = f"{assistant.url}/webhooks/rest/webhook"
    # What an outsider can know or guess: the thread id, the AAD object id, the stored id.
    for sender in (thread, message["from"]["aadObjectId"], f"teams:{TENANT_ID}:{thread}"):
        status, body = post_json(url, {"sender": sender, "message": "het gezin is verhuisd"})
        assert status == 401
        assert body == {"error": load_protocol().channel_texts["sessie_ontbreekt"]}
    assert stored(assistant, thread) == before


@pytest.mark.parametrize(
    "change",
    [{"channelId": "webchat"}, {"channelData": {}}, {"channelData": {"tenant": {"id": "x"}}}],
)
def test_other_channels_and_tenants_are_refused(assistant, stubs, change):
    thread = new_thread()
    message = {**channel_message(stubs, "<at>Meldcode</at> de ouders weigeren hulp", thread)}
    message.update(change)
    assert post(assistant, message, f"Bearer {stubs.sign()}") == 403
    assert stored(assistant, thread) == [] and replies_in(stubs.activities, thread) == []


def test_a_move_card_names_the_veilig_thuis_regio_of_the_place(assistant, stubs):
    """Issue 12 in Teams: the region line (CBS) is in the steps card, from the payload."""
    thread = new_thread()
    moved = "het gezin dat we bij Veilig Thuis hebben gemeld is verhuisd naar Nijverdal"
    assert say(assistant, stubs, thread, moved) == 200
    expected = place_line(load_context_texts(), regio.lookup("Nijverdal").place)
    replies = wait_for_text(stubs, thread, expected)
    (card,) = [c for c in cards(replies) if expected in runs(c)]
    assert "ColumnSet" in json.dumps(card)  # the region belongs to the steps card
    assert "Twente" in expected and "Hellendoorn" in expected
