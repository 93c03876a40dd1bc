"""Exercise mode: loads the cases, picks a round, judges answers, renders feedback.

The cases live in `bot/content/oefencasussen.yml` (data a trainer edits); the
correct steps come from the same content file as the advice mode, so the
wording of exercise and advice never drifts apart.
"""

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot import settings
from bot.content import CONTENT_DIR, ContentError, Protocol, load_protocol
from bot.content import content_path as resolve_content_path
from bot.contract import (
    CONCERNS_SITUATION_IDS,
    FASE_DOORVERWEZEN,
    INTENT_SITUATIONS,
    concerns_situation,
)
from bot.render import fill, select_steps

DEFAULT_EXERCISE_FILE = CONTENT_DIR / "oefencasussen.yml"
ANSWER_INTENT = "oefen_antwoord"
CHOICE_ENTITY = "oefen_keuze"
CASE_PAYLOAD_TYPE = "oefencasus"
TEXT_KEYS = (
    "start",
    "casus_kop",
    "goed",
    "fout",
    "andere_situatie",
    "juiste_stappen",
    "score",
    "teruglezen",
    "alles_goed",
    "niet_begrepen",
    "gestopt",
    "niet_aan_het_oefenen",
    "echt_acuut",
    "nog_een_ronde",
    "stop_oefenen",
)


@dataclass(frozen=True)
class Mistake:
    key: str
    text: str
    reason: str


@dataclass(frozen=True)
class Case:
    id: str
    sector: str
    description: str
    situation_id: str
    reported: bool
    place: Optional[str]
    step_ids: Tuple[str, ...]
    options: Tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class Exercises:
    round_size: int
    question: str
    answers: Dict[str, str]
    mistakes: Dict[str, Mistake]
    cases: Dict[str, Case]
    texts: Dict[str, str]

    def label(self, key: str) -> str:
        return self.answers[key] if key in self.answers else self.mistakes[key].text


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: tekst ontbreekt of is leeg")
    return value.strip()


def _parse_case(raw: dict, exercises_keys: set, protocol: Protocol, where: str) -> Case:
    situation = raw.get("situatie")
    if situation not in protocol.situations:
        raise ContentError(f"{where}: onbekende situatie '{situation}'")
    reported = bool(raw.get("gemeld", False))
    expected = [s.id for s in select_steps(protocol, situation, reported)]
    steps = list(raw.get("stappen") or [])
    unknown = [s for s in steps if s not in protocol.steps]
    if unknown:
        raise ContentError(f"{where}: onbekende stap-id(s): {', '.join(unknown)}")
    if steps != expected:
        raise ContentError(f"{where}: stappen {steps} wijken af van de situatietabel: {expected}")
    options = list(raw.get("opties") or [])
    if situation not in options:
        raise ContentError(f"{where}: het goede antwoord '{situation}' staat niet bij de opties")
    if len(options) < 2 or len(set(options)) != len(options):
        raise ContentError(f"{where}: minstens twee verschillende opties nodig")
    missing = [o for o in options if o not in exercises_keys]
    if missing:
        raise ContentError(f"{where}: optie(s) zonder tekst: {', '.join(missing)}")
    return Case(
        id=_text(raw.get("id"), where),
        sector=_text(raw.get("sector"), where),
        description=_text(raw.get("casus"), where),
        situation_id=situation,
        reported=reported,
        place=raw.get("plaats"),
        step_ids=tuple(steps),
        options=tuple(options),
        explanation=_text(raw.get("uitleg"), where),
    )


def parse_exercises(path: Path, protocol: Protocol) -> Exercises:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: kan het bestand niet lezen ({error})") from error
    answers = {
        k: _text(v, f"{path}: antwoord '{k}'") for k, v in (raw.get("antwoorden") or {}).items()
    }
    unknown = [k for k in answers if k not in protocol.situations]
    if unknown:
        raise ContentError(f"{path}: antwoorden voor onbekende situatie(s): {', '.join(unknown)}")
    mistakes = {
        k: Mistake(
            k,
            _text(v.get("tekst"), f"{path}: fout '{k}'"),
            _text(v.get("waarom"), f"{path}: fout '{k}'"),
        )
        for k, v in (raw.get("fouten") or {}).items()
    }
    keys = set(answers) | set(mistakes)
    cases: Dict[str, Case] = {}
    for index, case_raw in enumerate(raw.get("casussen") or []):
        case = _parse_case(
            case_raw, keys, protocol, f"{path}: casus {index + 1} ({case_raw.get('id')})"
        )
        if case.id in cases:
            raise ContentError(f"{path}: casus-id '{case.id}' komt twee keer voor")
        cases[case.id] = case
    texts = raw.get("teksten") or {}
    missing = [
        key for key in TEXT_KEYS if not isinstance(texts.get(key), str) or not texts[key].strip()
    ]
    if missing:
        raise ContentError(f"{path}: teksten ontbreken: {', '.join(missing)}")
    round_size = raw.get("ronde_grootte")
    if not isinstance(round_size, int) or not 1 <= round_size <= len(cases):
        raise ContentError(f"{path}: ronde_grootte moet tussen 1 en het aantal casussen liggen")
    return Exercises(
        round_size, _text(raw.get("vraag"), f"{path}: vraag"), answers, mistakes, cases, texts
    )


