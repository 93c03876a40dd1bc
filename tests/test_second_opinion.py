"""The second opinion on the model's acute guess (bot/nlu/second_opinion.py):
its corpus, its quality on sets it did not see, and how the decision uses it."""

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import second_opinion
from bot.nlu.decision import (
    ACUUT,
    DEFAULT_SECOND_OPINION_THRESHOLD,
    TWIJFEL_GEVAAR,
    analyse_message,
)
from bot.nlu.situation_component import SituationDetector
from harness.nlu_data import HELD_OUT_SET, examples, normalised_text
from harness.situation_sets import HELD_OUT_SETS, acute_set, multi_fact_set

# Four folds of whole corpus files (each file is its own writer), trained on
# the other files: the share of acute messages scored below the threshold
# (they would get the danger question instead of the acute answer, if the
# model alone called them acute), and of calm messages scored above it.
# Measured (15 files, round 13): 8 of 1029 and 115 of 2502.
MAX_ACUTE_DISPUTED = 0.01
MAX_CALM_CONFIRMED = 0.08

CALM = "Ik wil graag weten hoe ik Veilig Thuis kan bereiken voor advies over een leerling."
ACUTE = (
    "Vader heeft vanavond een mes gepakt en gedreigd moeder dood te maken, de kinderen zijn thuis."
)
MODEL_SAYS_ACUTE = [
    {"name": ACUUT, "confidence": 0.6},
    {"name": "zorgen_blijven", "confidence": 0.4},
]


def test_the_corpus_holds_every_development_set():
    files = second_opinion.corpus_files()
    messages = second_opinion.corpus()
    assert len(files) >= 12
    assert sum(label for _, label in messages) >= 700
    assert sum(1 - label for _, label in messages) >= 1500


def test_the_corpus_shares_no_message_with_the_held_out_sets():
    held_out = {normalised_text(m.get("text")) for m in examples(HELD_OUT_SET)}
    for path in HELD_OUT_SETS.values():
        lists = acute_set(path)
        held_out |= {normalised_text(t) for t in lists["acuut"] + lists["niet_acuut"]}
        held_out |= {normalised_text(m["tekst"]) for m in multi_fact_set(path)}
    assert len(held_out) > 600
    overlap = [text for text, _ in second_opinion.corpus() if normalised_text(text) in held_out]
    assert overlap == []


def test_on_a_set_it_did_not_see_it_disputes_almost_no_acute_message():
    files = second_opinion.corpus_files()
    disputed = confirmed = acute = calm = 0
    for fold in range(4):
        held = files[fold::4]
        rest = [
            m for path in files if path not in held for m in second_opinion.labelled_messages(path)
        ]
        classifier = second_opinion.train(rest, 10.0)
        for text, label in (m for path in held for m in second_opinion.labelled_messages(path)):
            score = second_opinion.acute_score(classifier, text)
            if label:
                acute += 1
                disputed += score < DEFAULT_SECOND_OPINION_THRESHOLD
            else:
                calm += 1
                confirmed += score >= DEFAULT_SECOND_OPINION_THRESHOLD
    print(f"\nbetwist acuut {disputed}/{acute}, bevestigd rustig {confirmed}/{calm}")
    assert disputed / acute <= MAX_ACUTE_DISPUTED
    assert confirmed / calm <= MAX_CALM_CONFIRMED


def test_a_disputed_acute_guess_of_the_model_asks_the_danger_question():
    analysis = analyse_message(CALM, ACUUT, MODEL_SAYS_ACUTE, second_opinion=lambda: 0.05)
    assert analysis["intent"] == TWIJFEL_GEVAAR and not analysis["acuut"]
    analysis = analyse_message(CALM, ACUUT, MODEL_SAYS_ACUTE, second_opinion=lambda: 0.9)
    assert analysis["intent"] == ACUUT
    # Without a second opinion (no corpus) the model's guess stands.
    assert (
        analyse_message(CALM, ACUUT, MODEL_SAYS_ACUTE, second_opinion=lambda: None)["intent"]
        == ACUUT
    )


def test_the_second_opinion_never_overrules_an_acute_cue_and_is_asked_only_when_needed():
    asked = []

    def calm_opinion():
        asked.append(1)
        return 0.0

    assert (
        analyse_message(ACUTE, ACUUT, MODEL_SAYS_ACUTE, second_opinion=calm_opinion)["intent"]
        == ACUUT
    )
    calm_ranking = [{"name": "vraag_veilig_thuis", "confidence": 0.9}]
    analyse_message(CALM, "vraag_veilig_thuis", calm_ranking, second_opinion=calm_opinion)
    assert asked == []


def test_the_detector_trains_stores_loads_and_uses_the_second_opinion(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("situaties")
    config = SituationDetector.get_default_config()
    SituationDetector.create(config, storage, resource, None).train(TrainingData([]))
    loaded = SituationDetector.load(config, storage, resource, None)
    assert loaded.classifier is not None

    def parse(text):
        message = Message(data={TEXT: text, INTENT: dict(MODEL_SAYS_ACUTE[0])})
        message.set(INTENT_RANKING_KEY, MODEL_SAYS_ACUTE)
        return loaded.process([message])[0].get(INTENT)["name"]

    assert parse(CALM) == TWIJFEL_GEVAAR
    assert parse(ACUTE) == ACUUT


def test_the_fingerprint_follows_the_corpus(tmp_path):
    (tmp_path / "set.yml").write_text("acuut: [a]\nniet_acuut: [b]\n", encoding="utf-8")
    before = second_opinion.corpus_fingerprint(tmp_path)
    assert second_opinion.corpus_fingerprint(tmp_path) == before
    (tmp_path / "set.yml").write_text("acuut: [a]\nniet_acuut: [b, c]\n", encoding="utf-8")
    assert second_opinion.corpus_fingerprint(tmp_path) != before
    assert second_opinion.corpus(tmp_path) == [("a", 1), ("b", 0), ("c", 0)]


def test_the_models_slight_doubt_asks_nothing_when_the_second_opinion_reads_calm():
    doubting = [{"name": "zorgen_blijven", "confidence": 0.85}, {"name": ACUUT, "confidence": 0.15}]
    text = "Ik maak me zorgen over een leerling."
    assert analyse_message(text, "zorgen_blijven", doubting)["intent"] == TWIJFEL_GEVAAR
    calm = analyse_message(text, "zorgen_blijven", doubting, second_opinion=lambda: 0.02)
    assert calm["intent"] == "zorgen_blijven" and not calm["twijfel_gevaar"]
    unsure = analyse_message(text, "zorgen_blijven", doubting, second_opinion=lambda: 0.4)
    assert unsure["intent"] == TWIJFEL_GEVAAR
    # a weak danger cue still asks, whatever the second opinion says
    weak = "Na de verwijzing zag ik een blauwe plek op zijn arm."
    assert (
        analyse_message(weak, "zorgen_blijven", doubting, second_opinion=lambda: 0.0)["intent"]
        == TWIJFEL_GEVAAR
    )
