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

It is trained in `rasa train` for one thing: the second opinion on the
model's acute guess (bot/nlu/second_opinion.py, from data/gevaar/).
"""

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import second_opinion, stored
from bot.nlu.decision import (
    ANALYSIS_KEY,
    DEFAULT_ACUTE_THRESHOLD,
    DEFAULT_QUESTION_THRESHOLD,
    DEFAULT_SECOND_OPINION_CALM,
    DEFAULT_SECOND_OPINION_THRESHOLD,
    adjust_entities,
    analyse_message,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SituationDetector(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SituationDetector":
        return cls(config, model_storage, resource)

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        classifier: Optional[Any] = None,
    ) -> None:
        config = {**self.get_default_config(), **config}
        self.acute_threshold = float(config["acute_threshold"])
        self.question_threshold = float(config["question_threshold"])
        self.second_opinion_threshold = float(config["second_opinion_threshold"])
        self.second_opinion_c = float(config["second_opinion_C"])
        self.second_opinion_calm = float(config["second_opinion_calm"])
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "acute_threshold": DEFAULT_ACUTE_THRESHOLD,
            "question_threshold": DEFAULT_QUESTION_THRESHOLD,
            "second_opinion_threshold": DEFAULT_SECOND_OPINION_THRESHOLD,
            "second_opinion_C": 10.0,
            "second_opinion_calm": DEFAULT_SECOND_OPINION_CALM,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        # The corpus is not part of Rasa's training data: a changed file must
        # still train the detector again.
        return second_opinion.corpus_fingerprint()

    def train(self, training_data: TrainingData) -> Resource:
        messages = second_opinion.corpus()
        if len({label for _, label in messages}) < 2:
            return self._resource  # no corpus: the model's acute guess stands
        self.classifier = second_opinion.train(messages, self.second_opinion_c)
        stored.store(
            self._model_storage, self._resource, second_opinion.MODEL_FILE, self.classifier
        )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SituationDetector":
        # None: trained without a corpus
        classifier = stored.read(model_storage, resource, second_opinion.MODEL_FILE)
        return cls(config, model_storage, resource, classifier)

    def _acute_score(self, text: str) -> Optional[float]:
        if self.classifier is None:
            return None
        return second_opinion.acute_score(self.classifier, text)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            analysis = analyse_message(
                text,
                intent.get("name"),
                message.get(INTENT_RANKING_KEY) or [],
                self.acute_threshold,
                self.question_threshold,
                second_opinion=lambda text=text: self._acute_score(text),
                second_opinion_threshold=self.second_opinion_threshold,
                second_opinion_calm=self.second_opinion_calm,
            )
            detection = analysis.pop("detection")
            if analysis["intent"] and analysis["intent"] != intent.get("name"):
                message.set(INTENT, {"name": analysis["intent"], "confidence": 1.0}, True)
            message.set(ENTITIES, adjust_entities(message.get(ENTITIES, []), detection), True)
            message.set(ANALYSIS_KEY, analysis, add_to_output=True)
        return messages
