"""Reminder actions per channel: calendar file (REST/web), Teams table, Slack
scheduled messages (against the Slack stub); list and cancel; no personal data."""

import asyncio
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import herinneringen
from bot.reminders.dates import due_timestamp, today_in_nl
from tests.slack_stub import SlackStub

TEAMS_REFERENCE = {
    "service_url": "https://smba.trafficmanager.net/emea",
    "conversation_id": "a:1xyz",
    "bot": {"id": "28:bot", "name": "Meldcode"},
    "user_id": "29:user",
}
PERSONAL = ("Jan", "Vries", "123456782", "0612345678", "Dorpsstraat")


def tracker(
    text="",
    intent="herinner_mij",
    entities=None,
    situatie="zorgen_na_melding",
    channel="rest",
    metadata=None,
    sender="user-1",
):
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id=sender,
        slots={"situatie": situatie},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    herinneringen.reminder_store.cache_clear()
    yield
    herinneringen.reminder_store().dispose()
    herinneringen.reminder_store.cache_clear()


@pytest.fixture
def slack(monkeypatch):
    with SlackStub() as stub:
        monkeypatch.setenv("SLACK_API_URL", stub.url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        yield stub


def test_web_gets_a_calendar_file_without_personal_data(database):
    text = "herinner me over 10 dagen, het gaat om Jan de Vries, BSN 123456782, tel 0612345678, Dorpsstraat 4"
    messages, _ = run(herinneringen.ActionHerinnering(), tracker(text))
    (message,) = messages
    payload = message["custom"]
    expected = today_in_nl() + timedelta(days=10)
    assert payload["type"] == "herinnering" and payload["datum"] == expected.isoformat()
    event = icalendar.Calendar.from_ical(payload["ics"]).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime.fromtimestamp(
        due_timestamp(expected), tz=timezone.utc
    )
    assert len(event.walk("VALARM")) == 1
    description = str(event["DESCRIPTION"])
    assert "melding.opnieuw_contact" not in description and "Veilig Thuis" in description
    assert "Bron:" in description
    for word in PERSONAL:
        assert word not in payload["ics"] and word not in message["text"]
    assert expected.strftime("%Y") in message["text"]  # the date in words
    assert herinneringen.reminder_store().for_conversation("teams", "user-1") == []


def test_no_date_asks_when_with_choices():
    messages, _ = run(herinneringen.ActionHerinnering(), tracker("herinner mij"))
    (message,) = messages
    assert [b["title"] for b in message["buttons"]] == [
        "Over 1 week",
        "Over 2 weken",
        "Over 4 weken",
    ]
    assert '"herinnering_dagen": "14"' in message["buttons"][1]["payload"]
    assert '"herinnering_situatie": "zorgen_na_melding"' in message["buttons"][1]["payload"]


def test_button_choice_sets_days_ahead(database):
    messages, _ = run(
        herinneringen.ActionHerinnering(),
        tracker("", intent="herinnering_datum", entities={"herinnering_dagen": "28"}),
    )
    assert messages[0]["custom"]["datum"] == (today_in_nl() + timedelta(days=28)).isoformat()


@pytest.mark.parametrize(
    "text, intent, key",
    [
        ("blabla", "herinnering_datum", "geen_datum"),
        ("op 1 januari 2020", "herinnering_datum", "verleden"),
        ("over 200 dagen", "herinnering_datum", "te_ver"),
    ],
)
def test_unusable_dates_are_explained(text, intent, key):
    messages, _ = run(herinneringen.ActionHerinnering(), tracker(text, intent=intent))
    wording = herinneringen.load_wording()
    assert messages[0]["text"] == wording.text(key)
    assert len(messages[0]["buttons"]) == 3


def test_without_an_answer_first_no_reminder():
    messages, _ = run(herinneringen.ActionHerinnering(), tracker("over 1 week", situatie=None))
    assert messages[0]["text"] == herinneringen.load_wording().text("geen_situatie")
    assert "custom" not in messages[0] or not messages[0].get("custom")


def test_situation_from_the_button_wins_over_the_slot(database):
    messages, _ = run(
        herinneringen.ActionHerinnering(),
        tracker(
            "",
            intent="herinnering_datum",
            entities={"herinnering_dagen": "7", "herinnering_situatie": "zorgen_na_doorverwijzing"},
        ),
    )
    assert "doorverwijzing" in messages[0]["text"]


def test_teams_reminder_is_stored_listed_and_cancelled(database):
    metadata = {"teams_reference": TEAMS_REFERENCE}
    messages, _ = run(
        herinneringen.ActionHerinnering(),
        tracker("over 2 weken", intent="herinnering_datum", channel="teams", metadata=metadata),
    )
    assert "custom" not in messages[0] or not messages[0]["custom"]
    (row,) = herinneringen.reminder_store().for_conversation("teams", "user-1")
    assert row.reference == TEAMS_REFERENCE and row.situation_id == "zorgen_na_melding"
    assert row.due_at == due_timestamp(today_in_nl() + timedelta(days=14))

    listed, _ = run(
        herinneringen.ActionHerinneringenLijst(),
        tracker(
            "mijn herinneringen", intent="mijn_herinneringen", channel="teams", metadata=metadata
        ),
    )
    assert "zorgen na een melding" in listed[0]["text"]
    (button,) = listed[0]["buttons"]
    assert row.id in button["payload"]

    # Another Teams user cannot cancel it.
    other, _ = run(
        herinneringen.ActionHerinneringAnnuleren(),
        tracker(
            "",
            intent="herinnering_annuleren",
            entities={"herinnering_id": row.id},
            channel="teams",
            metadata=metadata,
            sender="user-2",
        ),
    )
    assert other[0]["text"] == herinneringen.load_wording().text("niet_gevonden")
    cancelled, _ = run(
        herinneringen.ActionHerinneringAnnuleren(),
        tracker(
            "",
            intent="herinnering_annuleren",
            entities={"herinnering_id": row.id},
            channel="teams",
            metadata=metadata,
        ),
    )
    assert "geannuleerd" in cancelled[0]["text"]
    assert herinneringen.reminder_store().for_conversation("teams", "user-1") == []


def test_teams_reference_from_another_channel_is_not_trusted(database):
    """A REST client can send any metadata: it gets a calendar file, no row."""
    messages, _ = run(
        herinneringen.ActionHerinnering(),
        tracker(
            "over 1 week",
            intent="herinnering_datum",
            channel="rest",
            metadata={
                "teams_reference": {**TEAMS_REFERENCE, "service_url": "https://evil.example"}
            },
        ),
    )
    assert messages[0]["custom"]["type"] == "herinnering"
    assert herinneringen.reminder_store().for_conversation("teams", "user-1") == []


THREAD = "slack:T1:C0CH:1700000000.000100"  # one channel thread, one conversation


def test_slack_reminder_is_scheduled_in_slack_listed_and_cancelled(slack):
    metadata = {"out_channel": "C0CH", "thread_id": "1700000000.000100"}

    def in_slack(text, intent, conversation=THREAD, entities=None):
        return tracker(
            text,
            intent=intent,
            channel="slack",
            metadata=metadata,
            sender=conversation,
            entities=entities,
        )

    messages, _ = run(
        herinneringen.ActionHerinnering(), in_slack("op 15 januari", "herinnering_datum")
    )
    (scheduled,) = slack.scheduled.values()
    wanted = date(today_in_nl().year, 1, 15)
    if wanted <= today_in_nl():
        wanted = date(today_in_nl().year + 1, 1, 15)
    # In the conversation's own thread; no Slack user id in what Slack keeps.
    assert scheduled["channel"] == "C0CH" and scheduled["thread_ts"] == "1700000000.000100"
    assert "<@" not in str(scheduled) and "U0" not in str(scheduled)
    assert int(scheduled["post_at"]) == int(due_timestamp(wanted))
    assert "Zorgen blijven" in str(scheduled["blocks"]) and "Later nog eens" in str(
        scheduled["blocks"]
    )
    assert "Bron:" in str(scheduled["blocks"])
    assert "15 januari" in messages[0]["text"]

    listed, _ = run(
        herinneringen.ActionHerinneringenLijst(),
        in_slack("mijn herinneringen", "mijn_herinneringen"),
    )
    (button,) = listed[0]["buttons"]
    assert scheduled["id"] in button["payload"] and "15 januari" in button["title"]

    # Another thread of the same channel, and a DM-style id of that channel, are
    # other conversations: they neither see nor cancel it.
    leeg = herinneringen.load_wording().text("lijst_leeg")
    for other in ("slack:T1:C0CH:1700000000.000200", "slack:T1:C0CH"):
        seen, _ = run(
            herinneringen.ActionHerinneringenLijst(),
            in_slack("mijn herinneringen", "mijn_herinneringen", other),
        )
        assert seen[0]["text"] == leeg
        refused, _ = run(
            herinneringen.ActionHerinneringAnnuleren(),
            in_slack("", "herinnering_annuleren", other, {"herinnering_id": scheduled["id"]}),
        )
        assert refused[0]["text"] == herinneringen.load_wording().text("niet_gevonden")
        assert scheduled["id"] in slack.scheduled
    cancelled, _ = run(
        herinneringen.ActionHerinneringAnnuleren(),
        in_slack("", "herinnering_annuleren", entities={"herinnering_id": scheduled["id"]}),
    )
    assert "geannuleerd" in cancelled[0]["text"]
    assert slack.scheduled == {}


def test_a_slack_id_from_another_channel_is_not_a_slack_place():
    # Only the Slack channel's own conversation ids name a Slack place.
    assert herinneringen.slack_place(tracker(channel="slack", sender="slack:T1:D0DM")) == {
        "channel": "D0DM",
        "thread": None,
    }
    assert herinneringen.slack_place(tracker(channel="rest", sender="slack:T1:D0DM")) is None
    assert herinneringen.slack_place(tracker(channel="slack", sender="U0USER")) is None


def test_slack_refusal_is_told_to_the_user(slack, monkeypatch):
    monkeypatch.setattr(herinneringen, "today_in_nl", lambda: date(2000, 1, 1))
    # The date lies in Slack's past: Slack refuses (time_in_past).
    messages, _ = run(
        herinneringen.ActionHerinnering(),
        tracker("over 1 week", intent="herinnering_datum", channel="slack", sender="slack:T1:D0DM"),
    )
    assert messages[0]["text"].startswith(herinneringen.load_wording().text("mislukt")[:20])
    assert slack.scheduled == {}


def test_web_list_says_the_reminders_are_in_the_own_calendar():
    messages, _ = run(
        herinneringen.ActionHerinneringenLijst(),
        tracker("mijn herinneringen", intent="mijn_herinneringen"),
    )
    assert messages[0]["text"] == herinneringen.load_wording().text("lijst_agenda")


def test_het_gaat_goed_ends_it():
    messages, _ = run(herinneringen.ActionHerinneringGoed(), tracker("", intent="herinnering_goed"))
    assert messages[0]["text"] == herinneringen.load_wording().text("gaat_goed")


def test_slack_unreachable_when_cancelling_says_so(monkeypatch):
    class Down:
        async def list(self, channel, thread_ts):
            return None

    monkeypatch.setattr(herinneringen, "slack_reminders", lambda: Down())
    messages, _ = run(
        herinneringen.ActionHerinneringAnnuleren(),
        tracker(
            "",
            intent="herinnering_annuleren",
            entities={"herinnering_id": "Q1"},
            channel="slack",
            sender="slack:T1:D0DM",
        ),
    )
    assert messages[0]["text"] == herinneringen.load_wording().text("mislukt")
