"""Exercise mode: the scenario file, choosing and judging, and the actions."""

import asyncio
import random

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.oefening import ActionOefeningAntwoord, ActionOefeningStart, ActionOefeningStop
from bot.content import ContentError, load_protocol
from bot.oefening import (
    DEFAULT_EXERCISE_FILE,
    case_message,
    choice_from_message,
    feedback_text,
    load_exercises,
    option_number,
    parse_exercises,
    pick_round,
    summary_text,
)
from bot.render import select_steps
from tests.conftest import yaml_variant

CONTRACT_SITUATIONS = {
    "zorgen_na_doorverwijzing",
    "zorgen_na_melding",
    "hulp_geweigerd",
    "verhuizing",
    "acuut",
    "verantwoordelijkheid",
    "stappen_meldcode",
}


@pytest.fixture(scope="module")
def exercises():
    return load_exercises()


@pytest.fixture(scope="module")
def protocol():
    return load_protocol()


# --- The scenario file ---


def test_at_least_fifteen_cases_from_several_sectors(exercises):
    assert len(exercises.cases) >= 15
    assert len({case.sector for case in exercises.cases.values()}) >= 6


def test_cases_cover_every_contract_situation_and_the_combinations(exercises):
    cases = list(exercises.cases.values())
    assert CONTRACT_SITUATIONS <= {case.situation_id for case in cases}
    moves = {case.reported for case in cases if case.situation_id == "verhuizing"}
    assert moves == {True, False}  # a move after a report, and one without


def test_every_case_agrees_with_the_situation_table(exercises, protocol):
    for case in exercises.cases.values():
        derived = [step.id for step in select_steps(protocol, case.situation_id, case.reported)]
        assert list(case.step_ids) == derived, case.id
        assert all(step_id in protocol.steps for step_id in case.step_ids)


def test_every_case_has_one_correct_and_plausible_wrong_options(exercises):
    for case in exercises.cases.values():
        assert case.options.count(case.situation_id) == 1, case.id
        wrong = [o for o in case.options if o != case.situation_id]
        assert len(wrong) >= 2, case.id
        assert all(o in exercises.answers or o in exercises.mistakes for o in wrong)
    assert any(case.options[0] != case.situation_id for case in exercises.cases.values())


def write_variant(tmp_path, change):
    return yaml_variant(DEFAULT_EXERCISE_FILE, tmp_path, change)


@pytest.mark.parametrize(
    "change, named",
    [
        (
            lambda raw: raw["casussen"][0].update({"stappen": ["melding.verzonnen"]}),
            "melding.verzonnen",
        ),
        (lambda raw: raw["casussen"][0].update({"stappen": ["acuut.melden"]}), "situatietabel"),
        (
            lambda raw: raw["casussen"][0].update({"opties": ["afwachten", "dossier_sluiten"]}),
            "goede antwoord",
        ),
        (lambda raw: raw["casussen"][0]["opties"].append("iets_anders"), "iets_anders"),
        (lambda raw: raw["casussen"][0].update({"situatie": "onbekend"}), "onbekend"),
        (lambda raw: raw["teksten"].pop("score"), "score"),
    ],
)
def test_broken_scenario_file_is_refused_with_a_named_problem(tmp_path, protocol, change, named):
    with pytest.raises(ContentError) as error:
        parse_exercises(write_variant(tmp_path, change), protocol)
    assert named in str(error.value)


# --- Choosing and judging ---


def test_round_has_no_repeats_and_never_starts_with_the_last_case(exercises):
    ids = sorted(exercises.cases)
    for seed in range(200):
        last = ids[seed % len(ids)]
        chosen = pick_round(exercises, random.Random(seed), last)
        assert len(chosen) == len(set(chosen)) == exercises.round_size
        assert chosen[0] != last


@pytest.mark.parametrize(
    "text, number",
    [
        ("2", 2),
        ("optie 3", 3),
        ("ik kies de tweede", 2),
        ("4.", 4),
        ("de eerste", 1),
        ("ik heb een melding gedaan", None),
        ("ouders weigeren hulp", None),
        ("", None),
        ("ik denk dat ik volgens het protocol nu optie 2 moet kiezen", None),
    ],
)
def test_option_number(text, number):
    assert option_number(text) == number


