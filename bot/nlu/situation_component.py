"""The situation detector as the last step of the NLU pipeline.

After DIET and the FallbackClassifier it reads the whole message again
(bot/nlu/detector.py) and applies bot/nlu/decision.py:
- the intent becomes `acute_zorgen` on any acute cue, `twijfel_gevaar` on a
  weak danger signal or when DIET's acute probability lies between
  `question_threshold` and `acute_threshold`, `meerdere_situaties` when the message names several
  situations, or the one situation the detector is sure of;
- `fase` entities that the message negates are removed, the detector's
  `fase` and `plaats` are added when DIET missed them;
- the parse result gets `analyse` (situations in answer order, whether the
  family was reported, the model's own intent), which the answer actions
  read from `tracker.latest_message`. It holds ids only, never user text.
"""

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.decision import (
    ANALYSIS_KEY,
    DEFAULT_ACUTE_THRESHOLD,
    DEFAULT_QUESTION_THRESHOLD,
    adjust_entities,
    analyse_message,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SituationDetector(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SituationDetector":
        return cls(config)

    def __init__(self, config: Dict[str, Any]) -> None:
        self.acute_threshold = float(config.get("acute_threshold", DEFAULT_ACUTE_THRESHOLD))
        self.question_threshold = float(
            config.get("question_threshold", DEFAULT_QUESTION_THRESHOLD)
        )

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "acute_threshold": DEFAULT_ACUTE_THRESHOLD,
            "question_threshold": DEFAULT_QUESTION_THRESHOLD,
        }

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            analysis = analyse_message(
                message.get(TEXT),
                intent.get("name"),
                message.get(INTENT_RANKING_KEY) or [],
                self.acute_threshold,
                self.question_threshold,
            )
            detection = analysis.pop("detection")
            if analysis["intent"] and analysis["intent"] != intent.get("name"):
                message.set(INTENT, {"name": analysis["intent"], "confidence": 1.0}, True)
            message.set(ENTITIES, adjust_entities(message.get(ENTITIES, []), detection), True)
            message.set(ANALYSIS_KEY, analysis, add_to_output=True)
        return messages
