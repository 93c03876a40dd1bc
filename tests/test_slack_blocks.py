"""Slack rendering: real answers as Block Kit, escaping, buttons, user text."""

import pytest
import yaml

from bot.channels.slack_blocks import (
    BUTTON_TITLE_MAX_CHARS,
    buttons_message,
    escape,
    mrkdwn,
    steps_message,
    text_message,
    user_text,
)
from bot.content import load_protocol
from bot.render import render_answer
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def protocol():
    return load_protocol()


def block_texts(message):
    texts = []
    for block in message["blocks"]:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [element["text"] for element in block["elements"]]
    return texts


def test_a_real_answer_becomes_a_numbered_list_with_sources(protocol):
    answer = render_answer(protocol, "hulp_geweigerd")
    step = protocol.steps["weigering.direct_melden"]
    message = steps_message(answer.text, answer.payload)
    title = protocol.situations["hulp_geweigerd"].title
    assert block_texts(message) == [
        f"*{title}*",
        f"*1.* {step.text}",
        f"Bron: {step.source}",
        protocol.closing_line,
    ]
    assert [b["type"] for b in message["blocks"]] == [
        "section",
        "section",
        "context",
        "divider",
        "section",
    ]
    # The plain text carries the whole answer, sources included, for notifications
    # and screen readers.
    assert message["text"] == escape(answer.text)
    assert f"(Bron: {step.source})" in message["text"]


def test_every_step_of_a_long_answer_is_numbered_in_contract_order(protocol):
    answer = render_answer(protocol, "stappen_meldcode")
    texts = block_texts(steps_message(answer.text, answer.payload))
    numbered = [t for t in texts if t.startswith("*") and t[1].isdigit()]
    assert numbered == [f"*{n}.* {protocol.steps[f'meldcode.stap_{n}'].text}" for n in range(1, 6)]
    assert sum(t.startswith("Bron: ") for t in texts) == 5


def test_the_place_a_user_named_appears_in_title_and_steps(protocol):
    answer = render_answer(protocol, "verhuizing", reported=True, place="Bergen op Zoom")
    texts = block_texts(steps_message(answer.text, answer.payload))
    assert "Bergen op Zoom" in texts[0]
    assert sum("Bergen op Zoom" in t for t in texts[1:]) == 2


def test_a_payload_without_text_still_shows_steps_and_sources():
    payload = {
        "type": "vervolgstappen",
        "situatie": "acuut",
        "stappen": [{"id": "acuut.direct_gevaar", "tekst": "Bel 112.", "bron": "rijksoverheid.nl"}],
    }
    message = steps_message("", payload)
    assert block_texts(message) == ["*1.* Bel 112.", "Bron: rijksoverheid.nl"]
    assert message["text"] == "1. Bel 112. (Bron: rijksoverheid.nl)"


def test_markup_characters_are_escaped_everywhere():
    payload = {
        "type": "vervolgstappen",
        "situatie": "x",
        "titel": "Titel <b> & meer",
        "stappen": [{"id": "a", "tekst": "Ouders & kind <@U1> <!here>", "bron": "A > B"}],
        "afsluiting": "Einde & <slot>",
    }
    message = steps_message("", payload)
    texts = block_texts(message)
    assert texts == [
        "*Titel &lt;b&gt; &amp; meer*",
        "*1.* Ouders &amp; kind &lt;@U1&gt; &lt;!here&gt;",
        "Bron: A &gt; B",
        "Einde &amp; &lt;slot&gt;",
    ]
    assert "<" not in message["text"] and "&amp;" in message["text"]
    assert text_message("a<b & c>d") == {"text": "a&lt;b &amp; c&gt;d"}


def test_long_texts_are_cut_to_slacks_limit_without_breaking_an_escape():
    cut = mrkdwn("&" * 100, 12)
    assert cut == "&amp;&amp;…"
    assert len(mrkdwn("x" * 5000)) == 3000


def test_the_follow_up_buttons_of_the_domain_become_block_kit_buttons():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    (response,) = domain["responses"]["utter_vervolg_opties"]
    message = buttons_message(response["text"], response["buttons"])
    section, actions = message["blocks"]
    assert section["text"]["text"] == escape(response["text"])
    assert [e["value"] for e in actions["elements"]] == [b["payload"] for b in response["buttons"]]
    assert [e["text"]["text"] for e in actions["elements"]] == [
        b["title"] for b in response["buttons"]
    ]
    assert len({e["action_id"] for e in actions["elements"]}) == len(response["buttons"])
    assert response["text"] in message["text"]


def test_many_or_long_buttons_fit_slacks_limits():
    buttons = [{"title": "x" * 100, "payload": f"/intent_{n}"} for n in range(30)]
    message = buttons_message("Kies:", buttons)
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    assert all(
        len(e["text"]["text"]) == BUTTON_TITLE_MAX_CHARS for a in actions for e in a["elements"]
    )
    assert len({e["action_id"] for a in actions for e in a["elements"]}) == 30


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("<@U0BOT> de ouders weigeren hulp", "de ouders weigeren hulp"),
        ("ouders &amp; kind &lt;3 jaar&gt;", "ouders & kind <3 jaar>"),
        (
            "zie <https://example.org/a|de site> en <https://example.org/b>",
            "zie de site en https://example.org/b",
        ),
        ("<!here> overleg met <@U123|collega> in <#C1|zorgteam>", "overleg met in #zorgteam"),
        ("", ""),
    ],
)
def test_slack_markup_in_user_text_is_undone(raw, expected):
    assert user_text(raw) == expected
