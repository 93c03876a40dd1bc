"""Validation of the forms that ask what the answer still needs."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import regio
from bot.contract import FASE_GEMELD
from bot.nlu.decision import ANALYSIS_KEY
from bot.nlu.fase import normalise_fase

# Intents that answer a question about a place; anything else (acute danger,
# another situation) is answered first by the interruption rules.
# Words around a place that still make the message "only a place".
ONLY_PLACE_FILLER = {"in", "uit", "van", "vanuit", "te", "de", "gemeente", "woonplaats", "daarvoor",
                     "hiervoor", "eerst", "eerder", "vroeger", "woonden", "woonde", "ze", "zij",
                     "het", "gezin", "naar"}  # fmt: skip
PLACE_ANSWER_INTENTS = ("verhuizing", "bevestigen", "ontkennen", "informeren_fase", "nlu_fallback")


def slot_before_latest_message(tracker: Tracker, slot: str) -> Any:
    """The value a slot had before the latest user message changed it."""
    value = None
    for event in tracker.events[: _latest_user_index(tracker.events)]:
        if event.get("event") == "slot" and event.get("name") == slot:
            value = event.get("value")
    return value


def only_a_place(tracker: Tracker) -> Optional[str]:
    """The place name when the message is that and nothing more ("in Deventer")."""
    text = tracker.latest_message.get("text") or ""
    found = regio.gazetteer().find_in_text(text)
    if len(found) != 1:
        return None
    start, end, _ = found[0]
    rest = regio.tokens(text[:start]) + regio.tokens(text[end:])
    if all(token in ONLY_PLACE_FILLER for _, _, token in rest):
        return text[start:end]
    return None


def _latest_user_index(events: List[Dict[str, Any]]) -> int:
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return index
    return len(events)


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
        requested = tracker.get_slot("requested_slot")
        slots = []
        # A typed place is checked against the CBS table; an unclear one is asked once.
        if tracker.get_slot("plaats") is not None or tracker.get_slot("plaats_opties"):
            slots.append("plaats")
        elif requested == "plaats":
            slots.append("plaats")
        # A known report answers the question already: never ask it again.
        if normalise_fase(tracker.get_slot("fase")) != FASE_GEMELD:
            slots.append("gemeld_bij_vt")
        if tracker.get_slot("vorige_plaats") is not None:
            slots.append("vorige_plaats")  # named in the message: checked, never asked
        return slots

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[Dict[str, Any]]:
        # Rasa also runs this action to fill slots on every turn (custom slot
        # mappings), outside the form: then it must not ask anything, or another
        # form (zorgen_form) would ask this form's question.
        if tracker.latest_action_name != "verhuizing_form":
            return None
        return await super().next_requested_slot(dispatcher, tracker, domain)

    @staticmethod
    def answers_place_question(tracker: Tracker, slot: str) -> bool:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return tracker.get_slot("requested_slot") == slot and intent in PLACE_ANSWER_INTENTS

    async def extract_plaats(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # The answer to "Welke Velp bedoelt u?": a button (mapped in the domain),
        # or typed text that names one of the options or its gemeente.
        if not self.answers_place_question(tracker, "plaats") or tracker.get_slot("plaats"):
            return {}
        options = (tracker.get_slot("plaats_opties") or {}).get("plaatsen") or []
        text = tracker.latest_message.get("text") or ""
        for _start, _end, places in regio.gazetteer().find_in_text(text):
            for place in places:
                for option in options:
                    chosen = regio.lookup(option).place
                    if chosen and (place == chosen or place.gemeente == chosen.gemeente):
                        return {"plaats": option, "plaats_opties": None}
        # "Een andere plaats" or no match: go on with the general text, never a guess.
        return {"plaats_opties": None, "requested_slot": None}

    def validate_plaats(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        found = regio.lookup(value if isinstance(value, str) else "")
        previous = only_a_place(tracker) if tracker.get_slot("vorige_plaats_open") else None
        if previous:
            # "Deventer" answers "Waar woonde het gezin hiervoor?": the NLU calls it
            # `plaats`, but it is the previous place; the new place stays.
            found = regio.lookup(previous)
            return {
                "plaats": slot_before_latest_message(tracker, "plaats"),
                "vorige_plaats": found.place.slot_value if found.place else None,
                "vorige_plaats_open": False,
            }
        if found.place:
            return {"plaats": found.place.slot_value, "plaats_opties": None}
        choices = found.options or found.suggestions
        if not choices or tracker.get_slot("requested_slot") == "plaats":
            return {"plaats": None, "plaats_opties": None}  # asked once already
        kind = "welke" if found.options else "bedoelt_u"
        return {
            "plaats": None,
            "plaats_opties": {"soort": kind, "plaatsen": [p.label for p in choices]},
        }

    def validate_vorige_plaats(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # Only a place the table resolves to one gemeente: never a wrong region.
        found = regio.lookup(value if isinstance(value, str) else "")
        if found.place:
            return {"vorige_plaats": found.place.slot_value, "vorige_plaats_gevraagd": True}
        return {"vorige_plaats": None, "vorige_plaats_gevraagd": True}

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
