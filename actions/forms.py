"""Validation of the forms that ask what the answer still needs."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.contract import FASE_GEMELD
from bot.nlu.decision import ANALYSIS_KEY
from bot.nlu.fase import normalise_fase


class CaseFormValidation(FormValidationAction, ABC):
    """Shared helpers: entity values of the latest message, fase checks."""

    @abstractmethod
    def name(self) -> str:
        """Abstract here so that the SDK does not register this base class."""

    @staticmethod
    def latest_fase(tracker: Tracker) -> Optional[str]:
        for value in tracker.get_latest_entity_values("fase"):
            fase = normalise_fase(value)
            if fase:
                return fase
        return None

    def validate_fase(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # None makes the form ask again instead of guessing.
        return {"fase": normalise_fase(value)}


class ValidateZorgenForm(CaseFormValidation):
    def name(self) -> str:
        return "validate_zorgen_form"


class ValidateVerhuizingForm(CaseFormValidation):
    def name(self) -> str:
        return "validate_verhuizing_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        # A known report answers the question already: never ask it again.
        if normalise_fase(tracker.get_slot("fase")) == FASE_GEMELD:
            return []
        return domain_slots

    async def extract_gemeld_bij_vt(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # "niet gemeld" in the message that starts the form: no question needed.
        analysed = (tracker.latest_message.get(ANALYSIS_KEY) or {}).get("gemeld_bij_vt")
        if tracker.get_slot("requested_slot") != "gemeld_bij_vt":
            return {} if analysed is None else {"gemeld_bij_vt": bool(analysed)}
        # "nee, alleen doorverwezen" answers the question without ja/nee intent.
        if tracker.latest_message.get("intent", {}).get("name") in ("bevestigen", "ontkennen"):
            return {}  # ja/nee is mapped in the domain; "nee, niet gemeld" is no report
        fase = self.latest_fase(tracker)
        if fase is None:
            return {}
        return {"gemeld_bij_vt": fase == FASE_GEMELD}

    def validate_gemeld_bij_vt(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if not isinstance(value, bool):
            return {"gemeld_bij_vt": None}
        slots: Dict[str, Any] = {"gemeld_bij_vt": value}
        if value and tracker.get_slot("fase") is None:
            # Reported is a fact of the case: a later "zorgen blijven" needs no question.
            slots["fase"] = FASE_GEMELD
        return slots
