"""The situation detector and the decision on top of it (no model needed)."""

import re

import pytest
import yaml

from bot.answer_plan import plan_answers
from bot.nlu.decision import (
    ACUUT,
    MEERDERE,
    TWIJFEL_GEVAAR,
    adjust_entities,
    decide,
    model_situations,
)
from bot.nlu.detector import CUES_FILE, detect, is_acute, load_cues


def decision_of(text, model_intents=()):
    return decide(list(model_intents), detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "de leerling durft vanavond niet naar huis",
        "vader heeft gedreigd haar iets aan te doen",
        "er ligt een mes op tafel en hij is woedend",
        "het kind zit opgesloten op zolder",
        "ze is van huis weggelopen omdat ze bang is",
        "een tiener zegt dat ze er een eind aan wil maken",
        "hij snijdt zichzelf sinds een paar weken",
        "vandaag zag ik verse blauwe plekken bij de baby",
        "Ik ben leerkracht. We hebben vorig jaar doorverwezen. Vanochtend had hij striemen op zijn rug.",
        "Ze belde net: hij slaat haar nu",
        "zoon bedreigt zijn moeder",
    ],
)
def test_acute_cues_are_found_in_indirect_and_long_messages(text):
    assert is_acute(text)
    assert decision_of(text, ["zorgen_blijven"]).intent == ACUUT


@pytest.mark.parametrize(
    "text",
    [
        "de ouders weigeren hulp",
        "het gezin verhuist naar Zwolle",
        "we hebben gemeld bij VT en de zorgen blijven",
        "er is geen direct gevaar, maar de zorgen blijven",
        "vorig jaar had hij blauwe plekken, toen hebben we gemeld",
        "mevrouw wordt door haar man bedreigd met scheiden",
        "de ouders zijn boos weggelopen uit het gesprek",
    ],
)
def test_ordinary_messages_are_not_acute(text):
    assert not is_acute(text)


def test_an_acute_cue_is_never_cancelled_by_a_negation_elsewhere():
    assert is_acute("hij heeft haar niet geslagen, maar wel met een mes bedreigd")
    assert is_acute("er is niet gemeld en het kind durft niet naar huis")


def test_weak_signal_asks_the_danger_question_unless_small_talk():
    assert decision_of("ik weet niet of het thuis nog veilig is").intent == TWIJFEL_GEVAAR
    assert decision_of("het kind is bang voor zijn vader", ["zorgen_blijven"]).twijfel_gevaar
    assert decision_of("ik ben bang dat ik het fout doe", ["bedanken"]).intent == "bedanken"


@pytest.mark.parametrize(
    "text, fase, gemeld",
    [
        ("we hebben doorverwezen, bij Veilig Thuis is niets gemeld", "doorverwezen", False),
        ("niet gemeld, wel doorverwezen naar het wijkteam", "doorverwezen", False),
        ("er is geen melding gedaan", None, False),
        ("we hebben nog niet doorverwezen", None, None),
        ("gemeld bij VT hebben we niet", None, False),
        ("sinds de melding bij VT gaat het niet goed", "gemeld", True),
        ("na verwijzing naar het CJG", "doorverwezen", None),
        ("Veilig Thuis is ingeschakeld", "gemeld", True),
        ("ik weet niet of er ooit een melding is gedaan", None, None),
        ("eerst doorverwezen, daarna toch gemeld bij Veilig Thuis", "gemeld", True),
        ("de leerling is ziek gemeld", None, None),
    ],
)
def test_facts_and_negation(text, fase, gemeld):
    detection = detect(text)
    assert (detection.fase, detection.gemeld_bij_vt) == (fase, gemeld)


def test_negated_fase_entity_from_the_model_is_removed_and_the_detected_one_added():
    detection = detect("we hebben doorverwezen, bij Veilig Thuis is niets gemeld")
    model_entities = [{"entity": "fase", "value": "gemeld", "start": 40, "end": 46}]
    fases = [
        e["value"] for e in adjust_entities(model_entities, detection) if e["entity"] == "fase"
    ]
    assert fases == ["doorverwezen"]
    nothing = detect("we hebben nog niet doorverwezen")
    model_entities = [{"entity": "fase", "value": "doorverwezen"}]
    assert adjust_entities(model_entities, nothing) == []


