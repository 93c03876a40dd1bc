"""A second intent classifier next to DIET: TF-IDF on character and word
n-grams with logistic regression, trained in Rasa's train step on the same
examples. Its probabilities are combined with DIET's ranking.

Why: on held-out Dutch text DIET alone made more errors than this plain
classifier (docs/benchmarks.md); the two make different errors, and the
average of two calibrated-enough rankings is right more often than either.
It runs after DIETClassifier (with its full ranking, `ranking_length: 0`) and
before the FallbackClassifier, which then reads the combined confidence.
"""

from pathlib import Path
from typing import Any, Dict, List, Optional

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MODEL_FILE = "tfidf_intents.joblib"


def build_classifier(c: float):
    """TF-IDF on characters (2-5) and words (1-2), logistic regression; the
    benchmark's baseline (bench/nlu.py) is this classifier alone."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ]
    )
    return make_pipeline(features, LogisticRegression(C=c, max_iter=3000))


# DIET's probability for an intent it left out of its ranking.
FLOOR = 1e-4


def combine(
    diet_ranking: List[Dict[str, Any]], own: Dict[str, float], weight: float
) -> List[Dict[str, Any]]:
    """Product of experts: DIET's probability to the power `weight` times this
    classifier's to the power 1 - weight, normalised, highest first. Where both
    agree the result stays sharp; a plain average of DIET's peaked and the
    regression's flat distribution fell below the FallbackClassifier's
    threshold twice as often on the development sets (docs/benchmarks.md)."""
    diet = {r["name"]: float(r.get("confidence") or 0.0) for r in diet_ranking}
    names = set(diet) | set(own)
    scores = {
        name: max(diet.get(name, 0.0), FLOOR) ** weight
        * max(own.get(name, 0.0), FLOOR) ** (1 - weight)
        for name in names
    }
    total = sum(scores.values()) or 1.0
    ranking = [{"name": name, "confidence": score / total} for name, score in scores.items()]
    return sorted(ranking, key=lambda r: r["confidence"], reverse=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfEnsembleClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # weight: DIET's share in the average; C: logistic regression's
        # inverse regularisation (as the baseline); ranking_length as DIET.
        return {"weight": 0.5, "C": 10.0, "ranking_length": 10}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: Optional[Any] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TfidfEnsembleClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        if len({m.get(INTENT) for m in examples}) < 2:
            return self._resource
        self.classifier = build_classifier(float(self.config["C"])).fit(
            [m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples]
        )
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.classifier, Path(directory) / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TfidfEnsembleClassifier":
        classifier = None
        try:
            with model_storage.read_from(resource) as directory:
                classifier = joblib.load(Path(directory) / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            pass  # no training data with intents: DIET alone
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.classifier is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        probabilities = self.classifier.predict_proba(texts)
        labels = list(self.classifier.classes_)
        weight = float(self.config["weight"])
        length = int(self.config["ranking_length"])
        for message, row in zip(messages, probabilities, strict=True):
            if not message.get(TEXT):
                continue
            own = dict(zip(labels, map(float, row), strict=True))
            ranking = combine(message.get(INTENT_RANKING_KEY) or [], own, weight)
            if length > 0:
                ranking = ranking[:length]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
