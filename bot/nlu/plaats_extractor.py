"""Turns spaCy's place entities (GPE, LOC) into the contract's entity `plaats`.

DIET learns `plaats` from the training data; spaCy's NER adds places DIET has
never seen. Where DIET already found a place, spaCy's duplicate is dropped.
"""

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

PLAATS = "plaats"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class SpacyPlaatsExtractor(SpacyEntityExtractor):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"labels": ["GPE", "LOC"]}

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        labels = set(self._config["labels"])
        for message in messages:
            existing = message.get(ENTITIES, [])
            taken = [(e["start"], e["end"]) for e in existing if e.get("entity") == PLAATS]
            found = []
            for ent in model.model(message.get(TEXT) or "").ents:
                overlaps = any(
                    ent.start_char < end and start < ent.end_char for start, end in taken
                )
                if ent.label_ in labels and not overlaps:
                    found.append(
                        {
                            "entity": PLAATS,
                            "value": ent.text,
                            "start": ent.start_char,
                            "end": ent.end_char,
                            "confidence": None,
                        }
                    )
            message.set(ENTITIES, existing + self.add_extractor_name(found), add_to_output=True)
        return messages
