"""Reads training and held-out NLU data for the tests."""

import re
from pathlib import Path
from typing import List

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRAINING_DATA = PROJECT_ROOT / "data" / "nlu"
HELD_OUT_SET = PROJECT_ROOT / "tests" / "nlu" / "testset.yml"


def examples(path: Path) -> List[Message]:
    return [m for m in load_data(str(path)).training_examples if m.get("intent")]


def normalised_text(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
