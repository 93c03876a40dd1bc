"""The actions of issue 11: several situations in one message, acute first,
the colleague route, and what waited for the fase question."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet

from actions import situaties, vervolgstappen
from bot.nlu.decision import analyse_message
from tests.conftest import make_tracker


def tracker_for(text, model_intent, slots=None, events_before=()):
    analysis = analyse_message(text, model_intent)
    analysis.pop("detection")
    tracker = make_tracker(slots=slots, intent=analysis["intent"], text=text)
    tracker.latest_message["analyse"] = analysis
    tracker.events = list(events_before) + tracker.events
    return tracker


def run(action, tracker, dispatcher, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def step_ids(dispatcher):
    return [
        [step["id"] for step in m["custom"]["stappen"]]
        for m in dispatcher.messages
        if m.get("custom", {}).get("type") == "vervolgstappen"
    ]


def test_refusal_and_move_answer_the_refusal_then_ask_about_the_report(dispatcher, domain):
    tracker = tracker_for("de ouders weigeren de hulp en ze gaan verhuizen naar Zwolle", None)
    events = run(situaties.ActionBeantwoordSituaties(), tracker, dispatcher, domain)
    assert step_ids(dispatcher) == [["weigering.direct_melden"]]
    assert SlotSet("open_vraag", "gemeld_bij_vt") in events
    assert SlotSet("situatie", "hulp_geweigerd") in events


def test_report_with_move_and_concerns_needs_no_question(dispatcher, domain):
    text = "Er loopt een melding bij Veilig Thuis. Vader wil geen hulp en ze verhuizen. Zorgen blijven."
    tracker = tracker_for(text, None, slots={"fase": "gemeld"})
    events = run(situaties.ActionBeantwoordSituaties(), tracker, dispatcher, domain)
    assert step_ids(dispatcher) == [
        ["weigering.direct_melden"],
        ["melding.blijven_volgen", "melding.opnieuw_contact"],
        ["verhuizing.contact_nieuwe_woonplaats", "verhuizing.overdracht_checken"],
    ]
    assert SlotSet("open_vraag", "geen") in events and SlotSet("gemeld_bij_vt", True) in events


def test_negated_report_is_not_read_as_a_report(dispatcher, domain):
    text = "We hebben niet gemeld, wel doorverwezen. De ouders weigeren hulp en ze verhuizen."
    tracker = tracker_for(text, None, slots={"fase": "doorverwezen"})
    events = run(situaties.ActionBeantwoordSituaties(), tracker, dispatcher, domain)
    assert step_ids(dispatcher) == [
        ["weigering.direct_melden"],
        ["verhuizing.contact_nieuwe_woonplaats"],
    ]
    assert SlotSet("gemeld_bij_vt", False) in events


def test_acute_comes_first_and_other_situations_follow_without_questions(dispatcher, domain):
    text = "De ouders weigeren hulp. Vanavond komt vader thuis en dan slaat hij haar weer."
    tracker = tracker_for(text, "hulp_geweigerd")
    events = run(situaties.ActionStappenAcuut(), tracker, dispatcher, domain)
    assert step_ids(dispatcher) == [
        ["acuut.melden", "acuut.direct_gevaar"],
        ["weigering.direct_melden"],
    ]
    first = dispatcher.messages[0]["text"]
    assert "112" in first and "0800-2000" in first
    assert SlotSet("open_vraag", "geen") in events


def test_no_after_the_danger_question_answers_the_earlier_message(dispatcher, domain):
    earlier = "de ouders weigeren hulp, ik weet niet of het thuis nog veilig is"
    analysis = analyse_message(earlier, "hulp_geweigerd")
    analysis.pop("detection")
    assert analysis["intent"] == "twijfel_gevaar"
    before = [
        {
            "event": "user",
            "text": earlier,
            "parse_data": {"intent": {"name": "twijfel_gevaar"}, "analyse": analysis},
        }
    ]
    tracker = make_tracker(intent="ontkennen", text="nee")
    tracker.events = before + tracker.events
    run(situaties.ActionBeantwoordSituaties(), tracker, dispatcher, domain)
    assert step_ids(dispatcher) == [["weigering.direct_melden"]]


def test_colleague_route_names_the_board_the_inspector_and_sources(dispatcher, domain):
    tracker = tracker_for("ik vermoed dat een collega een kind mishandelt", "vermoeden_collega")
    run(situaties.ActionVermoedenCollega(), tracker, dispatcher, domain)
    message, follow_up = dispatcher.messages
    assert follow_up["response"] == "utter_vervolg_opties"
    text = message["text"]
    for needed in ("vertrouwensinspecteur", "houder", "schoolbestuur", "0800-2000", "112", "Bron:"):
        assert needed in text
    assert "custom" not in message or not message["custom"]


def test_button_payload_without_analysis_answers_its_own_intent(dispatcher, domain):
    tracker = make_tracker(intent="meerdere_situaties", text="/meerdere_situaties")
    events = run(situaties.ActionBeantwoordSituaties(), tracker, dispatcher, domain)
    assert step_ids(dispatcher) == []
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_vraag_situatie",
        "utter_vervolg_opties",
    ]
    assert SlotSet("open_vraag", "geen") in events


def test_zorgen_answer_also_gives_what_waited_for_the_fase_question(dispatcher, domain):
    tracker = make_tracker(
        slots={"fase": "gemeld", "uitgestelde_situaties": ["verhuizing"]}, intent="informeren_fase"
    )
    events = run(vervolgstappen.ActionStappenZorgen(), tracker, dispatcher, domain)
    assert step_ids(dispatcher) == [
        ["melding.blijven_volgen", "melding.opnieuw_contact"],
        ["verhuizing.contact_nieuwe_woonplaats", "verhuizing.overdracht_checken"],
    ]
    assert SlotSet("uitgestelde_situaties", []) in events


def test_danger_question_sets_its_open_question(dispatcher, domain):
    events = run(situaties.ActionVraagDirectGevaar(), make_tracker(), dispatcher, domain)
    assert dispatcher.messages[0]["response"] == "utter_vraag_direct_gevaar"
    assert events == [SlotSet("open_vraag", "direct_gevaar")]


def test_safety_texts_name_112_and_0800_2000(domain):
    responses = domain["responses"]
    for name in ("utter_vraag_direct_gevaar", "utter_vervolg_opties_acuut"):
        text = responses[name][0]["text"]
        assert "112" in text and "0800-2000" in text
    for name in ("utter_out_of_scope", "utter_default"):
        text = responses[name][0]["text"]
        for needed in (
            "vervolgstappen van de meldcode",
            "0800-2000",
            "112",
            "aandachtsfunctionaris",
        ):
            assert needed in text


@pytest.mark.parametrize("active_loop", [None, "verhuizing_form"])
def test_acute_answer_ends_with_the_acute_buttons_also_during_a_form(
    active_loop, dispatcher, domain
):
    tracker = make_tracker(intent="acute_zorgen", text="hij slaat haar nu", active_loop=active_loop)
    run(situaties.ActionStappenAcuut(), tracker, dispatcher, domain)
    assert dispatcher.messages[0]["custom"]["situatie"] == "acuut"
    assert dispatcher.messages[-1]["response"] == "utter_vervolg_opties_acuut"
