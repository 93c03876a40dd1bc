"""Floors for redaction on the PII test set (tests/privacy/pii_testset.yml).

The figures themselves are in docs/privacy.md (`python -m tests.privacy.evaluate`).
"""

import pytest

from tests.privacy.evaluate import KINDS, evaluate, load_testset

NAME_RECALL_FLOOR = 0.95
# Of the sentences without personal data, at most this share may change.
MAX_FALSE_POSITIVE_SHARE = 0.05


@pytest.fixture(scope="module")
def figures():
    return evaluate(load_testset())


def test_the_testset_has_the_required_size_and_mix():
    items = load_testset()
    assert len(items) >= 200
    assert sum(1 for item in items if item.get("namen")) >= 100
    assert sum(1 for item in items if not any(item.get(k) for k in KINDS)) >= 50
    assert sum(1 for item in items if item.get("plaats")) >= 20
    lower_case = [n for item in items for n in item.get("namen") or [] if n.islower()]
    assert len(lower_case) >= 8


def test_person_names_are_found(figures):
    assert figures.recall("namen") >= NAME_RECALL_FLOOR, figures.missed["namen"]


@pytest.mark.parametrize("kind", ["bsn", "telefoon", "email", "iban"])
def test_every_number_and_address_kind_is_found(figures, kind):
    assert figures.total[kind] > 0
    assert figures.recall(kind) == 1.0, figures.missed[kind]


def test_sentences_without_personal_data_are_left_alone(figures):
    assert len(figures.damaged) <= MAX_FALSE_POSITIVE_SHARE * figures.clean_sentences, (
        figures.damaged
    )


def test_the_town_stays_for_the_plaats_slot(figures):
    assert figures.towns >= 20 and figures.towns_lost == []
