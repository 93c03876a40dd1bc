"""The answer to a suspicion against a colleague, from its own content file.

Not a situation of the meldcode's follow-up steps (docs/contract.md), so it
has its own file and no `vervolgstappen` payload: one plain text message,
every point with its source, that every channel shows as it is.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

from bot.render import step_line

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "vermoeden_collega.yml"


@dataclass(frozen=True)
class ColleagueRoute:
    title: str
    points: Tuple[Dict[str, str], ...]
    closing_line: str


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{CONTENT_FILE.name}: {where}: tekst ontbreekt")
    return value.strip()


@lru_cache(maxsize=2)
def load_route(path: Path = CONTENT_FILE) -> ColleagueRoute:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = raw.get("bronnen") or {}
    points = []
    for number, point in enumerate(raw.get("punten") or [], 1):
        source = point.get("bron")
        if source not in sources:
            raise ValueError(f"{CONTENT_FILE.name}: punt {number}: bron '{source}' ontbreekt")
        points.append(
            {"tekst": _text(point.get("tekst"), f"punt {number}"), "bron": sources[source]}
        )
    if not points:
        raise ValueError(f"{CONTENT_FILE.name}: geen punten")
    return ColleagueRoute(
        title=_text(raw.get("titel"), "titel"),
        points=tuple(points),
        closing_line=_text(raw.get("afsluiting"), "afsluiting"),
    )


def render_route(route: ColleagueRoute) -> str:
    """Readable text, each point with its source."""
    lines = [route.title]
    lines += [step_line(n, point) for n, point in enumerate(route.points, 1)]
    lines.append(route.closing_line)
    return "\n".join(lines)
