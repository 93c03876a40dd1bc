"""The held-out sets of issue 11 and how they are scored.

Scoring goes through the assistant's own decision code: the analysis that
bot/nlu/situation_component.py stores in the parse result, then
bot/answer_plan.py, then the steps of the content file. The same functions
serve the unit tests (detector alone), the integration test (trained model)
and the benchmark, so they live in the harness, not in tests/.
"""

from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set

import yaml

from bot.answer_plan import COLLEGA, plan_answers
from bot.content import load_protocol
from bot.nlu.decision import adjust_entities, analyse_message
from bot.nlu.fase import normalise_fase
from bot.render import select_steps

NLU_TESTS = Path(__file__).resolve().parent.parent / "tests" / "nlu"
ACUTE_SET = NLU_TESTS / "acuut_testset.yml"
MULTI_FACT_SET = NLU_TESTS / "meerdere_feiten.yml"
BLIND_SET = NLU_TESTS / "blind_testset.yml"
# Written after the cues were broadened on BLIND_SET, scored once.
BLIND_SET_2 = NLU_TESTS / "blind_testset_2.yml"
# Written blind by someone who saw neither the cues, the training data nor the
# other sets; larger (79 + 124 + 58); committed before it was scored once.
# Its errors were used for development in rounds 4 and 5: no longer blind.
BLIND_SET_3 = NLU_TESTS / "blind_testset_3.yml"
# Written blind by a fourth writer under the same rules (78 + 138 + 66);
# committed before it was scored, scored twice in round 4 (old and new code).
# Used for development in round 5 (its errors, with those of BLIND_SET_3 and
# DEV_SET_2, guided the detector's cues): no longer blind, like BLIND_SET_3.
BLIND_SET_4 = NLU_TESTS / "blind_testset_4.yml"
# Written blind by a fifth writer (81 + 136 + 58), committed before it was
# scored; scored in aggregate before and after detector round 5, then used for
# development in round 6: no longer blind.
BLIND_SET_5 = NLU_TESTS / "blind_testset_5.yml"
# Written blind by a sixth writer (88 + 146 + 67), committed before it was
# scored; scored in aggregate before and after round 6, then used for
# development in round 7: no longer blind.
BLIND_SET_6 = NLU_TESTS / "blind_testset_6.yml"
# Written blind by a seventh writer (84 + 151 + 64), committed before it was
# scored; scored in aggregate before round 6, after round 6 and after round 7,
# then used for development in round 8: no longer blind.
BLIND_SET_7 = NLU_TESTS / "blind_testset_7.yml"
# Written blind by an eighth writer (89 + 143 + 69), committed before it was
# scored; scored in aggregate before and after round 8, then used for
# development in round 9: no longer blind.
BLIND_SET_8 = NLU_TESTS / "blind_testset_8.yml"
# Written blind by a ninth writer (91 + 142 + 69), committed before it was
# scored; scored in aggregate before and after round 9, then used for
# development in round 10: no longer blind.
BLIND_SET_9 = NLU_TESTS / "blind_testset_9.yml"
# Written blind by a tenth writer (89 + 147 + 67), committed before it was
# scored; scored in aggregate only, before and after round 10.
BLIND_SET_10 = NLU_TESTS / "blind_testset_10.yml"
# A second development set (acute, non-acute and multi-fact in one file),
# written from domain knowledge without seeing the blind sets; tuned on.
DEV_SET_2 = NLU_TESTS / "ontwikkel_2.yml"

# Every scored set: name -> (file with acute and non-acute, file with multi-fact).
SCORED_SETS = {
    "ontwikkel": (ACUTE_SET, MULTI_FACT_SET),
    "ontwikkel_2": (DEV_SET_2, DEV_SET_2),
    "blind": (BLIND_SET, BLIND_SET),
    "blind_2": (BLIND_SET_2, BLIND_SET_2),
    "blind_3": (BLIND_SET_3, BLIND_SET_3),
    "blind_4": (BLIND_SET_4, BLIND_SET_4),
    "blind_5": (BLIND_SET_5, BLIND_SET_5),
    "blind_6": (BLIND_SET_6, BLIND_SET_6),
    "blind_7": (BLIND_SET_7, BLIND_SET_7),
    "blind_8": (BLIND_SET_8, BLIND_SET_8),
    "blind_9": (BLIND_SET_9, BLIND_SET_9),
    "blind_10": (BLIND_SET_10, BLIND_SET_10),
}

ACUTE_INTENT = "acute_zorgen"
DANGER_QUESTION = "vraag:direct_gevaar"


def acute_set(path: Path = ACUTE_SET) -> Dict[str, List[str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    calm = raw["niet_acuut"]
    if isinstance(calm, dict):  # grouped by intent
        calm = [text for texts in calm.values() for text in texts]
    return {"acuut": list(raw["acuut"]), "niet_acuut": list(calm)}


def multi_fact_set(path: Path = MULTI_FACT_SET) -> List[Dict]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(raw.get("berichten") or raw.get("meerdere_feiten"))


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
