"""Selecting steps for a situation and rendering text plus payload."""

import pytest

from bot.content import load_protocol
from bot.contract import PAYLOAD_TYPE, SITUATION_IDS
from bot.render import clean_place, render_answer, select_steps


@pytest.fixture(scope="module")
def protocol():
    return load_protocol()


def test_move_without_report_gives_only_the_contact_step(protocol):
    steps = select_steps(protocol, "verhuizing", reported=False)
    assert [s.id for s in steps] == ["verhuizing.contact_nieuwe_woonplaats"]


def test_move_after_report_adds_the_handover_check(protocol):
    steps = select_steps(protocol, "verhuizing", reported=True)
    assert [s.id for s in steps] == [
        "verhuizing.contact_nieuwe_woonplaats",
        "verhuizing.overdracht_checken",
    ]


def test_report_flag_changes_nothing_for_other_situations(protocol):
    for situation_id in SITUATION_IDS:
        if situation_id != "verhuizing":
            assert select_steps(protocol, situation_id, True) == select_steps(
                protocol, situation_id
            )


def test_unknown_situation_is_an_error(protocol):
    with pytest.raises(KeyError):
        select_steps(protocol, "verzonnen")


@pytest.mark.parametrize("situation_id", SITUATION_IDS)
def test_payload_follows_the_contract(protocol, situation_id):
    answer = render_answer(protocol, situation_id)
    assert answer.payload["type"] == PAYLOAD_TYPE
    assert answer.payload["situatie"] == situation_id
    assert answer.step_ids == list(protocol.situations[situation_id].step_ids)
    for step in answer.payload["stappen"]:
        assert set(step) == {"id", "tekst", "bron"}
        assert step["tekst"] and step["bron"]


@pytest.mark.parametrize("situation_id", SITUATION_IDS)
def test_text_is_readable_alone_and_names_each_source(protocol, situation_id):
    answer = render_answer(protocol, situation_id)
    lines = answer.text.split("\n")
    assert lines[0] == protocol.situations[situation_id].title
    for number, step in enumerate(answer.payload["stappen"], 1):
        assert f"{number}. {step['tekst']} (Bron: {step['bron']})" in lines
    assert lines[-1] == protocol.closing_line


def test_named_place_appears_in_text_and_payload(protocol):
    answer = render_answer(protocol, "verhuizing", reported=True, place="Zwolle")
    assert "Zwolle" in answer.text.split("\n")[0]
    assert all("Zwolle" in step["tekst"] for step in answer.payload["stappen"])
    assert "{plaats}" not in answer.text


def test_without_place_the_text_says_new_place_of_residence(protocol):
    answer = render_answer(protocol, "verhuizing", place=None)
    assert "nieuwe woonplaats" in answer.payload["stappen"][0]["tekst"]
    assert "{plaats}" not in answer.text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Zwolle", "Zwolle"),
        ("zwolle", "Zwolle"),
        ("bergen op zoom", "Bergen op Zoom"),
        ("'s-hertogenbosch", "'s-Hertogenbosch"),
        ("Alphen aan den Rijn", "Alphen aan den Rijn"),
        ("  Den   Helder. ", "Den Helder"),
        ("<script>alert(1)</script>", "Script Alert Script"),
        ("{plaats}{0}", "Plaats"),
        ("1234 AB", "AB"),
        ("", None),
        ("!!!", None),
        (None, None),
        (42, None),
        ("x" * 80, None),
    ],
)
def test_clean_place(raw, expected):
    assert clean_place(raw) == expected
