"""Issue 11 on the trained model: the acute and multi-fact sets, scored through
the whole NLU pipeline (DIET, the situation detector and the second opinion)
and the assistant's answer plan. Floors on the development sets (since round
11 the second opinion's training data, so these guard against regressions):
acute recall 0.99, acute precision 0.90, multi-fact exact 0.95 (target 0.90);
the acute answer or the danger question ("Is er nu direct gevaar?") on at
most 10% of the non-acute messages. On the held-out set: every acute message
gets the acute answer or the danger question, at 0.99 at least.
"""

import json

import pytest

from harness.nlu_data import parse_texts_with
from harness.situation_sets import (
    HELD_OUT_SETS,
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
# The danger question costs a turn: rare on messages without danger. Since
# round 11 it replaces most false alarms (the second opinion), so the floor
# counts both interruptions together.
MAX_INTERRUPTED_CALM = 0.10


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


def test_messages_without_danger_are_rarely_interrupted(scores):
    acute = scores["ontwikkel"]["acuut"]
    interrupted = acute["vraag_gevaar_bij_niet_acuut"] + len(acute["vals_alarm"])
    print(f"\nAcuut of 'direct gevaar?' bij niet-acuut: {interrupted}/{acute['niet_acuut']}")
    assert interrupted / acute["niet_acuut"] <= MAX_INTERRUPTED_CALM
    assert acute["recall_met_vraag"] >= acute["recall"]


def test_on_the_held_out_set_every_acute_message_gets_the_acute_answer_or_the_question(scores):
    for name in HELD_OUT_SETS:
        acute = scores[name]["acuut"]
        print(f"\n{name}: recall {acute['recall']:.3f}, met vraag {acute['recall_met_vraag']:.3f}")
        # Aggregate only: the held-out set's texts are never printed.
        assert acute["recall_met_vraag"] >= ACUTE_RECALL_FLOOR, len(acute["gemist"])


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
