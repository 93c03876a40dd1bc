"""Which answers one message gets, and which question (if any) follows.

Pure: the answer action and the held-out scoring use the same function, so
the figures in docs/benchmarks.md measure what the assistant does.
"""

from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from bot.contract import FASE_DOORVERWEZEN, FASE_GEMELD, concerns_situation

# Intent -> contract situation (zorgen_blijven depends on fase, see below).
SITUATION_OF_INTENT = {
    "acute_zorgen": "acuut",
    "hulp_geweigerd": "hulp_geweigerd",
    "verhuizing": "verhuizing",
    "vraag_verantwoordelijkheid": "verantwoordelijkheid",
    "vraag_stappen_meldcode": "stappen_meldcode",
    "vraag_veilig_thuis": "contact_veilig_thuis",
}
COLLEGA = "vermoeden_collega"


@dataclass(frozen=True)
class PlannedAnswer:
    # A contract situation id, or "vermoeden_collega" (no steps: another route).
    situation: str
    gemeld: bool = False


@dataclass(frozen=True)
class Plan:
    answers: Tuple[PlannedAnswer, ...]
    # The slot to ask for next ("fase" or "gemeld_bij_vt"), or None.
    question: Optional[str] = None
    # Intents answered after that question.
    deferred: Tuple[str, ...] = ()


def was_reported(fase: Optional[str], gemeld_bij_vt: Optional[bool]) -> Optional[bool]:
    """True/False when known; None when the message and slots do not say."""
    if gemeld_bij_vt is not None:
        return bool(gemeld_bij_vt)
    if fase == FASE_GEMELD:
        return True
    return None


def plan_answers(
    situaties: Iterable[str],
    fase: Optional[str],
    gemeld_bij_vt: Optional[bool],
    may_ask: bool = True,
) -> Plan:
    """Answers in order until a fact is missing; then that question, the rest after it.

    With may_ask False (acute first, or while a form asks its own question)
    a situation that needs a missing fact is left out instead of guessed.
    """
    answers: List[PlannedAnswer] = []
    pending = list(situaties)
    while pending:
        intent = pending[0]
        if intent == "zorgen_blijven":
            if fase not in (FASE_GEMELD, FASE_DOORVERWEZEN):
                if may_ask:
                    return Plan(tuple(answers), "fase", tuple(pending[1:]))
                pending.pop(0)
                continue
            answers.append(PlannedAnswer(concerns_situation(fase)))
        elif intent == "verhuizing":
            reported = was_reported(fase, gemeld_bij_vt)
            if reported is None:
                if may_ask:
                    return Plan(tuple(answers), "gemeld_bij_vt", tuple(pending[1:]))
                pending.pop(0)
                continue
            answers.append(PlannedAnswer("verhuizing", gemeld=reported))
        elif intent == COLLEGA:
            answers.append(PlannedAnswer(COLLEGA))
        elif intent in SITUATION_OF_INTENT:
            answers.append(PlannedAnswer(SITUATION_OF_INTENT[intent]))
        pending.pop(0)
    return Plan(tuple(answers))
