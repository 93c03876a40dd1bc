"""Reminder store and scheduler on a real SQLite file with a fake clock."""

import asyncio
import threading
import time

import pytest
import sqlalchemy as sa

from bot.reminders import scheduler as scheduler_module
from bot.reminders.scheduler import MAX_ATTEMPTS, ReminderScheduler, retry_delay
from bot.reminders.store import ReminderStore, purge_reminders

T0 = 1_800_000_000.0
REFERENCE = {"service_url": "https://smba.example", "conversation_id": "a:1", "user_id": "29:x"}


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def store(url):
    store = ReminderStore(url)
    yield store
    store.dispose()


def _add(store, due=T0 + 60, conversation="user-1", channel="teams"):
    return store.add(channel, conversation, REFERENCE, "zorgen_na_melding", due, now=T0)


class Recorder:
    """A channel that records what it sends; fails while `down` is set."""

    def __init__(self) -> None:
        self.sent = []
        self.down = False

    async def __call__(self, reminder) -> bool:
        if self.down:
            return False
        self.sent.append(reminder.id)
        return True


def test_add_list_cancel_only_own_conversation(store):
    first = _add(store, due=T0 + 200)
    second = _add(store, due=T0 + 100)
    other = _add(store, conversation="user-2")
    listed = store.for_conversation("teams", "user-1")
    assert [r.id for r in listed] == [second, first]  # by due time
    assert listed[0].reference == REFERENCE and listed[0].situation_id == "zorgen_na_melding"
    assert not store.cancel(other, "teams", "user-1")  # someone else's reminder
    assert store.cancel(first, "teams", "user-1")
    assert not store.cancel(first, "teams", "user-1")
    assert [r.id for r in store.for_conversation("teams", "user-1")] == [second]
    assert [r.id for r in store.for_conversation("teams", "user-2")] == [other]


def test_table_lives_in_the_tracker_database_without_user_text(store, url):
    _add(store)
    columns = {c["name"] for c in sa.inspect(sa.create_engine(url)).get_columns("herinneringen")}
    assert columns == {
        "id",
        "channel",
        "conversation_id",
        "reference",
        "situatie",
        "due_at",
        "created_at",
        "attempts",
        "state",
        "claimed_at",
    }


def test_claim_is_granted_once(store):
    reminder_id = _add(store, due=T0)
    assert store.claim(reminder_id, T0)
    assert not store.claim(reminder_id, T0)


def test_claim_not_before_due(store):
    reminder_id = _add(store, due=T0 + 60)
    assert not store.claim(reminder_id, T0)


def test_scheduler_sends_when_due_and_deletes(store):
    clock, channel = FakeClock(), Recorder()
    scheduler = ReminderScheduler(store, "teams", channel, clock=clock)
    reminder_id = _add(store, due=T0 + 60)
    assert asyncio.run(scheduler.run_once()) == 0
    clock.now = T0 + 60
    assert asyncio.run(scheduler.run_once()) == 1
    assert asyncio.run(scheduler.run_once()) == 0
    assert channel.sent == [reminder_id]
    assert store.for_conversation("teams", "user-1") == []


def test_scheduler_only_sends_its_own_channel(store):
    clock, channel = FakeClock(T0 + 60), Recorder()
    _add(store, channel="slack")
    asyncio.run(ReminderScheduler(store, "teams", channel, clock=clock).run_once())
    assert channel.sent == []


def test_restart_finds_reminders_that_came_due_while_down(url):
    first = ReminderStore(url)
    reminder_id = _add(first, due=T0 + 60)
    first.dispose()
    # A new process, a day later.
    second, channel = ReminderStore(url), Recorder()
    asyncio.run(ReminderScheduler(second, "teams", channel, clock=FakeClock(T0 + 86400)).run_once())
    second.dispose()
    assert channel.sent == [reminder_id]


