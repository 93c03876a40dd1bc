"""The content file's texts for context: region, organisation, dossier note.

They live in the one content file (bot/content/vervolgstappen.yml) under
`regio`, `organisatie` and `verslag`, and are checked at start like the rest.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from bot.content import ContentError, content_path

REGION_KEYS = (
    "bron", "gemeente", "woonplaats", "uitleg", "zelfde_regio", "zelfde_regio_gemeld",
    "andere_regio", "andere_regio_gemeld", "vraag_welke", "vraag_bedoelt_u",
    "knop_andere_plaats", "vraag_vorige_plaats",
)  # fmt: skip
ORGANISATION_KEYS = ("aandachtsfunctionaris", "telefoon", "kanaal", "afsluiting_met_meldcode")
NOTE_KEYS = ("titel", "situaties_kop", "geen_situaties", "vastleggen_kop", "slot")


@dataclass(frozen=True)
class ContextTexts:
    region: Dict[str, str]
    organisation: Dict[str, str]
    note: Dict[str, str]
    record_checklist: Tuple[Tuple[str, str], ...]  # (text, source)


def _section(raw: dict, name: str, keys, path: Path) -> Dict[str, str]:
    section = raw.get(name)
    if not isinstance(section, dict):
        raise ContentError(f"{path}: '{name}' ontbreekt")
    texts = {}
    for key in keys:
        value = section.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{path}: {name} '{key}': tekst ontbreekt of is leeg")
        texts[key] = value.strip()
    return texts


def parse_context_texts(path: Path) -> ContextTexts:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: kan het bestand niet lezen ({error})") from error
    sources = raw.get("bronnen") or {}
    items = (raw.get("verslag") or {}).get("vastleggen")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path}: verslag 'vastleggen' ontbreekt")
    checklist = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("tekst") or "").strip():
            raise ContentError(f"{path}: verslag 'vastleggen': een punt zonder tekst")
        if item.get("bron") not in sources:
            raise ContentError(f"{path}: verslag 'vastleggen': bron '{item.get('bron')}' onbekend")
        checklist.append((item["tekst"].strip(), sources[item["bron"]]))
    return ContextTexts(
        region=_section(raw, "regio", REGION_KEYS, path),
        organisation=_section(raw, "organisatie", ORGANISATION_KEYS, path),
        note=_section(raw, "verslag", NOTE_KEYS, path),
        record_checklist=tuple(checklist),
    )


def load_context_texts(path: Optional[Path] = None) -> ContextTexts:
    """The texts of content_path(path), like load_protocol."""
    return _load_context_texts(content_path(path))


@lru_cache(maxsize=4)
def _load_context_texts(path: Path) -> ContextTexts:
    return parse_context_texts(path)
