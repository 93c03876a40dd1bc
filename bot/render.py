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


def select_steps(protocol: Protocol, situation_id: str, gemeld: bool = False) -> List[Step]:
    """The steps of a situation in contract order; KeyError for unknown ids."""
    situation = protocol.situations[situation_id]
    step_ids = list(situation.stappen)
    if gemeld:
        step_ids += situation.stappen_als_gemeld
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


def render_answer(
    protocol: Protocol,
    situation_id: str,
    gemeld: bool = False,
    plaats: Optional[str] = None,
) -> Answer:
    """Text plus `vervolgstappen` payload for one situation."""
    place = clean_place(plaats)
    situation = protocol.situations[situation_id]
    steps = [
        {
            "id": step.id,
            "tekst": _with_place(step.tekst_met_plaats, step.tekst, place),
            "bron": step.bron,
        }
        for step in select_steps(protocol, situation_id, gemeld)
    ]
    title = _with_place(situation.titel_met_plaats, situation.titel, place)
    lines = [title]
    lines += [f"{n}. {s['tekst']} (Bron: {s['bron']})" for n, s in enumerate(steps, 1)]
    lines.append(protocol.afsluiting)
    payload = {"type": PAYLOAD_TYPE, "situatie": situation_id, "stappen": steps}
    return Answer(situation_id=situation_id, text="\n".join(lines), payload=payload)
