"""The Redis lock store on a real Redis: several servers (store instances in
threads) locking one conversation at the same moment."""

import asyncio
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.lock_store import SerialisedRedisLockStore
from harness.services import redis_server

pytestmark = pytest.mark.integration

SERVERS = 3
MESSAGES = 12
# Short polling keeps the test fast; Rasa itself polls every second.
POLL_SECONDS = 0.02
# Only against a hang when locking is broken (lost tickets wait forever).
HANG_GUARD_SECONDS = 60


@pytest.fixture(scope="module")
def redis_env(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as env:
        yield env


def lock_stores(env, count):
    return [
        SerialisedRedisLockStore(
            host=env["REDIS_HOST"],
            port=int(env["REDIS_PORT"]),
            db=int(env["REDIS_DB"]),
            password=env["REDIS_PASSWORD"],
        )
        for _ in range(count)
    ]


def test_tickets_issued_at_the_same_moment_are_unique_and_all_kept(redis_env):
    stores = lock_stores(redis_env, SERVERS)
    conversation = uuid.uuid4().hex
    start = threading.Barrier(MESSAGES)

    def issue(number):
        start.wait()
        return stores[number % SERVERS].issue_ticket(conversation)

    with ThreadPoolExecutor(max_workers=MESSAGES) as pool:
        tickets = list(pool.map(issue, range(MESSAGES)))
    assert len(set(tickets)) == MESSAGES
    assert {ticket.number for ticket in stores[0].get_lock(conversation).tickets} == set(tickets)


def test_messages_of_one_conversation_never_overlap_and_none_fails(redis_env):
    stores = lock_stores(redis_env, SERVERS)
    conversation = uuid.uuid4().hex
    start = threading.Barrier(MESSAGES)
    guard = threading.Lock()
    state = {"active": 0, "most_active": 0, "handled": 0}

    async def handle(store):
        async with store.lock(conversation, wait_time_in_seconds=POLL_SECONDS):
            with guard:
                state["active"] += 1
                state["most_active"] = max(state["most_active"], state["active"])
            await asyncio.sleep(POLL_SECONDS)  # the message is being handled
            with guard:
                state["active"] -= 1
                state["handled"] += 1

    def message(number):
        start.wait()
        asyncio.run(asyncio.wait_for(handle(stores[number % SERVERS]), HANG_GUARD_SECONDS))

    with ThreadPoolExecutor(max_workers=MESSAGES) as pool:
        list(pool.map(message, range(MESSAGES)))  # re-raises a LockError
    assert state == {"active": 0, "most_active": 1, "handled": MESSAGES}
    assert stores[0].get_lock(conversation) is None  # the last one cleaned up


def test_a_slack_retry_on_another_process_is_recognised_through_redis(redis_env, monkeypatch):
    """Two server processes (two SlackInputs' event memories) share Redis:
    an event one of them handled is a retry for the other."""
    from bot.channels.slack import SharedRecentEvents, recent_events

    for key, value in {**redis_env, "LOCK_STORE_TYPE": "redis"}.items():
        monkeypatch.setenv(key, value)
    first, second = recent_events(), recent_events()
    assert isinstance(first, SharedRecentEvents) and first.client is not second.client
    event = f"T0TEST:D0DM:{uuid.uuid4().hex}"
    assert first.seen_before(event) is False
    assert second.seen_before(event) is True
    assert first.seen_before(event) is True
    assert second.seen_before(f"{event}-ander") is False
