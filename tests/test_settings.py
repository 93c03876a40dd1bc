"""One place for settings (bot.settings): yes/no values, the content files."""

import asyncio
import os
import re
import subprocess
import sys

import pytest

from bench.run import bad_replies
from bot import settings
from bot.channels import guard
from bot.channels.registry import ChannelConfigError, select
from bot.content import DEFAULT_CONTENT_FILE, load_protocol
from bot.oefening import DEFAULT_EXERCISE_FILE, load_exercises
from tests.conftest import PROJECT_ROOT, yaml_variant

OTHER_EMPTY_TEXT = "Uw bericht was leeg. Typ uw vraag opnieuw."
OTHER_NO_ANSWER = "De assistent antwoordt nu niet. Bel bij zorgen Veilig Thuis: 0800-2000."
OTHER_TECHNICAL_ERROR = "Er ging iets mis. Bel bij twijfel Veilig Thuis: 0800-2000."


@pytest.fixture
def custom_content(tmp_path, monkeypatch):
    def reword(raw):
        raw["kanaal"]["leeg"] = OTHER_EMPTY_TEXT
        raw["kanaal"]["geen_antwoord"] = OTHER_NO_ANSWER
        raw["technische_fout"] = OTHER_TECHNICAL_ERROR

    path = yaml_variant(DEFAULT_CONTENT_FILE, tmp_path, reword)
    monkeypatch.setenv(settings.ENV_CONTENT_FILE, str(path))
    return path


@pytest.mark.parametrize(
    "value, expected",
    [
        ("true", True),
        ("JA", True),
        (" aan ", True),
        ("1", True),
        ("Yes", True),
        ("on", True),
        ("false", False),
        ("Nee", False),
        ("uit", False),
        ("0", False),
        ("NO", False),
        ("off", False),
    ],
)
def test_every_yes_no_word_is_understood_in_any_case(value, expected):
    assert settings.parse_flag("X", value) is expected


def test_an_empty_yes_no_setting_gives_its_default():
    assert settings.parse_flag("X", "", default=True) is True
    assert settings.parse_flag("X", None) is False


def test_a_bad_yes_no_value_is_a_clear_dutch_error():
    with pytest.raises(settings.SettingsError) as error:
        settings.parse_flag("REDIS_USE_SSL", "misschien")
    assert "REDIS_USE_SSL='misschien'" in str(error.value)
    assert "geen ja/nee-waarde" in str(error.value) and "aan/uit" in str(error.value)


def test_redis_and_the_channel_switch_use_the_same_parser(monkeypatch):
    monkeypatch.setenv("REDIS_USE_SSL", "aan")
    assert settings.redis_lock_store()["use_ssl"] is True
    sections = {"bot.channels.webchat.WebchatInput": None}
    monkeypatch.setenv("WEBCHAT_ENABLED", "Uit")
    assert select(sections) == {}
    monkeypatch.setenv("WEBCHAT_ENABLED", "misschien")
    with pytest.raises(ChannelConfigError, match="WEBCHAT_ENABLED='misschien'"):
        select(sections)


def test_load_protocol_reads_the_file_of_the_setting(custom_content):
    assert load_protocol().source_file == custom_content
    assert load_protocol().channel_texts["leeg"] == OTHER_EMPTY_TEXT


def test_a_relative_content_file_is_taken_from_the_project_root(monkeypatch):
    monkeypatch.setenv(settings.ENV_CONTENT_FILE, "bot/content/vervolgstappen.yml")
    assert load_protocol().source_file == DEFAULT_CONTENT_FILE


def test_load_exercises_reads_the_file_of_the_setting(tmp_path, monkeypatch):
    def one_case_per_round(raw):
        raw["ronde_grootte"] = 1

    path = yaml_variant(DEFAULT_EXERCISE_FILE, tmp_path, one_case_per_round)
    assert load_exercises().round_size != 1
    monkeypatch.setenv(settings.ENV_EXERCISE_FILE, str(path))
    assert load_exercises().round_size == 1


class Output:
    def __init__(self):
        self.texts = []

    async def send_text_message(self, recipient_id, text, **kwargs):
        self.texts.append(text)


def test_the_guard_answers_with_the_texts_of_the_custom_content_file(custom_content):
    async def never_called(message):
        raise AssertionError("an empty message must not reach Rasa")

    output = Output()
    asyncio.run(guard.handle_message("  \x00 ", "gebruiker", output, never_called, "rest"))
    assert output.texts == [OTHER_EMPTY_TEXT]


def test_the_benchmark_counts_the_texts_of_the_custom_content_file_as_no_answer(custom_content):
    assert bad_replies() == [OTHER_NO_ANSWER, OTHER_TECHNICAL_ERROR]


TF_IMPORT = "from bot import settings; settings.load_environment(); import tensorflow as tf; tf.constant(1) + 1"


def run_with_tensorflow(**env):
    base = {
        k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "MELDCODE_TF_LOG")
    }
    done = subprocess.run(
        [sys.executable, "-c", TF_IMPORT],
        env={**base, **env},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout + done.stderr


def test_tensorflow_is_silent_by_default_and_can_be_turned_on_again():
    assert "cuda" not in run_with_tensorflow().lower()
    assert "tensorflow/" in run_with_tensorflow(MELDCODE_TF_LOG="1")
    assert "tensorflow/" in run_with_tensorflow(TF_CPP_MIN_LOG_LEVEL="0")


def test_quiet_tensorflow_reaches_child_processes_through_the_environment(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.delenv("MELDCODE_TF_LOG", raising=False)
    settings.quiet_tensorflow()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    settings.quiet_tensorflow()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"  # the user's value wins


def test_bot_never_imports_the_action_server_package():
    # bot/ is the library the action server builds on; the other way round
    # would make settings and content depend on how actions are deployed.
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from actions\b|import actions\b)", source, re.M), path
