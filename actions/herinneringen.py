"""Follow-up reminders: set one, list them, cancel one, answer a due reminder.

Where a reminder lives depends on the channel the user is in:
- Slack: Slack's own scheduled messages (the assistant keeps nothing);
- Teams: a row in the tracker database (bot.reminders.store), sent by the
  scheduler in the Rasa server through the stored conversation reference;
- web widget, REST and others: nothing on the server; the user gets a
  calendar file (`herinnering` payload) for their own calendar.
The user's text is only read for a date; it is never stored or echoed.
"""

import time
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safe_action import SafeAction
from bot.contract import SITUATION_IDS
from bot.reminders import TEAMS_REFERENCE_KEY
from bot.reminders.dates import check_date, due_timestamp, in_words, parse_date, today_in_nl
from bot.reminders.slack import SlackReminders
from bot.reminders.store import ReminderStore
from bot.reminders.wording import (
    ENTITY_DAYS,
    ENTITY_ID,
    ENTITY_SITUATION,
    INTENT_CANCEL,
    INTENT_DATE,
    calendar_payload,
    date_buttons,
    load_wording,
)

CHANNEL_SLACK = "slack"
CHANNEL_TEAMS = "teams"
_REFERENCE_FIELDS = ("service_url", "conversation_id", "bot", "user_id")


@lru_cache(maxsize=1)
def reminder_store() -> ReminderStore:
    """One store per action server process, made on first use (not at import)."""
    return ReminderStore()


def slack_reminders() -> SlackReminders:
    return SlackReminders()


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


def reminder_situation(tracker: Tracker) -> Optional[str]:
    """The situation the reminder is about: from the button, else the last answer."""
    for value in (_entity(tracker, ENTITY_SITUATION), tracker.get_slot("situatie")):
        if value in SITUATION_IDS:
            return value
    return None


