"""DIET loaded without Rasa's training step (bot/model_load.py) predicts as Rasa's own load."""

import asyncio
from unittest import mock

import pytest
from rasa.utils.tensorflow.models import RasaModel

from bot import model_load
from tests.conftest import TRAINED_MODEL


class Built(Exception):
    """Raised by the model below instead of building anything."""


class NoModel(RasaModel):
    def __init__(self, *args, **kwargs):
        raise Built


def test_install_twice_wraps_once():
    model_load.install()
    installed = RasaModel.__dict__["load"]
    model_load.install()
    assert RasaModel.__dict__["load"] is installed


@pytest.mark.parametrize(
    "arguments",
    [{"finetune_mode": True, "predict_data_example": object()}, {"predict_data_example": None}],
)
def test_finetuning_or_no_example_goes_through_rasas_own_load(arguments):
    model_load.install()
    with mock.patch.object(model_load, "load_for_prediction", side_effect=AssertionError):
        with pytest.raises(Built):  # Rasa's load built the model, ours was not called
            NoModel.load("weights", object(), **arguments)


def test_a_model_for_prediction_skips_rasas_load():
    model_load.install()
    with mock.patch.object(model_load, "load_for_prediction", return_value="ours") as ours:
        assert NoModel.load("weights", "example", "predict example", config={}) == "ours"
    ours.assert_called_once_with(NoModel, "weights", "example", "predict example", config={})


def held_out_texts():
    from harness.nlu_data import HELD_OUT_SET, examples

    return [m.get("text") for m in examples(HELD_OUT_SET)]


def parsed(agent, texts):
    async def run():
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


def entities(result):
    return [(e["entity"], e["value"], e.get("start"), e.get("end")) for e in result["entities"]]


@pytest.mark.integration
def test_the_loaded_model_predicts_as_after_rasas_own_load(trained_agent, monkeypatch):
    from harness.nlu_data import load_agent

    texts = held_out_texts()
    ours = parsed(trained_agent, texts)  # load_agent installs bot/model_load.py
    original = RasaModel.__dict__["load"].__func__.original
    monkeypatch.setattr(RasaModel, "load", classmethod(original))
    with mock.patch.object(model_load, "install"):
        rasas = parsed(load_agent(TRAINED_MODEL), texts)
    for mine, theirs in zip(ours, rasas, strict=True):
        assert mine["intent"]["name"] == theirs["intent"]["name"], mine["text"]
        assert mine["intent"]["confidence"] == pytest.approx(
            theirs["intent"]["confidence"], abs=1e-9
        )
        assert entities(mine) == entities(theirs), mine["text"]
