"""Teams reminders: proactive messages through the stored conversation reference,
against the Bot Connector stub; retries while Teams is down. (The reference the
channel hands to the action server is tested in tests/test_teams.py.)"""

import asyncio
import json
from urllib.parse import unquote

import pytest

from bot.channels.teams.auth import TokenProvider
from bot.channels.teams.channel import Connector, teams_reminder_scheduler
from bot.channels.teams.render import CARD_CONTENT_TYPE
from bot.reminders.scheduler import retry_delay
from bot.reminders.store import ReminderStore
from tests.teams_stubs import APP_ID, APP_PASSWORD, TENANT_ID, TeamsStubs

T0 = 1_800_000_000.0


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def stubs():
    with TeamsStubs() as running:
        yield running


@pytest.fixture
def store(tmp_path):
    store = ReminderStore(f"sqlite:///{tmp_path / 'tracker.db'}")
    yield store
    store.dispose()


def _reference(stubs, conversation="a:personal-chat-1"):
    return {
        "service_url": stubs.url,
        "conversation_id": conversation,
        "bot": {"id": f"28:{APP_ID}", "name": "Meldcode"},
        "user_id": "29:1a2b3c",
    }


def _scheduler(stubs, store, clock):
    connector = Connector(TokenProvider(APP_ID, APP_PASSWORD, TENANT_ID, stubs.url))
    scheduler = teams_reminder_scheduler(connector, store)
    scheduler.clock = clock
    return scheduler


def _posted(stubs, conversation):
    return [a for a in stubs.activities if unquote(a["path"].split("/")[3]) == conversation]


def test_a_due_reminder_is_a_proactive_card_sent_once(stubs, store):
    conversation = "a:personal-chat-1"
    store.add(
        "teams", "user-1", _reference(stubs, conversation), "zorgen_na_doorverwijzing", T0, T0
    )
    scheduler = _scheduler(stubs, store, FakeClock(T0))
    assert asyncio.run(scheduler.run_once()) == 1
    assert asyncio.run(scheduler.run_once()) == 0
    (posted,) = _posted(stubs, conversation)
    # A new message in the conversation, not a reply to an old activity.
    assert posted["path"].rstrip("/").endswith("/activities")
    assert posted["authorization"].startswith("Bearer ")
    body = posted["body"]
    assert "replyToId" not in body and body["recipient"] == {"id": "29:1a2b3c"}
    card = body["attachments"][0]
    assert card["contentType"] == CARD_CONTENT_TYPE
    text = json.dumps(card, ensure_ascii=False)
    assert "doorverwijzing" in text and "Bron: " in text
    titles = [a["title"] for a in card["content"]["actions"]]
    assert titles == ["Zorgen blijven", "Het gaat goed", "Later nog eens"]
    payloads = [a["data"]["payload"] for a in card["content"]["actions"]]
    assert payloads[0] == '/zorgen_blijven{"fase": "doorverwezen"}'
    assert store.for_conversation("teams", "user-1") == []


def test_teams_down_is_retried_with_backoff_and_then_sent_once(stubs, store):
    conversation = "a:personal-chat-2"
    store.add("teams", "user-2", _reference(stubs, conversation), "zorgen_na_melding", T0, T0)
    clock = FakeClock(T0)
    scheduler = _scheduler(stubs, store, clock)
    stubs.connector_status = 503
    try:
        assert asyncio.run(scheduler.run_once()) == 0
    finally:
        stubs.connector_status = 200
    (waiting,) = store.for_conversation("teams", "user-2")
    assert waiting.attempts == 1 and waiting.state == "pending"
    clock.now += retry_delay(1)
    assert asyncio.run(scheduler.run_once()) == 1
    asyncio.run(scheduler.run_once())
    sent = [a for a in _posted(stubs, conversation) if "attachments" in a["body"]]
    assert len(sent) == 2  # the refused try and the delivered one
    assert store.for_conversation("teams", "user-2") == []
