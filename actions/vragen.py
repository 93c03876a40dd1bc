"""The questions the forms ask, with buttons, from the content file."""

from abc import abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safe_action import SafeAction
from bot.content import load_protocol


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