def test_retry_with_backoff_then_delivered_once(store):
    clock, channel = FakeClock(T0 + 60), Recorder()
    scheduler = ReminderScheduler(store, "teams", channel, clock=clock)
    reminder_id = _add(store, due=T0 + 60)
    channel.down = True
    asyncio.run(scheduler.run_once())
    (waiting,) = store.for_conversation("teams", "user-1")
    assert waiting.attempts == 1 and waiting.due_at == T0 + 60 + retry_delay(1)
    channel.down = False
    clock.now += retry_delay(1) - 1
    asyncio.run(scheduler.run_once())
    assert channel.sent == []  # not yet
    clock.now += 1
    asyncio.run(scheduler.run_once())
    asyncio.run(scheduler.run_once())
    assert channel.sent == [reminder_id]


def test_backoff_grows_and_is_capped():
    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays[:4] == [60, 120, 240, 480]
    assert delays == sorted(delays) and max(delays) == 3600


def test_gives_up_after_max_attempts(store):
    clock, channel = FakeClock(T0 + 60), Recorder()
    channel.down = True
    scheduler = ReminderScheduler(store, "teams", channel, clock=clock)
    _add(store, due=T0 + 60)
    for _ in range(MAX_ATTEMPTS):
        asyncio.run(scheduler.run_once())
        clock.now += retry_delay(MAX_ATTEMPTS)
    assert store.for_conversation("teams", "user-1") == []


def test_a_crashing_channel_counts_as_a_failed_send(store):
    async def broken(reminder):
        raise RuntimeError("Teams down")

    _add(store, due=T0)
    asyncio.run(ReminderScheduler(store, "teams", broken, clock=FakeClock(T0)).run_once())
    (waiting,) = store.for_conversation("teams", "user-1")
    assert waiting.attempts == 1 and waiting.state == "pending"


def test_stale_claim_of_a_dead_process_is_released(store):
    clock, channel = FakeClock(T0), Recorder()
    reminder_id = _add(store, due=T0)
    assert store.claim(reminder_id, T0)  # a process claimed it and died
    scheduler = ReminderScheduler(store, "teams", channel, clock=clock)
    asyncio.run(scheduler.run_once())
    assert channel.sent == []
    clock.now = T0 + scheduler_module.CLAIM_TIMEOUT_SECONDS + 1
    asyncio.run(scheduler.run_once())
    assert channel.sent == [reminder_id]


def test_two_processes_send_each_reminder_exactly_once(url):
    """Two schedulers (own engines, own threads) on one database, many due reminders."""
    setup = ReminderStore(url)
    ids = {_add(setup, due=T0) for _ in range(30)}
    setup.dispose()
    sent = []
    lock = threading.Lock()

    async def send(reminder) -> bool:
        await asyncio.sleep(0)
        with lock:
            sent.append(reminder.id)
        return True

    def process() -> None:
        store = ReminderStore(url)
        scheduler = ReminderScheduler(store, "teams", send, clock=FakeClock(T0))
        asyncio.run(scheduler.run_once())
        store.dispose()

    threads = [threading.Thread(target=process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == sorted(ids)


def test_purge_deletes_reminders_due_before_the_cutoff(store, url):
    old = _add(store, due=T0 - 40 * 86400)
    new = _add(store, due=T0 + 86400)
    assert purge_reminders(T0 - 30 * 86400, url) == 1
    assert [r.id for r in store.for_conversation("teams", "user-1")] == [new]
    assert old != new


def test_make_purge_also_removes_old_reminders(tmp_path, monkeypatch, capsys):
    from bot.__main__ import purge

    monkeypatch.setenv("TRACKER_DB_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    store = ReminderStore()
    now = time.time()
    store.add("teams", "user-1", REFERENCE, "acuut", now - 31 * 86400, now - 40 * 86400)
    kept = store.add("teams", "user-1", REFERENCE, "acuut", now + 86400, now)
    assert purge(30) == 0
    assert "1 herinnering(en)" in capsys.readouterr().out
    assert [r.id for r in store.for_conversation("teams", "user-1")] == [kept]
    store.dispose()
