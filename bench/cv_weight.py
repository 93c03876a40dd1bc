"""DIET's share in the ensemble (`weight` of bot.nlu.ensemble), chosen by
5-fold stratified cross-validation on the training data only.

`python -m bench.cv_weight [--lock FILE] [--score-only]`

Per fold the NLU pipeline of config.yml is trained once on four fifths
(`python -m bot rasa train nlu`, as `make train`), the held-in fifth is parsed
once by the whole pipeline, and a bench-only hook records what the ensemble
combined for every message: DIET's full ranking and the fold's SVM
probabilities (the real arguments of `bot.nlu.ensemble.combine`). Every
candidate weight is then recombined offline with the same `combine` and the
FallbackClassifier's rule. Scored: the intent after the ensemble and the
fallback (the model alone; the SituationDetector, which also changes intents,
is left out), a fallback counting as an error; and the log-loss of the
combined ranking. At the configured weight the offline intent must equal the
pipeline's own (`analyse.model_intent`): the script counts mismatches.

The held-out sets (tests/nlu/) are never read. Not part of `make test`: it
trains five models (about 75 s each). Writes results/cv-weight.json; the
recorded rankings per fold stay in results/cv-weight/ for `--score-only`.
"""

import argparse
import contextlib
import fcntl
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

from harness.nlu_data import PROJECT_ROOT, TRAINING_DATA, examples

RESULTS = PROJECT_ROOT / "results" / "cv-weight.json"
FOLD_DIR = PROJECT_ROOT / "results" / "cv-weight"
CONFIG = PROJECT_ROOT / "config.yml"
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5)
FOLDS = 5
SEED = 0
FALLBACK = "nlu_fallback"
# A probability of 0 would make the log-loss infinite.
EPSILON = 1e-15


def stratified_folds(labels: Sequence[str], k: int = FOLDS, seed: int = SEED) -> List[List[int]]:
    """The indices of each fold's held-in part: every example in exactly one
    fold, every intent spread evenly over the folds."""
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [
        sorted(int(i) for i in held_in)
        for _, held_in in splitter.split([[0]] * len(labels), list(labels))
    ]


def fallback_intent(ranking: List[Dict], threshold: float, ambiguity: float) -> str:
    """The intent after Rasa's FallbackClassifier: `nlu_fallback` when the first
    confidence is below `threshold` or the first two lie closer than `ambiguity`."""
    if not ranking:
        return FALLBACK
    first = ranking[0]["confidence"]
    if first < threshold:
        return FALLBACK
    if len(ranking) >= 2 and first - ranking[1]["confidence"] < ambiguity:
        return FALLBACK
    return ranking[0]["name"]


def score(
    records: List[Dict], weight: float, threshold: float, ambiguity: float
) -> Dict[str, float]:
    """Errors (wrong intent or fallback), fallbacks and mean log-loss of the
    recorded messages when the ensemble used `weight`."""
    from bot.nlu.ensemble import combine

    errors = fallbacks = 0
    loss = 0.0
    for record in records:
        ranking = combine(record["diet"], record["svm"], weight)
        found = fallback_intent(ranking, threshold, ambiguity)
        fallbacks += found == FALLBACK
        errors += found != record["intent"]
        truth = next((r["confidence"] for r in ranking if r["name"] == record["intent"]), 0.0)
        loss -= math.log(max(truth, EPSILON))
    return {
        "errors": errors,
        "fallbacks": fallbacks,
        "log_loss": loss / len(records) if records else 0.0,
    }


def paired_difference(errors: Sequence[int], base: Sequence[int]) -> Dict[str, float]:
    """Summed error difference against `base` over the folds, with its
    standard error from the fold-to-fold spread (paired per fold)."""
    differences = [a - b for a, b in zip(errors, base, strict=True)]
    spread = statistics.stdev(differences) if len(differences) > 1 else 0.0
    return {
        "difference": sum(differences),
        "standard_error": spread * math.sqrt(len(differences)),
        "folds_worse": sum(d > 0 for d in differences),
    }


