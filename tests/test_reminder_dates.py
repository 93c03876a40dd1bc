"""Dutch reminder dates with a fixed 'today' (no real clock)."""

from datetime import date, datetime, timezone

import pytest

from bot.reminders.dates import (
    MAX_DAYS_AHEAD,
    TIMEZONE,
    check_date,
    due_timestamp,
    in_words,
    parse_date,
    today_in_nl,
)

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("over 1 week", date(2026, 12, 9)),
        ("herinner me over 2 weken", date(2026, 12, 16)),
        ("Over vier weken graag", date(2026, 12, 30)),
        ("over een week", date(2026, 12, 9)),
        ("herinner me over 10 dagen", date(2026, 12, 12)),
        ("over 1 dag", date(2026, 12, 3)),
        ("morgen", date(2026, 12, 3)),
        ("overmorgen", date(2026, 12, 4)),
        ("volgende week", date(2026, 12, 9)),
        ("volgende maand", date(2027, 1, 2)),
        ("over 2 maanden", date(2027, 2, 2)),
        ("op 15 december", date(2026, 12, 15)),
        # A date that has passed this year means next year.
        ("op 15 januari", date(2027, 1, 15)),
        ("15 jan", date(2027, 1, 15)),
        ("op 3 maart 2027", date(2027, 3, 3)),
        ("op 20-12", date(2026, 12, 20)),
        ("20/1/2027", date(2027, 1, 20)),
    ],
)
def test_parses_dutch_dates(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "herinner mij", "ja graag", "op 31 februari", "op 40-13"])
def test_no_date_gives_none(text):
    assert parse_date(text, TODAY) is None


def test_month_end_is_clamped():
    assert parse_date("over 1 maand", date(2027, 1, 31)) == date(2027, 2, 28)


def test_today_passed_day_this_year_is_next_year():
    assert parse_date("op 2 december", TODAY) == date(2027, 12, 2)


def test_check_date_limits():
    assert check_date(date(2026, 12, 3), TODAY) is None
    assert check_date(TODAY, TODAY) == "verleden"
    assert check_date(date(2026, 1, 1), TODAY) == "verleden"
    last = date.fromordinal(TODAY.toordinal() + MAX_DAYS_AHEAD)
    assert check_date(last, TODAY) is None
    assert check_date(date.fromordinal(last.toordinal() + 1), TODAY) == "te_ver"


def test_in_words():
    assert in_words(date(2026, 12, 15)) == "dinsdag 15 december 2026"
    assert in_words(date(2027, 1, 3)) == "zondag 3 januari 2027"


def test_due_at_nine_dutch_time_in_winter_and_summer():
    winter = datetime.fromtimestamp(due_timestamp(date(2026, 12, 15)), tz=timezone.utc)
    summer = datetime.fromtimestamp(due_timestamp(date(2027, 6, 15)), tz=timezone.utc)
    assert (winter.hour, summer.hour) == (8, 7)


def test_today_in_nl_uses_dutch_date_near_midnight():
    late_utc = datetime(2026, 12, 2, 23, 30, tzinfo=timezone.utc)  # 00:30 in Amsterdam
    assert today_in_nl(late_utc) == date(2026, 12, 3)
    assert today_in_nl(datetime(2026, 12, 2, 12, tzinfo=TIMEZONE)) == TODAY
