"""On real servers: a restart keeps the conversation, and neither the SQLite file
nor the logs (at debug level) hold the personal data users typed."""

import sqlite3
import uuid

import pytest

from tests.servers import running_assistant
from tests.test_e2e_rest import is_question, step_ids, texts

pytestmark = pytest.mark.integration

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


def test_restart_keeps_the_case_and_stores_nothing_personal(tmp_path):
    with running_assistant(tmp_path, rasa_args=["--debug"]) as assistant:
        sender = f"privacy-{uuid.uuid4().hex}"
        say = lambda text: assistant.say(sender, text)  # noqa: E731
        assert is_question(say("ik blijf me zorgen maken over een leerling"))
        assert step_ids(say("we hebben gemeld bij Veilig Thuis")) == [
            "melding.blijven_volgen",
            "melding.opnieuw_contact",
        ]
        # Whatever the assistant makes of these, none of it may be kept.
        say(f"de moeder heet {PERSONAL['naam']}, bsn {PERSONAL['bsn']}, tel {PERSONAL['mobiel']}")
        say(f"{PERSONAL['kind']} uit groep 7 heeft weer striemen op zijn rug")
        say(f"vader {PERSONAL['vader']} wil niet praten")
        say(
            f"mail {PERSONAL['mail']}, adres {PERSONAL['postcode']}, "
            f"rekening {PERSONAL['iban']}, vast {PERSONAL['vast']}"
        )

        assistant.restart_rasa()
        assert assistant.rasa_starts == 2
        # fase=gemeld survived the restart: a move needs no question now.
        moved = say("het gezin is nu verhuisd naar Zwolle")
        assert step_ids(moved) == [
            "verhuizing.contact_nieuwe_woonplaats",
            "verhuizing.overdracht_checken",
        ]
        assert "Zwolle" in texts(moved)

    with sqlite3.connect(assistant.tracker_db) as db:
        stored = "\n".join(
            row[0]
            for row in db.execute(
                "select data from events where sender_id = ?", (assistant.conversation_id(sender),)
            )
        )
    raw_file = assistant.tracker_db.read_bytes().decode("latin-1")
    logs = assistant.rasa_log.read_text() + assistant.action_log.read_text()
    assert "parse_data_text" in logs  # the debug log did see the messages
    for kind, value in PERSONAL.items():
        assert value not in stored, kind
        assert value not in raw_file, kind
        assert value not in logs, kind
    assert '"plaats"' in stored and "Zwolle" in stored