def test_choice_from_button_number_and_free_text(exercises):
    case = next(c for c in exercises.cases.values() if c.situation_id == "hulp_geweigerd")
    button = [{"entity": "oefen_keuze", "value": case.options[1]}]
    assert choice_from_message(case, "/oefen_antwoord", "oefen_antwoord", button) == case.options[1]
    assert choice_from_message(case, "3", "oefen_antwoord", []) == case.options[2]
    assert choice_from_message(case, "ik meld direct", "hulp_geweigerd", []) == "hulp_geweigerd"
    fase = [{"entity": "fase", "value": "gemeld"}]
    assert (
        choice_from_message(case, "zorgen na melding", "zorgen_blijven", fase)
        == "zorgen_na_melding"
    )
    assert choice_from_message(case, "weet ik niet", "nlu_fallback", []) is None


def test_feedback_for_a_common_mistake_explains_why(exercises, protocol):
    case = next(
        c for c in exercises.cases.values() if any(o in exercises.mistakes for o in c.options)
    )
    mistake = next(o for o in case.options if o in exercises.mistakes)
    text = feedback_text(exercises, protocol, case, mistake)
    assert text.startswith(exercises.texts["fout"])
    assert exercises.mistakes[mistake].reason in text and case.explanation in text


def test_feedback_for_the_right_answer(exercises, protocol):
    case = next(iter(exercises.cases.values()))
    text = feedback_text(exercises, protocol, case, case.situation_id)
    assert text.startswith(exercises.texts["goed"]) and case.explanation in text


def test_case_message_has_numbered_options_buttons_and_payload(exercises):
    case = next(iter(exercises.cases.values()))
    message = case_message(exercises, case, 1, 3)
    for number, key in enumerate(case.options, 1):
        assert f"{number}. {exercises.label(key)}" in message["text"].split("\n")
    assert [b["payload"] for b in message["buttons"]] == [
        f'/oefen_antwoord{{"oefen_keuze": "{key}"}}' for key in case.options
    ] + ["/stop_oefenmodus"]
    assert message["json_message"]["casus_id"] == case.id


def test_summary_names_the_sections_to_read_again(exercises, protocol):
    text = summary_text(exercises, protocol, 1, 3, ["hulp_geweigerd", "hulp_geweigerd"])
    assert "1" in text and "3" in text
    assert text.count("Ouders/cliënten weigeren") == 1


# --- Actions ---


def run(action, dispatcher, tracker, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def slots(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def started(dispatcher, tracker_factory, domain, case_slots=None):
    events = run(ActionOefeningStart(), dispatcher, tracker_factory(slots=case_slots), domain)
    return slots(events)["oefening"], events


def test_start_presents_the_first_case_and_saves_the_case_slots(
    dispatcher, tracker_factory, domain, exercises
):
    state, events = started(dispatcher, tracker_factory, domain, {"fase": "gemeld"})
    assert slots(events)["oefenmodus"] is True
    assert len(state["ronde"]) == exercises.round_size and state["index"] == 0
    assert state["bewaard"] == {
        "fase": "gemeld",
        "plaats": None,
        "vorige_plaats": None,
        "gemeld_bij_vt": None,
    }
    case_payload = dispatcher.messages[-1]["custom"]
    assert case_payload["type"] == "oefencasus" and case_payload["casus_id"] == state["ronde"][0]


def answer(state, tracker_factory, dispatcher, domain, **message):
    tracker = tracker_factory(slots={"oefening": state, "oefenmodus": True}, **message)
    return run(ActionOefeningAntwoord(), dispatcher, tracker, domain)


def test_right_answer_gives_feedback_sourced_steps_and_the_next_case(
    tracker_factory, domain, exercises
):
    state, _ = started(CollectingDispatcher(), tracker_factory, domain)
    case = exercises.cases[state["ronde"][0]]
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "oefen_keuze", "value": case.situation_id}]
    events = answer(
        state,
        tracker_factory,
        dispatcher,
        domain,
        intent="oefen_antwoord",
        entities=entities,
        text="/oefen_antwoord",
    )
    feedback, steps, next_case = dispatcher.messages
    assert feedback["text"].startswith(exercises.texts["goed"])
    assert steps["custom"]["type"] == "vervolgstappen"
    assert [s["id"] for s in steps["custom"]["stappen"]] == list(case.step_ids)
    assert next_case["custom"]["casus_id"] == state["ronde"][1]
    assert slots(events)["oefening"]["goed"] == 1


