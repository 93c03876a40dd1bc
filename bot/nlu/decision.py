"""Combines the NLU model's intent with the situation detector.

Asymmetric on purpose: an acute cue always wins, whatever the model says; a
weak danger signal asks "Is er nu direct gevaar?" first. Every situation that
either the model or the detector finds is answered, in the contract's order.
"""

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from bot.nlu.detector import (
    COLLEGA,
    VERANTWOORDELIJKHEID,
    VERHUIZING,
    WEIGERING,
    ZORGEN,
    Detection,
    detect,
)
from bot.nlu.fase import normalise_fase

ACUUT = "acute_zorgen"
MEERDERE = "meerdere_situaties"
TWIJFEL_GEVAAR = "twijfel_gevaar"
FALLBACK = "nlu_fallback"

# Intents that are answered with steps (or the colleague route), most urgent first
# (docs/contract.md, section 5: acuut, hulp_geweigerd, zorgen, verhuizing, questions).
ANSWER_ORDER = (
    ACUUT,
    WEIGERING,
    ZORGEN,
    VERHUIZING,
    COLLEGA,
    VERANTWOORDELIJKHEID,
    "vraag_stappen_meldcode",
    "vraag_veilig_thuis",
)

# Situations of the meldcode (and the colleague route) that the model may add.
SITUATION_INTENTS = frozenset({ACUUT, WEIGERING, ZORGEN, VERHUIZING, COLLEGA})

# Small talk and exercise answers: a weak danger word there asks no question.
NO_DANGER_QUESTION = frozenset(
    {
        "groet",
        "afscheid",
        "bedanken",
        "bevestigen",
        "ontkennen",
        "start_oefenmodus",
        "stop_oefenmodus",
        "oefen_antwoord",
        "opnieuw_beginnen",
    }
)


# Requests the cues must not turn into a situation (only acute danger goes
# first): the dossier note, the exercise mode, starting over.
KEEP_MODEL_INTENT = frozenset(
    {"vraag_verslag", "start_oefenmodus", "stop_oefenmodus", "oefen_antwoord", "opnieuw_beginnen"}
)


@dataclass(frozen=True)
class Decision:
    intent: Optional[str]
    # Intents to answer, in order; the answer action works through them.
    situaties: Tuple[str, ...]
    acuut: bool
    twijfel_gevaar: bool


def decide(
    model_intents: Sequence[str],
    detection: Detection,
    model_doubt: bool = False,
    model_acute_disputed: bool = False,
) -> Decision:
    """`model_intents`: what the NLU model recognised (empty after a fallback);
    `model_doubt`: the model gives acute a probability just below the threshold;
    `model_acute_disputed`: the second opinion (bot/nlu/second_opinion.py)
    reads the message as calm."""
    model_intent = next((i for i in model_intents if i != ACUUT), None)
    # The model's acute guess on harm the message places in the past ("als
    # kind geslagen", "vorig jaar aangifte"), or on a message that names no
    # harm and says it is calm now ("sindsdien is het rustig"), or on harm in
    # a pretend game only ("speelden politie en boef"), or that the second
    # opinion reads as calm, asks the question with 112 and 0800-2000
    # instead: still safe, and no false alarm. An acute cue is never disputed.
    past_doubt = (
        ACUUT in model_intents
        and not detection.acute
        and (detection.past_only or detection.calm or detection.pretend or model_acute_disputed)
    )
    if past_doubt:
        model_intents = [i for i in model_intents if i != ACUUT]
    found = set(detection.situations)
    if detection.acute:
        found.add(ACUUT)
    for intent in model_intents:
        # A question the model heard ("mijn verantwoordelijkheid?") counts only
        # when the cues found no situation: in a long message about a case the
        # model's question intents are mostly noise.
        if intent in SITUATION_INTENTS or (intent in ANSWER_ORDER and not detection.situations):
            found.add(intent)
    if COLLEGA in found:
        # Abuse by a colleague is another route than the meldcode's steps.
        found -= {WEIGERING, ZORGEN}
    ordered = tuple(name for name in ANSWER_ORDER if name in found)

    # Past harm the message says is over asks nothing, unless another cue does.
    # The model's slight doubt alone does not ask when the cues read what the
    # message is about (a refusal, a move, or concerns after a known referral
    # or report): there it is the topic's words, and those answers come at
    # once. A vague "ik maak me zorgen" with doubt still asks.
    explained = bool(set(detection.situations) - {ZORGEN}) or (
        bool(detection.situations) and detection.fase is not None
    )
    doubt = model_doubt and not explained
    weak = (
        (detection.weak_danger or doubt or (past_doubt and not detection.over))
        and ACUUT not in found
        and model_intent not in NO_DANGER_QUESTION
    )
    if ACUUT in found:
        intent = ACUUT
    elif model_intent in KEEP_MODEL_INTENT:
        return Decision(intent=model_intent, situaties=(), acuut=False, twijfel_gevaar=False)
    elif weak:
        intent = TWIJFEL_GEVAAR
    elif len(ordered) >= 2:
        intent = MEERDERE
    elif len(ordered) == 1:
        intent = ordered[0]
    elif model_intent == MEERDERE:
        intent = None  # the model saw several situations, nobody can name them
    else:
        intent = model_intent
    return Decision(intent=intent, situaties=ordered, acuut=ACUUT in found, twijfel_gevaar=weak)


