"""End to end: a long conversation gets a new Rasa session at a rest point
(bot/session_split.py, SESSION_TURNS, 10 by default), and the assistant goes
on as before: the same answers, and the case it already knows stays known."""

import pytest

from tests.shared_assistant import new_sender
from tests.test_e2e_rest import step_ids

pytestmark = pytest.mark.integration

MELDING_ZORGEN = ["melding.blijven_volgen", "melding.opnieuw_contact"]


def test_a_long_conversation_goes_on_in_a_new_session_with_the_case_kept(assistant):
    sender = new_sender("sessie")
    first = assistant.say(sender, "we hebben gemeld bij Veilig Thuis maar de zorgen blijven")
    assert step_ids(first) == MELDING_ZORGEN
    for _ in range(9):
        assert step_ids(assistant.say(sender, "de zorgen blijven")) == MELDING_ZORGEN
    # Ten messages in this session and the last answer complete: the eleventh
    # starts a new session. "gemeld" was said in the first message only.
    reply = assistant.say(sender, "het gezin gaat verhuizen naar Zwolle")
    assert "verhuizing.contact_nieuwe_woonplaats" in step_ids(reply)
    assert "verhuizing.overdracht_checken" in step_ids(reply)  # only after a report
    stored = assistant.stored_events(assistant.conversation_id(sender))
    starts = [event for event in stored if event.get("event") == "session_started"]
    assert len(starts) == 2
    # the new session began right before the last message
    last_user = max(i for i, event in enumerate(stored) if event.get("event") == "user")
    assert stored.index(starts[-1]) < last_user
    assert all(
        event.get("event") != "user" for event in stored[stored.index(starts[-1]) : last_user]
    )


def test_no_new_session_while_a_question_is_open(assistant):
    sender = new_sender("sessie-vraag")
    for _ in range(10):
        assistant.say(sender, "de ouders weigeren alle hulp")
    question = assistant.say(sender, "ik maak me zorgen over een leerling")  # asks the fase
    assert step_ids(question) == []
    reply = assistant.say(sender, "we hebben gemeld bij Veilig Thuis")
    assert step_ids(reply) == MELDING_ZORGEN
    stored = assistant.stored_events(assistant.conversation_id(sender))
    starts = [i for i, event in enumerate(stored) if event.get("event") == "session_started"]
    users = [i for i, event in enumerate(stored) if event.get("event") == "user"]
    # the answer to the question came in the same session as the question
    assert not any(users[-2] < start < users[-1] for start in starts)
