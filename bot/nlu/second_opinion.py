"""A second opinion on the NLU model's acute guess, from long messages.

DIET and the TF-IDF ensemble learn from short examples (data/nlu). On the
long messages professionals write they give `acute_zorgen` to many calm
messages about an old or treated injury, a story or a harmless fear: where
the model alone called a message acute (no acute cue of the detector), half
of the development sets' messages were calm (docs/benchmarks.md, round 11).

This classifier learns acute against calm from whole long messages: the
development sets of issue 11 in data/gevaar/ (each written by its own writer,
labelled acute, calm or multi-fact; multi-fact messages are calm). It is
trained in `rasa train` by the SituationDetector and only ever disputes the
model's acute guess: when it scores a message below the threshold, the
assistant asks "Is er nu direct gevaar?" (with 112 and 0800-2000) instead of
giving the acute answer. It never removes an acute cue of the detector.
"""

import hashlib
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

CORPUS = Path(__file__).resolve().parent.parent.parent / "data" / "gevaar"
MODEL_FILE = "second_opinion.joblib"


def acute_lists(path: Path) -> Dict[str, List[str]]:
    """`acuut` and `niet_acuut` of a set file (`niet_acuut` may be grouped by intent)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    calm = raw["niet_acuut"]
    if isinstance(calm, dict):
        calm = [text for texts in calm.values() for text in texts]
    return {"acuut": list(raw["acuut"]), "niet_acuut": list(calm)}


def multi_fact_messages(path: Path) -> List[Dict]:
    """The multi-fact messages of a set file: `tekst` and `stappen`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(raw.get("berichten") or raw.get("meerdere_feiten") or [])


def labelled_messages(path: Path) -> List[Tuple[str, int]]:
    """(text, 1 for acute, 0 for calm) for every message in one set file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: List[Tuple[str, int]] = []
    if "acuut" in raw:
        lists = acute_lists(path)
        found += [(text, 1) for text in lists["acuut"]]
        found += [(text, 0) for text in lists["niet_acuut"]]
    found += [(message["tekst"], 0) for message in multi_fact_messages(path)]
    return found


def corpus_files(directory: Path = CORPUS) -> List[Path]:
    return sorted(directory.glob("*.yml"))


def corpus(directory: Path = CORPUS) -> List[Tuple[str, int]]:
    return [item for path in corpus_files(directory) for item in labelled_messages(path)]


def corpus_fingerprint(directory: Path = CORPUS) -> str:
    """Changes whenever a corpus file does: Rasa then trains the detector again."""
    digest = hashlib.sha256()
    for path in corpus_files(directory):
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(c: float):
    """TF-IDF on characters and words (as the ensemble) with a logistic
    regression; `balanced` because calm messages outnumber acute ones."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from bot.nlu.ensemble import features

    return make_pipeline(
        features(), LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    )


def train(messages: List[Tuple[str, int]], c: float):
    return build(c).fit([text for text, _ in messages], [label for _, label in messages])


def acute_score(classifier, text: str) -> float:
    """The classifier's probability that `text` is acute."""
    return float(classifier.predict_proba([text or ""])[0][1])
