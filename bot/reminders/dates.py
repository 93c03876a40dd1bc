"""Dutch reminder dates: parse free text ("over 10 dagen", "op 15 januari")
and say a date in words ("dinsdag 15 december 2026").

Only dates: a reminder is due at REMINDER_HOUR in the Netherlands on that day.
The clock is passed in (`today`), so tests need no real time.
"""

import re
from datetime import date, datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Amsterdam")
REMINDER_HOUR = 9
# Slack keeps a scheduled message at most 120 days; the same limit everywhere.
MAX_DAYS_AHEAD = 120

# Calendar words, needed to read and to write dates (not advice wording).
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTH_PREFIXES = {name[:3]: number for number, name in enumerate(MONTHS, 1)}
_NUMBER_WORDS = {
    "een": 1,
    "één": 1,
    "eén": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "twintig": 20,
    "dertig": 30,
}
_UNIT_DAYS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7}
_UNIT_MONTHS = {"maand": 1, "maanden": 1}

_AMOUNT = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_RELATIVE = re.compile(
    r"\bover\s+" + _AMOUNT + r"\s+(dagen|dag|weken|week|maanden|maand)\b", re.IGNORECASE
)
_DAY_MONTH_NAME = re.compile(r"\b(\d{1,2})\s+([a-z]{3,9})\.?(?:\s+(\d{4}))?\b", re.IGNORECASE)
_DAY_MONTH_NUMBER = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?\b")


def _amount(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):  # 31 januari + 1 maand = 28/29 februari
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError("no valid day")  # pragma: no cover - day 28 always exists


def _next_occurrence(today: date, day: int, month: int, year: Optional[int]) -> Optional[date]:
    """The named day, this year or (when it has passed) next year."""
    try:
        if year:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate > today else date(today.year + 1, month, day)
    except ValueError:
        return None  # 31 februari


def _absolute(text: str, today: date) -> Optional[date]:
    for match in _DAY_MONTH_NAME.finditer(text):
        month = _MONTH_PREFIXES.get(match.group(2).lower()[:3])
        name = match.group(2).lower()
        if month and MONTHS[month - 1].startswith(name):
            year = int(match.group(3)) if match.group(3) else None
            return _next_occurrence(today, int(match.group(1)), month, year)
    match = _DAY_MONTH_NUMBER.search(text)
    if match:
        year = int(match.group(3)) if match.group(3) else None
        month = int(match.group(2))
        if 1 <= month <= 12:
            return _next_occurrence(today, int(match.group(1)), month, year)
    return None


def parse_date(text: str, today: date) -> Optional[date]:
    """The date a Dutch text asks for, or None when it names none.

    The result may lie in the past or too far ahead; check_date says so.
    """
    text = " ".join((text or "").lower().split())
    match = _RELATIVE.search(text)
    if match:
        amount, unit = _amount(match.group(1)), match.group(2)
        if unit in _UNIT_MONTHS:
            return _add_months(today, amount)
        return today + timedelta(days=amount * _UNIT_DAYS[unit])
    if re.search(r"\bovermorgen\b", text):
        return today + timedelta(days=2)
    if re.search(r"\bmorgen\b", text):
        return today + timedelta(days=1)
    if re.search(r"\bvolgende\s+week\b", text):
        return today + timedelta(days=7)
    if re.search(r"\bvolgende\s+maand\b", text):
        return _add_months(today, 1)
    return _absolute(text, today)


def check_date(wanted: date, today: date) -> Optional[str]:
    """None when a reminder can be set for `wanted`; else why not:
    'verleden' (today or earlier) or 'te_ver' (more than MAX_DAYS_AHEAD)."""
    if wanted <= today:
        return "verleden"
    if wanted > today + timedelta(days=MAX_DAYS_AHEAD):
        return "te_ver"
    return None


def in_words(day: date) -> str:
    """'dinsdag 15 december 2026'."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def today_in_nl(now: Optional[datetime] = None) -> date:
    """Today's date in the Netherlands (the server may run in UTC)."""
    return (now or datetime.now(TIMEZONE)).astimezone(TIMEZONE).date()


def due_timestamp(day: date) -> float:
    """The moment a reminder for `day` is due: REMINDER_HOUR Dutch time, as epoch seconds."""
    return datetime.combine(day, time(REMINDER_HOUR), tzinfo=TIMEZONE).timestamp()