def preferred_weight(per_fold: Dict[float, Sequence[int]], base: float) -> float:
    """The weight to configure: another weight than `base` only when it makes
    fewer errors by more than twice the standard error of the paired
    difference and is worse in at most one fold; of those the fewest errors
    (a tie goes to the weight nearest `base`)."""
    better = []
    for weight, errors in per_fold.items():
        paired = paired_difference(errors, per_fold[base])
        if (
            weight != base
            and paired["difference"] < 0
            and -paired["difference"] > 2 * paired["standard_error"]
            and paired["folds_worse"] <= 1
        ):
            better.append((sum(errors), abs(weight - base), weight))
    return min(better)[2] if better else base


def pipeline_settings(config: Path = CONFIG) -> Dict[str, float]:
    """The configured weight and fallback thresholds (the values to reproduce)."""
    import yaml

    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    by_name = {step["name"]: step for step in pipeline}
    ensemble = by_name["bot.nlu.ensemble.TfidfEnsembleClassifier"]
    fallback = by_name["FallbackClassifier"]
    return {
        "weight": float(ensemble.get("weight", 0.5)),
        "threshold": float(fallback.get("threshold", 0.3)),
        "ambiguity": float(fallback.get("ambiguity_threshold", 0.1)),
    }


def write_fold_data(messages: List, held_in: Sequence[int], target: Path) -> None:
    """Training data of one fold: every example outside `held_in`, with the
    files that hold no intent examples (lookup table, synonyms) as they are."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.training_data import TrainingData

    target.mkdir(parents=True)
    for path in sorted(TRAINING_DATA.glob("*.yml")):
        if not examples(path):
            shutil.copy(path, target / path.name)
    left_out = set(held_in)
    kept = [m for i, m in enumerate(messages) if i not in left_out]
    RasaYAMLWriter().dump(target / "fold.yml", TrainingData(training_examples=kept))
    written = examples(target)
    if [m.get("intent") for m in written] != [m.get("intent") for m in kept]:
        raise RuntimeError(f"{target}: de voorbeelden kwamen niet ongewijzigd terug")


def train_fold(data: Path, out: Path, cache: Path) -> Path:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(cache)}
    command = [
        sys.executable, "-m", "bot", "rasa", "train", "nlu", "--config", str(CONFIG),
        "--nlu", str(data), "--out", str(out), "--fixed-model-name", "fold",
    ]  # fmt: skip
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return out / "fold.tar.gz"


def record_fold(model: Path, held_in: List) -> List[Dict]:
    """Parses each held-in message with the whole pipeline and records the
    arguments the ensemble gave `combine` (DIET's ranking, the SVM's
    probabilities) and the pipeline's own intent before the detector."""
    from bench.nlu import model_intent
    from bot.nlu import ensemble
    from harness.nlu_data import load_agent, parse_texts_with

    calls: List[tuple] = []
    original = ensemble.combine

    def recording(diet_ranking, own, weight):
        calls.append(([dict(r) for r in diet_ranking], dict(own), weight))
        return original(diet_ranking, own, weight)

    agent = load_agent(model)
    records = []
    ensemble.combine = recording
    try:
        for message in held_in:
            calls.clear()
            (parsed,) = parse_texts_with(agent, [message.get("text")])
            if len(calls) != 1:
                raise RuntimeError(f"{len(calls)} aanroepen van combine voor één bericht")
            diet, svm, weight = calls[0]
            records.append(
                {
                    "intent": message.get("intent"),
                    "diet": [{"name": r["name"], "confidence": r["confidence"]} for r in diet],
                    "svm": svm,
                    "weight": weight,
                    "pipeline_intent": model_intent(parsed),
                }
            )
    finally:
        ensemble.combine = original
    return records


