"""Selects the steps for a situation and renders them as text and payload.

The text must be readable on its own (Teams, Slack, a terminal); the payload
is the `vervolgstappen` contract that every channel can render richer.
"""

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from bot.content import Protocol, Step
from bot.contract import PAYLOAD_TYPE

MAX_PLACE_LENGTH = 40
# The word before a step's source, in the text and in every channel's layout.
SOURCE_LABEL = "Bron"
# Lower-case words inside Dutch place names ("Bergen op Zoom", "Alphen aan den Rijn").
_PLACE_PARTICLES = {"aan", "op", "de", "den", "der", "van", "in", "bij", "en", "ter", "ten"}
_NOT_IN_PLACE = re.compile(r"[^\w\s'’.-]", re.UNICODE)


def clean_place(value: Any) -> Optional[str]:
    """A place name safe to show back, or None when nothing usable is left.

    The value comes from user text, so it is stripped of markup and digits and
    cut short; all-lowercase input gets Dutch capitals ("bergen op zoom").
    """
    if not isinstance(value, str):
        return None
    text = _NOT_IN_PLACE.sub(" ", value)
    text = re.sub(r"[\d_]", " ", text)
    text = " ".join(text.split()).strip(" .-")
    if not text or len(text) > MAX_PLACE_LENGTH:
        return None
    if text.islower():
        text = _capitalise_place(text)
    return text


def _capitalise_place(text: str) -> str:
    words = []
    for index, word in enumerate(text.split(" ")):
        if index > 0 and word in _PLACE_PARTICLES:
            words.append(word)
        else:
            words.append("-".join(_capitalise_part(part) for part in word.split("-")))
    return " ".join(words)


def _capitalise_part(part: str) -> str:
    if part in ("'s", "’s", "'t", "’t"):
        return part
    return part[:1].upper() + part[1:]


def select_steps(protocol: Protocol, situation_id: str, reported: bool = False) -> List[Step]:
    """The steps of a situation in contract order; KeyError for unknown ids."""
    situation = protocol.situations[situation_id]
    step_ids = list(situation.step_ids)
    if reported:
        step_ids += situation.step_ids_if_reported
    return [protocol.steps[step_id] for step_id in step_ids]


@dataclass(frozen=True)
class Answer:
    situation_id: str
    text: str
    payload: Dict[str, Any]

    @property
    def step_ids(self) -> List[str]:
        return [step["id"] for step in self.payload["stappen"]]


def fill(template: str, **values: Any) -> str:
    """Fills {name} markers. Plain replace, not str.format: values may come from
    user text, and braces in them must stay inert."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def _with_place(template: Optional[str], fallback: str, place: Optional[str]) -> str:
    return fill(template, plaats=place) if template and place else fallback


def step_line(number: int, step: Dict[str, Any]) -> str:
    """One step of the readable text: "N. tekst (Bron: bron)". Every channel that
    writes a step as a line uses this, so the format exists once."""
    return f"{number}. {step.get('tekst', '')} ({SOURCE_LABEL}: {step.get('bron', '')})"


def steps_text(payload: Dict[str, Any]) -> str:
    """The readable text of a `vervolgstappen` payload: title, steps, closing line."""
    steps = [s for s in payload.get("stappen") or [] if isinstance(s, dict)]
    lines = [payload.get("titel") or ""]
    lines += [step_line(number, step) for number, step in enumerate(steps, 1)]
    lines.append(payload.get("regio_tekst") or "")  # a move: the Veilig Thuis-regio
    lines.append(payload.get("afsluiting") or "")
    return "\n".join(line for line in lines if line)


def render_answer(
    protocol: Protocol,
    situation_id: str,
    reported: bool = False,
    place: Optional[str] = None,
) -> Answer:
    """Text plus `vervolgstappen` payload for one situation.

    The payload carries the title and closing line too (contract section 5),
    so channels render from it and never parse the text.
    """
    place = clean_place(place)
    situation = protocol.situations[situation_id]
    steps = [
        {
            "id": step.id,
            "tekst": _with_place(step.text_with_place, step.text, place),
            "bron": step.source,
        }
        for step in select_steps(protocol, situation_id, reported)
    ]
    payload = {
        "type": PAYLOAD_TYPE,
        "situatie": situation_id,
        "titel": _with_place(situation.title_with_place, situation.title, place),
        "stappen": steps,
        "afsluiting": protocol.closing_line,
    }
    return Answer(situation_id=situation_id, text=steps_text(payload), payload=payload)
