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
from bot.content import load_protocol
from bot.contract import FASE_GEMELD, concerns_situation
from bot.nlu.fase import normalise_fase
from bot.render import render_answer


def was_reported(tracker: Tracker) -> bool:
    """Reported to Veilig Thuis, by the direct answer or by the known fase."""
    if tracker.get_slot("gemeld_bij_vt") is True:
        return True
    return normalise_fase(tracker.get_slot("fase")) == FASE_GEMELD


class StepsAction(SafeAction):
    """Sends the steps of one situation: readable text plus the payload.

    The follow-up buttons (utter_vervolg_opties) come from the rules, so the
    dialogue decides what follows an answer.
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
        situation_id = self.situation(tracker)
        answer = render_answer(
            load_protocol(),
            situation_id,
            reported=was_reported(tracker),
            place=tracker.get_slot("plaats"),
        )
        dispatcher.utter_message(text=answer.text, json_message=answer.payload)
        return [SlotSet("situatie", situation_id)]


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


class ActionStappenVerhuizing(StepsAction):
    situation_id = "verhuizing"

    def name(self) -> str:
        return "action_stappen_verhuizing"


class ActionStappenHulpGeweigerd(StepsAction):
    situation_id = "hulp_geweigerd"

    def name(self) -> str:
        return "action_stappen_hulp_geweigerd"


class ActionStappenAcuut(StepsAction):
    situation_id = "acuut"

    def name(self) -> str:
        return "action_stappen_acuut"


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
