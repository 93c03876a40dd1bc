"""Actions that answer a situation with its protocol steps.

Each action only decides which situation applies (and with which slots); the
words come from the content file through bot.render.
"""

from abc import abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safe_action import SafeAction
from actions.situaties import answer_deferred
from actions.vervolg import send_follow_up
from bot import regio, settings
from bot.content import load_protocol
from bot.context_answer import answer_in_context
from bot.context_content import load_context_texts
from bot.contract import FASE_GEMELD, concerns_situation
from bot.nlu.fase import normalise_fase
from bot.verslag import add_situation


def was_reported(tracker: Tracker) -> bool:
    """Reported to Veilig Thuis, by the direct answer or by the known fase."""
    if tracker.get_slot("gemeld_bij_vt") is True:
        return True
    return normalise_fase(tracker.get_slot("fase")) == FASE_GEMELD


class StepsAction(SafeAction):
    """Sends the steps of one situation: readable text plus the payload.

    Outside a form the follow-up buttons (utter_vervolg_opties) come last;
    during a form the form's question follows instead (actions/vervolg.py).
    """

    situation_id: Optional[str] = None

    @abstractmethod
    def name(self) -> str:
        """Abstract here so that the SDK does not register this base class."""

    def situation(self, tracker: Tracker) -> str:
        return self.situation_id

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        events = self.answer(dispatcher, tracker)
        send_follow_up(dispatcher, tracker)
        return events

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
        """The steps (and what belongs to them), without the follow-up buttons."""
        situation_id = self.situation(tracker)
        answer = answer_in_context(
            load_protocol(),
            load_context_texts(),
            settings.organisation_contacts(),
            situation_id,
            reported=was_reported(tracker),
            place=tracker.get_slot("plaats"),
            previous_place=tracker.get_slot("vorige_plaats"),
        )
        dispatcher.utter_message(text=answer.text, json_message=answer.payload)
        discussed = add_situation(tracker.get_slot("besproken_situaties"), situation_id)
        events = [SlotSet("situatie", situation_id), SlotSet("besproken_situaties", discussed)]
        if tracker.get_slot("vorige_plaats_open"):
            events.append(SlotSet("vorige_plaats_open", False))  # another answer closes it
        return events


class ActionStappenZorgen(StepsAction):
    """Concerns remain: the steps after a referral or after a report."""

    def name(self) -> str:
        return "action_stappen_zorgen"

    def situation(self, tracker: Tracker) -> str:
        situation_id = concerns_situation(normalise_fase(tracker.get_slot("fase")))
        if situation_id is None:
            # The form guarantees the slot; reaching this is a dialogue bug.
            raise ValueError("slot fase ontbreekt")
        return situation_id

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
        # A message with several situations may have waited for this answer.
        return super().answer(dispatcher, tracker) + answer_deferred(dispatcher, tracker)


class ActionStappenVerhuizing(StepsAction):
    """A move; after a report it asks once where the family lived before.

    The steps come first: the question only adds whether the region changes.
    """

    situation_id = "verhuizing"

    def name(self) -> str:
        return "action_stappen_verhuizing"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
        events = super().answer(dispatcher, tracker)
        if not self.ask_previous_place(tracker):
            return events
        events = [e for e in events if e.get("name") != "vorige_plaats_open"]
        dispatcher.utter_message(text=load_context_texts().region["vraag_vorige_plaats"])
        return events + [
            SlotSet("vorige_plaats_gevraagd", True),
            SlotSet("vorige_plaats_open", True),
        ]

    @staticmethod
    def ask_previous_place(tracker: Tracker) -> bool:
        """Only for a family that was reported, at most once, when the new place is known."""
        return (
            was_reported(tracker)
            and not tracker.get_slot("vorige_plaats")
            and not tracker.get_slot("vorige_plaats_gevraagd")
            and regio.lookup(tracker.get_slot("plaats") or "").place is not None
        )


class ActionStappenHulpGeweigerd(StepsAction):
    situation_id = "hulp_geweigerd"

    def name(self) -> str:
        return "action_stappen_hulp_geweigerd"


class ActionStappenVerantwoordelijkheid(StepsAction):
    situation_id = "verantwoordelijkheid"

    def name(self) -> str:
        return "action_stappen_verantwoordelijkheid"


class ActionStappenMeldcode(StepsAction):
    situation_id = "stappen_meldcode"

    def name(self) -> str:
        return "action_stappen_meldcode"


class ActionStappenVeiligThuis(StepsAction):
    situation_id = "contact_veilig_thuis"

    def name(self) -> str:
        return "action_stappen_veilig_thuis"
