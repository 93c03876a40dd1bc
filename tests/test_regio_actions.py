"""Actions for region, previous place, dossier note and organisation contacts."""

import asyncio
import json
import re

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import forms, verslag, vervolgstappen, vragen
from bot import settings
from bot.__main__ import check_content
from bot.content import load_protocol


def run(action, dispatcher, tracker, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def move_answer(dispatcher, tracker_factory, domain, **slots):
    tracker = tracker_factory(slots=slots, intent="verhuizing")
    events = run(vervolgstappen.ActionStappenVerhuizing(), dispatcher, tracker, domain)
    message, follow_up = dispatcher.messages
    assert follow_up["response"] == "utter_vervolg_opties"
    return message["text"], message["custom"], events


@pytest.fixture(autouse=True)
def no_organisation_settings(monkeypatch):
    for name in settings.ORGANISATION_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_move_to_a_gemeente_names_its_region(dispatcher, tracker_factory, domain):
    text, payload, events = move_answer(
        dispatcher, tracker_factory, domain, plaats="Deventer", gemeld_bij_vt=False
    )
    assert "Deventer valt onder de Veilig Thuis-regio IJsselland." in text
    assert "CBS" in text and "0800-2000" in text
    assert payload["regio"] == {
        "plaats": "Deventer",
        "gemeente": "Deventer",
        "vt_code": "VT11",
        "vt_regio": "IJsselland",
    }
    assert "vorige_regio" not in payload
    assert SlotSet("besproken_situaties", ["verhuizing"]) in events


def test_move_to_a_woonplaats_names_gemeente_and_region(dispatcher, tracker_factory, domain):
    text, payload, _ = move_answer(dispatcher, tracker_factory, domain, plaats="nijverdal")
    assert "Nijverdal (gemeente Hellendoorn) valt onder de Veilig Thuis-regio Twente." in text
    assert payload["regio"]["gemeente"] == "Hellendoorn"
    assert payload["regio"]["vt_code"] == "VT19"


def test_move_within_one_region_after_a_report(dispatcher, tracker_factory, domain):
    text, payload, _ = move_answer(
        dispatcher,
        tracker_factory,
        domain,
        plaats="Zeist",
        vorige_plaats="Amersfoort",
        gemeld_bij_vt=True,
    )
    assert payload["regio"]["vt_regio"] == payload["vorige_regio"]["vt_regio"] == "Utrecht"
    assert "dezelfde Veilig Thuis-regio" in text
    assert "dezelfde Veilig Thuis blijft betrokken" in text
    assert "De regio verandert:" not in text


def test_move_to_another_region_after_a_report_checks_the_hand_over(
    dispatcher, tracker_factory, domain
):
    text, payload, _ = move_answer(
        dispatcher,
        tracker_factory,
        domain,
        plaats="Zwolle",
        vorige_plaats="Apeldoorn",
        gemeld_bij_vt=True,
    )
    assert "De regio verandert: van Noord- en Oost-Gelderland (Apeldoorn) naar IJsselland." in text
    assert "overgedragen" in text
    assert [s["id"] for s in payload["stappen"]][-1] == "verhuizing.overdracht_checken"
    assert payload["vorige_regio"]["vt_code"] == "VT14"


def test_move_without_report_says_region_change_but_no_hand_over(
    dispatcher, tracker_factory, domain
):
    text, _, _ = move_answer(
        dispatcher, tracker_factory, domain, plaats="Zwolle", vorige_plaats="Apeldoorn"
    )
    assert "De regio verandert" in text
    assert "Check daarom of de melding is overgedragen" not in text


@pytest.mark.parametrize("place", ["Antwerpen", "Velp", "Apeldorn", "<b>Jan</b>"])
def test_unknown_or_unclear_place_gets_the_general_text(place, dispatcher, tracker_factory, domain):
    text, payload, _ = move_answer(dispatcher, tracker_factory, domain, plaats=place)
    assert "regio" not in payload
    assert place not in text
    assert payload["titel"] == load_protocol().situations["verhuizing"].title


def validate(slot, value, tracker, domain):
    action = forms.ValidateVerhuizingForm()
    return getattr(action, f"validate_{slot}")(value, None, tracker, domain)


def test_validate_plaats_resolves_asks_or_drops(tracker_factory, domain):
    tracker = tracker_factory(intent="verhuizing")
    assert validate("plaats", "Den Haag", tracker, domain) == {
        "plaats": "Den Haag",
        "plaats_opties": None,
    }
    velp = validate("plaats", "Velp", tracker, domain)
    assert velp["plaats"] is None
    assert velp["plaats_opties"] == {
        "soort": "welke",
        "plaatsen": ["Velp (gemeente Rheden)", "Velp (gemeente Land van Cuijk)"],
    }
    typo = validate("plaats", "Apeldorn", tracker, domain)
    assert typo["plaats_opties"] == {"soort": "bedoelt_u", "plaatsen": ["gemeente Apeldoorn"]}
    assert validate("plaats", "gemeente Apeldoorn", tracker, domain)["plaats"] == "Apeldoorn"
    beuningen = validate("plaats", "gemeente Beuningen", tracker, domain)["plaats"]
    assert beuningen == "gemeente Beuningen"  # "Beuningen" alone is also in Losser
    assert validate("plaats", "Qwxyz", tracker, domain) == {"plaats": None, "plaats_opties": None}
    asked = tracker_factory(slots={"requested_slot": "plaats"}, intent="verhuizing")
    assert validate("plaats", "Velp", asked, domain) == {"plaats": None, "plaats_opties": None}


def required(tracker, domain):
    action = forms.ValidateVerhuizingForm()
    return asyncio.run(action.required_slots(["gemeld_bij_vt"], None, tracker, domain))


def test_previous_place_is_asked_once_after_the_steps_only_after_a_report(tracker_factory, domain):
    def answer(**slots):
        dispatcher = CollectingDispatcher()
        tracker = tracker_factory(slots=slots, intent="verhuizing")
        events = run(vervolgstappen.ActionStappenVerhuizing(), dispatcher, tracker, domain)
        return dispatcher.messages, events

    messages, events = answer(plaats="Zwolle", gemeld_bij_vt=True)
    assert messages[0]["custom"]["type"] == "vervolgstappen"  # the steps come first
    assert "hiervoor woonde" in messages[1]["text"]
    assert messages[2]["response"] == "utter_vervolg_opties"  # the buttons come last
    assert SlotSet("vorige_plaats_gevraagd", True) in events
    assert SlotSet("vorige_plaats_open", True) in events
    for slots in (
        {"plaats": "Zwolle", "gemeld_bij_vt": False},
        {"plaats": "Zwolle", "gemeld_bij_vt": True, "vorige_plaats_gevraagd": True},
        {"plaats": "Zwolle", "fase": "gemeld", "vorige_plaats": "Deventer"},
        {"plaats": "Velp", "gemeld_bij_vt": True},
    ):
        messages, events = answer(**slots)
        assert [m["response"] for m in messages] == [None, "utter_vervolg_opties"], slots
        assert not any(e.get("name") == "vorige_plaats_gevraagd" for e in events)


def test_open_question_is_closed_by_any_other_answer(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(slots={"vorige_plaats_open": True}, intent="hulp_geweigerd")
    events = run(vervolgstappen.ActionStappenHulpGeweigerd(), dispatcher, tracker, domain)
    assert SlotSet("vorige_plaats_open", False) in events


def test_unclear_place_is_asked_before_the_report_question(tracker_factory, domain):
    options = {"soort": "welke", "plaatsen": ["Velp (gemeente Rheden)"]}
    assert required(tracker_factory(slots={"plaats_opties": options}), domain) == [
        "plaats",
        "gemeld_bij_vt",
    ]


def extract(slot, tracker, domain):
    action = forms.ValidateVerhuizingForm()
    return asyncio.run(getattr(action, f"extract_{slot}")(None, tracker, domain))


VELP = {"soort": "welke", "plaatsen": ["Velp (gemeente Rheden)", "Velp (gemeente Land van Cuijk)"]}


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("die in Rheden", "nlu_fallback", {"plaats": "Velp (gemeente Rheden)", "plaats_opties": None}),
        ("Land van Cuijk", "verhuizing", {"plaats": "Velp (gemeente Land van Cuijk)", "plaats_opties": None}),
        ("weet ik niet", "ontkennen", {"plaats_opties": None, "requested_slot": None}),
        ("Zwolle", "verhuizing", {"plaats_opties": None, "requested_slot": None}),
        ("het kind is nu in gevaar", "acute_zorgen", {}),
    ],
)  # fmt: skip
def test_answer_to_which_place(text, intent, expected, tracker_factory, domain):
    tracker = tracker_factory(
        slots={"requested_slot": "plaats", "plaats_opties": VELP}, intent=intent, text=text
    )
    assert extract("plaats", tracker, domain) == expected