def load_exercises(path: Optional[Path] = None, content_path: Optional[Path] = None) -> Exercises:
    """The validated cases: `path`, else the file of the setting MELDCODE_OEFEN_FILE,
    else the default; checked against the protocol of `content_path` (see bot.content)."""
    exercise_path = Path(path) if path else settings.exercise_file() or DEFAULT_EXERCISE_FILE
    return _load_exercises(exercise_path, resolve_content_path(content_path))


@lru_cache(maxsize=4)
def _load_exercises(path: Path, protocol_path: Path) -> Exercises:
    # Read once per pair of files and process.
    return parse_exercises(path, load_protocol(protocol_path))


def pick_round(
    exercises: Exercises, rng: random.Random, last_case: Optional[str] = None
) -> List[str]:
    """A round without repeats whose first case differs from the last one seen."""
    ids = sorted(exercises.cases)
    chosen = rng.sample(ids, exercises.round_size)
    if last_case and chosen[0] == last_case:
        if len(chosen) > 1:
            chosen[0], chosen[1] = chosen[1], chosen[0]
        else:
            chosen = [rng.choice([i for i in ids if i != last_case])]
    return chosen


_NUMBER_WORDS = {
    "één": 1,
    "eerste": 1,
    "twee": 2,
    "tweede": 2,
    "drie": 3,
    "derde": 3,
    "vier": 4,
    "vierde": 4,
}
MAX_WORDS_FOR_NUMBER = 6


def option_number(text: str) -> Optional[int]:
    """ "2", "optie 2", "ik kies de tweede": a number in a short message, else None."""
    words = re.findall(r"\w+", (text or "").lower())
    if not words or len(words) > MAX_WORDS_FOR_NUMBER:
        return None
    for word in words:
        if re.fullmatch(r"[1-9]", word):  # ASCII only: "²".isdigit() is true too
            return int(word)
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


def choice_from_message(
    case: Case, text: str, intent: Optional[str], entities: List[Dict]
) -> Optional[str]:
    """The option the trainee chose: a button, a typed number, or free text via the NLU."""
    for entity in entities:
        if entity.get("entity") == CHOICE_ENTITY and entity.get("value") in case.options:
            return entity["value"]
    number = option_number(text)
    if number and number <= len(case.options):
        return case.options[number - 1]
    if intent in ("zorgen_blijven", "informeren_fase"):
        fase = next((e.get("value") for e in entities if e.get("entity") == "fase"), None)
        situation_id = concerns_situation(fase)
        if situation_id is None and intent == "zorgen_blijven":
            # "De zorgen blijven": the case itself says whether it was referral or report.
            situation_id = (
                case.situation_id
                if case.situation_id in CONCERNS_SITUATION_IDS
                else concerns_situation(FASE_DOORVERWEZEN)
            )
        return situation_id
    return INTENT_SITUATIONS.get(intent)


def case_message(exercises: Exercises, case: Case, number: int, total: int) -> Dict[str, Any]:
    """Text with numbered options (for channels without buttons), buttons and payload."""
    options = [
        {
            "nummer": n,
            "tekst": exercises.label(key),
            "payload": f'/{ANSWER_INTENT}{{"{CHOICE_ENTITY}": "{key}"}}',
        }
        for n, key in enumerate(case.options, 1)
    ]
    heading = fill(exercises.texts["casus_kop"], nummer=number, aantal=total, sector=case.sector)
    lines = [heading, case.description, exercises.question]
    lines += [f"{o['nummer']}. {o['tekst']}" for o in options]
    return {
        "text": "\n".join(lines),
        "buttons": [
            {"title": f"{o['nummer']}. {o['tekst']}", "payload": o["payload"]} for o in options
        ]
        + [{"title": exercises.texts["stop_oefenen"], "payload": "/stop_oefenmodus"}],
        "json_message": {
            "type": CASE_PAYLOAD_TYPE,
            "casus_id": case.id,
            "nummer": number,
            "aantal": total,
            "casus": case.description,
            "vraag": exercises.question,
            "opties": [
                {"nummer": o["nummer"], "tekst": o["tekst"], "keuze": key}
                for o, key in zip(options, case.options, strict=True)
            ],
        },
    }


def feedback_text(exercises: Exercises, protocol: Protocol, case: Case, choice: str) -> str:
    correct = choice == case.situation_id
    lines = [exercises.texts["goed" if correct else "fout"] + " " + case.explanation]
    if not correct:
        if choice in exercises.mistakes:
            lines.append(exercises.mistakes[choice].reason)
        elif choice in protocol.situations:
            lines.append(
                fill(exercises.texts["andere_situatie"], titel=protocol.situations[choice].title)
            )
        if choice == "acuut":
            lines.append(exercises.texts["echt_acuut"])
    lines.append(exercises.texts["juiste_stappen"])
    return "\n".join(lines)


def summary_text(
    exercises: Exercises, protocol: Protocol, correct: int, total: int, wrong_situations: List[str]
) -> str:
    lines = [fill(exercises.texts["score"], goed=correct, aantal=total)]
    if wrong_situations:
        lines.append(exercises.texts["teruglezen"])
        for situation_id in dict.fromkeys(wrong_situations):
            situation = protocol.situations[situation_id]
            sources = dict.fromkeys(protocol.steps[s].source for s in situation.step_ids)
            lines.append(f"- {situation.title.split('.')[0]} ({'; '.join(sources)})")
    else:
        lines.append(exercises.texts["alles_goed"])
    return "\n".join(lines)
