"""End to end: the shared assistant (tests/shared_assistant.py), Dutch
conversations over REST.

Asserts the step ids in the `custom` payloads (protocol-contract.md, section 4).
"""

import json

import pytest

from bot import regio
from bot.context_content import load_context_texts
from bot.regio_answer import place_line
from bot.render import fill
from tests.shared_assistant import new_sender

pytestmark = pytest.mark.integration


def new_conversation(assistant):
    sender = new_sender("e2e")
    return lambda text: assistant.say(sender, text)


def step_ids(messages):
    payloads = [
        m["custom"] for m in messages if m.get("custom", {}).get("type") == "vervolgstappen"
    ]
    return [step["id"] for payload in payloads for step in payload["stappen"]]


def texts(messages):
    return "\n".join(m.get("text", "") for m in messages)


def is_question(messages):
    return step_ids(messages) == [] and texts(messages).rstrip().endswith("?")


def test_referral_with_concerns_gives_the_four_referral_steps(assistant):
    say = new_conversation(assistant)
    reply = say("ik heb het gezin doorverwezen naar het wijkteam maar maak me nog steeds zorgen")
    assert step_ids(reply) == [
        "doorverwijzing.blijven_volgen",
        "doorverwijzing.opnieuw_in_actie",
        "doorverwijzing.afspraken_nagaan",
        "doorverwijzing.bespreken_en_aankondigen",
    ]
    assert "Bron:" in texts(reply)


def test_concerns_without_fase_are_asked_then_answered(assistant):
    say = new_conversation(assistant)
    question = say("ik blijf me zorgen maken over een leerling")
    assert is_question(question)
    assert "doorverwezen" in texts(question) and "gemeld" in texts(question)
    reply = say("we hebben gemeld bij Veilig Thuis")
    assert step_ids(reply) == ["melding.blijven_volgen", "melding.opnieuw_contact"]


def test_refused_help_gives_direct_report(assistant):
    say = new_conversation(assistant)
    assert step_ids(say("de ouders weigeren hulp")) == ["weigering.direct_melden"]


def test_move_asks_about_report_and_names_the_place(assistant):
    say = new_conversation(assistant)
    question = say("het gezin is verhuisd naar Zwolle")
    assert is_question(question)
    assert "gemeld" in texts(question)
    reply = say("ja")
    assert step_ids(reply) == [
        "verhuizing.contact_nieuwe_woonplaats",
        "verhuizing.overdracht_checken",
    ]
    assert "Zwolle" in texts(reply)


def test_acute_danger_is_answered_at_once(assistant):
    say = new_conversation(assistant)
    reply = say(
        "een kind zegt dat zijn vader hem vanavond weer gaat slaan en hij durft niet naar huis"
    )
    assert step_ids(reply) == ["acuut.melden", "acuut.direct_gevaar"]
    assert "112" in texts(reply)


def test_out_of_scope_gives_no_steps(assistant):
    say = new_conversation(assistant)
    reply = say("wat voor weer wordt het morgen")
    assert step_ids(reply) == []
    assert texts(reply)


def test_several_situations_and_known_fase_is_not_asked_again(assistant):
    say = new_conversation(assistant)
    first = say("na de melding bij Veilig Thuis blijf ik me zorgen maken")
    assert step_ids(first) == ["melding.blijven_volgen", "melding.opnieuw_contact"]
    moved = say("en nu is het gezin verhuisd naar Den Haag")
    assert step_ids(moved) == [
        "verhuizing.contact_nieuwe_woonplaats",
        "verhuizing.overdracht_checken",
    ]
    assert "Den Haag" in texts(moved)


def test_restart_forgets_the_case(assistant):
    say = new_conversation(assistant)
    assert step_ids(say("het gezin dat we bij VT gemeld hebben is verhuisd naar Zwolle"))
    say("opnieuw beginnen")
    assert is_question(say("het gezin verhuist naar Emmen"))


def case_payload(messages):
    (payload,) = [m["custom"] for m in messages if m.get("custom", {}).get("type") == "oefencasus"]
    return payload


def test_one_exercise_right_wrong_and_stop(assistant):
    from bot.oefening import load_exercises

    exercises = load_exercises()
    say = new_conversation(assistant)
    first = case_payload(say("ik wil oefenen"))
    case = exercises.cases[first["casus_id"]]
    right = say(f'/oefen_antwoord{{"oefen_keuze": "{case.situation_id}"}}')
    assert texts(right).startswith(exercises.texts["goed"])
    assert step_ids(right) == list(case.step_ids)

    second = exercises.cases[case_payload(right)["casus_id"]]
    wrong_option = next(
        o["nummer"] for o in case_payload(right)["opties"] if o["keuze"] != second.situation_id
    )
    wrong = say(str(wrong_option))  # a typed number, as in a channel without buttons
    assert texts(wrong).startswith(exercises.texts["fout"])
    assert step_ids(wrong) == list(second.step_ids)

    stopped = say("stop oefenen")
    assert exercises.texts["gestopt"] in texts(stopped)
    assert step_ids(say("de ouders weigeren hulp")) == ["weigering.direct_melden"]


