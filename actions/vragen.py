"""The questions the forms ask, with buttons, from the content file."""

import json
from abc import abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safe_action import SafeAction
from bot.content import load_protocol
from bot.context_content import load_context_texts


class AskAction(SafeAction):
    """Rasa forms call `action_ask_<slot>` to ask for a missing slot."""

    slot: str = ""

    @abstractmethod
    def name(self) -> str:
        """Abstract here so that the SDK does not register this base class."""

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        question = load_protocol().questions[self.slot]
        dispatcher.utter_message(text=question.text, buttons=list(question.buttons))
        return []


class ActionAskFase(AskAction):
    slot = "fase"

    def name(self) -> str:
        return "action_ask_fase"


class ActionAskGemeldBijVt(AskAction):
    slot = "gemeld_bij_vt"

    def name(self) -> str:
        return "action_ask_gemeld_bij_vt"


class ActionAskPlaats(SafeAction):
    """ "Welke Velp bedoelt u?" or "Bedoelt u ...?": one button per option."""

    def name(self) -> str:
        return "action_ask_plaats"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        texts = load_context_texts().region
        options = tracker.get_slot("plaats_opties") or {}
        question = texts["vraag_welke" if options.get("soort") == "welke" else "vraag_bedoelt_u"]
        buttons = [
            {"title": label[:1].upper() + label[1:], "payload": place_payload(label)}
            for label in options.get("plaatsen") or []
        ]
        buttons.append({"title": texts["knop_andere_plaats"], "payload": "/ontkennen"})
        dispatcher.utter_message(text=question, buttons=buttons)
        return []


def place_payload(label: str) -> str:
    """A button that names the place as a `plaats` entity of a move."""
    return "/verhuizing" + json.dumps({"plaats": label}, ensure_ascii=False)
