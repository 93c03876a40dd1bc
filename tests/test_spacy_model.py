"""The spaCy path, tested with a small Dutch pipeline built on disk.

nl_core_news_sm cannot be downloaded on these machines, so the tests build a
blank Dutch pipeline with an attribute ruler (lemmas, POS) and an entity
ruler (places), and load it the way the real model is loaded.
"""

import asyncio

import pytest
import spacy

from bot import spacy_model

PLACES = ["Zwolle", "Den Helder", "Emmen"]
LEMMAS = {"verhuisd": ("verhuizen", "VERB"), "gezin": ("gezin", "NOUN")}


def build_pipeline(path):
    nlp = spacy.blank("nl")
    ruler = nlp.add_pipe("attribute_ruler")
    for word, (lemma, pos) in LEMMAS.items():
        ruler.add([[{"LOWER": word}]], {"LEMMA": lemma, "POS": pos})
    entities = nlp.add_pipe("entity_ruler")
    entities.add_patterns([{"label": "GPE", "pattern": place} for place in PLACES])
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    return build_pipeline(tmp_path_factory.mktemp("spacy") / "nl_test_pipeline")


def test_configured_pipeline_is_loaded_from_disk(pipeline_dir, monkeypatch):
    monkeypatch.setenv(spacy_model.ENV_MODEL, str(pipeline_dir))
    nlp, name, full = spacy_model.load_pipeline()
    assert full and name == str(pipeline_dir)
    doc = nlp("Het gezin is verhuisd naar Den Helder")
    assert [(e.text, e.label_) for e in doc.ents] == [("Den Helder", "GPE")]
    assert doc[3].lemma_ == "verhuizen" and doc[3].pos_ == "VERB"


def test_missing_model_falls_back_to_blank_dutch_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(spacy_model, "_announced", False)
    nlp, name, full = spacy_model.load_pipeline("nl_bestaat_niet_sm")
    assert not full and name == spacy_model.BLANK_MODEL_NAME
    assert nlp.lang == "nl" and [t.text for t in nlp("Het gezin is verhuisd.")][-1] == "."
    spacy_model.load_pipeline("nl_bestaat_niet_sm")
    err = capsys.readouterr().err
    assert err.count("LET OP") == 1  # once per process, not per call
    assert "nl_core_news_sm" in err and spacy_model.ENV_WHEEL in err


def test_local_wheel_is_found_as_file_or_in_folder(tmp_path):
    wheel = tmp_path / "nl_core_news_sm-3.4.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    assert spacy_model.local_wheel(str(wheel)) == wheel
    assert spacy_model.local_wheel(str(tmp_path)) == wheel
    assert spacy_model.local_wheel(str(tmp_path / "leeg")) is None


def test_install_prefers_the_local_wheel_offline(tmp_path, monkeypatch):
    wheel = tmp_path / "nl_core_news_sm-3.4.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    calls = []
    monkeypatch.setattr(spacy_model, "model_installed", lambda: False)
    monkeypatch.setattr(
        spacy_model, "_pip_install", lambda target, extra: calls.append((target, extra)) or True
    )
    monkeypatch.setenv(spacy_model.ENV_WHEEL, str(tmp_path))
    assert spacy_model.install(quiet=True)
    assert calls == [(str(wheel), ["--no-index"])]


def test_install_without_any_source_goes_on_and_explains(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(spacy_model, "model_installed", lambda: False)
    monkeypatch.setattr(
        spacy_model, "_pip_install", lambda target, extra: calls.append(target) and False
    )
    monkeypatch.delenv(spacy_model.ENV_WHEEL, raising=False)
    assert spacy_model.install(quiet=True) is False
    assert calls == [spacy_model.OFFICIAL_WHEEL_URL]
    assert "make spacy-model" in capsys.readouterr().out


def test_official_wheel_is_the_pinned_release():
    assert spacy_model.OFFICIAL_WHEEL_URL.endswith("nl_core_news_sm-3.4.0-py3-none-any.whl")
    assert (
        "explosion/spacy-models/releases/download/nl_core_news_sm-3.4.0/"
        in spacy_model.OFFICIAL_WHEEL_URL
    )


@pytest.mark.integration
def test_rasa_trains_and_parses_with_the_disk_pipeline(pipeline_dir, tmp_path, monkeypatch):
    """Our SpacyNLP + SpacyTokenizer + SpacyPlaatsExtractor, trained for real."""
    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.model_training import train_nlu

    monkeypatch.setenv(spacy_model.ENV_MODEL, str(pipeline_dir))
    config = tmp_path / "config.yml"
    config.write_text(
        "recipe: default.v1\nlanguage: nl\nassistant_id: spacy-test\npipeline:\n"
        "  - name: bot.nlu.spacy_nlp.SpacyNLP\n"
        "  - name: SpacyTokenizer\n"
        "  - name: CountVectorsFeaturizer\n    use_lemma: true\n"
        "  - name: LogisticRegressionClassifier\n"
        "  - name: bot.nlu.plaats_extractor.SpacyPlaatsExtractor\n",
        encoding="utf-8",
    )
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n'
        "  - intent: verhuizing\n    examples: |\n"
        "      - het gezin is verhuisd\n      - de cliënt verhuist binnenkort\n"
        "      - ze zijn verhuisd naar een andere stad\n"
        "  - intent: groet\n    examples: |\n      - hallo\n      - goedemorgen\n      - hoi\n",
        encoding="utf-8",
    )
    model = train_nlu(str(config), str(nlu), str(tmp_path / "models"), fixed_model_name="spacy")
    agent = Agent.load(model)
    message = UserMessage("Het gezin is verhuisd naar Emmen")
    parsed = asyncio.run(agent.processor.parse_message(message, only_output_properties=False))
    assert parsed["intent"]["name"] == "verhuizing"
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [("plaats", "Emmen")]
    lemmas = {t.text: t.lemma for t in parsed["text_tokens"]}
    assert lemmas["verhuisd"] == "verhuizen"
