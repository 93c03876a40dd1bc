"""Answers every situation of one message, the most urgent first.

The NLU pipeline (bot/nlu/situation_component.py) stores its analysis of the
message in the parse result; bot/answer_plan.py decides which answers follow
and which question (if any) comes after them. Acute danger is answered first
and never waits for a question.
"""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safe_action import SafeAction
from actions.vervolg import FOLLOW_UP_ACUTE, send_follow_up
from bot.answer_plan import COLLEGA, Plan, PlannedAnswer, plan_answers
from bot.colleague_route import load_route, render_route
from bot.content import load_protocol
from bot.contract import FASE_GEMELD
from bot.nlu.decision import ANALYSIS_KEY
from bot.nlu.fase import normalise_fase
from bot.render import render_answer

ACUTE_INTENT = "acute_zorgen"
ANSWERED_AFTER_DANGER_QUESTION = "ontkennen"


def analysis_of(message: Dict[str, Any]) -> Dict[str, Any]:
    """The pipeline's analysis when it belongs to this intent; else the intent alone.

    Button payloads ("/hulp_geweigerd") skip the analysis: then the intent is
    the only situation.
    """
    intent = (message.get("intent") or {}).get("name")
    analysis = message.get(ANALYSIS_KEY) or {}
    if analysis.get("intent") == intent and analysis.get("situaties"):
        return analysis
    return {"intent": intent, "situaties": [intent] if intent else [], "gemeld_bij_vt": None}


def previous_user_message(tracker: Tracker) -> Dict[str, Any]:
    """The parse data of the user message before the latest one."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if seen_latest:
            return event.get("parse_data") or {}
        seen_latest = True
    return {}


def known_gemeld(tracker: Tracker, analysis: Dict[str, Any]) -> Optional[bool]:
    if analysis.get("gemeld_bij_vt") is not None:
        return bool(analysis["gemeld_bij_vt"])
    slot = tracker.get_slot("gemeld_bij_vt")
    return slot if isinstance(slot, bool) else None


def send_answers(
    dispatcher: CollectingDispatcher, tracker: Tracker, answers: List[PlannedAnswer]
) -> Optional[str]:
    """Sends each answer as its own message; returns the last situation id."""
    protocol = load_protocol()
    last = None
    for answer in answers:
        if answer.situation == COLLEGA:
            dispatcher.utter_message(text=render_route(load_route()))
            continue
        rendered = render_answer(
            protocol, answer.situation, reported=answer.gemeld, place=tracker.get_slot("plaats")
        )
        dispatcher.utter_message(text=rendered.text, json_message=rendered.payload)
        last = answer.situation
    return last


def plan_for(tracker: Tracker, analysis: Dict[str, Any], may_ask: bool) -> Plan:
    return plan_answers(
        analysis.get("situaties") or [],
        normalise_fase(tracker.get_slot("fase")),
        known_gemeld(tracker, analysis),
        may_ask=may_ask,
    )


def fact_events(analysis: Dict[str, Any]) -> List[Dict[str, Any]]:
    if analysis.get("gemeld_bij_vt") is None:
        return []
    return [SlotSet("gemeld_bij_vt", bool(analysis["gemeld_bij_vt"]))]


class ActionBeantwoordSituaties(SafeAction):
    """A message with several situations (or the answer "nee" to the danger question)."""

    def name(self) -> str:
        return "action_beantwoord_situaties"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message
        if (message.get("intent") or {}).get("name") == ANSWERED_AFTER_DANGER_QUESTION:
            # "Nee, geen direct gevaar": answer what the earlier message asked.
            message = previous_user_message(tracker)
        analysis = analysis_of(message)
        analysis = {
            **analysis,
            "situaties": [s for s in analysis["situaties"] if s != ACUTE_INTENT],
        }
        plan = plan_for(tracker, analysis, may_ask=True)
        last = send_answers(dispatcher, tracker, list(plan.answers))
        if not plan.answers and not plan.question:
            dispatcher.utter_message(response="utter_vraag_situatie")
        if not plan.question:
            send_follow_up(dispatcher, tracker)
        events = fact_events(analysis) + [
            SlotSet("open_vraag", plan.question or "geen"),
            SlotSet("uitgestelde_situaties", list(plan.deferred)),
        ]
        if last:
            events.append(SlotSet("situatie", last))
        return events


class ActionStappenAcuut(SafeAction):
    """Acute first; then every other situation of the message that needs no question."""

    def name(self) -> str:
        return "action_stappen_acuut"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        analysis = analysis_of(tracker.latest_message)
        others = [s for s in analysis["situaties"] if s != ACUTE_INTENT]
        plan = plan_for(tracker, {**analysis, "situaties": others}, may_ask=False)
        send_answers(dispatcher, tracker, [PlannedAnswer("acuut")] + list(plan.answers))
        # Always, also when a form was active: these buttons name 112 and 0800-2000.
        dispatcher.utter_message(response=FOLLOW_UP_ACUTE)
        return fact_events(analysis) + [
            SlotSet("situatie", "acuut"),
            SlotSet("open_vraag", "geen"),
            SlotSet("uitgestelde_situaties", []),
        ]


class ActionVermoedenCollega(SafeAction):
    def name(self) -> str:
        return "action_vermoeden_collega"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(text=render_route(load_route()))
        send_follow_up(dispatcher, tracker)
        return []


def answer_deferred(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """After the fase question: the situations of that message that came after it.

    The user answered "doorverwezen of gemeld?", so whether the family was
    reported is known from that answer.
    """
    deferred = tracker.get_slot("uitgestelde_situaties") or []
    if not deferred:
        return []
    fase = normalise_fase(tracker.get_slot("fase"))
    plan = plan_answers(deferred, fase, fase == FASE_GEMELD, may_ask=False)
    send_answers(dispatcher, tracker, list(plan.answers))
    return [SlotSet("uitgestelde_situaties", [])]


class ActionVraagDirectGevaar(SafeAction):
    """A weak danger signal: one yes/no question, with 112 and 0800-2000 in it."""

    def name(self) -> str:
        return "action_vraag_direct_gevaar"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_vraag_direct_gevaar")
        return [SlotSet("open_vraag", "direct_gevaar")]
