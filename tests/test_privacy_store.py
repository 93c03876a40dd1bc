"""Persistence without personal data: the redacting tracker store, retention, logs."""

import asyncio
import io
import logging
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy.logs import install_log_redaction
from bot.privacy.retention import PurgeResult, purge, purge_every_day
from bot.privacy.tracker_store import RedactingSQLTrackerStore
from bot.reminders.store import ReminderStore
from tests.conftest import PROJECT_ROOT

PERSONAL = [
    "111222333",
    "06-12345678",
    "+31 20 123 4567",
    "jan.jansen@example.nl",
    "NL91ABNA0417164300",
    "1234 AB 12",
    "12-03-2015",
    "Fatima",
]
MESSAGE = (
    "mijn naam is Fatima, bsn 111222333, bel 06-12345678 of +31 20 123 4567, "
    "mail jan.jansen@example.nl, iban NL91ABNA0417164300, adres 1234 AB 12, "
    "geboren 12-03-2015. het gezin is verhuisd naar Zwolle"
)


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def store(tmp_path, monkeypatch, domain):
    monkeypatch.setenv("TRACKER_DB_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    return RedactingSQLTrackerStore(domain=domain)


def conversation(sender, text, domain, timestamp=None):
    user = UserUttered(
        text,
        {"name": "verhuizing", "confidence": 0.9},
        [{"entity": "plaats", "value": "Zwolle"}],
        parse_data={"text": text, "intent": {"name": "verhuizing"}},
    )
    events = [
        ActionExecuted("action_listen"),
        user,
        SlotSet("plaats", "Zwolle"),
        SlotSet("fase", "gemeld"),
        BotUttered(f"U zei: {text}"),
    ]
    if timestamp is not None:
        for event in events:
            event.timestamp = timestamp
    return DialogueStateTracker.from_events(sender, events, domain.slots)


def database_files(path: str) -> bytes:
    """The database file and its write-ahead log (the store runs SQLite in WAL mode)."""
    files = [Path(path), Path(path + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def database_text(store) -> str:
    path = store.engine.url.database
    with sqlite3.connect(path) as db:
        rows = db.execute("select data from events").fetchall()
    return "\n".join(row[0] for row in rows) + database_files(path).decode("latin-1")


def test_nothing_personal_reaches_the_database_but_slots_survive(store, domain):
    asyncio.run(store.save(conversation("gesprek-1", MESSAGE, domain)))
    stored = database_text(store)
    for value in PERSONAL:
        assert value not in stored
    assert "[BSN]" in stored and "[TELEFOON]" in stored and "[NAAM]" in stored
    restored = asyncio.run(store.retrieve("gesprek-1"))
    assert restored.get_slot("plaats") == "Zwolle"
    assert restored.get_slot("fase") == "gemeld"
    assert "Zwolle" in restored.latest_message.text


def bsn():
    def with_check_digit(digits):
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        return None if last > 9 else "".join(map(str, digits)) + str(last)

    return (
        st.lists(st.integers(0, 9), min_size=8, max_size=8)
        .map(with_check_digit)
        .filter(lambda value: value is not None and value != "000000000")
    )


mobile = st.integers(10_000_000, 99_999_999).flatmap(
    lambda n: st.sampled_from(
        [f"06{n}", f"06-{n}", f"06 {str(n)[:4]} {str(n)[4:]}", f"+316{n}", f"+31 6 {n}"]
    )
)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(number=bsn(), phone=mobile)
def test_generated_bsns_and_phones_never_reach_the_database_or_logs(
    tmp_path_factory, domain, number, phone
):
    db = tmp_path_factory.mktemp("db") / "tracker.db"
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    text = f"de moeder heet Anna, bsn {number}, telefoon {phone}, verhuisd naar Emmen"
    asyncio.run(store.save(conversation("gesprek", text, domain)))
    install_log_redaction()
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    logger = logging.getLogger("rasa.core.processor")
    logger.addHandler(handler)
    try:
        logger.warning("Received user message '%s'", text)
    finally:
        logger.removeHandler(handler)
    digits = "".join(ch for ch in phone if ch.isdigit())[-8:]
    for kept in (database_text(store), captured.getvalue()):
        assert number not in kept and digits not in kept
        assert "Anna" not in kept and "Emmen" in kept


DAY = 24 * 60 * 60


def session(sender, text, domain, timestamp, slots=()):
    """One conversation session as Rasa stores it: opened by action_session_start."""
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        *[SlotSet(name, value) for name, value in slots],
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "verhuizing", "confidence": 0.9}),
        SlotSet("plaats", "Zwolle"),
        SlotSet("fase", "gemeld"),
        BotUttered(f"U zei: {text}"),
        ActionExecuted("action_listen"),
    ]
    for event in events:
        event.timestamp = timestamp
    return events


