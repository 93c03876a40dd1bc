"""Loads and validates the protocol content file.

The content file (`bot/content/vervolgstappen.yml`) holds every word of
protocol the assistant says. Loading checks it against the contract, so a
broken file stops the action server at start instead of giving wrong advice
to a professional later.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from bot import settings
from bot.contract import SITUATION_IDS, STEP_IDS

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_CONTENT_FILE = CONTENT_DIR / "vervolgstappen.yml"
SEED_FILE = CONTENT_DIR / "seed-meldcode-vervolgstappen.txt"

PLACE_MARKER = "{plaats}"
# Answers of the REST channel itself (bot/channels/rest.py).
CHANNEL_TEXT_KEYS = (
    "leeg",
    "te_lang",
    "geen_antwoord",
    "te_veel",
    "sessie_ontbreekt",
    "sessie_onjuist",
    "sessie_verlopen",
)
# Slots the forms ask for; each needs a question under `vragen`.
QUESTION_SLOTS = ("fase", "gemeld_bij_vt")


class ContentError(ValueError):
    """The content file is broken; the message names the problem."""


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    source: str
    text_with_place: Optional[str] = None
    seed_quote: Optional[str] = None


@dataclass(frozen=True)
class Situation:
    id: str
    title: str
    step_ids: Tuple[str, ...]
    step_ids_if_reported: Tuple[str, ...] = ()
    title_with_place: Optional[str] = None


@dataclass(frozen=True)
class Question:
    text: str
    buttons: Tuple[Dict[str, str], ...]


@dataclass(frozen=True)
class Protocol:
    steps: Dict[str, Step]
    situations: Dict[str, Situation]
    questions: Dict[str, Question]
    closing_line: str
    technical_error: str
    channel_texts: Dict[str, str]
    source_file: Path


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: tekst ontbreekt of is leeg")
    return value.strip()


def _optional_text(value, where: str) -> Optional[str]:
    if value is None:
        return None
    text = _text(value, where)
    if PLACE_MARKER not in text:
        raise ContentError(f"{where}: mist de plek voor de plaatsnaam {PLACE_MARKER}")
    return text


def _mapping(value, where: str) -> dict:
    if not isinstance(value, dict) or not value:
        raise ContentError(f"{where}: ontbreekt of is geen lijst met sleutels")
    return value


def _parse_steps(raw: dict, sources: Dict[str, str], path: Path) -> Dict[str, Step]:
    steps = {}
    for step_id, body in _mapping(raw.get("stappen"), f"{path}: 'stappen'").items():
        where = f"{path}: stap '{step_id}'"
        if step_id not in STEP_IDS:
            raise ContentError(f"{where}: onbekende stap-id (niet in het protocolcontract)")
        body = _mapping(body, where)
        source_key = body.get("bron")
        if source_key not in sources:
            raise ContentError(f"{where}: bron '{source_key}' staat niet onder 'bronnen'")
        steps[step_id] = Step(
            id=step_id,
            text=_text(body.get("tekst"), where),
            source=sources[source_key],
            text_with_place=_optional_text(body.get("tekst_met_plaats"), where),
            seed_quote=body.get("seed_citaat"),
        )
    missing = [step_id for step_id in STEP_IDS if step_id not in steps]
    if missing:
        raise ContentError(f"{path}: stap-id(s) ontbreken: {', '.join(missing)}")
    return steps


def _step_list(value, where: str, steps: Dict[str, Step]) -> Tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ContentError(f"{where}: moet een lijst met stap-ids zijn")
    for step_id in value:
        if step_id not in steps:
            raise ContentError(f"{where}: noemt onbekende stap '{step_id}'")
    return tuple(value)


def _parse_situations(raw: dict, steps: Dict[str, Step], path: Path) -> Dict[str, Situation]:
    situations = {}
    for situation_id, body in _mapping(raw.get("situaties"), f"{path}: 'situaties'").items():
        where = f"{path}: situatie '{situation_id}'"
        if situation_id not in SITUATION_IDS:
            raise ContentError(f"{where}: onbekende situatie-id")
        body = _mapping(body, where)
        situation_steps = _step_list(body.get("stappen"), where, steps)
        if not situation_steps:
            raise ContentError(f"{where}: heeft geen stappen")
        situations[situation_id] = Situation(
            id=situation_id,
            title=_text(body.get("titel"), where),
            step_ids=situation_steps,
            step_ids_if_reported=_step_list(body.get("stappen_als_gemeld"), where, steps),
            title_with_place=_optional_text(body.get("titel_met_plaats"), where),
        )
    missing = [s for s in SITUATION_IDS if s not in situations]
    if missing:
        raise ContentError(f"{path}: situatie(s) ontbreken: {', '.join(missing)}")
    return situations


def _parse_questions(raw: dict, path: Path) -> Dict[str, Question]:
    questions = {}
    for slot in QUESTION_SLOTS:
        where = f"{path}: vraag '{slot}'"
        body = _mapping(_mapping(raw.get("vragen"), f"{path}: 'vragen'").get(slot), where)
        buttons = []
        for button in body.get("knoppen") or []:
            if not isinstance(button, dict):
                raise ContentError(f"{where}: een knop heeft 'titel' en 'payload' nodig")
            buttons.append(
                {
                    "title": _text(button.get("titel"), f"{where}, knop"),
                    "payload": _text(button.get("payload"), f"{where}, knop"),
                }
            )
        questions[slot] = Question(text=_text(body.get("tekst"), where), buttons=tuple(buttons))
    return questions


def parse_protocol(path: Path) -> Protocol:
    """Reads and validates one content file; raises ContentError on any problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{path}: kan het bestand niet lezen ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: geen geldige YAML ({error})") from error
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: verwacht sleutels 'bronnen', 'stappen', 'situaties'")
    sources = {
        key: _text(value, f"{path}: bron '{key}'")
        for key, value in _mapping(raw.get("bronnen"), f"{path}: 'bronnen'").items()
    }
    steps = _parse_steps(raw, sources, path)
    situations = _parse_situations(raw, steps, path)
    return Protocol(
        steps=steps,
        situations=situations,
        questions=_parse_questions(raw, path),
        closing_line=_text(raw.get("afsluiting"), f"{path}: 'afsluiting'"),
        technical_error=_text(raw.get("technische_fout"), f"{path}: 'technische_fout'"),
        channel_texts={
            key: _text(
                _mapping(raw.get("kanaal"), f"{path}: 'kanaal'").get(key), f"{path}: kanaal '{key}'"
            )
            for key in CHANNEL_TEXT_KEYS
        },
        source_file=path,
    )


def content_path(path: Optional[Path] = None) -> Path:
    """`path`, else the file of the setting MELDCODE_CONTENT_FILE, else the default."""
    return Path(path) if path else settings.content_file() or DEFAULT_CONTENT_FILE


def load_protocol(path: Optional[Path] = None) -> Protocol:
    """The validated protocol of content_path(path)."""
    return _load_protocol(content_path(path))


@lru_cache(maxsize=4)
def _load_protocol(path: Path) -> Protocol:
    # Read once per file and process (lazily, not at import).
    return parse_protocol(path)