ANALYSIS_KEY = "analyse"
EXTRACTOR = "SituationDetector"


def _entity(name: str, value: str) -> Dict[str, Any]:
    return {"entity": name, "value": value, "extractor": EXTRACTOR, "confidence": None}


def adjust_entities(entities: List[Dict[str, Any]], detection: Detection) -> List[Dict[str, Any]]:
    """The detector decides `fase` when it found one, and removes negated values."""
    others = [e for e in entities if e.get("entity") != "fase"]
    fases = [e for e in entities if e.get("entity") == "fase"]
    if detection.fase:
        fases = [e for e in fases if normalise_fase(e.get("value")) == detection.fase]
        fases = fases[:1] or [_entity("fase", detection.fase)]
    else:
        fases = [e for e in fases if normalise_fase(e.get("value")) not in detection.denied_fases]
    if detection.plaats and not any(e.get("entity") == "plaats" for e in others):
        others.append(_entity("plaats", detection.plaats))
    return others + fases


# The model's probability of `acute_zorgen` from which the answer is acute,
# even when another intent ranks first (asymmetric: a false alarm costs
# seconds, a miss can cost a child). Set in config.yml, measured in bench/.
DEFAULT_ACUTE_THRESHOLD = 0.2
# From this probability up to the acute threshold the model doubts: the
# assistant asks "Is er nu direct gevaar?" (with 112 and 0800-2000).
DEFAULT_QUESTION_THRESHOLD = 0.1
# Below this acute probability of the second opinion the model's acute guess
# (without an acute cue) becomes the danger question (config.yml).
DEFAULT_SECOND_OPINION_THRESHOLD = 0.3
# Below this acute probability of the second opinion, the model's slight
# doubt (between the question and the acute threshold) asks nothing: both
# read the message as calm. A weak danger cue still asks.
DEFAULT_SECOND_OPINION_CALM = 0.1


def acute_probability(ranking: List[Dict[str, Any]]) -> float:
    return max((r.get("confidence") or 0.0 for r in ranking if r.get("name") == ACUUT), default=0.0)


def model_situations(
    model_intent: Optional[str],
    ranking: List[Dict[str, Any]],
    acute_threshold: float = DEFAULT_ACUTE_THRESHOLD,
) -> List[str]:
    """The model's intent; nothing for a fallback or for `meerdere_situaties`
    (the cues name those situations). Acute comes first whenever its
    probability reaches `acute_threshold`."""
    found: List[str] = []
    if model_intent and model_intent not in (FALLBACK, MEERDERE):
        found.append(model_intent)
    if acute_probability(ranking) >= acute_threshold and ACUUT not in found:
        found.insert(0, ACUUT)
    return found


def analyse_message(
    text: str,
    model_intent: Optional[str],
    ranking: Optional[List[Dict[str, Any]]] = None,
    acute_threshold: float = DEFAULT_ACUTE_THRESHOLD,
    question_threshold: float = DEFAULT_QUESTION_THRESHOLD,
    second_opinion: Optional[Callable[[], Optional[float]]] = None,
    second_opinion_threshold: float = DEFAULT_SECOND_OPINION_THRESHOLD,
    second_opinion_calm: float = DEFAULT_SECOND_OPINION_CALM,
) -> Dict[str, Any]:
    """The decision for one text, as stored in the parse result.
    `second_opinion` gives the second opinion's acute probability (None when
    there is none); it is asked only when the model alone says acute."""
    ranking = ranking or []
    detection = detect(text or "")
    doubt = question_threshold <= acute_probability(ranking) < acute_threshold
    model_intents = model_situations(model_intent, ranking, acute_threshold)
    disputed = False
    if ACUUT in model_intents and not detection.acute and second_opinion is not None:
        score = second_opinion()
        disputed = score is not None and score < second_opinion_threshold
    elif doubt and second_opinion is not None:
        score = second_opinion()
        doubt = score is None or score >= second_opinion_calm
    decision = decide(model_intents, detection, doubt, disputed)
    intent = decision.intent
    if intent is None and model_intent == ACUUT and not decision.acuut:
        # The model's acute guess was dropped (harm long past): its next guess.
        intent = next((r.get("name") for r in ranking if r.get("name") != ACUUT), FALLBACK)
    return {
        "intent": intent or model_intent,
        "model_intent": model_intent,
        "situaties": list(decision.situaties),
        "acuut": decision.acuut,
        "twijfel_gevaar": decision.twijfel_gevaar,
        "gemeld_bij_vt": detection.gemeld_bij_vt,
        "detection": detection,
    }
