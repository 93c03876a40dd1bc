"""Exercise mode actions: start a round, judge an answer, stop.

All exercise state lives in the slot `oefening` (one dict) and the flag
`oefenmodus`. Answers in free text may fill the case slots (fase, plaats, vorige_plaats,
gemeld_bij_vt) through the NLU; every exercise action puts them back to what
they were before the exercise, so no exercise state is left in the case.
An answer always sets `oefenmodus` (true while the round goes on), so the
rules can tell a middle answer from the last one.
"""

import random
from abc import abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safe_action import SafeAction
from bot.content import load_protocol
from bot.oefening import (
    case_message,
    choice_from_message,
    feedback_text,
    load_exercises,
    pick_round,
    summary_text,
)
from bot.render import fill, render_answer

CASE_SLOTS = ("fase", "plaats", "vorige_plaats", "gemeld_bij_vt")


def _restore_case_slots(state: Dict[str, Any]) -> List[Dict[str, Any]]:
    saved = state.get("bewaard", {})
    return [SlotSet(slot, saved.get(slot)) for slot in CASE_SLOTS]


class ExerciseAction(SafeAction):
    @abstractmethod
    def name(self) -> str:
        """Abstract here so that the SDK does not register this base class."""

    @staticmethod
    def exercises():
        return load_exercises()

    def present(self, dispatcher: CollectingDispatcher, state: Dict[str, Any]) -> None:
        exercises = self.exercises()
        case = exercises.cases[state["ronde"][state["index"]]]
        message = case_message(exercises, case, state["index"] + 1, len(state["ronde"]))
        dispatcher.utter_message(**message)


class ActionOefeningStart(ExerciseAction):
    def name(self) -> str:
        return "action_oefening_start"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        exercises = self.exercises()
        previous = tracker.get_slot("oefening") or {}
        state = {
            "ronde": pick_round(exercises, random.Random(), previous.get("laatste")),
            "index": 0,
            "goed": 0,
            "fout": [],
            # A round started inside a round keeps the case slots of before the first.
            "bewaard": previous.get("bewaard") or {s: tracker.get_slot(s) for s in CASE_SLOTS},
        }
        dispatcher.utter_message(text=fill(exercises.texts["start"], aantal=len(state["ronde"])))
        self.present(dispatcher, state)
        return [SlotSet("oefenmodus", True), SlotSet("oefening", state)]


class ActionOefeningAntwoord(ExerciseAction):
    def name(self) -> str:
        return "action_oefening_antwoord"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        exercises = self.exercises()
        protocol = load_protocol()
        state = dict(tracker.get_slot("oefening") or {})
        if not state.get("ronde"):
            return ActionOefeningStart().act(dispatcher, tracker, domain)
        case = exercises.cases[state["ronde"][state["index"]]]
        latest = tracker.latest_message or {}
        choice = choice_from_message(
            case,
            latest.get("text") or "",
            (latest.get("intent") or {}).get("name"),
            latest.get("entities") or [],
        )
        if choice is None:
            dispatcher.utter_message(text=exercises.texts["niet_begrepen"])
            self.present(dispatcher, state)
            return [SlotSet("oefenmodus", True)] + _restore_case_slots(state)

        correct = choice == case.situation_id
        state["goed"] += int(correct)
        if not correct:
            state["fout"] = state["fout"] + [case.situation_id]
        dispatcher.utter_message(text=feedback_text(exercises, protocol, case, choice))
        answer = render_answer(
            protocol, case.situation_id, reported=case.reported, place=case.place
        )
        dispatcher.utter_message(text=answer.text, json_message=answer.payload)

        state["index"] += 1
        if state["index"] < len(state["ronde"]):
            self.present(dispatcher, state)
            return [SlotSet("oefenmodus", True), SlotSet("oefening", state)] + _restore_case_slots(
                state
            )
        return self.finish(dispatcher, state, protocol)

    def finish(self, dispatcher: CollectingDispatcher, state: Dict[str, Any], protocol):
        exercises = self.exercises()
        total = len(state["ronde"])
        dispatcher.utter_message(
            text=summary_text(exercises, protocol, state["goed"], total, state["fout"]),
            buttons=[{"title": exercises.texts["nog_een_ronde"], "payload": "/start_oefenmodus"}],
        )
        return [
            SlotSet("oefenmodus", False),
            SlotSet("oefening", {"laatste": state["ronde"][-1]}),
        ] + _restore_case_slots(state)


class ActionOefeningStop(ExerciseAction):
    def name(self) -> str:
        return "action_oefening_stop"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]):
        state: Optional[Dict[str, Any]] = tracker.get_slot("oefening") or {}
        texts = self.exercises().texts
        active = tracker.get_slot("oefenmodus") is True
        dispatcher.utter_message(text=texts["gestopt" if active else "niet_aan_het_oefenen"])
        events = [SlotSet("oefenmodus", False), SlotSet("oefening", None)]
        return events + (_restore_case_slots(state) if state.get("bewaard") else [])
