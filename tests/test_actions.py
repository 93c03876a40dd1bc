"""Every custom action and form validation, with tracker and dispatcher fixtures."""

import asyncio
import logging

import pytest
from rasa_sdk.events import SlotSet

from actions import forms, herinneringen, oefening, situaties, verslag, vervolgstappen, vragen
from bot.content import load_protocol

STEP_ACTIONS = {
    vervolgstappen.ActionStappenVerhuizing: "verhuizing",
    vervolgstappen.ActionStappenHulpGeweigerd: "hulp_geweigerd",
    vervolgstappen.ActionStappenVerantwoordelijkheid: "verantwoordelijkheid",
    vervolgstappen.ActionStappenMeldcode: "stappen_meldcode",
    vervolgstappen.ActionStappenVeiligThuis: "contact_veilig_thuis",
}


def run(action, dispatcher, tracker, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def payloads(dispatcher):
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


def step_ids(dispatcher):
    (payload,) = payloads(dispatcher)
    return [step["id"] for step in payload["stappen"]]


def test_every_domain_action_is_implemented(domain):
    implemented = {
        cls().name()
        for module in (vervolgstappen, situaties, forms, vragen, oefening, verslag, herinneringen)
        for cls in vars(module).values()
        if isinstance(cls, type)
        and cls.__module__ == module.__name__
        and not getattr(cls, "__abstractmethods__", None)
    }
    assert set(domain["actions"]) == implemented


@pytest.mark.parametrize("action_class", sorted(STEP_ACTIONS, key=lambda c: c.__name__))
def test_step_action_sends_its_answer_then_the_follow_up_buttons(
    action_class, dispatcher, tracker_factory, domain
):
    events = run(action_class(), dispatcher, tracker_factory(), domain)
    situation_id = STEP_ACTIONS[action_class]
    answer, follow_up = dispatcher.messages
    # The buttons' wording stays in domain.yml: the action only names the response.
    assert follow_up["response"] == "utter_vervolg_opties" and not follow_up["text"]
    assert answer["custom"]["situatie"] == situation_id
    assert answer["text"].startswith(load_protocol().situations[situation_id].title[:12])
    assert step_ids(dispatcher) == list(load_protocol().situations[situation_id].step_ids)
    assert events == [
        SlotSet("situatie", situation_id),
        SlotSet("besproken_situaties", [situation_id]),
    ]


@pytest.mark.parametrize("action_class", sorted(STEP_ACTIONS, key=lambda c: c.__name__))
def test_step_action_during_a_form_leaves_the_buttons_to_the_form(
    action_class, dispatcher, tracker_factory, domain
):
    # An interruption answered during a form: the form asks its question next.
    tracker = tracker_factory(active_loop="zorgen_form")
    run(action_class(), dispatcher, tracker, domain)
    (answer,) = dispatcher.messages
    assert answer["custom"]["situatie"] == STEP_ACTIONS[action_class]


@pytest.mark.parametrize(
    "fase, situation_id, first_step",
    [
        ("doorverwezen", "zorgen_na_doorverwijzing", "doorverwijzing.blijven_volgen"),
        ("gemeld", "zorgen_na_melding", "melding.blijven_volgen"),
        ("melding bij VT gedaan", "zorgen_na_melding", "melding.blijven_volgen"),
        ("verwezen naar het wijkteam", "zorgen_na_doorverwijzing", "doorverwijzing.blijven_volgen"),
    ],
)
def test_concerns_follow_the_known_fase(
    fase, situation_id, first_step, dispatcher, tracker_factory, domain
):
    tracker = tracker_factory(slots={"fase": fase})
    events = run(vervolgstappen.ActionStappenZorgen(), dispatcher, tracker, domain)
    ids = step_ids(dispatcher)
    assert ids[0] == first_step
    prefix = "melding." if situation_id == "zorgen_na_melding" else "doorverwijzing."
    assert all(step_id.startswith(prefix) for step_id in ids)
    assert events == [
        SlotSet("situatie", situation_id),
        SlotSet("besproken_situaties", [situation_id]),
    ]


def test_move_after_report_names_the_place(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(slots={"gemeld_bij_vt": True, "plaats": "Zwolle"})
    run(vervolgstappen.ActionStappenVerhuizing(), dispatcher, tracker, domain)
    assert step_ids(dispatcher) == [
        "verhuizing.contact_nieuwe_woonplaats",
        "verhuizing.overdracht_checken",
    ]
    assert "Zwolle" in dispatcher.messages[0]["text"]


def test_move_known_as_reported_through_fase(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(slots={"fase": "gemeld"})
    run(vervolgstappen.ActionStappenVerhuizing(), dispatcher, tracker, domain)
    assert "verhuizing.overdracht_checken" in step_ids(dispatcher)


def test_move_not_reported_has_no_handover_check(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(slots={"gemeld_bij_vt": False, "fase": "doorverwezen"})
    run(vervolgstappen.ActionStappenVerhuizing(), dispatcher, tracker, domain)
    assert step_ids(dispatcher) == ["verhuizing.contact_nieuwe_woonplaats"]


def test_failing_action_sends_safe_message_and_logs_no_user_text(
    dispatcher, tracker_factory, domain, caplog
):
    # No fase: a dialogue bug. The user must still get a safe answer.
    tracker = tracker_factory(slots={"fase": None}, text="mijn naam is Jansen uit Zwolle")
    with caplog.at_level(logging.ERROR):
        events = run(vervolgstappen.ActionStappenZorgen(), dispatcher, tracker, domain)
    assert events == []
    assert payloads(dispatcher) == []
    (message,) = dispatcher.messages
    assert message["text"] == load_protocol().technical_error
    assert "0800-2000" in message["text"]
    assert "action_stappen_zorgen" in caplog.text and "ValueError" in caplog.text
    assert "Jansen" not in caplog.text and "Zwolle" not in caplog.text


def test_error_message_survives_a_broken_content_file(
    dispatcher, tracker_factory, domain, monkeypatch, tmp_path
):
    broken = tmp_path / "weg.yml"
    monkeypatch.setenv("MELDCODE_CONTENT_FILE", str(broken))
    run(situaties.ActionStappenAcuut(), dispatcher, tracker_factory(), domain)
    (message,) = dispatcher.messages
    assert "0800-2000" in message["text"] and "112" in message["text"]


@pytest.mark.parametrize(
    "action_class, slot",
    [(vragen.ActionAskFase, "fase"), (vragen.ActionAskGemeldBijVt, "gemeld_bij_vt")],
)
def test_ask_actions_send_the_question_with_buttons(
    action_class, slot, dispatcher, tracker_factory, domain
):
    run(action_class(), dispatcher, tracker_factory(), domain)
    (message,) = dispatcher.messages
    question = load_protocol().questions[slot]
    assert message["text"] == question.text
    assert message["buttons"] == list(question.buttons)


# --- Form validation ---


def validate(action, dispatcher, tracker, domain):
    return {
        e["name"]: e["value"]
        for e in run(action, dispatcher, tracker, domain)
        if e["event"] == "slot"
    }


@pytest.mark.parametrize("said, slot_value", [("VT-melding", "gemeld"), ("geen idee", None)])
def test_fase_answer_is_normalised_or_asked_again(
    said, slot_value, dispatcher, tracker_factory, domain
):
    tracker = tracker_factory(
        slots={"requested_slot": "fase"},
        extracted={"fase": said},
        intent="informeren_fase",
        entities=[{"entity": "fase", "value": said}],
        active_loop="zorgen_form",
    )
    slots = validate(forms.ValidateZorgenForm(), dispatcher, tracker, domain)
    assert slots["fase"] == slot_value


def test_answer_with_fase_answers_the_report_question(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(
        slots={"requested_slot": "gemeld_bij_vt"},
        intent="informeren_fase",
        entities=[{"entity": "fase", "value": "doorverwezen"}],
        active_loop="verhuizing_form",
    )
    slots = validate(forms.ValidateVerhuizingForm(), dispatcher, tracker, domain)
    assert slots["gemeld_bij_vt"] is False


def test_no_with_a_negated_report_is_not_a_report(dispatcher, tracker_factory, domain):
    # "nee, niet gemeld": the domain maps ontkennen to False; the entity must not flip it.
    tracker = tracker_factory(
        slots={"requested_slot": "gemeld_bij_vt"},
        extracted={"gemeld_bij_vt": False},
        intent="ontkennen",
        entities=[{"entity": "fase", "value": "gemeld"}],
        active_loop="verhuizing_form",
    )
    slots = validate(forms.ValidateVerhuizingForm(), dispatcher, tracker, domain)
    assert slots.get("gemeld_bij_vt") is False
    assert slots.get("fase") is None


def test_yes_to_the_report_question_also_fills_fase(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(
        slots={"requested_slot": "gemeld_bij_vt"},
        extracted={"gemeld_bij_vt": True},
        intent="bevestigen",
        active_loop="verhuizing_form",
    )
    slots = validate(forms.ValidateVerhuizingForm(), dispatcher, tracker, domain)
    assert slots["gemeld_bij_vt"] is True
    assert slots["fase"] == "gemeld"


def test_known_report_skips_the_question(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(
        slots={"fase": "gemeld"}, intent="verhuizing", active_loop="verhuizing_form"
    )
    slots = validate(forms.ValidateVerhuizingForm(), dispatcher, tracker, domain)
    assert slots.get("requested_slot") is None
    assert dispatcher.messages == []


def test_unknown_report_is_asked(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(
        slots={"fase": "doorverwezen"}, intent="verhuizing", active_loop="verhuizing_form"
    )
    required = asyncio.run(
        forms.ValidateVerhuizingForm().required_slots(
            ["gemeld_bij_vt"], dispatcher, tracker, domain
        )
    )
    assert required == ["gemeld_bij_vt"]
