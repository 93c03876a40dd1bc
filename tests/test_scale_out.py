"""Scale-out on real services: two Rasa servers (each with its own action
server) share PostgreSQL as tracker store and Redis as lock store. Server A is
the session's shared assistant (tests/shared_assistant.py, one Sanic worker);
this test starts only server B, with two Sanic workers, which the Redis lock
store allows.

One conversation alternates between both servers; the answers must be right,
and the stored conversation must hold every turn in order with its slots.
Messages sent at the same time to both servers for one conversation must wait
for each other through the lock in Redis.
"""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

import pytest

from bot.lock_store import SerialisedRedisLockStore
from bot.reminders.store import ReminderStore
from harness.servers import REQUEST_TIMEOUT_SECONDS, http_json, running_assistant
from harness.tracker_db import database_url, stored_events
from tests.teams_stubs import APP_ID
from tests.test_e2e_rest import case_payload, is_question, step_ids, texts

pytestmark = [pytest.mark.integration, pytest.mark.own_rasa_servers]

API_TOKEN = uuid.uuid4().hex
MELDING_STEPS = ["melding.blijven_volgen", "melding.opnieuw_contact"]
MOVE_STEPS = ["verhuizing.contact_nieuwe_woonplaats", "verhuizing.overdracht_checken"]
CONCURRENT_MESSAGES = 6
LOCK_WAIT_SECONDS = 30
B_WORKERS = 2
# What server B shares with server A: the tracker store, the lock store and
# the reply timeout (waiting for the lock counts towards it).
SHARED_SETTINGS = (
    "TRACKER_DB",
    "REDIS_",
    "LOCK_STORE_",
    "REPLY_TIMEOUT_SECONDS",
    # Teams on, against the same stubs: every process looks for due reminders.
    "TEAMS_",
    "HERINNERING_",
)


@pytest.fixture(scope="module")
def cluster(assistant, tmp_path_factory):
    base = tmp_path_factory.mktemp("scale-out")
    env = {key: value for key, value in assistant.env.items() if key.startswith(SHARED_SETTINGS)}
    assert env["TRACKER_DB_DIALECT"] == "postgresql" and env["LOCK_STORE_TYPE"] == "redis"
    # Only B has the HTTP API (to read its tracker): A proves the API is off by default.
    with running_assistant(
        base,
        # From the environment: a token on the command line is readable with `ps`.
        {**env, "SANIC_WORKERS": str(B_WORKERS), "RASA_API_TOKEN": API_TOKEN},
        ["--enable-api"],
    ) as server_b:
        yield {"servers": (assistant, server_b), "env": env}


def turns(events: List[Dict]) -> List[Dict]:
    """Per user message: its text, and the texts and step ids the bot sent after it."""
    result = []
    for event in events:
        if event["event"] == "user":
            result.append({"user": event["text"], "bot": [], "steps": []})
        elif event["event"] == "bot" and result:
            if event.get("text"):
                result[-1]["bot"].append(event["text"])
            custom = (event.get("data") or {}).get("custom") or {}
            if custom.get("type") == "vervolgstappen":
                result[-1]["steps"] += [step["id"] for step in custom["stappen"]]
    return result


def server_tracker(server, sender: str) -> Dict:
    return http_json(
        f"{server.url}/conversations/{sender}/tracker?include_events=ALL&token={API_TOKEN}"
    )


def forked_workers(pid: int) -> List[int]:
    """Child processes that run the same command line (Sanic's workers)."""
    own = Path(f"/proc/{pid}/cmdline").read_bytes()
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            parent = next(
                line for line in status.read_text().splitlines() if line.startswith("PPid:")
            )
            if int(parent.split()[1]) == pid and (status.parent / "cmdline").read_bytes() == own:
                workers.append(int(status.parent.name))
        except (OSError, StopIteration):
            continue  # a process that ended meanwhile
    return workers


def test_server_b_runs_several_sanic_workers_and_a_one(cluster):
    a, b = cluster["servers"]
    assert len(forked_workers(b.rasa.pid)) == B_WORKERS
    assert forked_workers(a.rasa.pid) == []  # one worker: Sanic serves in the main process


def test_one_conversation_alternating_between_two_servers_loses_nothing(cluster):
    a, b = cluster["servers"]
    sender = f"schaal-{uuid.uuid4().hex}"
    sent = []

    def say(server, text):
        reply = server.say(sender, text)
        sent.append((text, reply))
        return reply

    moved = say(a, "het gezin is verhuisd naar Zwolle")
    assert is_question(moved) and "gemeld" in texts(moved)
    answered = say(b, "ja")  # the form started on A goes on on B
    assert step_ids(answered) == MOVE_STEPS
    assert "Zwolle" in texts(answered)
    say(a, "opnieuw beginnen")
    assert is_question(say(b, "ik blijf me zorgen maken over een leerling"))
    assert step_ids(say(a, "we hebben gemeld bij Veilig Thuis")) == MELDING_STEPS
    moved_again = say(b, "het gezin is nu verhuisd naar Zwolle")
    assert step_ids(moved_again) == MOVE_STEPS  # fase=gemeld, known from A: no question
    assert "Zwolle" in texts(moved_again)

    stored = turns(stored_events(cluster["env"], a.conversation_id(sender)))
    assert [turn["user"] for turn in stored] == [text for text, _ in sent]
    for turn, (_, reply) in zip(stored, sent, strict=True):
        assert turn["bot"] == [message["text"] for message in reply if message.get("text")]
        assert turn["steps"] == step_ids(reply)

    # B's view of the conversation, written by both: A's view shows in A's replies.
    tracker = server_tracker(b, a.conversation_id(sender))
    slots = tracker["slots"]
    assert slots["plaats"] == "Zwolle"
    assert slots["fase"] == "gemeld"
    assert slots["situatie"] == "verhuizing"
    events = stored_events(cluster["env"], a.conversation_id(sender))
    assert [event["event"] for event in tracker["events"]] == [event["event"] for event in events]
    assert [event.get("timestamp") for event in tracker["events"]] == [
        event.get("timestamp") for event in events
    ]


