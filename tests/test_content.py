"""The content file: complete, valid, faithful to the seed and the contract."""

import hashlib
import os
import re
import subprocess
import sys

import pytest

from bot.content import DEFAULT_CONTENT_FILE, SEED_FILE, ContentError, load_protocol, parse_protocol
from bot.contract import SITUATION_IDS, STEP_IDS
from tests.conftest import yaml_variant

SOURCES_FILE = SEED_FILE.parent / "SOURCES.md"

# Section 2 of protocol-contract.md, copied from the spec on purpose: the test
# compares the content file against the contract, not against itself.
CONTRACT_SITUATIONS = {
    "zorgen_na_doorverwijzing": [
        "doorverwijzing.blijven_volgen",
        "doorverwijzing.opnieuw_in_actie",
        "doorverwijzing.afspraken_nagaan",
        "doorverwijzing.bespreken_en_aankondigen",
    ],
    "zorgen_na_melding": ["melding.blijven_volgen", "melding.opnieuw_contact"],
    "hulp_geweigerd": ["weigering.direct_melden"],
    "verhuizing": ["verhuizing.contact_nieuwe_woonplaats"],
    "acuut": ["acuut.melden", "acuut.direct_gevaar"],
    "verantwoordelijkheid": [
        "verantwoordelijkheid.houdt_niet_op",
        "verantwoordelijkheid.hulp_daadwerkelijk",
        "verantwoordelijkheid.doel_van_hulp",
    ],
    "stappen_meldcode": [f"meldcode.stap_{n}" for n in range(1, 6)],
}


def normalise(text: str) -> str:
    return " ".join(text.split())


def seed_bullets():
    text = SEED_FILE.read_text(encoding="utf-8")
    return [normalise(b) for b in text.split("•")[1:] if b.strip()]


@pytest.fixture(scope="module")
def protocol():
    return load_protocol()


def test_content_defines_every_contract_step_and_situation(protocol):
    assert sorted(protocol.steps) == sorted(STEP_IDS)
    assert sorted(protocol.situations) == sorted(SITUATION_IDS)


@pytest.mark.parametrize("situation_id", sorted(CONTRACT_SITUATIONS))
def test_situation_steps_follow_the_contract_order(protocol, situation_id):
    assert list(protocol.situations[situation_id].step_ids) == CONTRACT_SITUATIONS[situation_id]


def test_move_adds_the_handover_check_only_when_reported(protocol):
    assert protocol.situations["verhuizing"].step_ids_if_reported == (
        "verhuizing.overdracht_checken",
    )


def test_seed_copy_matches_its_recorded_checksum():
    # The checksum in SOURCES.md was taken from the original protocol text; a
    # changed copy must come with a new provenance line.
    recorded = re.search(r"sha256 `([0-9a-f]{64})`", SOURCES_FILE.read_text(encoding="utf-8"))
    assert recorded, "SOURCES.md records no sha256 for the seed text"
    assert hashlib.sha256(SEED_FILE.read_bytes()).hexdigest() == recorded.group(1)


def test_every_seed_bullet_is_covered_by_a_step(protocol):
    quotes = [normalise(s.seed_quote) for s in protocol.steps.values() if s.seed_quote]
    bullets = seed_bullets()
    assert len(bullets) == 12
    uncovered = [b for b in bullets if not any(q in b for q in quotes)]
    assert uncovered == []


def test_every_seed_quote_is_in_the_seed(protocol):
    seed = normalise(SEED_FILE.read_text(encoding="utf-8"))
    for step in protocol.steps.values():
        if step.seed_quote:
            assert normalise(step.seed_quote) in seed, step.id


def test_seed_steps_name_a_seed_source_and_others_a_public_source(protocol):
    for step in protocol.steps.values():
        if step.seed_quote:
            assert step.source.startswith("Meldcode vervolgstappen"), step.id
        else:
            assert re.search(r"\.nl\b", step.source), step.id


def test_every_step_is_reachable_from_a_situation(protocol):
    reachable = set()
    for situation in protocol.situations.values():
        reachable.update(situation.step_ids, situation.step_ids_if_reported)
    assert reachable == set(STEP_IDS)


def test_questions_have_text_and_intent_buttons(protocol):
    assert set(protocol.questions) == {"fase", "gemeld_bij_vt"}
    for question in protocol.questions.values():
        assert question.text.endswith("?")
        assert all(b["payload"].startswith("/") for b in question.buttons)


# --- A broken file stops the start with a message that names the problem ---


def write_variant(tmp_path, change):
    return yaml_variant(DEFAULT_CONTENT_FILE, tmp_path, change)


BROKEN_VARIANTS = {
    "unknown step id": (
        lambda raw: raw["stappen"].update(
            {"melding.verzonnen": {"bron": "seed_melding", "tekst": "x"}}
        ),
        "melding.verzonnen",
    ),
    "missing step id": (
        lambda raw: raw["stappen"].pop("acuut.direct_gevaar"),
        "acuut.direct_gevaar",
    ),
    "empty text": (
        lambda raw: raw["stappen"]["weigering.direct_melden"].update({"tekst": "  "}),
        "weigering.direct_melden",
    ),
    "situation names unknown step": (
        lambda raw: raw["situaties"]["acuut"]["stappen"].append("acuut.wachten"),
        "acuut.wachten",
    ),
    "unknown source": (
        lambda raw: raw["stappen"]["acuut.melden"].update({"bron": "internet"}),
        "internet",
    ),
    "place text without marker": (
        lambda raw: raw["stappen"]["verhuizing.contact_nieuwe_woonplaats"].update(
            {"tekst_met_plaats": "Neem contact op."}
        ),
        "verhuizing.contact_nieuwe_woonplaats",
    ),
    "missing situation": (lambda raw: raw["situaties"].pop("hulp_geweigerd"), "hulp_geweigerd"),
    "missing question": (lambda raw: raw["vragen"].pop("fase"), "fase"),
}


@pytest.mark.parametrize("variant", sorted(BROKEN_VARIANTS))
def test_broken_content_is_refused_with_a_named_problem(tmp_path, variant):
    change, named = BROKEN_VARIANTS[variant]
    path = write_variant(tmp_path, change)
    with pytest.raises(ContentError) as error:
        parse_protocol(path)
    assert named in str(error.value)


def test_invalid_yaml_is_refused(tmp_path):
    path = tmp_path / "kapot.yml"
    path.write_text("stappen: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match="geen geldige YAML"):
        parse_protocol(path)


def test_action_server_refuses_to_start_with_broken_content(tmp_path):
    path = write_variant(tmp_path, lambda raw: raw["stappen"].pop("melding.opnieuw_contact"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "actions", "--port", "1"],
        env={**os.environ, "MELDCODE_CONTENT_FILE": str(path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "melding.opnieuw_contact" in result.stderr
