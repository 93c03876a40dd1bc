"""The slot-extraction call that is skipped (bot/extract_slots.py) would have returned
nothing: checked by running the action itself on the same conversation state."""

import asyncio
import itertools
from unittest import mock

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import forms
from bot import extract_slots
from bot.nlu.decision import ANALYSIS_KEY
from tests.conftest import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))

MESSAGES = [
    ("Het gezin verhuist naar Zwolle", "verhuizing", [("plaats", "Zwolle")], {}),
    ("Ze gaan van Deventer naar Velp", "verhuizing", [("vorige_plaats", "Deventer")], {}),
    ("We hebben al gemeld bij Veilig Thuis", "informeren_fase", [("fase", "gemeld")], {}),
    ("ja", "bevestigen", [], {}),
    ("Deventer", "nlu_fallback", [], {}),
    ("Wat zijn de stappen?", "vraag_stappen_meldcode", [], {"situatie": "zorgen"}),
]
SLOT_STATES = [
    {},
    {"plaats": "Zwolle"},
    {"plaats_opties": {"soort": "welke", "plaatsen": ["Velp (Rheden)", "Velp (Grave)"]}},
    {"fase": "doorverwezen", "vorige_plaats_open": True},
    {"fase": "gemeld", "gemeld_bij_vt": True, "plaats": "Deventer"},
]


def tracker_with(text, intent, entities, analysis, slots, after=()) -> DialogueStateTracker:
    parse_data = {
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [{"entity": e, "value": v, "start": 0, "end": len(v)} for e, v in entities],
        "text": text,
        ANALYSIS_KEY: analysis,
    }
    events = [ActionExecuted("action_session_start")]
    events += [SlotSet(name, value) for name, value in slots.items()]
    events += [
        ActionExecuted("action_listen"),
        UserUttered(text, parse_data["intent"], parse_data["entities"], parse_data),
    ]
    return DialogueStateTracker.from_events("test", events + list(after), slots=DOMAIN.slots)


def action_events(tracker: DialogueStateTracker):
    """What validate_verhuizing_form returns for this tracker, as Rasa would send it."""
    sdk_tracker = Tracker.from_dict(tracker.current_state(EventVerbosity.AFTER_RESTART))
    return asyncio.run(
        forms.ValidateVerhuizingForm().run(CollectingDispatcher(), sdk_tracker, DOMAIN.as_dict())
    )


@pytest.mark.parametrize("message, slots", list(itertools.product(MESSAGES, SLOT_STATES)))
def test_a_skipped_call_would_have_returned_nothing(message, slots):
    text, intent, entities, analysis = message
    tracker = tracker_with(text, intent, entities, analysis, slots)
    assert extract_slots.returns_nothing(tracker)
    assert action_events(tracker) == []


@pytest.mark.parametrize(
    "slots, analysis, after",
    [
        (
            {
                "requested_slot": "plaats",
                "plaats_opties": {"soort": "welke", "plaatsen": ["Velp (Rheden)"]},
            },
            {},
            (),
        ),
        ({"requested_slot": "gemeld_bij_vt"}, {}, ()),
        ({}, {"gemeld_bij_vt": False}, ()),
        ({}, {}, (ActiveLoop("verhuizing_form"),)),
        ({}, {}, (SlotSet("plaats", "Velp"),)),
    ],
)
def test_the_call_is_made_when_the_action_can_return_something(slots, analysis, after):
    tracker = tracker_with("Velp, niet gemeld", "verhuizing", [], analysis, slots, after)
    assert not extract_slots.returns_nothing(tracker)


def test_niet_gemeld_outside_the_form_is_still_kept():
    tracker = tracker_with("nog niet gemeld", "verhuizing", [], {"gemeld_bij_vt": False}, {})
    assert not extract_slots.returns_nothing(tracker)
    assert {"event": "slot", "name": "gemeld_bij_vt", "value": False} in [
        {k: e[k] for k in ("event", "name", "value")} for e in action_events(tracker)
    ]


def test_the_conditions_cover_every_extract_method_of_the_action():
    """A new extract_<slot> method needs its condition in bot/extract_slots.py."""
    extracts = {
        n[len("extract_") :] for n in dir(forms.ValidateVerhuizingForm) if n.startswith("extract_")
    }
    assert extracts == extract_slots.ANSWERED_SLOTS


def test_only_this_action_is_skipped_and_rasas_call_runs_otherwise():
    extract_slots.install()
    action = ActionExtractSlots(None)
    quiet = tracker_with("ja", "bevestigen", [], {}, {})
    busy = tracker_with("nog niet gemeld", "verhuizing", [], {"gemeld_bij_vt": False}, {})
    with mock.patch.object(
        ActionExtractSlots, "_run_custom_action", return_value=["called"]
    ) as call:

        async def execute(mapping, tracker):
            return await action._execute_custom_action(mapping, set(), None, None, tracker, DOMAIN)

        assert asyncio.run(execute({"action": extract_slots.ACTION}, quiet)) == (
            [],
            {extract_slots.ACTION},
        )
        assert call.call_count == 0
        assert asyncio.run(execute({"action": extract_slots.ACTION}, busy))[0] == ["called"]
        assert asyncio.run(execute({"action": "validate_zorgen_form"}, quiet))[0] == ["called"]
        assert call.call_count == 2


def test_install_twice_wraps_once():
    extract_slots.install()
    installed = ActionExtractSlots._execute_custom_action
    extract_slots.install()
    assert ActionExtractSlots._execute_custom_action is installed
