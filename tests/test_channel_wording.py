"""Other wording in the content file must not break a channel.

The channels render an answer with steps from the `vervolgstappen` payload's
own fields (`titel`, `stappen`, `afsluiting`, contract section 5), never by
parsing the readable text. The wording below would fool a parser: a title that
looks like a numbered step and a closing text of two lines.
"""

import re

import pytest

from bot.channels.slack_blocks import escape, steps_message
from bot.channels.teams.render import reply_activity
from bot.content import DEFAULT_CONTENT_FILE, parse_protocol
from bot.render import render_answer
from tests.conftest import PROJECT_ROOT, yaml_variant

OTHER_TITLE = "1. Eerst dit: de ouders willen geen hulp"
OTHER_CLOSING = "Twijfelt u nog?\nBespreek het met uw aandachtsfunctionaris."
WIDGET_JS = PROJECT_ROOT / "bot" / "channels" / "webchat_static" / "widget.js"


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    def reword(raw):
        raw["situaties"]["hulp_geweigerd"]["titel"] = OTHER_TITLE
        raw["afsluiting"] = OTHER_CLOSING

    path = yaml_variant(DEFAULT_CONTENT_FILE, tmp_path_factory.mktemp("content"), reword)
    return render_answer(parse_protocol(path), "hulp_geweigerd")


def test_the_payload_carries_the_new_title_and_closing_line(answer):
    assert answer.payload["titel"] == OTHER_TITLE
    assert answer.payload["afsluiting"] == OTHER_CLOSING
    assert answer.text.startswith(OTHER_TITLE) and answer.text.endswith(OTHER_CLOSING)


def test_slack_shows_the_new_title_steps_and_closing_line(answer):
    message = steps_message(answer.text, answer.payload)
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    steps = answer.payload["stappen"]
    assert sections[0] == f"*{escape(OTHER_TITLE)}*"
    assert sections[1 : 1 + len(steps)] == [
        f"*{n}.* {escape(s['tekst'])}" for n, s in enumerate(steps, 1)
    ]
    assert sections[-1] == escape(OTHER_CLOSING)
    assert len(sections) == len(steps) + 2


def test_teams_shows_the_new_title_steps_and_closing_line(answer):
    activity = reply_activity({"text": answer.text, "custom": answer.payload})
    body = activity["attachments"][0]["content"]["body"]
    first, last = body[0]["inlines"][0]["text"], body[-1]["inlines"][0]["text"]
    assert first == OTHER_TITLE and last == OTHER_CLOSING
    step_texts = [
        column_set["columns"][1]["items"][0]["inlines"][0]["text"] for column_set in body[1:-1]
    ]
    assert step_texts == [s["tekst"] for s in answer.payload["stappen"]]


def test_teams_and_slack_need_no_text_to_show_title_and_closing_line(answer):
    slack = steps_message("", answer.payload)
    assert slack["text"] == escape(answer.text)
    teams = reply_activity({"custom": answer.payload})
    card = teams["attachments"][0]["content"]
    assert card["body"][0]["inlines"][0]["text"] == OTHER_TITLE
    assert card["fallbackText"] == answer.text


def test_the_widget_takes_title_and_closing_line_from_the_payload_not_from_the_text():
    script = WIDGET_JS.read_text(encoding="utf-8")
    start = script.index("function toItems(")
    to_items = script[start : script.index("\n  function ", start + 1)]
    assert "textOf(custom.titel)" in to_items and "textOf(custom.afsluiting)" in to_items
    # The old parser split the text into lines and looked for "1. ".
    assert not re.search(r"lines\[|/\^1\\\.", to_items)
    assert "before.text.split" not in to_items
