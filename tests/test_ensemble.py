"""The TF-IDF classifier next to DIET (bot/nlu/ensemble.py): trained in Rasa's
train step, stored with the model, averaged with DIET's ranking."""

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.ensemble import SoftmaxSVM, TfidfEnsembleClassifier, combine

EXAMPLES = {
    "hulp_geweigerd": ["ouders weigeren hulp", "ze willen geen hulp", "vader weigert alles"],
    "verhuizing": ["het gezin verhuist", "ze gaan verhuizen naar Zwolle", "zijn verhuisd"],
    "groet": ["hallo", "goedemorgen", "hoi daar"],
}


def test_combine_multiplies_normalises_and_floors_a_missing_intent():
    diet = [{"name": "a", "confidence": 0.8}, {"name": "b", "confidence": 0.2}]
    ranking = combine(diet, {"a": 0.2, "b": 0.2, "c": 0.6}, weight=0.5)
    assert [r["name"] for r in ranking] == ["a", "b", "c"]
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-9
    # agreement stays sharper than the plain average (0.85)
    sure = combine(diet, {"a": 0.9, "b": 0.1}, weight=0.5)
    assert sure[0]["confidence"] > 0.85
    assert combine(diet, {"c": 1.0}, weight=1.0)[0]["name"] == "a"


def test_trains_stores_loads_and_reranks(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("tfidf")
    config = {**TfidfEnsembleClassifier.get_default_config(), "weight": 0.5}
    component = TfidfEnsembleClassifier.create(config, storage, resource, None)
    data = TrainingData(
        [Message(data={TEXT: t, INTENT: i}) for i, texts in EXAMPLES.items() for t in texts]
    )
    component.train(data)
    loaded = TfidfEnsembleClassifier.load(config, storage, resource, None)
    # DIET is sure of the wrong intent only a little more than of the right one.
    message = Message(data={TEXT: "de ouders weigeren de hulp"})
    message.set(
        INTENT_RANKING_KEY,
        [
            {"name": "verhuizing", "confidence": 0.55},
            {"name": "hulp_geweigerd", "confidence": 0.45},
        ],
    )
    [result] = loaded.process([message])
    assert result.get(INTENT)["name"] == "hulp_geweigerd"
    ranking = result.get(INTENT_RANKING_KEY)
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
    assert ranking[0] == result.get(INTENT)


def test_without_intents_in_the_training_data_diet_alone_decides(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("tfidf")
    config = TfidfEnsembleClassifier.get_default_config()
    TfidfEnsembleClassifier.create(config, storage, resource, None).train(TrainingData([]))
    loaded = TfidfEnsembleClassifier.load(config, storage, resource, None)
    message = Message(data={TEXT: "hallo", INTENT: {"name": "groet", "confidence": 0.9}})
    [result] = loaded.process([message])
    assert result.get(INTENT)["name"] == "groet"


def test_svm_probabilities_follow_its_decision_and_sharpen_with_temperature():
    texts = [t for texts in EXAMPLES.values() for t in texts]
    intents = [i for i, texts in EXAMPLES.items() for _ in texts]
    soft = SoftmaxSVM(1.0, 1.0).fit(texts, intents)
    sharp = SoftmaxSVM(1.0, 10.0).fit(texts, intents)
    new = ["vader weigert de hulp", "ze verhuizen naar Zwolle"]
    for model in (soft, sharp):
        rows = model.predict_proba(new)
        assert abs(rows.sum(axis=1) - 1.0).max() < 1e-9
        predicted = [model.classes_[row.argmax()] for row in rows]
        assert predicted == list(model.pipeline.predict(new))
    assert sharp.predict_proba(new).max(axis=1).min() > soft.predict_proba(new).max(axis=1).max()


def test_svm_with_two_intents_gives_two_probabilities():
    texts = EXAMPLES["groet"] + EXAMPLES["verhuizing"]
    intents = ["groet"] * 3 + ["verhuizing"] * 3
    model = SoftmaxSVM(1.0, 10.0).fit(texts, intents)
    [row] = model.predict_proba(["goedemorgen"])
    assert row.shape == (2,)
    assert model.classes_[row.argmax()] == "groet"
