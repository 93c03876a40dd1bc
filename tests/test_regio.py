"""The Veilig Thuis-regio lookup over the whole CBS table (bot/regio.py)."""

import csv
from collections import defaultdict

import pytest
import yaml

from bot import regio
from bot.nlu.plaats_gazetteer import find_places


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


GEMEENTEN = rows(regio.GEMEENTE_FILE)
WOONPLAATSEN = rows(regio.WOONPLAATS_FILE)


def gemeente_codes(lookup):
    if lookup.place:
        return {lookup.place.gemeente.code}
    return {place.gemeente.code for place in lookup.options}


def test_tables_are_complete():
    assert len(GEMEENTEN) == 342
    assert len(WOONPLAATSEN) == 2501
    assert len({row["vt_code"] for row in GEMEENTEN}) == 25
    codes = {row["gemeentecode"] for row in GEMEENTEN}
    assert {row["gemeentecode"] for row in WOONPLAATSEN} <= codes


def test_every_gemeente_resolves_to_its_own_region():
    for row in GEMEENTEN:
        for spelling in (row["gemeentenaam"], row["gemeentenaam"].lower()):
            found = regio.lookup(spelling)
            # A few gemeente names are also a woonplaats elsewhere ("Beuningen"): asked.
            place = found.place or next(
                p for p in found.options if p.gemeente.code == row["gemeentecode"]
            )
            assert place.gemeente.code == row["gemeentecode"], spelling
            assert regio.lookup(place.label).place == place
            assert place.as_payload()["vt_regio"] == row["vt_regio"]
            assert place.as_payload()["vt_code"] == row["vt_code"]


def test_every_woonplaats_resolves_to_its_gemeente_or_asks():
    # Every spelling a name is indexed under ("Afferden" for "Afferden L" too).
    gemeenten_per_name = defaultdict(set)
    for row in WOONPLAATSEN:
        for key in regio._keys_of(row["woonplaats"]):
            gemeenten_per_name[key].add(row["gemeentecode"])
    for row in GEMEENTEN:
        for key in regio._keys_of(row["gemeentenaam"]):
            gemeenten_per_name[key].add(row["gemeentecode"])
    ambiguous = 0
    for row in WOONPLAATSEN:
        for spelling in (row["woonplaats"], row["woonplaats"].lower(), row["woonplaats"].upper()):
            found = regio.lookup(spelling)
            assert row["gemeentecode"] in gemeente_codes(found), spelling
            if len(gemeenten_per_name[regio.name_key(row["woonplaats"])]) == 1:
                assert found.place and found.place.gemeente.code == row["gemeentecode"]
            else:
                # Never a guess: one option per gemeente, each resolvable by its label.
                assert found.place is None and len(found.options) >= 2, spelling
                ambiguous += 1
    assert ambiguous >= 70 * 3 * 2 // 2


def test_every_option_label_resolves_back_to_itself():
    for places in regio.gazetteer().index.values():
        for place in places:
            again = regio.lookup(place.label)
            assert again.place == place, place.label