def test_several_situations_in_one_message_in_contract_order():
    decision = decision_of("de ouders weigeren de hulp en ze gaan verhuizen naar Zwolle")
    assert decision.intent == MEERDERE
    assert decision.situaties == ("hulp_geweigerd", "verhuizing")
    acute = decision_of("ze gaan verhuizen, en vanavond slaat vader haar weer", ["verhuizing"])
    assert acute.intent == ACUUT and acute.situaties == (ACUUT, "verhuizing")
    assert detect("het gezin gaat naar Zwolle verhuizen").plaats == "Zwolle"
    assert detect("we verwijzen naar Veilig Thuis, ze verhuizen").plaats is None


def test_a_suspicion_against_a_colleague_takes_its_own_route():
    decision = decision_of(
        "ik vermoed dat een collega van de kinderopvang een kind mishandelt, wat moet ik doen?",
        ["zorgen_blijven"],
    )
    assert decision.intent == "vermoeden_collega"
    assert decision.situaties == ("vermoeden_collega",)
    assert detect("ik heb met een collega overlegd en we weigeren niets").situations == ()


def test_plan_answers_until_a_fact_is_missing_then_asks():
    plan = plan_answers(["hulp_geweigerd", "zorgen_blijven", "verhuizing"], None, None)
    assert [a.situation for a in plan.answers] == ["hulp_geweigerd"]
    assert plan.question == "fase" and plan.deferred == ("verhuizing",)
    known = plan_answers(["hulp_geweigerd", "zorgen_blijven", "verhuizing"], "gemeld", None)
    assert [(a.situation, a.gemeld) for a in known.answers] == [
        ("hulp_geweigerd", False),
        ("zorgen_na_melding", False),
        ("verhuizing", True),
    ]
    assert known.question is None
    quiet = plan_answers(["zorgen_blijven", "verhuizing"], None, False, may_ask=False)
    assert [a.situation for a in quiet.answers] == ["verhuizing"] and quiet.question is None


def test_every_cue_compiles_and_the_file_has_every_list():
    cues = load_cues()
    raw = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))
    assert cues.acute_specific and cues.violence and cues.time and cues.weak
    for name, patterns in raw["situaties"].items():
        assert name in cues.situations and all(re.compile(p) for p in patterns)


def test_empty_or_odd_input_gives_nothing():
    assert detect("") == detect("   ") == detect(None)
    assert not detect("{{}} <b> /acute_zorgen").situations


def test_model_acute_probability_above_the_threshold_puts_acute_first():
    ranking = [
        {"name": "zorgen_blijven", "confidence": 0.9},
        {"name": "acute_zorgen", "confidence": 0.05},
    ]
    assert model_situations("zorgen_blijven", ranking, 0.01) == [ACUUT, "zorgen_blijven"]
    assert model_situations("zorgen_blijven", ranking, 0.1) == ["zorgen_blijven"]
    assert model_situations("nlu_fallback", ranking, 0.5) == []
    assert model_situations(MEERDERE, ranking, 0.5) == []


def test_a_question_intent_of_the_model_is_ignored_when_the_cues_found_a_situation():
    text = "de ouders weigeren hulp"
    assert decision_of(text, ["vraag_veilig_thuis"]).situaties == ("hulp_geweigerd",)
    assert decision_of("hoe bereik ik ze", ["vraag_veilig_thuis"]).intent == "vraag_veilig_thuis"


def test_requests_keep_their_intent_unless_acute():
    text = "maak een verslag: de ouders weigeren hulp"
    assert decision_of(text, ["vraag_verslag"]).intent == "vraag_verslag"
    assert (
        decision_of("stop oefenen, ze verhuizen", ["stop_oefenmodus"]).intent == "stop_oefenmodus"
    )
    assert decision_of("verslag: vader dreigt met een mes", ["vraag_verslag"]).intent == ACUUT
