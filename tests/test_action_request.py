"""The request to the action server holds the latest turns (bot/action_request.py)."""

import json

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Restarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker

from actions.forms import slot_before_latest_message
from actions.situaties import previous_user_message
from bot import action_request
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def turn(number: int, slots=()):
    return [
        ActionExecuted("action_listen"),
        UserUttered(f"bericht {number}", {"name": "zorgen_blijven", "confidence": 1.0}),
        *[SlotSet(name, value) for name, value in slots],
        ActionExecuted("action_stappen_zorgen"),
        BotUttered(f"antwoord {number} " + "stap " * 100),
    ]


def conversation(domain, turns: int, slots_at=None) -> DialogueStateTracker:
    events = []
    for number in range(1, turns + 1):
        events += turn(number, (slots_at or {}).get(number, ()))
    return DialogueStateTracker.from_events("gesprek", events, domain.slots)


class Action:
    """What action_call_format needs of a RemoteAction."""

    def name(self):
        return "action_stappen_zorgen"

    def _is_selective_domain_enabled(self):
        return False


def request(tracker, domain):
    return action_request.action_call_format(Action(), tracker, domain)


def test_request_holds_the_latest_two_user_turns_and_the_earlier_slot_values(domain):
    tracker = conversation(domain, 30, {2: [("fase", "gemeld")], 29: [("plaats", "Zwolle")]})
    events = request(tracker, domain)["tracker"]["events"]
    users = [e["text"] for e in events if e["event"] == "user"]
    assert users == ["bericht 29", "bericht 30"]
    assert events[0] == {**SlotSet("fase", "gemeld").as_dict(), "timestamp": events[0]["timestamp"]}
    assert events[1]["event"] == "user"  # no other old event comes along
    # The slots themselves go along whole, as Rasa sends them.
    slots = request(tracker, domain)["tracker"]["slots"]
    assert slots["fase"] == "gemeld" and slots["plaats"] == "Zwolle"


def test_request_stops_growing_with_the_conversation(domain):
    sizes = [len(json.dumps(request(conversation(domain, n), domain))) for n in (3, 30, 100)]
    assert max(sizes) - min(sizes) < 100  # only the numbers in the texts differ
    full = conversation(domain, 100).current_state(EventVerbosity.ALL)
    assert len(json.dumps(full)) > 10 * sizes[-1]


def test_actions_that_look_back_see_the_same_as_with_the_whole_session(domain):
    tracker = conversation(
        domain, 12, {3: [("plaats", "Deventer")], 11: [("plaats", None)], 12: [("plaats", "X")]}
    )
    whole = Tracker.from_dict(tracker.current_state(EventVerbosity.ALL))
    recent = Tracker.from_dict(request(tracker, domain)["tracker"])
    for slot in ("plaats", "fase"):
        assert slot_before_latest_message(recent, slot) == slot_before_latest_message(whole, slot)
    assert previous_user_message(recent) == previous_user_message(whole)
    assert recent.latest_message == whole.latest_message


def test_a_restart_clears_the_earlier_slot_values(domain):
    events = turn(1, [("fase", "gemeld")]) + [Restarted()] + turn(2) + turn(3) + turn(4)
    tracker = DialogueStateTracker.from_events("gesprek", events, domain.slots)
    sent = request(tracker, domain)["tracker"]["events"]
    assert not [e for e in sent if e["event"] == "slot"]


def test_a_short_conversation_is_sent_whole(domain):
    tracker = conversation(domain, 1)
    assert len(request(tracker, domain)["tracker"]["events"]) == len(tracker.events)


def test_rasa_uses_it_once_the_patches_are_installed():
    from rasa.core.actions.action import RemoteAction

    from bot import rasa_patches

    rasa_patches.install()
    assert getattr(RemoteAction._action_call_format, "recent_only", False)