@contextlib.contextmanager
def heavy_lock(path: Optional[Path]) -> Iterator[None]:
    """The machine's lock for heavy jobs (as `flock FILE`), when given."""
    if path is None:
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_folds(lock: Optional[Path]) -> None:
    messages = examples(TRAINING_DATA)
    folds = stratified_folds([m.get("intent") for m in messages])
    FOLD_DIR.mkdir(parents=True, exist_ok=True)
    for stale in FOLD_DIR.glob("fold-*.json"):
        stale.unlink()
    for number, held_in in enumerate(folds):
        with tempfile.TemporaryDirectory(prefix="cv-weight-") as work, heavy_lock(lock):
            work = Path(work)
            write_fold_data(messages, held_in, work / "data")
            print(f"fold {number + 1}/{len(folds)}: trainen ...", flush=True)
            model = train_fold(work / "data", work / "models", work / "cache")
            print(f"fold {number + 1}/{len(folds)}: {len(held_in)} zinnen ontleden", flush=True)
            records = record_fold(model, [messages[i] for i in held_in])
        path = FOLD_DIR / f"fold-{number + 1}.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def evaluate(fold_records: List[List[Dict]], settings: Dict[str, float]) -> Dict:
    from bot.nlu.ensemble import combine

    threshold, ambiguity = settings["threshold"], settings["ambiguity"]
    configured = settings["weight"]
    table = {
        weight: [score(records, weight, threshold, ambiguity) for records in fold_records]
        for weight in WEIGHTS
    }
    per_fold = {weight: [s["errors"] for s in scores] for weight, scores in table.items()}
    base = configured if configured in table else 0.5
    mismatches = sum(
        fallback_intent(combine(r["diet"], r["svm"], r["weight"]), threshold, ambiguity)
        != r["pipeline_intent"]
        for records in fold_records
        for r in records
    )
    return {
        "examples": sum(len(r) for r in fold_records),
        "folds": len(fold_records),
        "settings": settings,
        "reproduced_mismatches": mismatches,
        "weights": {
            str(weight): {
                "errors_per_fold": per_fold[weight],
                "errors": sum(per_fold[weight]),
                "fallbacks": sum(s["fallbacks"] for s in scores),
                "log_loss": round(statistics.fmean(s["log_loss"] for s in scores), 4),
                "against_base": paired_difference(per_fold[weight], per_fold[base]),
            }
            for weight, scores in table.items()
        },
        # Fallbacks count as errors, so a lower threshold never adds errors:
        # shown for the interplay (how many fall back, how many are wrong).
        "thresholds": {
            str(weight): {
                str(t): {
                    key: sum(score(r, weight, t, ambiguity)[key] for r in fold_records)
                    for key in ("errors", "fallbacks")
                }
                for t in THRESHOLDS
            }
            for weight in WEIGHTS
        },
        "base": base,
        "preferred_weight": preferred_weight(per_fold, base),
    }


def print_table(result: Dict) -> None:
    print(
        f"{result['examples']} voorbeelden, {result['folds']} folds; drempel "
        f"{result['settings']['threshold']}, ambiguïteit {result['settings']['ambiguity']}; "
        f"afwijkingen van de pijplijn zelf: {result['reproduced_mismatches']}"
    )
    print(f"{'gewicht':>8} {'fouten per fold':>24} {'som':>5} {'fallb.':>6} {'log-loss':>8} "
          f"{'verschil':>8} {'se':>5}")  # fmt: skip
    for weight, row in result["weights"].items():
        paired = row["against_base"]
        print(
            f"{weight:>8} {str(row['errors_per_fold']):>24} {row['errors']:>5} "
            f"{row['fallbacks']:>6} {row['log_loss']:>8.4f} {paired['difference']:>8} "
            f"{paired['standard_error']:>5.1f}"
        )
    print("fouten (fallbacks) per fallback-drempel:")
    print(f"{'gewicht':>8} " + " ".join(f"{t:>10}" for t in THRESHOLDS))
    for weight, row in result["thresholds"].items():
        cells = " ".join(f"{c['errors']:>5} ({c['fallbacks']:>2})" for c in row.values())
        print(f"{weight:>8} {cells}")
    print(f"voorkeur: gewicht {result['preferred_weight']} (basis {result['base']})")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cv_weight", description=__doc__)
    parser.add_argument("--lock", type=Path, help="per fold dit bestand vergrendelen (flock)")
    parser.add_argument(
        "--score-only", action="store_true", help="alleen scoren uit results/cv-weight/"
    )
    args = parser.parse_args(argv)
    from bot import settings as bot_settings

    bot_settings.load_environment()
    if not args.score_only:
        run_folds(args.lock)
    paths = sorted(FOLD_DIR.glob("fold-*.json"))
    fold_records = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    result = evaluate(fold_records, pipeline_settings())
    print_table(result)
    RESULTS.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
