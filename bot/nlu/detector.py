"""Reads the whole message for situations and facts, with Dutch cue lists.

Pure Python, deterministic: the cues live in `signalen.yml` next to this
module. The detector splits a message into sentences and clauses, so that a
negation ("bij Veilig Thuis is niets gemeld") only cancels the fact in its own
clause, and it never lets a negation cancel a specific acute cue: when unsure,
act as if it is acute.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Pattern, Tuple

import yaml

from bot.contract import FASE_DOORVERWEZEN, FASE_GEMELD

CUES_FILE = Path(__file__).resolve().parent / "signalen.yml"

# Situations the detector can find, by the intent name that answers them.
ZORGEN = "zorgen_blijven"
WEIGERING = "hulp_geweigerd"
VERHUIZING = "verhuizing"
COLLEGA = "vermoeden_collega"
VERANTWOORDELIJKHEID = "vraag_verantwoordelijkheid"
SITUATION_CUES = (WEIGERING, ZORGEN, VERHUIZING, VERANTWOORDELIJKHEID, COLLEGA)

_SENTENCE_END = re.compile(r"[.!?;\n]+")
_CLAUSE_BREAK = re.compile(
    r",|:|\b(?:maar|want|omdat|terwijl|toch|en|dus|daarna|sindsdien|alleen)\b"
)
_WORD = re.compile(r"\w+")
_PLACE_AFTER = re.compile(
    r"\b(?:naar|in)\s+((?:'s-)?[A-Z][\w'-]+(?:\s+(?:aan|op|bij|den|de|in)\s+(?:den\s+)?[A-Z][\w'-]+)*)"
)


@dataclass(frozen=True)
class Cues:
    acute_specific: Tuple[Pattern, ...]
    acute_general: Tuple[Pattern, ...]
    violence: Tuple[Pattern, ...]
    time: Tuple[Pattern, ...]
    acute_denied: Tuple[Pattern, ...]
    harmless: Tuple[Pattern, ...]
    weak: Tuple[Pattern, ...]
    situations: Dict[str, Tuple[Pattern, ...]]
    reported: Tuple[Pattern, ...]
    referred: Tuple[Pattern, ...]
    veilig_thuis: Tuple[Pattern, ...]
    not_a_report: Tuple[Pattern, ...]
    no_report_made: Tuple[Pattern, ...]
    unsure: Tuple[Pattern, ...]
    negations: FrozenSet[str]
    negation_reach: int
    negation_after: Pattern
    not_a_place: FrozenSet[str]


@dataclass(frozen=True)
class Detection:
    """What one message says, before the NLU model's intent is added."""

    acute: bool = False
    weak_danger: bool = False
    situations: Tuple[str, ...] = ()
    fase: Optional[str] = None
    # True: reported to Veilig Thuis; False: the message says it was not.
    gemeld_bij_vt: Optional[bool] = None
    plaats: Optional[str] = None
    # Fase values the message negates or doubts: a model entity for them is dropped.
    denied_fases: Tuple[str, ...] = field(default=())