def test_an_exercise_round_alternating_between_servers_and_action_servers(cluster):
    """The exercise state lives in slots, not in an action server's memory."""
    from bot.oefening import load_exercises

    exercises = load_exercises()
    a, b = cluster["servers"]
    sender = f"oefenen-{uuid.uuid4().hex}"
    first = case_payload(a.say(sender, "ik wil oefenen"))
    case = exercises.cases[first["casus_id"]]
    right_option = next(o["nummer"] for o in first["opties"] if o["keuze"] == case.situation_id)
    right = b.say(sender, str(right_option))
    assert texts(right).startswith(exercises.texts["goed"])
    assert step_ids(right) == list(case.step_ids)
    second = case_payload(right)
    assert second["casus_id"] != case.id
    stopped = a.say(sender, "stop oefenen")
    assert exercises.texts["gestopt"] in texts(stopped)


def test_messages_at_the_same_time_on_both_servers_wait_for_each_other(cluster):
    a, b = cluster["servers"]
    sender = f"gelijktijdig-{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=CONCURRENT_MESSAGES) as pool:
        replies = list(
            pool.map(
                lambda server: server.say(sender, "de ouders weigeren hulp"),
                [a, b] * (CONCURRENT_MESSAGES // 2),
            )
        )
    assert [step_ids(reply) for reply in replies] == [
        ["weigering.direct_melden"]
    ] * CONCURRENT_MESSAGES

    events = stored_events(cluster["env"], a.conversation_id(sender))
    stored = turns(events)
    assert len(stored) == CONCURRENT_MESSAGES
    # Serialised: every turn is complete (ends listening) before the next one starts.
    for before, event in zip(events, events[1:], strict=False):
        if event["event"] == "user":
            assert before["event"] == "action" and before["name"] == "action_listen"
    assert all(turn["bot"] == stored[0]["bot"] for turn in stored)


def test_a_lock_held_in_redis_makes_both_servers_wait(cluster):
    a, b = cluster["servers"]
    sender = f"slot-{uuid.uuid4().hex}"
    conversation = a.conversation_id(sender)  # the id Rasa locks and stores
    env = cluster["env"]
    # Changes its ticket under the same mutex as the servers.
    locks = SerialisedRedisLockStore(
        host=env["REDIS_HOST"],
        port=int(env["REDIS_PORT"]),
        db=int(env["REDIS_DB"]),
        password=env["REDIS_PASSWORD"],
        key_prefix=env["LOCK_STORE_KEY_PREFIX"],
    )
    ours = locks.issue_ticket(conversation, lock_lifetime=LOCK_WAIT_SECONDS)
    replies = {}

    def ask(name, server):
        replies[name] = server.say(sender, "de ouders weigeren hulp")

    threads = [threading.Thread(target=ask, args=pair) for pair in (("a", a), ("b", b))]
    for thread in threads:
        thread.start()
    try:
        # Both servers queue a ticket behind ours in Redis and answer nothing yet.
        assert wait_for(lambda: len(locks.get_lock(conversation).tickets) == 3), (
            "de servers namen geen ticket in Redis"
        )
        assert replies == {}
        assert stored_events(env, conversation) == []
    finally:
        locks.finish_serving(conversation, ours)
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_SECONDS)
    assert step_ids(replies["a"]) == step_ids(replies["b"]) == ["weigering.direct_melden"]
    assert len(turns(stored_events(env, conversation))) == 2
    assert locks.get_lock(conversation) is None  # the last server cleaned up
    locks.red.close()


def wait_for(condition, seconds: float = LOCK_WAIT_SECONDS / 2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


REMINDERS = 12


def test_each_reminder_is_sent_exactly_once_by_three_schedulers_on_one_database(
    cluster, teams_stubs
):
    """Server A (one process) and server B (two workers) all look for due Teams
    reminders in PostgreSQL every second; each reminder must arrive once."""
    teams = teams_stubs
    store = ReminderStore(database_url(cluster["env"]))
    try:
        conversations = [f"a:schaal-{uuid.uuid4().hex}" for _ in range(REMINDERS)]
        due = time.time() + 3
        for conversation in conversations:
            reference = {
                "service_url": teams.url,
                "conversation_id": conversation,
                "bot": {"id": f"28:{APP_ID}", "name": "Meldcode"},
                "user_id": "29:schaal",
            }
            store.add("teams", conversation, reference, "zorgen_na_melding", due, time.time())

        def posted(activities):
            return [a for a in activities if a["body"]["conversation"]["id"] in conversations]

        teams.wait_for(lambda activities: len(posted(activities)) >= REMINDERS)
        time.sleep(5)  # several more rounds of all three schedulers
        per_conversation = [a["body"]["conversation"]["id"] for a in posted(teams.activities)]
        assert sorted(per_conversation) == sorted(conversations)
        assert all(store.for_conversation("teams", c) == [] for c in conversations)
    finally:
        store.dispose()
