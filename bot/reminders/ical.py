"""A calendar file (iCalendar, RFC 5545) for a reminder: one VEVENT with a VALARM.

Built from the content file and the date only, never from what the user typed,
so the file holds no personal data. Outlook, Google Calendar and Apple Calendar
open it.
"""

import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, List, Optional

from bot.reminders.dates import due_timestamp

PRODID = "-//Meldcode-assistent//Herinnering//NL"
EVENT_MINUTES = 15
MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> List[str]:
    """Content lines of at most 75 octets, continued with one space (RFC 5545, 3.1).
    Never splits a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_LINE_OCTETS if not parts else MAX_LINE_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return [parts[0]] + [" " + part for part in parts[1:]]


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def build_calendar(
    day: date,
    summary: str,
    description_lines: Iterable[str],
    now: datetime,
    uid: Optional[str] = None,
) -> str:
    """The .ics text: an event at the reminder hour of `day` with an alarm at its start."""
    start = datetime.fromtimestamp(due_timestamp(day), tz=timezone.utc)
    description = "\n".join(description_lines)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        # Random: nothing in the file links it to a person or a conversation.
        f"UID:{uid or uuid.uuid4()}@meldcode-assistent",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(start + timedelta(minutes=EVENT_MINUTES))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:PT0S",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    folded = [part for line in lines for part in fold(line)]
    return "\r\n".join(folded) + "\r\n"
