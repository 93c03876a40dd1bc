"""An answer with steps, in the context of this conversation and organisation.

Adds to bot.render's answer: for a move the Veilig Thuis-regio of the new
(and previous) place, and the organisation's own contacts from the settings.
"""

from typing import Optional

from bot.content import Protocol
from bot.context_content import ContextTexts
from bot.organisation import closing_line, with_contacts
from bot.regio_answer import region_context, resolved
from bot.render import Answer, render_answer, steps_text
from bot.settings import OrganisationContacts

MOVE = "verhuizing"


def answer_in_context(
    protocol: Protocol,
    texts: ContextTexts,
    contacts: OrganisationContacts,
    situation_id: str,
    reported: bool = False,
    place: Optional[str] = None,
    previous_place: Optional[str] = None,
) -> Answer:
    """Only a place the CBS table knows is named; anything else gets the general text."""
    known = resolved(place) if situation_id == MOVE else None
    answer = render_answer(
        protocol, situation_id, reported=reported, place=known.name_in_sentence if known else None
    )
    payload = dict(answer.payload)
    payload["stappen"] = with_contacts(texts, contacts, payload["stappen"])
    payload["afsluiting"] = closing_line(texts, contacts, payload["afsluiting"])
    if known:
        payload.update(region_context(texts, place, previous_place, reported).payload)
    return Answer(situation_id=situation_id, text=steps_text(payload), payload=payload)
