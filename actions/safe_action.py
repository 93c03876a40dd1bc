"""A base class that keeps a failing action from breaking the conversation."""

import inspect
import logging
import traceback
from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content import load_protocol

logger = logging.getLogger(__name__)

# Only when the content file itself cannot be read; normally the text comes
# from the content file like every other word of the assistant.
LAST_RESORT_MESSAGE = (
    "Er ging iets mis. Bel bij twijfel Veilig Thuis: 0800-2000. Bij direct gevaar: 112."
)


def describe_error(error: BaseException) -> str:
    """Type and place of an error, never its message: that may hold user text."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" in {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"


def safe_error_message() -> str:
    try:
        return load_protocol().technical_error
    except Exception:  # noqa: BLE001 - the content file is what failed
        return LAST_RESORT_MESSAGE


class SafeAction(Action, ABC):
    """Runs `act`; on any error logs it without user text and sends a safe reply."""

    @abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        """The action's work; may raise. May be a coroutine (actions that call a service)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        try:
            events = self.act(dispatcher, tracker, domain)
            if inspect.isawaitable(events):
                events = await events
            return events
        except Exception as error:  # noqa: BLE001 - any failure gets the safe reply
            logger.error("Actie %s mislukt: %s", self.name(), describe_error(error))
            dispatcher.messages.clear()
            dispatcher.utter_message(text=safe_error_message())
            return []
