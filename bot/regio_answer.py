"""Names the Veilig Thuis-regio of a move in the answer (text and payload).

Only a place that the table resolves to exactly one gemeente is named; for
anything else the answer keeps the general text. Whether the region changes
is said only when both places are known.
"""

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from bot import regio
from bot.context_content import ContextTexts
from bot.render import fill


@dataclass(frozen=True)
class RegionContext:
    lines: List[str]
    payload: Dict[str, Any]


def resolved(name: Optional[str]) -> Optional[regio.Place]:
    return regio.lookup(name).place if name else None


def place_line(texts: ContextTexts, place: regio.Place) -> str:
    template = texts.region["gemeente" if place.is_gemeente else "woonplaats"]
    return fill(
        template,
        plaats=place.name_in_sentence,
        gemeente=place.gemeente.name,
        vt_regio=place.gemeente.vt_regio,
    )


def region_context(
    texts: ContextTexts, plaats: Optional[str], vorige_plaats: Optional[str], gemeld: bool
) -> Optional[RegionContext]:
    """Lines for the answer and payload keys; None when the new place is not known."""
    place = resolved(plaats)
    if place is None:
        return None
    lines = [place_line(texts, place)]
    payload: Dict[str, Any] = {"regio": place.as_payload()}
    previous = resolved(vorige_plaats)
    if previous is not None and previous != place:
        payload["vorige_regio"] = previous.as_payload()
        values = {
            "plaats": place.name_in_sentence,
            "vorige": previous.name_in_sentence,
            "vt_regio": place.gemeente.vt_regio,
            "vorige_regio": previous.gemeente.vt_regio,
        }
        same = previous.gemeente.vt_code == place.gemeente.vt_code
        key = "zelfde_regio" if same else "andere_regio"
        lines.append(fill(texts.region[key], **values))
        if gemeld:
            lines.append(fill(texts.region[key + "_gemeld"], **values))
    lines.append(texts.region["uitleg"])
    payload["regio_tekst"] = "\n".join(lines)
    return RegionContext(lines=lines, payload=payload)
