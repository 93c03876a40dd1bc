"""Fuzzing with hypothesis: content selection, redaction, payload rendering and
exercise answers never raise on random input."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_protocol
from bot.contract import SITUATION_IDS
from bot.oefening import case_message, choice_from_message, load_exercises, option_number
from bot.privacy.redact import REDACTION_FAILED, redact, redact_value
from bot.render import clean_place, render_answer

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None)
any_text = st.text(max_size=300)
entities = st.lists(
    st.fixed_dictionaries(
        {
            "entity": st.sampled_from(["fase", "plaats", "oefen_keuze", "x"]),
            "value": st.one_of(any_text, st.integers(), st.none()),
        }
    ),
    max_size=3,
)


@FUZZ
@given(
    situation=st.sampled_from(SITUATION_IDS),
    reported=st.booleans(),
    place=st.one_of(st.none(), any_text, st.integers(), st.lists(any_text)),
)
def test_render_answer_always_gives_a_valid_payload(situation, reported, place):
    answer = render_answer(load_protocol(), situation, reported=reported, place=place)
    assert json.loads(json.dumps(answer.payload))["situatie"] == situation
    assert answer.step_ids and answer.text
    cleaned = clean_place(place)
    if cleaned is not None:
        assert "<" not in cleaned and "{" not in cleaned
        if situation == "verhuizing":
            assert cleaned in answer.text


# Pieces that look like personal data, so the patterns of redact() really run.
PII_PIECES = [
    "06-12345678",
    "+31 20 123 4567",
    "1234 AB",
    "Kerkstraat 12",
    "123456782",
    "NL91ABNA0417164300",
    "a@b.nl",
    "12-03-2015",
    "ik ben Jan",
    "mijn naam is",
]
pii_text = st.lists(st.one_of(any_text, st.sampled_from(PII_PIECES)), max_size=8).map(" ".join)


def strings_in(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in strings_in(item)]
    return []


@FUZZ
@given(
    value=st.recursive(
        st.one_of(any_text, pii_text, st.integers(), st.none()),
        lambda children: st.lists(children) | st.dictionaries(any_text, children),
        max_leaves=10,
    )
)
def test_redaction_never_fails(value):
    # redact() fails closed with REDACTION_FAILED instead of raising, so a bug
    # shows only as that marker: it must never come back.
    assert REDACTION_FAILED not in strings_in(redact_value(value))
    if isinstance(value, str):
        assert redact(value) != REDACTION_FAILED
        assert redact(redact(value)) == redact(value)


@FUZZ
@given(
    text=any_text,
    intent=st.one_of(
        st.none(),
        any_text,
        st.sampled_from(["zorgen_blijven", "informeren_fase", "hulp_geweigerd", "oefen_antwoord"]),
    ),
    found=entities,
)
def test_exercise_answers_never_raise(text, intent, found):
    exercises = load_exercises()
    for case in list(exercises.cases.values())[:3]:
        choice = choice_from_message(case, text, intent, found)
        assert (
            choice is None
            or choice in exercises.answers
            or choice in exercises.mistakes
            or choice in load_protocol().situations
        )
        case_message(exercises, case, 1, 3)
    option_number(text)
