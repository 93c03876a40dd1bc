"""NLU quality on the held-out set: our model next to a TF-IDF baseline.

Reuses the test helpers (harness/nlu_data.py), so the benchmark and the quality
floor of `make test` count `fase` in the same way.
"""

from pathlib import Path
from typing import Dict, List, Sequence

from harness.nlu_data import (
    HELD_OUT_SET,
    TRAINING_DATA,
    examples,
    fase_values,
    parse_texts,
    set_f1,
)
from harness.situation_sets import (
    LAST_BLIND_SET,
    SCORED_SETS,
    acute_scores,
    acute_set,
    multi_fact_scores,
    multi_fact_set,
)

FALLBACK = "nlu_fallback"
PLAATS = "plaats"


def build_baseline():
    """TF-IDF on character and word n-grams with logistic regression: the same
    classifier the assistant trains next to DIET (bot/nlu/ensemble.py)."""
    from bot.nlu.ensemble import build_classifier

    return build_classifier(10.0)


def train_baseline(texts: Sequence[str], intents: Sequence[str]):
    return build_baseline().fit(list(texts), list(intents))


def intent_scores(expected: Sequence[str], predicted: Sequence[str]) -> Dict:
    """Accuracy, macro-F1 and per-intent F1 over the expected intents.

    A fallback counts as a miss of the true intent, not as a class of its own
    (as in tests/test_nlu_quality.py).
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    labels = sorted(set(expected))
    _, _, f1s, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0
    )
    return {
        "n": len(expected),
        "accuracy": round(float(accuracy_score(expected, predicted)), 4),
        "macro_f1": round(
            float(f1_score(expected, predicted, labels=labels, average="macro", zero_division=0)), 4
        ),
        "per_intent_f1": {
            label: round(float(f1), 4) for label, f1 in zip(labels, f1s, strict=True)
        },
        "support": {label: int(n) for label, n in zip(labels, support, strict=True)},
    }


def plaats_values(entities) -> set:
    return {
        str(e.get("value", "")).strip().lower() for e in entities if e.get("entity") == PLAATS
    } - {""}


def extractor_counts(parsed: List[Dict], entity: str) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for result in parsed:
        for found in result.get("entities", []):
            if found.get("entity") == entity:
                name = found.get("extractor") or "?"
                counts[name] = counts.get(name, 0) + 1
    return counts


def top_intent_without_fallback(parsed: Dict) -> str:
    ranking = [r["name"] for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK]
    return ranking[0] if ranking else FALLBACK


def save_confusion_matrix(
    expected: Sequence[str], predicted: Sequence[str], path: Path, title: str
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted(set(expected)) + sorted(set(predicted) - set(expected))
    figure, axes = plt.subplots(figsize=(11, 10))
    ConfusionMatrixDisplay.from_predictions(
        expected,
        predicted,
        labels=labels,
        ax=axes,
        colorbar=False,
        cmap="Blues",
        xticks_rotation="vertical",
    )
    axes.set_title(title)
    axes.set_xlabel("voorspeld")
    axes.set_ylabel("verwacht")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)


def model_intent(parsed: Dict) -> str:
    """The NLU model's own intent, before the situation detector changed it."""
    return (parsed.get("analyse") or {}).get("model_intent") or parsed["intent"]["name"]


def parse_issue_11_sets(model: Path) -> Dict[str, Dict]:
    """Acute and multi-fact held-out sets, parsed once by the whole pipeline:
    the development sets of the targets and the blind sets."""
    sets = SCORED_SETS
    texts = []
    for acute_path, multi_path in sets.values():
        acute = acute_set(acute_path)
        texts += acute["acuut"] + acute["niet_acuut"]
        texts += [m["tekst"] for m in multi_fact_set(multi_path)]
    parsed = dict(zip(texts, parse_texts(model, texts), strict=True))

    def lookup(batch):
        return [parsed[text] for text in batch]

    scores = {
        name: {
            "acuut": acute_scores(lookup, acute_path),
            "meerdere_feiten": multi_fact_scores(lookup, multi_path),
        }
        for name, (acute_path, multi_path) in sets.items()
    }
    # The targets are read from the held-out set (never trained or tuned on);
    # the development sets are the second opinion's training data since round 11.
    return {**scores[f"blind_{LAST_BLIND_SET}"], "sets": scores}


def evaluate(model: Path, confusion_png: Path) -> Dict:
    held_out = examples(HELD_OUT_SET)
    training = examples(TRAINING_DATA)
    expected = [m.get("intent") for m in held_out]

    parsed = parse_texts(model, [m.get("text") for m in held_out])
    predicted = [p["intent"]["name"] for p in parsed]
    model_only = [model_intent(p) for p in parsed]
    save_confusion_matrix(
        expected,
        predicted,
        confusion_png,
        f"Held-out set ({len(expected)} zinnen): verwacht tegen voorspeld",
    )

    baseline = train_baseline(
        [m.get("text") for m in training], [m.get("intent") for m in training]
    )
    baseline_predicted = list(baseline.predict([m.get("text") for m in held_out]))

    entities = [m.get("entities", []) for m in held_out]
    found = [p.get("entities", []) for p in parsed]
    return {
        "held_out_examples": len(held_out),
        "training_examples": len(training),
        "ours": intent_scores(expected, predicted),
        "ours_without_fallback": intent_scores(
            expected, [top_intent_without_fallback(p) for p in parsed]
        ),
        "fallbacks": predicted.count(FALLBACK),
        "baseline": intent_scores(expected, baseline_predicted),
        # Errors on the held-out set (issue 11: at most 0.6x the baseline's).
        "error_counts": {
            "ours": sum(e != p for e, p in zip(expected, predicted, strict=True)),
            "model_only": sum(e != p for e, p in zip(expected, model_only, strict=True)),
            "baseline": sum(e != p for e, p in zip(expected, baseline_predicted, strict=True)),
        },
        "model_only": intent_scores(expected, model_only),
        "issue_11": parse_issue_11_sets(model),
        "fase": set_f1(zip(map(fase_values, entities), map(fase_values, found), strict=True)),
        "plaats": set_f1(zip(map(plaats_values, entities), map(plaats_values, found), strict=True)),
        "plaats_extractors": extractor_counts(parsed, PLAATS),
        "errors": [
            {"verwacht": e, "voorspeld": p}
            for e, p in zip(expected, predicted, strict=True)
            if e != p
        ],
    }
