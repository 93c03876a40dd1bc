"""A new Rasa session only at a rest point of a long conversation (bot/session_split.py)."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import session_split
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def answered(turns, action="action_stappen_zorgen"):
    events = [
        SessionStarted(),
        ActionExecuted("action_session_start"),
        ActionExecuted("action_listen"),
    ]
    for number in range(turns):
        events += [
            UserUttered(f"de zorgen blijven {number}", {"name": "zorgen_blijven"}),
            ActionExecuted(action),
            BotUttered("Stap 1 ..."),
            ActionExecuted("action_listen"),
        ]
    return events


def tracker(domain, events):
    return DialogueStateTracker.from_events("split", events, domain.slots)


def test_a_long_session_after_a_complete_answer_starts_a_new_one(domain):
    assert session_split.starts_new_session(tracker(domain, answered(10)), limit=10)
    assert session_split.starts_new_session(
        tracker(domain, answered(3, "action_beantwoord_situaties")), 1
    )


def test_a_short_session_or_a_switched_off_split_goes_on(domain):
    assert not session_split.starts_new_session(tracker(domain, answered(9)), limit=10)
    assert not session_split.starts_new_session(tracker(domain, answered(50)), limit=0)


def test_only_the_messages_of_the_current_session_count(domain):
    events = answered(8) + answered(3)  # the second list starts a new session
    assert session_split.messages_in_session(tracker(domain, events)) == 3


@pytest.mark.parametrize(
    "extra",
    [
        [SlotSet("open_vraag", "direct_gevaar")],  # "Is er nu direct gevaar?" is open
        [SlotSet("requested_slot", "fase")],
        [ActiveLoop("verhuizing_form")],
        [SlotSet("oefenmodus", True)],
        [SlotSet("uitgestelde_situaties", ["verhuizing"])],
    ],
)
def test_an_open_question_a_form_or_an_exercise_is_no_rest_point(domain, extra):
    events = answered(12)
    events[-1:-1] = extra  # before the last action_listen
    assert not session_split.at_rest(tracker(domain, events))


def test_a_question_the_assistant_asked_is_no_rest_point(domain):
    events = answered(12) + [
        UserUttered("hij slaat haar", {"name": "twijfel_gevaar"}),
        ActionExecuted("action_vraag_direct_gevaar"),
        ActionExecuted("action_listen"),
    ]
    assert not session_split.at_rest(tracker(domain, events))


def test_the_case_slots_go_along_into_the_new_session():
    config = (PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")
    assert "carry_over_slots_to_new_session: true" in config


def test_the_hook_keeps_rasas_own_expiry_and_adds_the_rest_point(domain, monkeypatch):
    from rasa.core.processor import MessageProcessor

    monkeypatch.setenv("SESSION_TURNS", "4")
    current = MessageProcessor._has_session_expired
    # start from Rasa's own check, also when another test installed the hook
    monkeypatch.setattr(
        MessageProcessor, "_has_session_expired", getattr(current, "original", current)
    )
    assert session_split.install()

    class Processor:
        pass

    processor = Processor()
    processor.domain = domain
    check = MessageProcessor._has_session_expired
    assert check(processor, tracker(domain, answered(4)))
    assert not check(processor, tracker(domain, answered(3)))
