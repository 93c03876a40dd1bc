"""The held-out sets of issue 11 and how they are scored.

Scoring goes through the assistant's own decision code: the analysis that
bot/nlu/situation_component.py stores in the parse result, then
bot/answer_plan.py, then the steps of the content file. The same functions
serve the unit tests (detector alone), the integration test (trained model)
and the benchmark, so they live in the harness, not in tests/.
"""

from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set

from bot.answer_plan import COLLEGA, plan_answers
from bot.content import load_protocol
from bot.nlu.decision import adjust_entities, analyse_message
from bot.nlu.fase import normalise_fase
from bot.nlu.second_opinion import CORPUS, acute_lists, multi_fact_messages
from bot.render import select_steps

NLU_TESTS = Path(__file__).resolve().parent.parent / "tests" / "nlu"
# The development sets of issue 11. Since round 11 they are the training
# corpus of the second opinion on the model's acute guess (data/gevaar/,
# bot/nlu/second_opinion.py); scored here as a check on training data.
# `ontwikkel` and `ontwikkel_2` were written from domain knowledge; `blind`
# and `blind_2` after the first cues; from `blind_3` on, each was written by a
# new writer who saw neither the cues, the training data nor the other sets,
# committed before it was scored and scored in aggregate, then used for
# development in the next detector round (docs/benchmarks.md tells each one's
# story): blind_3 (79 + 121 + 58, rounds 4-5), blind_4 (78 + 138 + 66, round
# 5), blind_5 (81 + 136 + 58, round 6), blind_6 (88 + 145 + 67, round 7),
# blind_7 (84 + 151 + 64, round 8), blind_8 (89 + 143 + 69, round 9), blind_9
# (91 + 142 + 69, round 10), blind_10 (89 + 147 + 67, round 11; in the corpus
# since round 12), blind_11 (94 + 160 + 74, round 12) and blind_12 (95 + 174 +
# 76; held out in rounds 11 and 12, in the corpus since round 13).
ACUTE_SET = CORPUS / "ontwikkel.yml"
MULTI_FACT_SET = CORPUS / "ontwikkel_meerdere_feiten.yml"
DEV_SET_2 = CORPUS / "ontwikkel_2.yml"
CORPUS_BLIND_SETS = {f"blind_{n}": CORPUS / f"blind_{n}.yml" for n in range(2, 13)}
# The held-out set, never trained on, tuned on or read: blind_13
# (97 + 159 + 86), written by a thirteenth writer.
LAST_BLIND_SET = 13
HELD_OUT_SETS = {
    f"blind_{n}": NLU_TESTS / f"blind_testset_{n}.yml" for n in range(13, LAST_BLIND_SET + 1)
}

# Every scored set: name -> (file with acute and non-acute, file with multi-fact).
SCORED_SETS = {
    "ontwikkel": (ACUTE_SET, MULTI_FACT_SET),
    "ontwikkel_2": (DEV_SET_2, DEV_SET_2),
    "blind": (CORPUS / "blind_1.yml",) * 2,
    **{name: (path, path) for name, path in CORPUS_BLIND_SETS.items()},
    **{name: (path, path) for name, path in HELD_OUT_SETS.items()},
}

ACUTE_INTENT = "acute_zorgen"
DANGER_QUESTION = "vraag:direct_gevaar"


def acute_set(path: Path = ACUTE_SET) -> Dict[str, List[str]]:
    return acute_lists(path)


def multi_fact_set(path: Path = MULTI_FACT_SET) -> List[Dict]:
    return multi_fact_messages(path)


def held_out_texts() -> List[str]:
    texts = []
    for acute_path, multi_path in SCORED_SETS.values():
        sets = acute_set(acute_path)
        texts += sets["acuut"] + sets["niet_acuut"]
        texts += [m["tekst"] for m in multi_fact_set(multi_path)]
    return texts


def answered_steps(parsed: Dict) -> Set[str]:
    """The step ids (and question markers) of the assistant's first answer.

    `parsed` is a parse result with `intent`, `entities` and `analyse`, as the
    trained model returns it (or as `parse_without_model` builds it).
    """
    analysis = parsed.get("analyse") or {}
    intent = (parsed.get("intent") or {}).get("name")
    fase = next(
        (
            normalise_fase(e.get("value"))
            for e in parsed.get("entities", [])
            if e.get("entity") == "fase"
        ),
        None,
    )
    gemeld = analysis.get("gemeld_bij_vt")
    situations = [s for s in analysis.get("situaties") or [] if s != ACUTE_INTENT]
    if intent == "twijfel_gevaar":
        return {DANGER_QUESTION}
    plan = plan_answers(situations, fase, gemeld, may_ask=intent != ACUTE_INTENT)
    protocol = load_protocol()
    steps: Set[str] = set()
    if intent == ACUTE_INTENT:
        steps |= {step.id for step in select_steps(protocol, "acuut")}
    for answer in plan.answers:
        if answer.situation == COLLEGA:
            steps.add(COLLEGA)
        else:
            steps |= {step.id for step in select_steps(protocol, answer.situation, answer.gemeld)}
    if plan.question:
        steps.add(f"vraag:{plan.question}")
    return steps


def parse_without_model(text: str, model_intent: Optional[str] = None) -> Dict:
    """The pipeline's last step alone: what the detector decides without DIET."""
    analysis = analyse_message(text, model_intent)
    detection = analysis.pop("detection")
    return {
        "text": text,
        "intent": {"name": analysis["intent"]},
        "entities": adjust_entities([], detection),
        "analyse": analysis,
    }


def acute_scores(parse: Callable[[Sequence[str]], List[Dict]], path: Path = ACUTE_SET) -> Dict:
    """Recall and precision of the acute answer on an acute held-out set."""
    sets = acute_set(path)
    acute = parse(sets["acuut"])
    calm = parse(sets["niet_acuut"])

    def intent(p):
        return (p.get("intent") or {}).get("name")

    true_pos = sum(intent(p) == ACUTE_INTENT for p in acute)
    false_pos = sum(intent(p) == ACUTE_INTENT for p in calm)
    asked = sum(intent(p) == "twijfel_gevaar" for p in acute)
    return {
        "acuut": len(acute),
        "niet_acuut": len(calm),
        "recall": true_pos / len(acute),
        "precision": true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0,
        "recall_met_vraag": (true_pos + asked) / len(acute),
        "gemist": [
            t for t, p in zip(sets["acuut"], acute, strict=True) if intent(p) != ACUTE_INTENT
        ],
        "vals_alarm": [
            t for t, p in zip(sets["niet_acuut"], calm, strict=True) if intent(p) == ACUTE_INTENT
        ],
        "vraag_gevaar_bij_niet_acuut": sum(intent(p) == "twijfel_gevaar" for p in calm),
    }


def multi_fact_scores(
    parse: Callable[[Sequence[str]], List[Dict]], path: Path = MULTI_FACT_SET
) -> Dict:
    messages = multi_fact_set(path)
    parsed = parse([m["tekst"] for m in messages])
    wrong = []
    for message, result in zip(messages, parsed, strict=True):
        found = answered_steps(result)
        if found != set(message["stappen"]):
            wrong.append(
                {
                    "tekst": message["tekst"],
                    "verwacht": sorted(message["stappen"]),
                    "gevonden": sorted(found),
                }
            )
    return {
        "n": len(messages),
        "exact": (len(messages) - len(wrong)) / len(messages),
        "fout": wrong,
    }
