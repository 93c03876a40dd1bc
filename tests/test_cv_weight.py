"""The pure parts of the ensemble-weight cross-validation (bench/cv_weight.py):
the fold split, the fallback rule, the recombination score and the choice."""

import math
from collections import Counter

import pytest
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bench.cv_weight import (
    CONFIG,
    fallback_intent,
    paired_difference,
    pipeline_settings,
    preferred_weight,
    score,
    stratified_folds,
    write_fold_data,
)


def test_folds_hold_every_example_once_and_spread_each_intent():
    labels = ["a"] * 12 + ["b"] * 7 + ["c"] * 5
    folds = stratified_folds(labels, k=5, seed=0)
    assert sorted(i for fold in folds for i in fold) == list(range(len(labels)))
    for intent, total in Counter(labels).items():
        per_fold = [sum(labels[i] == intent for i in fold) for fold in folds]
        assert max(per_fold) - min(per_fold) <= 1, (intent, per_fold)
        assert sum(per_fold) == total
    assert folds == stratified_folds(labels, k=5, seed=0)  # repeatable


@pytest.mark.parametrize(
    "confidences",
    [(0.9, 0.05), (0.39, 0.3), (0.45, 0.42), (0.5, 0.44), (0.41, 0.2), (1.0,)],
)
def test_fallback_rule_is_rasas(confidences):
    ranking = [{"name": f"i{n}", "confidence": c} for n, c in enumerate(confidences)]
    message = Message(data={TEXT: "x", INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    config = {"threshold": 0.4, "ambiguity_threshold": 0.05}
    (rasa,) = FallbackClassifier(config).process([message])
    assert fallback_intent(ranking, 0.4, 0.05) == rasa.get(INTENT)["name"]


def test_score_counts_fallbacks_as_errors_and_moves_with_the_weight():
    # DIET right and sure, the SVM wrong and sure: the weight decides.
    record = {
        "intent": "a",
        "diet": [{"name": "a", "confidence": 0.9}, {"name": "b", "confidence": 0.1}],
        "svm": {"a": 0.1, "b": 0.9},
    }
    assert score([record], 0.7, 0.4, 0.05)["errors"] == 0
    assert score([record], 0.3, 0.4, 0.05)["errors"] == 1
    even = score([record], 0.5, 0.4, 0.05)  # a tie: ambiguous, falls back
    assert even == {"errors": 1, "fallbacks": 1, "log_loss": pytest.approx(-math.log(0.5))}


def test_another_weight_only_beyond_the_fold_noise():
    base = [10, 12, 9, 11, 10]
    clear = [8, 10, 8, 9, 9]  # 8 fewer, never worse
    noisy = [6, 15, 5, 14, 8]  # 4 fewer, but spread over +-4 per fold
    assert paired_difference(clear, base)["difference"] == -8
    assert preferred_weight({0.5: base, 0.6: clear, 0.4: noisy}, 0.5) == 0.6
    assert preferred_weight({0.5: base, 0.4: noisy}, 0.5) == 0.5
    assert preferred_weight({0.5: base, 0.3: clear, 0.7: clear}, 0.5) in (0.3, 0.7)
    assert preferred_weight({0.5: base, 0.3: clear, 0.6: clear}, 0.5) == 0.6


def test_reads_the_configured_pipeline():
    settings = pipeline_settings(CONFIG)
    assert 0 < settings["weight"] < 1
    assert 0 < settings["threshold"] < 1


def test_fold_data_keeps_the_other_examples_and_the_lookup_files(tmp_path):
    from harness.nlu_data import TRAINING_DATA, examples

    messages = examples(TRAINING_DATA)
    held_in = list(range(0, len(messages), 5))
    write_fold_data(messages, held_in, tmp_path / "data")
    written = examples(tmp_path / "data")
    assert len(written) == len(messages) - len(held_in)
    assert {m.get("text") for m in written}.isdisjoint(
        {messages[i].get("text") for i in held_in}
        - {m.get("text") for i, m in enumerate(messages) if i % 5}
    )
    names = {p.name for p in (tmp_path / "data").iterdir()}
    assert names - {"fold.yml"} == {p.name for p in TRAINING_DATA.glob("*.yml") if not examples(p)}