def test_wrong_free_text_answer_is_judged_and_case_slots_are_restored(
    tracker_factory, domain, exercises
):
    state, _ = started(CollectingDispatcher(), tracker_factory, domain)
    case = exercises.cases[state["ronde"][0]]
    wrong_intent = "acute_zorgen" if case.situation_id != "acuut" else "hulp_geweigerd"
    dispatcher = CollectingDispatcher()
    events = answer(
        state,
        tracker_factory,
        dispatcher,
        domain,
        intent=wrong_intent,
        text="iets in eigen woorden",
        extracted={"fase": "gemeld", "plaats": "Zwolle"},
    )
    assert dispatcher.messages[0]["text"].startswith(exercises.texts["fout"])
    result = slots(events)
    assert result["oefening"]["fout"] == [case.situation_id]
    assert result["fase"] is None and result["plaats"] is None


def test_unclear_answer_repeats_the_case(tracker_factory, dispatcher, domain, exercises):
    state, _ = started(CollectingDispatcher(), tracker_factory, domain)
    events = answer(state, tracker_factory, dispatcher, domain, intent="nlu_fallback", text="hmm")
    assert dispatcher.messages[0]["text"] == exercises.texts["niet_begrepen"]
    assert dispatcher.messages[-1]["custom"]["casus_id"] == state["ronde"][0]
    assert "oefening" not in slots(events)


def test_last_answer_ends_the_round_with_score_and_advice_mode(tracker_factory, domain, exercises):
    state, _ = started(CollectingDispatcher(), tracker_factory, domain, {"plaats": "Emmen"})
    state = {**state, "index": len(state["ronde"]) - 1, "goed": 1, "fout": ["acuut"]}
    dispatcher = CollectingDispatcher()
    case = exercises.cases[state["ronde"][-1]]
    events = answer(
        state,
        tracker_factory,
        dispatcher,
        domain,
        intent="oefen_antwoord",
        entities=[{"entity": "oefen_keuze", "value": case.situation_id}],
        text="x",
    )
    summary = dispatcher.messages[-1]["text"]
    assert summary.split("\n")[0] == exercises.texts["score"].replace("{goed}", "2").replace(
        "{aantal}", str(len(state["ronde"]))
    )
    result = slots(events)
    assert result["oefenmodus"] is False
    assert result["oefening"] == {"laatste": state["ronde"][-1]}
    assert result["plaats"] == "Emmen"


def test_stop_half_way_leaves_no_exercise_state(tracker_factory, dispatcher, domain, exercises):
    state, _ = started(CollectingDispatcher(), tracker_factory, domain, {"fase": "doorverwezen"})
    tracker = tracker_factory(slots={"oefening": state, "oefenmodus": True, "fase": "gemeld"})
    events = run(ActionOefeningStop(), dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == exercises.texts["gestopt"]
    assert slots(events) == {
        "oefenmodus": False,
        "oefening": None,
        "fase": "doorverwezen",
        "plaats": None,
        "vorige_plaats": None,
        "gemeld_bij_vt": None,
    }


def test_stop_outside_an_exercise_says_so_and_keeps_the_case(
    tracker_factory, dispatcher, domain, exercises
):
    tracker = tracker_factory(slots={"fase": "gemeld", "oefening": {"laatste": "x"}})
    events = run(ActionOefeningStop(), dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == exercises.texts["niet_aan_het_oefenen"]
    assert slots(events) == {"oefenmodus": False, "oefening": None}
