"""The conversation tests (tests/test_*.yml: tests/test_gesprekken.yml and
tests/test_oefenmodus.yml), predicted by the trained model as `rasa test core
--fail-on-prediction-errors` does (`make test-stories` runs that command), but on
the model this test process has already loaded for the NLU quality tests: one
model load less in `make test`. Every wrong prediction fails the test."""

import asyncio
import json
import re

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.integration

STORY_FILES = sorted((PROJECT_ROOT / "tests").glob("test_*.yml"))
RESULTS = PROJECT_ROOT / "results" / "core"


def stories_in_files() -> int:
    return sum(
        len(re.findall(r"^\s*- story:", path.read_text(encoding="utf-8"), re.MULTILINE))
        for path in STORY_FILES
    )


def test_every_conversation_test_is_predicted_without_errors(trained_agent):
    from rasa.core.test import test as test_core_stories

    assert stories_in_files() >= 10
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Raises WrongPredictionException on the first wrong prediction, as the CLI's flag does.
    asyncio.run(
        test_core_stories(
            str(PROJECT_ROOT / "tests"),
            trained_agent,
            out_directory=str(RESULTS),
            fail_on_prediction_errors=True,
            disable_plotting=True,
        )
    )
    report = json.loads((RESULTS / "story_report.json").read_text(encoding="utf-8"))
    conversations = report["conversation_accuracy"]
    # Every conversation Rasa builds from the files was evaluated (what `rasa
    # test core` evaluates too), and each was right.
    assert conversations["total"] == len(evaluated_conversations(trained_agent))
    assert conversations["correct"] == conversations["total"]
    # Rasa's generator leaves out a story that ends in the same state as
    # another one (two of ours); far fewer would mean a file was not read.
    assert conversations["total"] >= 0.9 * stories_in_files()


def evaluated_conversations(agent):
    """The conversations Rasa's test builds from the files, with its settings."""
    from rasa.shared.core.generator import TrainingDataGenerator
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        training_data_paths=[str(PROJECT_ROOT / "tests")],
        domain_path=str(PROJECT_ROOT / "domain.yml"),
    )
    generator = TrainingDataGenerator(
        importer.get_stories(), agent.domain, use_story_concatenation=False, augmentation_factor=0
    )
    return generator.generate_story_trackers()