def _metadata(tracker: Tracker) -> Dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def teams_reference(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The conversation reference the Teams channel put in the metadata.

    Trusted only when the message came in through the Teams channel (which
    checked its Bot Connector token): REST clients can send any metadata.
    """
    if tracker.get_latest_input_channel() != CHANNEL_TEAMS:
        return None
    reference = _metadata(tracker).get(TEAMS_REFERENCE_KEY)
    if not isinstance(reference, dict) or not all(reference.get(f) for f in _REFERENCE_FIELDS):
        return None
    return {field: reference[field] for field in _REFERENCE_FIELDS}


def slack_place(tracker: Tracker) -> Optional[Dict[str, Optional[str]]]:
    """Channel and thread of this Slack conversation, from its id.

    The Slack channel names every conversation `slack:<team>:<dm channel>` or
    `slack:<team>:<channel>:<thread>` (bot.channels.slack.conversation_id);
    no user id is needed or kept.
    """
    if tracker.get_latest_input_channel() != CHANNEL_SLACK:
        return None
    parts = str(tracker.sender_id or "").split(":")
    if len(parts) not in (3, 4) or parts[0] != CHANNEL_SLACK or not all(parts[1:]):
        return None
    return {"channel": parts[2], "thread": parts[3] if len(parts) == 4 else None}


def wanted_date(tracker: Tracker, today: date) -> Optional[date]:
    days = _entity(tracker, ENTITY_DAYS)
    if days and days.isdigit():
        return today + timedelta(days=int(days))
    return parse_date((tracker.latest_message or {}).get("text") or "", today)


class ActionHerinnering(SafeAction):
    """Sets a reminder when the message names a date; otherwise asks when."""

    def name(self) -> str:
        return "action_herinnering"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        wording = load_wording()
        situation_id = reminder_situation(tracker)
        if situation_id is None:
            dispatcher.utter_message(text=wording.text("geen_situatie"))
            return []
        today = today_in_nl()
        day = wanted_date(tracker, today)
        problem = "vraag_wanneer" if day is None else check_date(day, today)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if day is None and intent == INTENT_DATE:
            problem = "geen_datum"
        if problem:
            dispatcher.utter_message(
                text=wording.text(problem), buttons=date_buttons(wording, situation_id)
            )
            return []
        values = {"datum": in_words(day), "onderwerp": wording.subject(situation_id)}
        slack, teams = slack_place(tracker), teams_reference(tracker)
        if slack:
            scheduled = await slack_reminders().schedule(
                slack["channel"], slack["thread"], situation_id, due_timestamp(day)
            )
            dispatcher.utter_message(
                text=wording.text("gezet" if scheduled else "mislukt", **values)
            )
        elif teams:
            reminder_store().add(
                CHANNEL_TEAMS,
                tracker.sender_id,
                teams,
                situation_id,
                due_timestamp(day),
                time.time(),
            )
            dispatcher.utter_message(text=wording.text("gezet", **values))
        else:
            payload = calendar_payload(day, situation_id, datetime.now(timezone.utc))
            dispatcher.utter_message(
                text=wording.text("agendabestand", **values), json_message=payload
            )
        return [SlotSet("situatie", situation_id)]


def _cancel_button(wording, reminder_id: str, post_at: float) -> Dict[str, str]:
    day = datetime.fromtimestamp(post_at, tz=timezone.utc)
    return {
        "title": wording.text("annuleer_knop", datum=in_words(today_in_nl(day))),
        "payload": f'/{INTENT_CANCEL}{{"{ENTITY_ID}": "{reminder_id}"}}',
    }


def _line(wording, post_at: float, situation_id: Optional[str]) -> str:
    day = today_in_nl(datetime.fromtimestamp(post_at, tz=timezone.utc))
    subject = wording.subject(situation_id) if situation_id in wording.situations else ""
    return wording.text("lijst_regel", datum=in_words(day), onderwerp=subject).rstrip(": ")


class ActionHerinneringenLijst(SafeAction):
    """'mijn herinneringen': each reminder with a button to cancel it."""

    def name(self) -> str:
        return "action_herinneringen_lijst"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        wording = load_wording()
        slack, teams = slack_place(tracker), teams_reference(tracker)
        if slack:
            found = await slack_reminders().list(slack["channel"], slack["thread"])
            if found is None:
                dispatcher.utter_message(text=wording.text("mislukt"))
                return []
            items = [(r.id, r.post_at, r.situation_id) for r in found]
        elif teams:
            rows = reminder_store().for_conversation(CHANNEL_TEAMS, tracker.sender_id)
            items = [(r.id, r.due_at, r.situation_id) for r in rows]
        else:
            dispatcher.utter_message(text=wording.text("lijst_agenda"))
            return []
        if not items:
            dispatcher.utter_message(text=wording.text("lijst_leeg"))
            return []
        lines = [wording.text("lijst_kop")] + [
            f"- {_line(wording, due, situation)}" for _, due, situation in items
        ]
        buttons = [_cancel_button(wording, reminder_id, due) for reminder_id, due, _ in items]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


class ActionHerinneringAnnuleren(SafeAction):
    """Cancels one reminder of this conversation; another one's id is 'not found'."""

    def name(self) -> str:
        return "action_herinnering_annuleren"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        wording = load_wording()
        reminder_id = _entity(tracker, ENTITY_ID)
        slack, teams = slack_place(tracker), teams_reference(tracker)
        if not (slack or teams):
            dispatcher.utter_message(text=wording.text("lijst_agenda"))
            return []
        if not reminder_id:
            return await ActionHerinneringenLijst().act(dispatcher, tracker, domain)
        if slack:
            reminders = slack_reminders()
            own = await reminders.list(slack["channel"], slack["thread"])
            match = next((r for r in own or [] if r.id == reminder_id), None)
            due = match.post_at if match else None
            if own is None:
                cancelled = None  # Slack could not be asked
            elif match:
                cancelled = await reminders.cancel(slack["channel"], slack["thread"], reminder_id)
            else:
                cancelled = False
        else:
            store = reminder_store()
            match = next(
                (
                    r
                    for r in store.for_conversation(CHANNEL_TEAMS, tracker.sender_id)
                    if r.id == reminder_id
                ),
                None,
            )
            due = match.due_at if match else None
            cancelled = store.cancel(reminder_id, CHANNEL_TEAMS, tracker.sender_id)
        if cancelled is None:
            dispatcher.utter_message(text=wording.text("mislukt"))
        elif cancelled and due is not None:
            day = today_in_nl(datetime.fromtimestamp(due, tz=timezone.utc))
            dispatcher.utter_message(text=wording.text("geannuleerd", datum=in_words(day)))
        else:
            dispatcher.utter_message(text=wording.text("niet_gevonden"))
        return []


class ActionHerinneringGoed(SafeAction):
    """'Het gaat goed': the reminder is done."""

    def name(self) -> str:
        return "action_herinnering_goed"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(text=load_wording().text("gaat_goed"))
        return []