def normalise(text: str) -> str:
    """Lower case, no accents, straight quotes: the form the cues are written in."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").lower()


def _compile(patterns, where: str) -> Tuple[Pattern, ...]:
    if not isinstance(patterns, list) or not patterns:
        raise ValueError(f"{CUES_FILE.name}: '{where}' moet een lijst met patronen zijn")
    return tuple(re.compile(p) for p in patterns)


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> Cues:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    acute, facts, negation = raw["acuut"], raw["feiten"], raw["ontkenning"]
    return Cues(
        acute_specific=_compile(acute["specifiek"], "acuut.specifiek"),
        acute_general=_compile(acute["algemeen"], "acuut.algemeen"),
        violence=_compile(acute["geweld"], "acuut.geweld"),
        time=_compile(acute["tijd"], "acuut.tijd"),
        acute_denied=_compile(acute["ontkenning"], "acuut.ontkenning"),
        harmless=_compile(acute["onschuldig"], "acuut.onschuldig"),
        weak=_compile(acute["zwak"], "acuut.zwak"),
        situations={
            name: _compile(raw["situaties"][name], f"situaties.{name}") for name in SITUATION_CUES
        },
        reported=_compile(facts["gemeld"], "feiten.gemeld"),
        referred=_compile(facts["doorverwezen"], "feiten.doorverwezen"),
        veilig_thuis=_compile(facts["veilig_thuis"], "feiten.veilig_thuis"),
        not_a_report=_compile(facts["geen_melding"], "feiten.geen_melding"),
        no_report_made=_compile(facts["niet_gemeld"], "feiten.niet_gemeld"),
        unsure=_compile(facts["onzeker"], "feiten.onzeker"),
        negations=frozenset(negation["woorden"]),
        negation_reach=int(negation["bereik"]),
        negation_after=re.compile(negation["achteraf"]),
        not_a_place=frozenset(raw["geen_plaats"]),
    )


def sentences(text: str) -> List[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def clauses(sentence: str) -> List[str]:
    return [c.strip() for c in _CLAUSE_BREAK.split(sentence) if c and c.strip()]


def _any(patterns, text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _is_negated(clause: str, match: re.Match, cues: Cues) -> bool:
    """A negation word shortly before the cue (not inside it), or at the clause end."""
    before = _WORD.findall(clause[: match.start()])[-cues.negation_reach :]
    if any(word in cues.negations for word in before):
        return True
    return bool(cues.negation_after.match(clause[match.end() :]))


def _positive_match(patterns, clause: str, cues: Cues) -> Optional[bool]:
    """True: a cue that is not negated; False: only negated cues; None: no cue."""
    found = None
    for pattern in patterns:
        for match in pattern.finditer(clause):
            if not _is_negated(clause, match, cues):
                return True
            found = False
    return found


def is_acute(text: str, cues: Optional[Cues] = None) -> bool:
    """Specific cues anywhere; violence or injury with "now/today/tonight" in the
    same or the next sentence ("... zag ik blauwe plekken. Vandaag ..." too)."""
    cues = cues or load_cues()
    normal = normalise(text)
    for pattern in cues.harmless:
        normal = pattern.sub(" ", normal)
    parts = sentences(normal)
    for index, sentence in enumerate(parts):
        if _any(cues.acute_specific, sentence):
            return True
        if _any(cues.acute_general, sentence) and not _any(cues.acute_denied, sentence):
            return True
        if _any(cues.violence, sentence):
            nearby = " ".join(parts[max(index - 1, 0) : index + 2])
            if _any(cues.time, nearby):
                return True
    return False


def _facts(text: str, cues: Cues) -> Tuple[Optional[str], Optional[bool], Tuple[str, ...]]:
    reported = referred = False
    denied, doubted = set(), set()
    for sentence in sentences(text):
        for clause in clauses(sentence):
            if _any(cues.unsure, clause):
                # "ik weet niet of er gemeld is": no fact, and no model entity either.
                doubted |= {FASE_GEMELD, FASE_DOORVERWEZEN}
                continue
            mentions_vt = _any(cues.veilig_thuis, clause)
            report_cues = () if _any(cues.not_a_report, clause) else cues.reported
            report = _positive_match(report_cues, clause, cues)
            referral = _positive_match(cues.referred, clause, cues)
            if referral is not None and mentions_vt and report is None:
                # "Veilig Thuis is ingeschakeld": a report, whatever the verb.
                report, referral = referral, None
            if report is None and _any(cues.no_report_made, clause):
                report = False
            if report is True:
                reported = True
            elif report is False:
                denied.add(FASE_GEMELD)
            if referral is True:
                referred = True
            elif referral is False:
                denied.add(FASE_DOORVERWEZEN)
    if reported:
        fase, gemeld = FASE_GEMELD, True
    elif referred:
        fase, gemeld = FASE_DOORVERWEZEN, (False if FASE_GEMELD in denied else None)
    else:
        fase, gemeld = None, (False if FASE_GEMELD in denied else None)
    return fase, gemeld, tuple(sorted((denied | doubted) - ({fase} if fase else set())))


def _situations(text: str, cues: Cues) -> Tuple[str, ...]:
    found = []
    for name in SITUATION_CUES:
        for sentence in sentences(text):
            if any(
                _positive_match(cues.situations[name], clause, cues) for clause in clauses(sentence)
            ):
                found.append(name)
                break
    if COLLEGA in found:
        # Abuse by a colleague is not the meldcode route: no refusal or concern steps.
        found = [COLLEGA]
    return tuple(found)


def guess_place(original: str, cues: Cues) -> Optional[str]:
    """A capitalised place after "naar"/"in" in a sentence about a move."""
    for sentence in _SENTENCE_END.split(original):
        if not _any(cues.situations[VERHUIZING], normalise(sentence)):
            continue
        for match in _PLACE_AFTER.finditer(sentence):
            place = match.group(1)
            if normalise(place.split()[0]) not in cues.not_a_place:
                return place
    return None


def detect(text: str, cues: Optional[Cues] = None) -> Detection:
    cues = cues or load_cues()
    if not isinstance(text, str) or not text.strip():
        return Detection()
    normal = normalise(text)
    acute = is_acute(text, cues)
    weak = not acute and any(_any(cues.weak, s) for s in sentences(normal))
    situations = _situations(normal, cues)
    fase, gemeld, denied = _facts(normal, cues)
    plaats = guess_place(text, cues) if VERHUIZING in situations else None
    return Detection(
        acute=acute,
        weak_danger=weak,
        situations=situations,
        fase=fase,
        gemeld_bij_vt=gemeld,
        plaats=plaats,
        denied_fases=denied,
    )
