"""The reminder wording file: checked against the contract and the protocol
content; due messages and calendar files are built from step ids only."""

import pytest

from bot.content import ContentError, load_protocol
from bot.contract import SITUATION_IDS, STEP_IDS
from bot.reminders.wording import REMINDERS_FILE, due_message, load_wording, parse_wording
from tests.conftest import yaml_variant


def test_every_situation_has_steps_of_the_contract():
    wording = load_wording()
    assert set(wording.situations) == set(SITUATION_IDS)
    for situation in wording.situations.values():
        assert situation.step_ids and set(situation.step_ids) <= set(STEP_IDS)


def test_after_a_referral_check_the_help_and_the_agreements():
    payload = due_message("zorgen_na_doorverwijzing")["custom"]
    ids = [step["id"] for step in payload["stappen"]]
    assert "verantwoordelijkheid.hulp_daadwerkelijk" in ids  # is the help going?
    assert "doorverwijzing.afspraken_nagaan" in ids  # agreements kept, results?


def test_after_a_report_check_new_signals_and_contact_with_veilig_thuis():
    payload = due_message("zorgen_na_melding")["custom"]
    assert [step["id"] for step in payload["stappen"]] == [
        "melding.blijven_volgen",
        "melding.opnieuw_contact",
    ]


def test_steps_that_assume_a_report_are_not_used_where_that_is_unknown():
    wording = load_wording()
    for situation_id, situation in wording.situations.items():
        if situation.fase != "gemeld":
            assert "verhuizing.overdracht_checken" not in situation.step_ids, situation_id


@pytest.mark.parametrize("situation_id", SITUATION_IDS)
def test_due_message_is_readable_alone_with_sources_and_three_buttons(situation_id):
    protocol = load_protocol()
    message = due_message(situation_id)
    for step in message["custom"]["stappen"]:
        assert step["tekst"] == protocol.steps[step["id"]].text
        assert f"(Bron: {protocol.steps[step['id']].source})" in message["text"]
    assert protocol.closing_line in message["text"]
    assert [b["title"] for b in message["buttons"]] == [
        "Zorgen blijven",
        "Het gaat goed",
        "Later nog eens",
    ]


@pytest.mark.parametrize(
    "change, problem",
    [
        (
            lambda raw: raw["situaties"]["acuut"]["nagaan"].append("verzonnen.stap"),
            "onbekende stap 'verzonnen.stap'",
        ),
        (lambda raw: raw["situaties"].pop("verhuizing"), "situatie 'verhuizing'"),
        (lambda raw: raw["teksten"].pop("gezet"), "tekst 'gezet'"),
        (lambda raw: raw["situaties"]["acuut"].update(fase="misschien"), "fase moet"),
        (lambda raw: raw["keuzes"].append({"titel": "Over een jaar", "dagen": 365}), "dagen"),
    ],
)
def test_a_broken_file_names_its_problem(tmp_path, change, problem):
    path = yaml_variant(REMINDERS_FILE, tmp_path, change)
    with pytest.raises(ContentError, match=problem):
        parse_wording(path, load_protocol())
