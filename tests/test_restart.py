"""The one restart of the shared assistant's Rasa server (marker
`restarts_assistant`: these tests run after all others).

Three checks need a restart, and they share it:
- a conversation keeps its case across a restart, while neither the tracker
  store (PostgreSQL) nor the debug logs hold the personal data users typed;
- the web widget says clearly that the server is gone, keeps the unsent
  message, notices when the server is back and sends it then;
- a Teams reminder that comes due while the server is down arrives once after
  the restart (the reminder table, not memory, is the scheduler's state).

The module fixtures prepare both cases, `restart` stops the Rasa server, lets
the widget try to send while it is gone, and starts it again; the tests check
what happened before, during and after.
"""

import json
import time

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from harness.servers import stop
from tests.browser import RECOVERY_WAIT_SECONDS, TEXTS, Widget, assert_checklist, demo_url, shot
from tests.shared_assistant import RESTART_MARKER, new_sender
from tests.test_e2e_rest import is_question, step_ids, texts
from tests.test_e2e_teams import make_due, new_thread, proactive, reminder_rows, set_reminder

pytestmark = [pytest.mark.integration, getattr(pytest.mark, RESTART_MARKER)]

PERSONAL = {
    "bsn": "111222333",
    "mobiel": "06-12345678",
    "vast": "020 123 4567",
    "mail": "moeder.jansen@example.nl",
    "postcode": "1234 AB 12",
    "iban": "NL91ABNA0417164300",
    "naam": "Yasmina",
    # Names without an introduction: found by deduce (bot.privacy.names).
    "kind": "Jesse van Dijk",
    "vader": "Kevin de Graaf",
}
UNSENT = "na de melding blijf ik me zorgen maken"
ALERT = ".mcw-alert"


@pytest.fixture(scope="module")
def case_before_restart(assistant):
    """A case with fase=gemeld, and personal data typed into it."""
    sender = new_sender("privacy")
    question = assistant.say(sender, "ik blijf me zorgen maken over een leerling")
    steps = assistant.say(sender, "we hebben gemeld bij Veilig Thuis")
    # Whatever the assistant makes of these, none of it may be kept.
    assistant.say(
        sender,
        f"de moeder heet {PERSONAL['naam']}, bsn {PERSONAL['bsn']}, tel {PERSONAL['mobiel']}",
    )
    assistant.say(sender, f"{PERSONAL['kind']} uit groep 7 heeft weer striemen op zijn rug")
    assistant.say(sender, f"vader {PERSONAL['vader']} wil niet praten")
    assistant.say(
        sender,
        f"mail {PERSONAL['mail']}, adres {PERSONAL['postcode']}, "
        f"rekening {PERSONAL['iban']}, vast {PERSONAL['vast']}",
    )
    return {"sender": sender, "question": question, "steps": steps}


@pytest.fixture(scope="module")
def widget_before_restart(assistant, driver):
    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    widget.say("ouders weigeren hulp")
    return widget, [m.text for m in widget.messages()]


@pytest.fixture(scope="module")
def reminder_before_restart(assistant, teams_stubs):
    """A Teams reminder, set with the buttons, due in a week."""
    thread = new_thread()
    return {"thread": thread, "id": set_reminder(assistant, teams_stubs, thread)[0]}


@pytest.fixture(scope="module")
def restart(assistant, case_before_restart, widget_before_restart, reminder_before_restart, driver):
    """Stops the Rasa server, sends from the widget while it is gone, starts it
    again. Returns what the widget showed meanwhile (checked by the test)."""
    widget, _ = widget_before_restart
    stop(assistant.rasa)
    # Time passes while nobody runs: the reminder is due now.
    make_due(assistant, reminder_before_restart["id"], 0)
    widget.input.send_keys(UNSENT, Keys.ENTER)
    alert = driver.find_element(By.CSS_SELECTOR, ALERT)
    try:
        widget.wait(lambda: alert.is_displayed(), 30)
    except TimeoutException:
        pass  # the test says what was missing
    offline = {
        "shown": alert.is_displayed(),
        "role": alert.get_attribute("role"),
        "text": alert.text,
        "input": widget.input.get_attribute("value"),
        "messages": [m.text for m in widget.messages()],
    }
    if offline["shown"]:
        shot(driver, "webchat-offline.png")
    assistant.start_rasa()
    return offline


def test_unreachable_server_gives_a_clear_message_and_the_chat_recovers(
    restart, widget_before_restart, driver
):
    widget, messages_before = widget_before_restart
    assert restart["shown"], "de widget meldt niet dat de server weg is"
    assert restart["role"] == "alert"
    assert TEXTS["offline"] in restart["text"] and "0800-2000" in restart["text"]
    assert restart["input"] == UNSENT
    assert restart["messages"] == messages_before  # nothing half-sent

    alert = driver.find_element(By.CSS_SELECTOR, ALERT)
    widget.wait(
        lambda: TEXTS["weer_online"] in alert.text,
        RECOVERY_WAIT_SECONDS,
        "de widget merkt niet dat de server terug is",
    )
    replies = widget._after(lambda: driver.find_element(By.CSS_SELECTOR, ".mcw-retry").click())
    assert not alert.is_displayed()
    assert widget.input.get_attribute("value") == ""
    assert any("mcw-card" in r.get_attribute("class") for r in replies)
    assert_checklist(widget.cards()[-1], ["melding.blijven_volgen", "melding.opnieuw_contact"])
    assert json.dumps(widget.stored()["items"]).count("melding.blijven_volgen") == 1


def test_restart_keeps_the_case_and_stores_nothing_personal(
    assistant, case_before_restart, restart
):
    sender = case_before_restart["sender"]
    assert is_question(case_before_restart["question"])
    assert step_ids(case_before_restart["steps"]) == [
        "melding.blijven_volgen",
        "melding.opnieuw_contact",
    ]
    assert assistant.rasa_starts == 2  # the restart happened, and only this one
    # fase=gemeld survived the restart: a move needs no question now.
    moved = assistant.say(sender, "het gezin is nu verhuisd naar Zwolle")
    assert step_ids(moved) == [
        "verhuizing.contact_nieuwe_woonplaats",
        "verhuizing.overdracht_checken",
    ]
    assert "Zwolle" in texts(moved)

    stored = json.dumps(
        assistant.stored_events(assistant.conversation_id(sender)), ensure_ascii=False
    )
    everything = assistant.stored_text()  # every table of the database, not only this case
    # The logs of every test so far, at debug level.
    logs = assistant.rasa_log.read_text() + assistant.action_log.read_text()
    assert "parse_data_text" in logs  # the debug log did see the messages
    for kind, value in PERSONAL.items():
        assert value not in stored, kind
        assert value not in everything, kind
        assert value not in logs, kind
    assert '"plaats"' in stored and "Zwolle" in stored


def test_a_teams_reminder_due_while_the_server_was_down_arrives_once(
    assistant, teams_stubs, reminder_before_restart, restart
):
    thread = reminder_before_restart["thread"]
    teams_stubs.wait_for(lambda activities: len(proactive(teams_stubs, thread)) >= 1)
    time.sleep(4)  # several more rounds of the scheduler
    assert len(proactive(teams_stubs, thread)) == 1
    assert reminder_rows(assistant, thread) == []