def payload_of(messages, kind):
    (payload,) = [m["custom"] for m in messages if m.get("custom", {}).get("type") == kind]
    return payload


def test_move_names_the_region_and_whether_it_changes(assistant):
    say = new_conversation(assistant)
    reply = say("het gezin dat we bij Veilig Thuis hebben gemeld is verhuisd naar Nijverdal")
    steps = payload_of(reply, "vervolgstappen")
    assert steps["regio"] == {
        "plaats": "Nijverdal",
        "gemeente": "Hellendoorn",
        "vt_code": "VT19",
        "vt_regio": "Twente",
    }
    assert "Nijverdal (gemeente Hellendoorn) valt onder de Veilig Thuis-regio Twente" in texts(
        reply
    )
    assert "hiervoor woonde" in texts(reply)  # asked once, after the steps
    again = say("Apeldoorn")
    changed = payload_of(again, "vervolgstappen")
    assert changed["regio"]["vt_regio"] == "Twente"
    assert changed["vorige_regio"]["vt_regio"] == "Noord- en Oost-Gelderland"
    assert "De regio verandert" in texts(again)
    assert "hiervoor woonde" not in texts(again)


def test_ambiguous_place_is_asked_with_one_button_per_gemeente(assistant):
    say = new_conversation(assistant)
    question = say("het gezin is verhuisd naar Velp")
    buttons = [b for m in question for b in m.get("buttons") or []]
    titles = [b["title"] for b in buttons]
    assert "Velp (gemeente Rheden)" in titles and "Velp (gemeente Land van Cuijk)" in titles
    chosen = next(b["payload"] for b in buttons if b["title"] == "Velp (gemeente Rheden)")
    assert is_question(say(chosen))  # now: was the family reported?
    reply = say("nee")
    assert payload_of(reply, "vervolgstappen")["regio"]["gemeente"] == "Rheden"


def test_note_for_the_dossier_after_a_refusal(assistant):
    say = new_conversation(assistant)
    assert step_ids(say("de ouders weigeren hulp")) == ["weigering.direct_melden"]
    reply = say("wat moet ik vastleggen in het dossier?")
    note = payload_of(reply, "verslag")
    assert note["situaties"] == ["hulp_geweigerd"]
    assert "Bron:" in note["tekst"] and "Leg ook vast" in note["tekst"]
    assert note["tekst"] in texts(reply)


def test_a_gemeente_a_same_region_move_and_a_typo_as_a_user_types_them(assistant):
    """Issue 12 over REST: a gemeente names its region; a previous place in the
    same region says so; a misspelt place gets "Bedoelt u ...?" with a button,
    never a guessed region."""
    texts_of = load_context_texts().region
    say = new_conversation(assistant)
    reply = say("we hebben gemeld bij Veilig Thuis en het gezin is verhuisd naar Deventer")
    assert payload_of(reply, "vervolgstappen")["regio"]["vt_regio"] == "IJsselland"
    assert place_line(load_context_texts(), regio.lookup("Deventer").place) in texts(reply)

    say = new_conversation(assistant)
    reply = say("het gezin dat we bij Veilig Thuis hebben gemeld is verhuisd naar Zeist")
    assert payload_of(reply, "vervolgstappen")["regio"]["vt_regio"] == "Utrecht"
    again = say("Amersfoort")  # the question about the previous place
    same = fill(texts_of["zelfde_regio"], vorige="Amersfoort", plaats="Zeist", vt_regio="Utrecht")
    assert same in texts(again) and texts_of["zelfde_regio_gemeld"] in texts(again)
    assert payload_of(again, "vervolgstappen")["vorige_regio"]["vt_regio"] == "Utrecht"

    say = new_conversation(assistant)
    question = say("het gezin is verhuisd naar Apeldorn")
    assert texts_of["vraag_bedoelt_u"] in texts(question)
    assert "regio" not in json.dumps([m.get("custom") for m in question])
    buttons = [b for m in question for b in m.get("buttons") or []]
    chosen = next(b["payload"] for b in buttons if "Apeldoorn" in b["title"])
    assert is_question(say(chosen))  # now: was the family reported?
    reply = say("ja")
    assert payload_of(reply, "vervolgstappen")["regio"]["gemeente"] == "Apeldoorn"
