"""The reminder wording (bot/content/herinneringen.yml), checked against the
contract and the protocol content, and the messages built from it.

The steps to check come from the protocol content file (text and source), so
a reminder never says anything the protocol does not.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.content import CONTENT_DIR, ContentError, Protocol, load_protocol
from bot.contract import FASE_DOORVERWEZEN, FASE_GEMELD, PAYLOAD_TYPE, SITUATION_IDS
from bot.reminders.dates import MAX_DAYS_AHEAD
from bot.reminders.ical import build_calendar
from bot.render import fill, step_line

REMINDERS_FILE = CONTENT_DIR / "herinneringen.yml"
TEXT_KEYS = (
    "vraag_wanneer",
    "geen_datum",
    "verleden",
    "te_ver",
    "geen_situatie",
    "gezet",
    "agendabestand",
    "mislukt",
    "lijst_kop",
    "lijst_regel",
    "lijst_leeg",
    "lijst_agenda",
    "annuleer_knop",
    "geannuleerd",
    "niet_gevonden",
    "gaat_goed",
)
BUTTON_KEYS = ("zorgen_blijven", "gaat_goed", "later")
CALENDAR_PAYLOAD_TYPE = "herinnering"
# Intents of the due message's buttons; the situation rides along as an entity.
INTENT_GOOD = "herinnering_goed"
INTENT_LATER = "herinnering_later"
INTENT_CONCERNS = "zorgen_blijven"
INTENT_DATE = "herinnering_datum"
INTENT_CANCEL = "herinnering_annuleren"
ENTITY_SITUATION = "herinnering_situatie"
ENTITY_DAYS = "herinnering_dagen"
ENTITY_ID = "herinnering_id"


@dataclass(frozen=True)
class ReminderSituation:
    subject: str
    fase: Optional[str]
    step_ids: Tuple[str, ...]


@dataclass(frozen=True)
class ReminderWording:
    situations: Dict[str, ReminderSituation]
    heading: str
    question: str
    buttons: Dict[str, str]
    calendar_title: str
    calendar_footer: str
    texts: Dict[str, str]
    choices: Tuple[Tuple[str, int], ...]

    def text(self, key: str, **values: Any) -> str:
        return fill(self.texts[key], max=MAX_DAYS_AHEAD, **values)

    def subject(self, situation_id: str) -> str:
        return self.situations[situation_id].subject


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: tekst ontbreekt of is leeg")
    return value.strip()


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict) or not value:
        raise ContentError(f"{where}: ontbreekt of is geen lijst met sleutels")
    return value


def parse_wording(path: Path, protocol: Protocol) -> ReminderWording:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: niet te lezen ({error})") from error
    raw = _mapping(raw, str(path))
    situations = {}
    for situation_id in SITUATION_IDS:
        where = f"{path}: situatie '{situation_id}'"
        body = _mapping(
            _mapping(raw.get("situaties"), f"{path}: 'situaties'").get(situation_id), where
        )
        step_ids = body.get("nagaan")
        if not isinstance(step_ids, list) or not step_ids:
            raise ContentError(f"{where}: 'nagaan' moet een lijst met stap-ids zijn")
        for step_id in step_ids:
            if step_id not in protocol.steps:
                raise ContentError(f"{where}: onbekende stap '{step_id}'")
        fase = body.get("fase")
        if fase not in (None, FASE_DOORVERWEZEN, FASE_GEMELD):
            raise ContentError(f"{where}: fase moet doorverwezen, gemeld of leeg zijn")
        situations[situation_id] = ReminderSituation(
            subject=_text(body.get("onderwerp"), where), fase=fase, step_ids=tuple(step_ids)
        )
    unknown = set(raw["situaties"]) - set(SITUATION_IDS)
    if unknown:
        raise ContentError(f"{path}: onbekende situatie(s): {', '.join(sorted(unknown))}")
    message = _mapping(raw.get("melding"), f"{path}: 'melding'")
    buttons = _mapping(message.get("knoppen"), f"{path}: melding 'knoppen'")
    calendar = _mapping(raw.get("agenda"), f"{path}: 'agenda'")
    texts = _mapping(raw.get("teksten"), f"{path}: 'teksten'")
    choices = raw.get("keuzes")
    if not isinstance(choices, list) or not choices:
        raise ContentError(f"{path}: 'keuzes' ontbreekt")
    parsed_choices = []
    for choice in choices:
        days = choice.get("dagen") if isinstance(choice, dict) else None
        if not isinstance(days, int) or not 0 < days <= MAX_DAYS_AHEAD:
            raise ContentError(f"{path}: keuze heeft 'dagen' nodig (1 tot {MAX_DAYS_AHEAD})")
        parsed_choices.append((_text(choice.get("titel"), f"{path}: keuze"), days))
    return ReminderWording(
        situations=situations,
        heading=_text(message.get("kop"), f"{path}: melding 'kop'"),
        question=_text(message.get("vraag"), f"{path}: melding 'vraag'"),
        buttons={k: _text(buttons.get(k), f"{path}: knop '{k}'") for k in BUTTON_KEYS},
        calendar_title=_text(calendar.get("titel"), f"{path}: agenda 'titel'"),
        calendar_footer=_text(calendar.get("voetregel"), f"{path}: agenda 'voetregel'"),
        texts={k: _text(texts.get(k), f"{path}: tekst '{k}'") for k in TEXT_KEYS},
        choices=tuple(parsed_choices),
    )


@lru_cache(maxsize=2)
def load_wording(path: Path = REMINDERS_FILE) -> ReminderWording:
    """Read once per process, lazily; checked against the protocol content."""
    return parse_wording(path, load_protocol())


def _button_payload(intent: str, entities: Dict[str, str]) -> str:
    # Rasa's button syntax: /intent{"entity": "value"}.
    inner = ", ".join(f'"{key}": "{value}"' for key, value in entities.items())
    return f"/{intent}{{{inner}}}" if entities else f"/{intent}"


def steps_payload(wording: ReminderWording, protocol: Protocol, situation_id: str) -> dict:
    """The steps to check now, as a `vervolgstappen` payload (every channel renders it)."""
    situation = wording.situations[situation_id]
    return {
        "type": PAYLOAD_TYPE,
        "situatie": situation_id,
        "titel": fill(wording.heading, onderwerp=situation.subject),
        "stappen": [
            {
                "id": step_id,
                "tekst": protocol.steps[step_id].text,
                "bron": protocol.steps[step_id].source,
            }
            for step_id in situation.step_ids
        ],
        "afsluiting": protocol.closing_line,
    }


def due_buttons(wording: ReminderWording, situation_id: str) -> List[Dict[str, str]]:
    fase = wording.situations[situation_id].fase
    return [
        {
            "title": wording.buttons["zorgen_blijven"],
            "payload": _button_payload(INTENT_CONCERNS, {"fase": fase} if fase else {}),
        },
        {
            "title": wording.buttons["gaat_goed"],
            "payload": _button_payload(INTENT_GOOD, {ENTITY_SITUATION: situation_id}),
        },
        {
            "title": wording.buttons["later"],
            "payload": _button_payload(INTENT_LATER, {ENTITY_SITUATION: situation_id}),
        },
    ]


def due_message(situation_id: str, wording: Optional[ReminderWording] = None) -> Dict[str, Any]:
    """The message of a due reminder: readable text, the steps payload and the buttons."""
    wording = wording or load_wording()
    protocol = load_protocol()
    payload = steps_payload(wording, protocol, situation_id)
    lines = [payload["titel"]]
    lines += [step_line(n, step) for n, step in enumerate(payload["stappen"], 1)]
    lines += [payload["afsluiting"], wording.question]
    return {
        "text": "\n".join(lines),
        "custom": payload,
        "buttons": due_buttons(wording, situation_id),
    }


def date_buttons(wording: ReminderWording, situation_id: str) -> List[Dict[str, str]]:
    return [
        {
            "title": title,
            "payload": _button_payload(
                INTENT_DATE, {ENTITY_DAYS: str(days), ENTITY_SITUATION: situation_id}
            ),
        }
        for title, days in wording.choices
    ]


def calendar_payload(
    day: date, situation_id: str, now: datetime, wording: Optional[ReminderWording] = None
) -> Dict[str, str]:
    """The `herinnering` payload of the contract: date and .ics, from content only."""
    wording = wording or load_wording()
    protocol = load_protocol()
    steps = steps_payload(wording, protocol, situation_id)
    lines = [steps["titel"]]
    lines += [step_line(n, step) for n, step in enumerate(steps["stappen"], 1)]
    lines += [steps["afsluiting"], wording.calendar_footer]
    title = fill(wording.calendar_title, onderwerp=wording.subject(situation_id))
    return {
        "type": CALENDAR_PAYLOAD_TYPE,
        "datum": day.isoformat(),
        "ics": build_calendar(day, title, lines, now),
    }