def raw_database(store) -> bytes:
    return database_files(store.engine.url.database)


def test_purge_removes_only_conversations_older_than_the_retention(store, domain):
    asyncio.run(store.save(conversation("oud", "oud gesprek", domain, time.time() - 40 * DAY)))
    asyncio.run(store.save(conversation("nieuw", "nieuw gesprek", domain, time.time() - 2 * DAY)))
    result = purge(30)
    assert (result.conversations, result.events) == (1, 5)
    assert asyncio.run(store.retrieve("oud")) is None
    assert asyncio.run(store.retrieve("nieuw")) is not None
    assert purge(30) == PurgeResult()


def test_old_sessions_of_an_active_conversation_are_forgotten_and_it_goes_on(store, domain):
    """Someone who uses the assistant once a month: the old sessions go, the
    recent one stays whole with its carried-over case slots."""
    now = time.time()
    old = session("maandelijks", "oude zaak over grootmoeder Wilhelmina", domain, now - 60 * DAY)
    middle = session("maandelijks", "tweede zaak over Bartholomeus", domain, now - 31 * DAY)
    recent = session(
        "maandelijks",
        "het gezin is verhuisd naar Zwolle",
        domain,
        now - 1 * DAY,
        slots=[("fase", "gemeld"), ("plaats", "Zwolle")],
    )
    tracker = DialogueStateTracker.from_events("maandelijks", old + middle + recent, domain.slots)
    asyncio.run(store.save(tracker))
    before = raw_database(store)
    assert b"Wilhelmina" in before or b"[NAAM]" in before

    result = purge(30)
    assert (result.conversations, result.sessions, result.events) == (0, 2, len(old + middle))
    after = raw_database(store)
    for forgotten in (b"oude zaak", b"tweede zaak"):
        assert forgotten not in after  # not readable in the file either (secure_delete, VACUUM)
    assert len(after) <= len(before)

    restored = asyncio.run(store.retrieve_full_tracker("maandelijks"))
    texts = [e.text for e in restored.events if isinstance(e, UserUttered)]
    assert texts == ["het gezin is verhuisd naar Zwolle"]
    assert restored.get_slot("plaats") == "Zwolle" and restored.get_slot("fase") == "gemeld"

    # The conversation goes on: a new turn is stored once, after what was kept.
    current = asyncio.run(store.retrieve("maandelijks"))
    current.update(UserUttered("en nu?", {"name": "zorgen_blijven", "confidence": 0.9}))
    asyncio.run(store.save(current))
    again = asyncio.run(store.retrieve_full_tracker("maandelijks"))
    texts = [e.text for e in again.events if isinstance(e, UserUttered)]
    assert texts == ["het gezin is verhuisd naar Zwolle", "en nu?"]


def test_purge_on_an_empty_database(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_DB_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "leeg.db"))
    assert purge(30) == PurgeResult()


def test_the_server_purge_can_be_switched_off_for_an_external_timer(monkeypatch):
    monkeypatch.setenv("PURGE_INTERVAL_HOURS", "0")
    # Returns at once instead of sleeping until the first run.
    asyncio.run(asyncio.wait_for(purge_every_day(first_delay_seconds=3600), timeout=5))


