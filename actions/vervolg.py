"""The follow-up buttons after an answer, sent by the answer action itself.

Sending them here instead of from a rule saves one dialogue prediction per
answer (docs/benchmarks.md). The wording stays in domain.yml: the action only
names the response.
"""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

FOLLOW_UP = "utter_vervolg_opties"
FOLLOW_UP_ACUTE = "utter_vervolg_opties_acuut"


def send_follow_up(
    dispatcher: CollectingDispatcher, tracker: Tracker, response: str = FOLLOW_UP
) -> None:
    """The buttons, unless a form is still active: then the form asks its question next."""
    if (tracker.active_loop or {}).get("name"):
        return
    dispatcher.utter_message(response=response)
