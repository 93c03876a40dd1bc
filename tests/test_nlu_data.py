"""The held-out set is separate from the training data and covers every intent."""

import yaml

from harness.nlu_data import HELD_OUT_SET, TRAINING_DATA, examples, normalised_text
from tests.conftest import PROJECT_ROOT


def domain_intents():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return set(domain["intents"])


def test_no_held_out_utterance_is_in_the_training_data():
    training = {normalised_text(m.get("text")) for m in examples(TRAINING_DATA)}
    overlap = [
        m.get("text") for m in examples(HELD_OUT_SET) if normalised_text(m.get("text")) in training
    ]
    assert overlap == []


def test_held_out_set_is_large_enough_and_covers_every_intent():
    held_out = examples(HELD_OUT_SET)
    assert len(held_out) >= 150
    assert {m.get("intent") for m in held_out} == domain_intents()


def test_training_data_covers_every_intent_and_both_fase_values():
    training = examples(TRAINING_DATA)
    assert {m.get("intent") for m in training} == domain_intents()
    fase_values = {
        e["value"] for m in training for e in m.get("entities", []) if e["entity"] == "fase"
    }
    assert fase_values == {"doorverwezen", "gemeld"}


def test_held_out_set_has_enough_fase_annotations():
    annotated = [
        m
        for m in examples(HELD_OUT_SET)
        if any(e["entity"] == "fase" for e in m.get("entities", []))
    ]
    assert len(annotated) >= 40


def test_issue_11_held_out_sets_share_no_message_with_the_training_data():
    from harness.situation_sets import held_out_texts

    training = {normalised_text(m.get("text")) for m in examples(TRAINING_DATA)}
    overlap = [text for text in held_out_texts() if normalised_text(text) in training]
    assert overlap == []
