"""Slack and Teams show the region of a move and the note for the dossier."""

import json

from bot.channels import slack_blocks
from bot.channels.teams.render import reply_activity
from bot.content import load_protocol
from bot.context_answer import answer_in_context
from bot.context_content import load_context_texts
from bot.settings import OrganisationContacts
from bot.verslag import note_payload


def move_payload():
    answer = answer_in_context(
        load_protocol(),
        load_context_texts(),
        OrganisationContacts(),
        "verhuizing",
        reported=True,
        place="Zwolle",
        previous_place="Apeldoorn",
    )
    return answer.text, answer.payload


NOTE = note_payload(
    "Verslag voor het dossier (meldcode), 02-12-2026\n\n- [ ] De signalen <b> & co\n- Stap",
    ["hulp_geweigerd"],
)


def test_slack_steps_show_the_region():
    text, payload = move_payload()
    message = slack_blocks.steps_message(text, payload)
    shown = json.dumps(message["blocks"], ensure_ascii=False)
    assert "Veilig Thuis-regio IJsselland" in shown
    assert "De regio verandert" in shown


def test_slack_note_is_one_code_block_that_keeps_every_line():
    message = slack_blocks.note_message(NOTE)
    (block,) = message["blocks"]
    body = block["text"]["text"]
    assert body.startswith("```") and body.endswith("```")
    assert "- [ ] De signalen &lt;b&gt; &amp; co\n- Stap" in body
    assert slack_blocks.is_note_payload(NOTE)
    assert not slack_blocks.is_note_payload({"type": "verslag"})


def test_slack_long_note_is_split_on_whole_lines():
    long_note = note_payload("\n".join(f"regel {n} " + "x" * 80 for n in range(100)), [])
    blocks = slack_blocks.note_message(long_note)["blocks"]
    assert len(blocks) >= 3
    for block in blocks:
        assert len(block["text"]["text"]) <= 3000
    joined = "\n".join(b["text"]["text"].strip("`") for b in blocks)
    assert joined == long_note["tekst"]


def test_teams_steps_card_shows_the_region():
    text, payload = move_payload()
    activity = reply_activity({"text": text, "custom": payload})
    card = json.dumps(activity["attachments"][0]["content"]["body"], ensure_ascii=False)
    assert "Veilig Thuis-regio IJsselland" in card


def test_teams_note_is_an_adaptive_card_with_every_line():
    activity = reply_activity({"text": NOTE["tekst"], "custom": NOTE})
    card = activity["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    runs = [b["inlines"][0]["text"] for b in card["body"]]
    assert runs[0].startswith("Verslag voor het dossier")
    assert "- [ ] De signalen <b> & co" in runs
    assert card["fallbackText"] == NOTE["tekst"]
