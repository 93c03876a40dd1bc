"""Issue 11 on the trained model: the held-out acute and multi-fact sets, scored
through the whole NLU pipeline (DIET plus the situation detector) and the
assistant's answer plan. Floors: acute recall 0.99, acute precision 0.90,
multi-fact exact 0.95 (target 0.90), on the sets the targets are defined on; the danger
question ("Is er nu direct gevaar?") on at most 5% of the non-acute messages.
"""

import json

import pytest

from harness.nlu_data import parse_texts_with
from harness.situation_sets import (
    SCORED_SETS,
    acute_scores,
    held_out_texts,
    multi_fact_scores,
)
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.integration

ACUTE_RECALL_FLOOR = 0.99
ACUTE_PRECISION_FLOOR = 0.90
MULTI_FACT_EXACT_FLOOR = 0.95
# The danger question costs a turn: rare on messages without danger.
MAX_DANGER_QUESTION_ON_CALM = 0.05


@pytest.fixture(scope="module")
def parsed(trained_agent):
    texts = held_out_texts()
    results = dict(zip(texts, parse_texts_with(trained_agent, texts), strict=True))
    return lambda batch: [results[text] for text in batch]


@pytest.fixture(scope="module")
def scores(parsed):
    # The floors hold on the sets of the targets; the blind sets are
    # reported (results/issue11_model.json, docs/benchmarks.md), not floored.
    found = {
        name: {
            "acuut": acute_scores(parsed, acute_path),
            "meerdere_feiten": multi_fact_scores(parsed, multi_path),
        }
        for name, (acute_path, multi_path) in SCORED_SETS.items()
    }
    results = PROJECT_ROOT / "results"
    results.mkdir(exist_ok=True)
    (results / "issue11_model.json").write_text(
        json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return found


def test_acute_recall_and_precision_with_the_model(scores):
    acute = scores["ontwikkel"]["acuut"]
    print(f"\nAcuut: recall {acute['recall']:.3f}, precisie {acute['precision']:.3f}")
    assert acute["recall"] >= ACUTE_RECALL_FLOOR, acute["gemist"]
    assert acute["precision"] >= ACUTE_PRECISION_FLOOR, acute["vals_alarm"]


def test_the_danger_question_is_rare_on_messages_without_danger(scores):
    acute = scores["ontwikkel"]["acuut"]
    asked = acute["vraag_gevaar_bij_niet_acuut"]
    print(f"\nVraag 'direct gevaar?' bij niet-acuut: {asked}/{acute['niet_acuut']}")
    assert asked / acute["niet_acuut"] <= MAX_DANGER_QUESTION_ON_CALM
    assert acute["recall_met_vraag"] >= acute["recall"]


def test_multi_fact_messages_get_exactly_their_steps_with_the_model(scores):
    multi = scores["ontwikkel"]["meerdere_feiten"]
    print(f"\nMeerdere feiten: exact {multi['exact']:.3f}")
    assert multi["exact"] >= MULTI_FACT_EXACT_FLOOR, multi["fout"]


def test_the_second_development_set_with_the_model(scores):
    # Floors on ontwikkel_2 (a development set): recall and several facts;
    # its precision is reported (long messages about past harm, see the report).
    dev = scores["ontwikkel_2"]
    print(
        f"\nontwikkel_2: recall {dev['acuut']['recall']:.3f}, meerdere feiten {dev['meerdere_feiten']['exact']:.3f}"
    )
    assert dev["acuut"]["recall"] >= ACUTE_RECALL_FLOOR, dev["acuut"]["gemist"]
    assert dev["meerdere_feiten"]["exact"] >= MULTI_FACT_EXACT_FLOOR, dev["meerdere_feiten"]["fout"]
