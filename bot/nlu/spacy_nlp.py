"""Rasa's SpacyNLP with a Dutch fallback when the model is not installed.

The class keeps the name `SpacyNLP`: Rasa links SpacyTokenizer and the spaCy
extractors to their model provider by that class name.
"""

from typing import Any, Dict

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils import spacy_utils

from bot import spacy_model


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """Loads `nl_core_news_sm` (or MELDCODE_SPACY_MODEL), else blank Dutch."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # Case matters for Dutch NER: place names start with a capital.
        return {"case_sensitive": True, "model": None}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SpacyNLP":
        nlp, name, _full = spacy_model.load_pipeline(config.get("model"))
        model = spacy_utils.SpacyModel(model=nlp, model_name=name)
        return cls(model, {**cls.get_default_config(), **config})