def test_the_daily_purge_logs_counts_only(store, domain, monkeypatch, caplog):
    asyncio.run(store.save(conversation("oud", "Jesse uit Zwolle", domain, time.time() - 40 * DAY)))
    # A Teams reminder that was due 40 days ago goes in the same run; a coming one stays.
    reminders = ReminderStore()
    for due in (time.time() - 40 * DAY, time.time() + DAY):
        reminders.add("teams", "teams:t:u", {}, "verwezen", due, now=due - DAY)
    monkeypatch.setenv("PURGE_INTERVAL_HOURS", "24")
    caplog.set_level(logging.INFO, logger="bot.privacy.retention")

    async def one_run():
        task = asyncio.create_task(purge_every_day(first_delay_seconds=0))
        for _ in range(200):
            await asyncio.sleep(0.05)
            if caplog.records:
                break
        task.cancel()

    asyncio.run(one_run())
    (record,) = caplog.records
    assert record.getMessage() == (
        "Bewaartermijn: verwijderd: gesprekken 1, sessies 1, events 5, herinneringen 1."
    )
    assert [r.due_at > time.time() for r in reminders.for_conversation("teams", "teams:t:u")] == [
        True
    ]
    reminders.dispose()


def test_log_lines_are_redacted(caplog):
    install_log_redaction()
    logger = logging.getLogger("rasa.core.processor")
    with caplog.at_level(logging.DEBUG):
        logger.debug("Received user message '%s'", MESSAGE)
        try:
            raise ValueError(f"kapot bij {MESSAGE}")
        except ValueError:
            logger.exception("fout")
    logged = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    for value in PERSONAL:
        assert value not in logged
    assert "Zwolle" in logged


