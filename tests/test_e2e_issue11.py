"""Issue 11 end to end: the examples at the top of the issue, typed over REST
into the shared assistant (tests/shared_assistant.py: the real Rasa server with
the trained model and the action server)."""

import pytest

from tests.shared_assistant import new_sender
from tests.test_e2e_rest import is_question, step_ids, texts

pytestmark = pytest.mark.integration

ACUTE_STEPS = ["acuut.melden", "acuut.direct_gevaar"]


def new_conversation(assistant):
    sender = new_sender("e2e-11")
    return lambda text: assistant.say(sender, text)


def ends_with_safety_numbers(messages):
    last = messages[-1].get("text", "")
    return "112" in last and "0800-2000" in last


def test_refusal_and_move_in_one_message_answers_both(assistant):
    say = new_conversation(assistant)
    first = say("de ouders weigeren de hulp en ze gaan verhuizen naar Zwolle")
    assert step_ids(first) == ["weigering.direct_melden"]
    last = first[-1].get("text", "")
    assert last.endswith("?") and "gemeld" in last and "custom" not in first[-1]
    second = say("ja")
    assert step_ids(second) == [
        "verhuizing.contact_nieuwe_woonplaats",
        "verhuizing.overdracht_checken",
    ]
    assert "Zwolle" in texts(second)


def test_report_and_new_signals_is_not_asked_referred_or_reported(assistant):
    say = new_conversation(assistant)
    reply = say(
        "Vorig jaar hebben we een melding gedaan bij Veilig Thuis. Nu zie ik nieuwe signalen: "
        "het kind is weer erg teruggetrokken."
    )
    assert step_ids(reply) == ["melding.blijven_volgen", "melding.opnieuw_contact"]


def test_negation_is_never_read_as_its_opposite(assistant):
    say = new_conversation(assistant)
    reply = say("we hebben doorverwezen, bij Veilig Thuis is niets gemeld. De zorgen blijven.")
    assert step_ids(reply) == [
        "doorverwijzing.blijven_volgen",
        "doorverwijzing.opnieuw_in_actie",
        "doorverwijzing.afspraken_nagaan",
        "doorverwijzing.bespreken_en_aankondigen",
    ]


@pytest.mark.parametrize(
    "message",
    [
        "Ik ben mentor. We hebben het meisje vorig jaar doorverwezen naar jeugdhulp. "
        "Vandaag zei ze tegen me dat ze er morgen niet meer is.",
        "Ik werk op het consultatiebureau. Ik zag vandaag bij een baby van drie maanden "
        "blauwe plekken op de borst. Moeder zegt dat ze niet weet hoe dat komt.",
        "We hebben in het voorjaar gemeld bij Veilig Thuis. De moeder belde net: haar man "
        "heeft gedreigd dat hij vanavond iets ergs gaat doen als ze niet thuis is.",
        "de jongen zit sinds gisteren opgesloten op zijn kamer, zegt zijn zus",
    ],
)
def test_long_acute_messages_get_the_acute_answer_first(assistant, message):
    say = new_conversation(assistant)
    reply = say(message)
    assert step_ids(reply)[:2] == ACUTE_STEPS
    assert ends_with_safety_numbers(reply)


def test_acute_in_the_middle_of_a_form_is_answered_at_once(assistant):
    say = new_conversation(assistant)
    assert is_question(say("ik blijf me zorgen maken over een leerling"))
    reply = say("hij zegt net dat zijn vader hem vanavond weer gaat slaan")
    assert step_ids(reply) == ACUTE_STEPS
    assert ends_with_safety_numbers(reply)


def test_weak_danger_signal_asks_one_question_with_the_numbers(assistant):
    say = new_conversation(assistant)
    question = say("ik weet niet of het kind thuis nog veilig is")
    assert step_ids(question) == []
    assert "direct gevaar" in texts(question) and ends_with_safety_numbers(question)
    assert step_ids(say("ja")) == ACUTE_STEPS


def test_suspicion_against_a_colleague_gets_its_own_route(assistant):
    say = new_conversation(assistant)
    reply = say(
        "ik vermoed dat een collega van de kinderopvang een kind mishandelt, wat moet ik doen?"
    )
    text = texts(reply)
    assert step_ids(reply) == []
    for needed in ("houder", "vertrouwensinspecteur", "0800-2000", "Bron:"):
        assert needed in text
    assert "Daar kan ik u niet mee helpen" not in text


def test_out_of_scope_says_what_the_assistant_does_and_the_safe_next_step(assistant):
    say = new_conversation(assistant)
    # Out of scope or not understood: both answers carry the safe next step.
    text = texts(say("vertel eens een mop over katten"))
    assert "vervolgstappen van de meldcode" in text
    for needed in ("0800-2000", "112", "aandachtsfunctionaris"):
        assert needed in text
