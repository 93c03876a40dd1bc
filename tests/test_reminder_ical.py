"""The calendar file is valid RFC 5545 (parsed with `icalendar`) and holds no personal data."""

from datetime import date, datetime, timedelta, timezone

import icalendar

from bot.reminders.ical import MAX_LINE_OCTETS, build_calendar, escape_text, fold

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=timezone.utc)


def _calendar(**kwargs):
    text = build_calendar(
        kwargs.get("day", date(2026, 12, 15)),
        kwargs.get("summary", "Herinnering meldcode: zorgen na doorverwijzing"),
        kwargs.get("lines", ["1. Kijk welke afspraken zijn gemaakt; ga na, of ze zijn nagekomen."]),
        NOW,
    )
    return text, icalendar.Calendar.from_ical(text)


def test_event_with_alarm_parses():
    text, calendar = _calendar()
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 12, 15, 8, 0, tzinfo=timezone.utc)  # 09:00 in Amsterdam
    assert event.decoded("DTEND") - start == timedelta(minutes=15)
    assert event["UID"] and event.decoded("DTSTAMP") == NOW
    assert str(event["SUMMARY"]) == "Herinnering meldcode: zorgen na doorverwijzing"
    # Escaped ; and , come back as typed.
    assert "afspraken zijn gemaakt; ga na, of" in str(event["DESCRIPTION"])
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(0)


def test_lines_end_in_crlf_and_are_folded():
    long_line = "Bespreek dit met de ouders en/of het kind, of met de volwassen cliënt. " * 4
    text, calendar = _calendar(lines=[long_line, "tweede regel"])
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= MAX_LINE_OCTETS for line in text.split("\r\n"))
    event = calendar.walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == long_line + "\ntweede regel"


def test_fold_never_splits_a_character():
    line = "é" * 100
    parts = fold(line)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert all(len(p.encode("utf-8")) <= MAX_LINE_OCTETS for p in parts)


def test_escape_text():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_every_file_has_its_own_uid():
    first, second = _calendar()[1], _calendar()[1]
    assert first.walk("VEVENT")[0]["UID"] != second.walk("VEVENT")[0]["UID"]
