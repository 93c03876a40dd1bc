"""Maps a free-text `fase` entity value to `doorverwezen` or `gemeld`.

EntitySynonymMapper covers the synonyms of the training data; this catches
the rest ("verwezen", "VT-melding", typos) so a form never asks twice for
something the user already said.
"""

import re
from typing import Any, Optional

from bot.contract import FASE_DOORVERWEZEN, FASE_GEMELD

# Veilig Thuis by any name: a report, even when the verb is "aangemeld".
_VEILIG_THUIS = re.compile(r"\b(vt|veilig\s*thuis|amhk|meldpunt)\b")
_REFERRAL = re.compile(r"(verw[ie]z|verwe[sz]|aangemeld|aanmelding|overgedragen|doorgestuurd)")
_REPORT = re.compile(r"meld")


def normalise_fase(value: Any) -> Optional[str]:
    if not isinstance(value, str):
        return None
    text = value.lower().strip()
    if text in (FASE_DOORVERWEZEN, FASE_GEMELD):
        return text
    if _VEILIG_THUIS.search(text):
        return FASE_GEMELD
    if _REFERRAL.search(text):
        return FASE_DOORVERWEZEN
    if _REPORT.search(text):
        return FASE_GEMELD
    return None