def test_previous_place_must_resolve_to_one_gemeente(tracker_factory, domain):
    tracker = tracker_factory(intent="verhuizing")
    assert validate("vorige_plaats", "Deventer", tracker, domain) == {
        "vorige_plaats": "Deventer",
        "vorige_plaats_gevraagd": True,
    }
    assert validate("vorige_plaats", "Velp", tracker, domain)["vorige_plaats"] is None


def test_which_place_question_has_one_button_per_gemeente(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(slots={"plaats_opties": VELP})
    run(vragen.ActionAskPlaats(), dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    assert message["text"].endswith("?")
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:2] == VELP["plaatsen"]
    payload = message["buttons"][0]["payload"]
    assert payload.startswith("/verhuizing{")
    assert json.loads(payload[len("/verhuizing") :]) == {"plaats": "Velp (gemeente Rheden)"}
    assert message["buttons"][-1]["payload"] == "/ontkennen"


def test_note_for_the_dossier_lists_situations_steps_and_checklist(
    dispatcher, tracker_factory, domain
):
    tracker = tracker_factory(
        slots={
            "besproken_situaties": ["hulp_geweigerd", "verhuizing"],
            "plaats": "gemeente Zwolle",
            "gemeld_bij_vt": True,
        },
        intent="vraag_verslag",
        text="maak een verslag over Jan de Vries, 0612345678, Kerkstraat 1",
    )
    run(verslag.ActionVerslag(), dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    payload = message["custom"]
    assert payload["type"] == "verslag"
    assert payload["situaties"] == ["hulp_geweigerd", "verhuizing"]
    assert payload["tekst"] == message["text"]
    text = payload["tekst"]
    assert "\n\n" not in text  # Rasa would split the text message at a blank line
    assert re.search(r"\d{2}-\d{2}-\d{4}", text)
    protocol = load_protocol()
    for step_id in ("weigering.direct_melden", "verhuizing.overdracht_checken"):
        assert protocol.steps[step_id].text in text
    assert text.count("Bron:") >= 3 + 6
    for typed in ("Jan", "0612345678", "Kerkstraat", "Zwolle"):
        assert typed not in text


def test_note_without_answers_still_gives_the_checklist(dispatcher, tracker_factory, domain):
    run(verslag.ActionVerslag(), dispatcher, tracker_factory(intent="vraag_verslag"), domain)
    payload = dispatcher.messages[0]["custom"]
    assert payload["situaties"] == []
    assert "nog geen vervolgstappen" in payload["tekst"]
    assert "Leg ook vast" in payload["tekst"]


def test_note_ignores_unknown_situation_ids(dispatcher, tracker_factory, domain):
    tracker = tracker_factory(slots={"besproken_situaties": ["<script>", "acuut"]})
    run(verslag.ActionVerslag(), dispatcher, tracker, domain)
    assert dispatcher.messages[0]["custom"]["situaties"] == ["acuut"]
    assert "<script>" not in dispatcher.messages[0]["text"]


def test_organisation_contacts_in_consult_step_and_closing_line(
    monkeypatch, dispatcher, tracker_factory, domain
):
    monkeypatch.setenv("AANDACHTSFUNCTIONARIS_ROL", "de aandachtsfunctionaris")
    monkeypatch.setenv("AANDACHTSFUNCTIONARIS_TELEFOON", "030-1234567")
    monkeypatch.setenv("AANDACHTSFUNCTIONARIS_KANAAL", "het Teams-kanaal Meldcode")
    monkeypatch.setenv("MELDCODE_ORGANISATIE_URL", "https://intranet.example.nl/meldcode")
    run(vervolgstappen.ActionStappenMeldcode(), dispatcher, tracker_factory(), domain)
    payload = dispatcher.messages[0]["custom"]
    step_2 = next(s for s in payload["stappen"] if s["id"] == "meldcode.stap_2")
    assert "de aandachtsfunctionaris" in step_2["tekst"]
    assert "030-1234567" in step_2["tekst"] and "Teams-kanaal Meldcode" in step_2["tekst"]
    assert "https://intranet.example.nl/meldcode" in payload["afsluiting"]
    other = [s for s in payload["stappen"] if s["id"] != "meldcode.stap_2"]
    assert not any("030-1234567" in s["tekst"] for s in other)


def test_empty_organisation_settings_keep_todays_text(dispatcher, tracker_factory, domain):
    run(vervolgstappen.ActionStappenMeldcode(), dispatcher, tracker_factory(), domain)
    payload = dispatcher.messages[0]["custom"]
    protocol = load_protocol()
    assert payload["afsluiting"] == protocol.closing_line
    assert [s["tekst"] for s in payload["stappen"]] == [
        protocol.steps[i].text for i in protocol.situations["stappen_meldcode"].step_ids
    ]


@pytest.mark.parametrize(
    "name, value, word",
    [
        ("AANDACHTSFUNCTIONARIS_TELEFOON", "bel mij", "AANDACHTSFUNCTIONARIS_TELEFOON"),
        ("MELDCODE_ORGANISATIE_URL", "javascript:alert(1)", "https://"),
        ("MELDCODE_ORGANISATIE_URL", "http://intranet/meldcode", "https://"),
        ("AANDACHTSFUNCTIONARIS_ROL", "<script>x</script>", "AANDACHTSFUNCTIONARIS_ROL"),
        ("AANDACHTSFUNCTIONARIS_KANAAL", "#meldcode", "AANDACHTSFUNCTIONARIS_ROL ontbreekt"),
    ],
)
def test_bad_organisation_settings_stop_the_start_with_a_dutch_message(
    name, value, word, monkeypatch, capsys
):
    monkeypatch.setenv(name, value)
    with pytest.raises(settings.SettingsError) as error:
        settings.organisation_contacts()
    assert word in str(error.value)
    assert check_content() == 2
    assert "FOUT in .env" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, previous",
    [("Deventer", "Deventer"), ("in Apeldoorn", "Apeldoorn"), ("Velp", None)],
)
def test_a_place_after_the_open_question_is_the_previous_place(
    text, previous, tracker_factory, domain
):
    tracker = tracker_factory(
        slots={"vorige_plaats_open": True, "plaats": text}, intent="verhuizing", text=text
    )
    tracker.events.insert(0, {"event": "slot", "name": "plaats", "value": "Zwolle"})
    assert validate("plaats", text, tracker, domain) == {
        "plaats": "Zwolle",
        "vorige_plaats": previous,
        "vorige_plaats_open": False,
    }


def test_a_new_move_after_the_open_question_is_a_new_place(tracker_factory, domain):
    text = "het gezin verhuist nu naar Deventer"
    tracker = tracker_factory(
        slots={"vorige_plaats_open": True, "plaats": "Deventer"}, intent="verhuizing", text=text
    )
    assert validate("plaats", "Deventer", tracker, domain)["plaats"] == "Deventer"


def test_run_outside_the_form_asks_nothing(dispatcher, tracker_factory, domain):
    """Rasa runs the validation for custom slot mappings on every turn."""
    tracker = tracker_factory(intent="zorgen_blijven", text="ik blijf me zorgen maken")
    events = run(forms.ValidateVerhuizingForm(), dispatcher, tracker, domain)
    assert not any(e.get("name") == "requested_slot" for e in events)
    in_form = tracker_factory(intent="verhuizing", text="verhuisd", slots={"plaats": "Zwolle"})
    in_form.latest_action_name = "verhuizing_form"
    events = run(forms.ValidateVerhuizingForm(), dispatcher, in_form, domain)
    assert SlotSet("requested_slot", "gemeld_bij_vt") in events