@pytest.mark.parametrize(
    "text",
    [
        "Zoë Koster belt 06\u00a012345678",  # escaped by JSON: \u00eb, \u00a0
        "mail zoe.koster@example.nl, bsn 111222333, Mehmet Öztürk",
    ],
)
def test_structured_json_log_fields_are_redacted_with_escapes(text):
    import json

    import structlog

    install_log_redaction()
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    logger = logging.getLogger("rasa.core.processor.json")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    structlog.configure(
        processors=[structlog.processors.JSONRenderer()],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    try:
        structlog.get_logger("rasa.core.processor.json").info(
            "processor.message", text=text, slot_values={"plaats": "Zwolle"}
        )
    finally:
        structlog.reset_defaults()
        logger.removeHandler(handler)
    line = captured.getvalue()
    logged = json.loads(line)
    for secret in ("Koster", "Öztürk", "12345678", "111222333", "koster@"):
        assert secret not in line and secret not in json.dumps(logged, ensure_ascii=False)
    assert logged["event"] == "processor.message"
    assert logged["slot_values"] == {"plaats": "Zwolle"}


def test_json_cut_off_in_a_log_line_is_unescaped_before_redaction():
    from bot.privacy.logs import redact_message

    line = 'payload: {"text": "Zo\\u00eb Koster belt 06\\u00a012345678"'
    redacted = redact_message(line)
    assert "Koster" not in redacted and "12345678" not in redacted


def test_sqlite_store_keeps_one_connection_in_wal_mode(store, domain):
    for number in range(3):
        asyncio.run(store.save(conversation(f"wal-{number}", "het gezin is verhuisd", domain)))
        asyncio.run(store.retrieve(f"wal-{number}"))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    # Every save and retrieve used the same kept connection.
    assert store.engine.pool.checkedin() == 1


def test_events_without_text_are_stored_as_they_are_others_redacted(monkeypatch):
    from rasa.shared.core.events import ActionExecuted

    from bot.privacy import tracker_store

    calls = []
    monkeypatch.setattr(tracker_store, "redact", lambda text: calls.append(text) or "[X]")
    plain = ActionExecuted("action_listen", policy="policy_0_RulePolicy", confidence=1.0)
    plain.metadata = {"model_id": "m1", "assistant_id": "meldcode"}
    assert tracker_store.RedactedEvent(plain).as_dict() == plain.as_dict()
    assert calls == []  # no redaction work at all
    # Anything else in the metadata, or an action text: redacted as always.
    odd = ActionExecuted("action_listen", metadata={"bericht": "bel 0612345678"})
    assert tracker_store.RedactedEvent(odd).as_dict()["metadata"]["bericht"] == "[X]"
    spoken = ActionExecuted(action_text="Jan belde")
    assert tracker_store.RedactedEvent(spoken).as_dict()["action_text"] == "[X]"


def test_the_assistants_own_names_are_not_redacted_everything_else_is(monkeypatch, domain):
    from bot.privacy import tracker_store

    calls = []
    monkeypatch.setattr(tracker_store, "redact", lambda text: calls.append(text) or "[X]")
    text = "Fatima Yilmaz weigert de hulp"
    parse_data = {
        "text": text,
        "intent": {"name": "hulp_geweigerd", "confidence": 0.9},
        "intent_ranking": [{"name": "hulp_geweigerd"}, {"name": "acute_zorgen"}],
        "entities": [{"entity": "plaats", "value": "Zwolle", "extractor": "PlaatsGazetteer"}],
        "message_id": "0123456789abcdef0123456789abcdef",
    }
    user = UserUttered(text, parse_data["intent"], parse_data["entities"], parse_data)
    user.metadata = {"naam": "Fatima Yilmaz", "kanaal": "hulp_geweigerd"}
    stored = tracker_store.RedactedEvent(user, tracker_store.own_names(domain)).as_dict()
    # the user's text (once, though it is in the event twice), the entity value
    # and the metadata value that is not an own name
    assert sorted(calls) == sorted([text, "Zwolle", "Fatima Yilmaz"])
    assert stored["text"] == stored["parse_data"]["text"] == "[X]"
    assert stored["metadata"] == {"naam": "[X]", "kanaal": "hulp_geweigerd"}
    assert [r["name"] for r in stored["parse_data"]["intent_ranking"]] == [
        "hulp_geweigerd",
        "acute_zorgen",
    ]
    assert stored["parse_data"]["entities"][0]["extractor"] == "PlaatsGazetteer"
    assert stored["parse_data"]["message_id"] == parse_data["message_id"]


def test_own_names_come_from_the_domain_and_the_pipeline(domain):
    from bot.privacy.tracker_store import own_names

    names_ = own_names(domain)
    assert {"hulp_geweigerd", "plaats", "fase", "utter_vervolg_opties"} <= names_
    assert {"SituationDetector", "DIETClassifier"} <= names_
    assert "Fatima" not in names_ and "Zwolle" not in names_


def test_the_save_writes_the_rows_rasas_own_save_writes(tmp_path, monkeypatch, domain):
    import copy
    from collections import deque

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted

    def store_at(name):
        monkeypatch.setenv("TRACKER_DB_DIALECT", "sqlite")
        monkeypatch.setenv("TRACKER_DB", str(tmp_path / name))
        return RedactingSQLTrackerStore(domain=domain)

    ours, rasas = store_at("ours.db"), store_at("rasa.db")

    async def rasa_save(tracker):
        redacted = copy.copy(tracker)
        redacted.events = deque(rasas.stored_event(event) for event in tracker.events)
        await SQLTrackerStore.save(rasas, redacted)

    tracker = conversation("rijen", MESSAGE, domain)
    for step in range(3):
        if step == 2:  # a new session: only its events are counted as stored
            tracker.update(SessionStarted())
        for event in list(conversation("rijen", f"beurt {step}, bel 0612345678", domain).events):
            tracker.update(event)
        asyncio.run(ours.save(tracker))
        asyncio.run(rasa_save(tracker))

    def rows(store):
        with sqlite3.connect(store.engine.url.database) as db:
            return db.execute(
                "select id, sender_id, type_name, timestamp, intent_name, action_name, data "
                "from events order by id"
            ).fetchall()

    assert rows(ours) == rows(rasas)
    assert len(rows(ours)) > 10 and "0612345678" not in str(rows(ours))
