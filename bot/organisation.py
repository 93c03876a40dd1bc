"""Adds the organisation's own contacts to an answer with steps.

Where the basismodel says to consult a colleague (meldcode.stap_2) the answer
names the aandachtsfunctionaris; the closing line links the organisation's
own meldcode. Empty settings leave the answer as it is.
"""

from typing import Any, Dict, List

from bot.context_content import ContextTexts
from bot.render import fill
from bot.settings import OrganisationContacts

CONSULT_STEP = "meldcode.stap_2"


def contact_line(texts: ContextTexts, contacts: OrganisationContacts) -> str:
    if not contacts.role:
        return ""
    parts = [fill(texts.organisation["aandachtsfunctionaris"], rol=contacts.role)]
    if contacts.phone:
        parts.append(fill(texts.organisation["telefoon"], telefoon=contacts.phone))
    if contacts.channel:
        parts.append(fill(texts.organisation["kanaal"], kanaal=contacts.channel))
    return " ".join(parts)


def with_contacts(
    texts: ContextTexts, contacts: OrganisationContacts, steps: List[Dict[str, Any]]
) -> List[Dict[str, Any]]:
    """The steps, with the aandachtsfunctionaris added to the consult step."""
    line = contact_line(texts, contacts)
    if not line:
        return steps
    return [
        {**step, "tekst": f"{step['tekst']} {line}"} if step["id"] == CONSULT_STEP else step
        for step in steps
    ]


def closing_line(texts: ContextTexts, contacts: OrganisationContacts, default: str) -> str:
    if not contacts.meldcode_url:
        return default
    return fill(texts.organisation["afsluiting_met_meldcode"], url=contacts.meldcode_url)
