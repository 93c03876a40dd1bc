"""Reads training and held-out NLU data for the tests and the benchmark."""

import asyncio
import re
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.fase import normalise_fase

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRAINING_DATA = PROJECT_ROOT / "data" / "nlu"
HELD_OUT_SET = PROJECT_ROOT / "tests" / "nlu" / "testset.yml"


def examples(path: Path) -> List[Message]:
    return [m for m in load_data(str(path)).training_examples if m.get("intent")]


def load_agent(model: Path):
    """The trained model loaded in this process (NLU and dialogue policies)."""
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from bot import model_load

    model_load.install()  # loaded as the server loads it (bot/rasa_patches.py)
    # Unconfigured, Rasa's structured log prints every parsed text (user text).
    configure_structlog(logging.WARNING)
    return Agent.load(str(model))


def parse_texts_with(agent, texts: List[str]) -> List[Dict]:
    """Rasa's parse result for each text (the whole NLU pipeline, with the
    situation detector), from a loaded agent."""

    async def parse():
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse())


def parse_with(agent, messages: List[Message]) -> List[Dict]:
    """Rasa's parse result for each message, from a loaded agent."""
    return parse_texts_with(agent, [m.get("text") for m in messages])


def parse_texts(model: Path, texts: List[str]) -> List[Dict]:
    """Rasa's parse result for each text, from a trained model file."""
    return parse_texts_with(load_agent(model), texts)


def parse_all(model: Path, messages: List[Message]) -> List[Dict]:
    """Rasa's parse result for each message, from a trained model file."""
    return parse_with(load_agent(model), messages)


def normalised_text(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def fase_values(entities) -> set:
    """The `fase` values of one utterance, as the dialogue uses them."""
    return {normalise_fase(e.get("value")) for e in entities if e.get("entity") == "fase"} - {None}


def set_f1(pairs: Iterable[Tuple[Set, Set]]) -> Dict:
    """F1 over (expected, found) value sets, one pair per utterance."""
    true_pos = false_pos = false_neg = 0
    for expected, found in pairs:
        true_pos += len(expected & found)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
    denominator = 2 * true_pos + false_pos + false_neg
    f1 = 2 * true_pos / denominator if denominator else 1.0
    return {"f1": f1, "tp": true_pos, "fp": false_pos, "fn": false_neg}