@pytest.mark.parametrize(
    "typed, gemeente, vt_regio",
    [
        ("Den Haag", "'s-Gravenhage", "Haaglanden"),
        ("den haag", "'s-Gravenhage", "Haaglanden"),
        ("Den Bosch", "'s-Hertogenbosch", "Oost-Brabant"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch", "Oost-Brabant"),
        ("’s Hertogenbosch", "'s-Hertogenbosch", "Oost-Brabant"),
        ("s-Gravenhage", "'s-Gravenhage", "Haaglanden"),
        ("Middelburg", "Middelburg (Z.)", "Zeeland"),
        ("middelburg", "Middelburg (Z.)", "Zeeland"),
        ("Nijverdal", "Hellendoorn", "Twente"),
        ("Deventer", "Deventer", "IJsselland"),
        ("Zwolle", "Zwolle", "IJsselland"),
        ("Amersfoort", "Amersfoort", "Utrecht"),
        ("Zeist", "Zeist", "Utrecht"),
        ("Sudwest-Fryslan", "Súdwest-Fryslân", "Friesland"),
        ("'t Zandt", "Eemsdelta", "Groningen"),
        ("Tilburg", "Tilburg", "Midden-Brabant"),
        ("Breda", "Breda", "West-brabant"),
        ("Venlo", "Venlo", "Noord- en Midden Limburg"),
    ],
)
def test_usual_variants(typed, gemeente, vt_regio):
    found = regio.lookup(typed)
    assert found.place.gemeente.name == gemeente
    assert found.place.gemeente.vt_regio == vt_regio


def test_ambiguous_names_give_one_option_per_gemeente():
    velp = regio.lookup("Velp")
    assert velp.place is None
    assert sorted(p.gemeente.name for p in velp.options) == ["Land van Cuijk", "Rheden"]
    assert {p.label for p in velp.options} == {
        "Velp (gemeente Rheden)",
        "Velp (gemeente Land van Cuijk)",
    }
    assert len(regio.lookup("Laren").options) == 2
    assert len(regio.lookup("Beek").options) >= 2


def test_typos_get_suggestions_never_a_place():
    typo = regio.lookup("Apeldorn")
    assert typo.place is None and typo.options == ()
    assert typo.suggestions[0].gemeente.name == "Apeldoorn"
    assert regio.lookup("Xyzzyq").suggestions == ()
    assert regio.lookup("Antwerpen").place is None


def test_names_file_is_consistent():
    names = yaml.safe_load(regio.NAMES_FILE.read_text(encoding="utf-8"))
    gemeenten = {row["gemeentenaam"] for row in GEMEENTEN}
    assert set(names["andere_namen"].values()) <= gemeenten
    keys = regio.gazetteer().index
    for word in names["ook_gewone_woorden"] + names["nooit_in_tekst"]:
        assert regio.name_key(word) in keys, word


def test_every_place_that_is_a_stop_word_is_listed_as_ordinary_word():
    from spacy.lang.nl.stop_words import STOP_WORDS

    stop_places = {key for key in regio.gazetteer().index if key in STOP_WORDS}
    assert stop_places <= regio.gazetteer().common_words


def entities(text):
    return [(e["entity"], e["value"]) for e in find_places(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("het gezin is verhuisd naar Deventer", [("plaats", "Deventer")]),
        ("verhuisd naar nijverdal", [("plaats", "nijverdal")]),
        ("ze gaan naar Wijk bij Duurstede", [("plaats", "Wijk bij Duurstede")]),
        (
            "het gezin verhuist van Deventer naar Zwolle",
            [("vorige_plaats", "Deventer"), ("plaats", "Zwolle")],
        ),
        (
            "het gezin uit Amersfoort gaat in Zeist wonen",
            [("vorige_plaats", "Amersfoort"), ("plaats", "Zeist")],
        ),
        ("Velp", [("plaats", "Velp")]),
        ("in Den Haag", [("plaats", "Den Haag")]),
        ("ze verhuizen naar Best", [("plaats", "Best")]),
        ("het is best lastig", []),
        ("Echt, ze zijn weg", []),
        ("het is bij een doorverwijzing gebleven", []),
        ("verhuisd naar een andere plaats in Nederland", []),
        ("gemeld bij Veilig Thuis", []),
    ],
)
def test_places_found_in_text(text, expected):
    assert entities(text) == expected


def test_every_gemeente_is_found_after_naar():
    for row in GEMEENTEN:
        text = f"het gezin is verhuisd naar {row['gemeentenaam']}"
        found = [e for e in find_places(text) if e["entity"] == "plaats"]
        assert found, text
        assert row["gemeentecode"] in gemeente_codes(regio.lookup(found[-1]["value"]))


def test_every_woonplaats_is_found_after_naar():
    for row in WOONPLAATSEN:
        text = f"ze gaan verhuizen naar {row['woonplaats']}"
        values = [e["value"] for e in find_places(text) if e["entity"] == "plaats"]
        if regio.name_key(row["woonplaats"]) in regio.gazetteer().never_in_text:
            continue
        assert values, text
        assert row["gemeentecode"] in gemeente_codes(regio.lookup(values[-1])), text
