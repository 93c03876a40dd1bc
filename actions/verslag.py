"""The note for the dossier ("Verslag voor het dossier")."""

from datetime import datetime
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safe_action import SafeAction
from actions.vervolgstappen import was_reported
from bot.content import load_protocol
from bot.context_content import load_context_texts
from bot.verslag import note_payload, note_text

# The date in the note is the date in the Netherlands, whatever the server's zone.
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


class ActionVerslag(SafeAction):
    """Built from the slot of discussed situations and the step ids only."""

    def name(self) -> str:
        return "action_verslag"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        situations = [
            s for s in tracker.get_slot("besproken_situaties") or [] if isinstance(s, str)
        ]
        protocol = load_protocol()
        situations = [s for s in situations if s in protocol.situations]
        text = note_text(
            protocol,
            load_context_texts(),
            situations,
            datetime.now(DUTCH_TIME).date(),
            reported=was_reported(tracker),
        )
        dispatcher.utter_message(text=text, json_message=note_payload(text, situations))
        return []
