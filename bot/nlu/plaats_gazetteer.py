"""Finds Dutch place names in a message from the whole CBS table (bot.regio).

DIET only knows the places of its training data, spaCy's NER misses many
small ones. This component looks up every gemeente and woonplaats name and
adds or repairs the entities `plaats` (the new place) and `vorige_plaats`
(the place the family comes from: "van Deventer naar Zwolle", "uit Deventer").

Many place names are also Dutch words ("Best", "Echt", "Beek"), so a match
only counts when it follows a word such as "naar" or "in", when it has a
capital in the middle of a sentence, or when it is the whole message.
"""

import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import regio

PLAATS = "plaats"
VORIGE_PLAATS = "vorige_plaats"
# Words after which a name is a place.
_BEFORE_PLACE = {
    "naar", "in", "uit", "van", "vanuit", "bij", "richting", "te", "nabij", "gemeente",
    "woonplaats", "omgeving", "regio",
}  # fmt: skip
# Words after which a place is where the family comes from.
_BEFORE_PREVIOUS = {"van", "uit", "vanuit"}
# Allowed around a place when the message is only the place ("in Deventer.").
_FILLER = {"in", "naar", "de", "gemeente", "woonplaats", "plaats", "het", "is"}
_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")


def _previous_word(text: str, start: int) -> Optional[str]:
    words = regio.tokens(text[:start])
    return words[-1][2] if words else None


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start]
    return not before.strip() or bool(_SENTENCE_END.search(before))


def _is_whole_message(text: str, start: int, end: int) -> bool:
    rest = regio.tokens(text[:start]) + regio.tokens(text[end:])
    return all(token in _FILLER for _, _, token in rest)


def find_places(text: str) -> List[Dict[str, Any]]:
    """Place entities (`plaats` / `vorige_plaats`) found in a text."""
    found = []
    gazetteer = regio.gazetteer()
    for start, end, _places in gazetteer.find_in_text(text):
        previous = _previous_word(text, start)
        capital = text[start:end][:1].isupper() or text[start] in "'’"
        if regio.name_key(text[start:end]) in gazetteer.common_words:
            # "naar Best" is a place, "het is best" is not.
            if capital and previous in _BEFORE_PLACE:
                found.append(_entity(text, start, end, previous))
            continue
        if not (
            previous in _BEFORE_PLACE
            or (capital and not _starts_sentence(text, start))
            or _is_whole_message(text, start, end)
        ):
            continue
        found.append(_entity(text, start, end, previous))
    return found


def _entity(text: str, start: int, end: int, previous: Optional[str]) -> Dict[str, Any]:
    entity = VORIGE_PLAATS if previous in _BEFORE_PREVIOUS else PLAATS
    return {"entity": entity, "value": text[start:end], "start": start, "end": end}


def merge_entities(existing: List[Dict[str, Any]], found: List[Dict[str, Any]]) -> List[Dict]:
    """Our places replace the place entities of DIET or spaCy that they overlap."""

    def overlaps(entity):
        return entity.get("entity") in (PLAATS, VORIGE_PLAATS) and any(
            entity.get("start", -1) < f["end"] and f["start"] < entity.get("end", -1) for f in found
        )

    return [e for e in existing if not overlaps(e)] + found


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PlaatsGazetteer(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PlaatsGazetteer":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = self.add_extractor_name(find_places(message.get(TEXT) or ""))
            if found:
                merged = merge_entities(message.get(ENTITIES, []), found)
                message.set(ENTITIES, merged, add_to_output=True)
        return messages
