"""Redacting personal data from user text before it is stored or logged."""

import copy
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.privacy import redact as redact_module
from bot.privacy.redact import PLACEHOLDERS, redact, redact_value

# Reproducible runs, no example database written into the repository, and no
# per-example deadline (the first call of a run can be slow on a busy machine).
BASE = settings(derandomize=True, database=None, deadline=None)


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


# --- Examples per category ---------------------------------------------------


def test_placeholders_are_the_documented_ones():
    assert PLACEHOLDERS == {
        "bsn": "[BSN]",
        "telefoon": "[TELEFOON]",
        "email": "[E-MAIL]",
        "postcode": "[POSTCODE]",
        "adres": "[ADRES]",
        "iban": "[IBAN]",
        "datum": "[DATUM]",
        "naam": "[NAAM]",
    }


@pytest.mark.parametrize(
    "bsn", ["123456782", "1234.56.782", "123 456 782", "123-456-782", "111222333"]
)
def test_bsn_in_every_format(bsn):
    assert redact(f"Het BSN van het kind is {bsn}.") == "Het BSN van het kind is [BSN]."


@pytest.mark.parametrize("number", ["123456789", "1234.56.789", "123 456 789", "000000000"])
def test_nine_digits_that_fail_the_elfproef_are_no_bsn(number):
    text = f"dossiernummer {number} is aangemaakt"
    assert redact(text) == text


def test_bsn_inside_a_longer_number_or_amount_is_left():
    for text in ["ordernummer 1234567820", "totaal 123456782,50 euro"]:
        assert redact(text) == text


@pytest.mark.parametrize(
    "phone",
    [
        "0612345678",
        "06-12345678",
        "06 1234 5678",
        "06 12 34 56 78",
        "+31612345678",
        "+31 6 12345678",
        "+31 (0)6 12345678",
        "+31(0)6-12345678",
        "0031612345678",
        "020-1234567",
        "020 123 4567",
        "(020) 123 45 67",
        "010-123 45 67",
        "0513-123456",
        "(0513) 12 34 56",
        "+31 20 123 4567",
        "+32 2 123 45 67",
    ],
)
def test_phone_numbers_in_every_format(phone):
    assert (
        redact(f"Bel de moeder op {phone} na 17 uur.") == "Bel de moeder op [TELEFOON] na 17 uur."
    )


@pytest.mark.parametrize(
    "text",
    [
        "bel 0800-2000",
        "Veilig Thuis: 0800 2000",
        "bij direct gevaar 112",
        "de Kindertelefoon is 0800-0432",
        "een betaalde lijn: 0900-1234567",
        "gratis via 0800 1234567",
        "0900 8844 voor de politie",
    ],
)
def test_service_numbers_are_kept(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "email",
    [
        "jan.devries@example.nl",
        "j.de-vries+school@mail.gemeente-zwolle.nl",
        "X_Y@sub.domain.com",
        "o'brien@example.org",
        "info@example.xn--p1ai",
        "a@b.XN--P1AI",
    ],
)
def test_email_addresses(email):
    assert redact(f"mail ({email}) of bel") == "mail ([E-MAIL]) of bel"


def test_email_at_the_end_of_a_sentence_keeps_the_full_stop():
    assert redact("Mijn adres is jan@example.nl.") == "Mijn adres is [E-MAIL]."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postcode 1234 AB", "postcode [POSTCODE]"),
        ("postcode 1234AB", "postcode [POSTCODE]"),
        ("1234 AB 12 in Zwolle", "[POSTCODE] in Zwolle"),
        ("1234AB 12a, Zwolle", "[POSTCODE], Zwolle"),
        ("9999 ZZ 3-2", "[POSTCODE]"),
    ],
)
def test_postcodes_with_house_number(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    ["1234 SA", "1234 SD", "1234 SS", "0123 AB", "1234 ab", "1234 ABC", "groep 1234 AB12"],
)
def test_strings_that_are_no_postcode(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "address",
    [
        "Kerkstraat 12",
        "Lange Voorhout 3a",
        "Oude Gracht 112-2",
        "Stationsweg 1",
        "Van Goghstraat 7B",
        "Koningsplein 10",
        "Prinsengracht 263",
        "Willemskade 4",
        "Nieuwe Binnenweg 99",
        "Stadhouderslaan 8",
        "Westersingel 3",
        "Kanaaldijk 14",
        "Binnenhof 1",
        "Kerkpad 2",
        "Papensteeg 5",
        "Schaapsdreef 31",
        "Grote Markt 1",
        "Stadspark 6",
        "Noorderring 40",
        "Stationsbaan 9",
        "Sportveld 3",
        "Oudeburg 11",
        "Stadswal 2",
        "Kerkstraat nr. 12",
        "'s-Gravendijkwal 3",
    ],
)
def test_street_with_house_number(address):
    assert redact(f"Het gezin woont op {address}, vlak bij school.") == (
        "Het gezin woont op [ADRES], vlak bij school."
    )


def test_a_word_before_the_street_that_is_no_part_of_it_is_kept():
    assert redact("Op Kerkstraat 12 woont het kind") == "Op [ADRES] woont het kind"


@pytest.mark.parametrize(
    "text",
    [
        "Vergadering 3 is verplaatst",
        "Ze woont al 10 jaar in Barneveld",
        "In Middelburg 2 meldingen gedaan",
        "de Kerkstraat is afgesloten",
    ],
)
def test_no_address_without_street_and_number(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "iban",
    [
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "nl91abna0417164300",
        "DE89 3704 0044 0532 0130 00",
        "BE68539007547034",
        "GB82 WEST 1234 5698 7654 32",
        "NL12ABNA0123456789",
    ],  # a Dutch IBAN with a typo is still an IBAN
)
def test_ibans(iban):
    assert redact(f"rekening {iban} op naam van de vader") == "rekening [IBAN] op naam van de vader"


def test_iban_followed_by_a_four_letter_word_keeps_the_word():
    assert redact("BE68 5390 0754 7034 HIER") == "[IBAN] HIER"


def test_foreign_iban_shape_with_a_wrong_checksum_is_left():
    assert redact("code GB00 WEST 1234 5698 7654 32") == "code GB00 WEST 1234 5698 7654 32"


@pytest.mark.parametrize(
    "date",
    [
        "12-03-2015",
        "12/03/2015",
        "12.03.2015",
        "2015-03-12",
        "1-3-2015",
        "12 maart 2015",
        "3 jan. 2016",
        "3 jan 2016",
        "3 Januari 2016",
        "28 sept. 2011",
        "1 mei 1990",
        "15 okt 2020",
        "7 dec. 2018",
    ],
)
def test_full_dates(date):
    assert redact(f"geboren op {date} in Utrecht") == "geboren op [DATUM] in Utrecht"


@pytest.mark.parametrize(
    "text",
    ["op 12 maart was ze afwezig", "sinds maart 2015", "in 2015", "om 12.30 uur", "32-13-2015"],
)
def test_partial_dates_are_kept(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mijn naam is Jan de Vries", "mijn naam is [NAAM]"),
        ("Mijn naam is Jan.", "Mijn naam is [NAAM]."),
        ("ik heet Sem", "ik heet [NAAM]"),
        ("Ik ben Fatima, leerkracht van groep 5", "Ik ben [NAAM], leerkracht van groep 5"),
        ("de moeder heet Fatima el Amrani", "de moeder heet [NAAM]"),
        ("de vader heet Kees van 't Hek en werkt", "de vader heet [NAAM] en werkt"),
        ("het kind heet Noah.", "het kind heet [NAAM]."),
        ("de leerling heet Ahmed van der Berg", "de leerling heet [NAAM]"),
        ("de cliënt heet Özlem Şahin", "de cliënt heet [NAAM]"),
        ("de partner heet Jan Willem Jansen sinds", "de partner heet [NAAM] sinds"),
        ("een jongen genaamd Daan", "een jongen genaamd [NAAM]"),
        ("Naam: Lotte Bakker", "Naam: [NAAM]"),
        ("naam:Lotte", "naam:[NAAM]"),
        ("ik sprak met mevrouw De Vries", "ik sprak met mevrouw [NAAM]"),
        ("juf Anna belde", "juf [NAAM] belde"),
        # Without an introduction too, since deduce (bot.privacy.names).
        ("Ik ben bezorgd over Sem", "Ik ben bezorgd over [NAAM]"),
        ("Ik ben Jan van Veilig Thuis", "Ik ben [NAAM] van Veilig Thuis"),
    ],
)
def test_introduced_names(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ik ben bang dat het misgaat",
        "Ik ben Leerkracht in groep 3",
        "Ik ben Intern Begeleider",
        "ik ben IB'er op een basisschool",
        "ik heet u welkom",
        "de moeder heet niet zo",
        "Ik ben de Moeder",
    ],
)
def test_no_name_after_a_trigger(text):
    assert redact(text) == text


DOMAIN_SENTENCES = [
    "ik heb gemeld bij Veilig Thuis",
    "bel 0800-2000",
    "bij direct gevaar 112",
    "stap 5 van de meldcode",
    "Stap 2: overleg met een collega en raadpleeg Veilig Thuis.",
    "een kind van 9 jaar",
    "in 2019 is het afwegingskader gekomen",
    "het gezin is verhuisd naar Zwolle",
    "Het gezin woont nu in Den Haag, eerder in Bergen op Zoom.",
    "Ik ben bezorgd over een leerling uit groep 7",
    "Ik ben bang dat het kind thuis wordt geslagen",
    "De moeder vertelde op 12 maart over blauwe plekken.",
    "Veilig Thuis is 24/7 bereikbaar via 0800-2000",
    "Het kind zit in groep 3 en is 7 jaar oud, zijn zus is 12.",
    "Ik ben leerkracht in Amsterdam en werk 4 dagen per week.",
    "We hebben om 14:30 uur een gesprek gehad met de ouders.",
    "Tussen 2015 en 2019 zijn er 3 meldingen gedaan.",
    "Volgens de Wet verplichte meldcode (2013) moet ik dit wegen.",
    "De aandachtsfunctionaris belt morgen met de GGD.",
    "Het dossier telt 125 pagina's en kost 1.250 euro.",
]


@pytest.mark.parametrize("sentence", DOMAIN_SENTENCES)
def test_ordinary_sentences_stay_unchanged(sentence):
    assert redact(sentence) == sentence


def test_spacing_and_surrounding_text_are_kept():
    text = "  BSN:\t123456782  \n\n  mail: jan@example.nl ,  tel (020) 123 45 67!  "
    assert redact(text) == "  BSN:\t[BSN]  \n\n  mail: [E-MAIL] ,  tel [TELEFOON]!  "


def test_no_break_spaces_from_copy_paste_count_as_spaces():
    text = "tel 06\xa012345678, BSN 123\xa0456\xa0782, NL91\xa0ABNA\xa00417\xa01643\xa000, ik heet\xa0Sem"
    assert redact(text) == "tel [TELEFOON], BSN [BSN], [IBAN], ik heet\xa0[NAAM]"


def test_a_message_with_everything():
    text = (
        "Ik ben Marloes, mentor. De leerling heet Sem de Jong, geboren 12-03-2015, BSN 1234.56.782. "
        "Hij woont op Kerkstraat 12, 1234 AB Zwolle. Moeder: 06-12345678 of m.dejong@example.nl, "
        "rekening NL91 ABNA 0417 1643 00. Ik heb gemeld bij Veilig Thuis (0800-2000)."
    )
    assert redact(text) == (
        "Ik ben [NAAM], mentor. De leerling heet [NAAM], geboren [DATUM], BSN [BSN]. "
        "Hij woont op [ADRES], [POSTCODE] Zwolle. Moeder: [TELEFOON] of [E-MAIL], "
        "rekening [IBAN]. Ik heb gemeld bij Veilig Thuis (0800-2000)."
    )


# --- Robustness --------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 42, 3.5, b"0612345678", ["0612345678"], {"a": 1}])
def test_non_str_input_is_returned_unchanged(value):
    assert redact(value) is value


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01\x7f\u200b\ufeff", "😀 0612345678 👶", "\ud800 123456782 \udfff", "\r\n\t" * 50],
)
def test_odd_characters_do_not_break_redaction(text):
    result = redact(text)
    assert isinstance(result, str)
    assert "0612345678" not in result and "123456782" not in result


def test_very_long_text_is_handled_in_reasonable_time():
    text = ("Mijn naam is Jan, BSN 123456782, tel 0612345678, jan@x.nl. " + "a." * 1000) * 100
    result = redact(text)
    assert result.count("[BSN]") == result.count("[TELEFOON]") == result.count("[NAAM]") == 100


def test_a_failing_rule_fails_closed(monkeypatch):
    def broken(match):
        raise RuntimeError("bug")

    monkeypatch.setattr(redact_module, "_RULES", [(re.compile("x"), broken)])
    assert redact("x 0612345678") == redact_module.REDACTION_FAILED


def test_redact_value_walks_dicts_lists_and_tuples():
    event = {
        "text": "ik heet Sem",
        "0612345678": ["bel 0612345678", ("jan@x.nl", 5)],
        "nested": {"n": None, "f": 1.5, "b": b"jan@x.nl"},
    }
    original = copy.deepcopy(event)
    assert redact_value(event) == {
        "text": "ik heet [NAAM]",
        "0612345678": ["bel [TELEFOON]", ("[E-MAIL]", 5)],
        "nested": {"n": None, "f": 1.5, "b": b"jan@x.nl"},
    }
    assert event == original


# --- Properties --------------------------------------------------------------

FILLER_WORDS = [
    "het",
    "kind",
    "van",
    "de",
    "moeder",
    "is",
    "nummer",
    "bel",
    "vader",
    "op",
    "school",
    "Veilig",
    "Thuis",
    "zegt",
    "dat",
    "hij",
    "thuis",
    "geslagen",
    "wordt",
    "Zwolle",
    "gemeld",
    "leerling",
    "groep",
    "zeven",
    "Kerkstraat",
    "BSN",
    "mijn",
    "telefoon",
    "graag",
    "terugbellen",
    "dossier",
    "De",
    "Ik",
    "ben",
    "bezorgd",
    "heet",
    "Sem",
]
filler = st.lists(st.sampled_from(FILLER_WORDS), max_size=6).map(" ".join)
before = st.sampled_from([" ", ": ", " (", "\n", "\t", " - ", ", "])
after = st.sampled_from([" ", ".", ". ", ", ", ") ", "\n", "!"])


@st.composite
def bsns(draw):
    """Nine digits that pass the elfproef: the ninth digit is computed."""
    first = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    total = sum(w * d for w, d in zip(range(9, 1, -1), first, strict=True))
    last = total % 11  # 9*d1 + ... + 2*d8 - last must be divisible by 11
    assume(last <= 9 and any(first + [last]))
    return "".join(map(str, first + [last]))


BSN_FORMATS = [
    lambda b: b,
    lambda b: f"{b[:4]}.{b[4:6]}.{b[6:]}",
    lambda b: f"{b[:3]} {b[3:6]} {b[6:]}",
    lambda b: f"{b[:3]}-{b[3:6]}-{b[6:]}",
]


@settings(BASE, max_examples=300)
@given(filler, before, bsns(), st.sampled_from(BSN_FORMATS), after, filler)
def test_generated_bsns_never_survive(head, pre, bsn, fmt, post, tail):
    result = redact(f"{head}{pre}{fmt(bsn)}{post}{tail}")
    assert bsn not in digits_of(result)
    assert "[BSN]" in result


def pairs(digits):
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


MOBILE_FORMATS = [
    lambda s: f"06{s}",
    lambda s: f"06-{s}",
    lambda s: f"06 {s[:4]} {s[4:]}",
    lambda s: f"06 {pairs(s)}",
    lambda s: f"+316{s}",
    lambda s: f"+31 6 {s}",
    lambda s: f"+31 (0)6 {s}",
    lambda s: f"00316{s}",
]
TWO_DIGIT_AREAS = [
    "10",
    "13",
    "15",
    "20",
    "23",
    "24",
    "26",
    "30",
    "33",
    "35",
    "36",
    "38",
    "40",
    "43",
    "45",
    "46",
    "50",
    "53",
    "55",
    "58",
    "70",
    "71",
    "72",
    "73",
    "74",
    "75",
    "76",
    "77",
    "78",
    "79",
]
THREE_DIGIT_AREAS = [
    "111",
    "113",
    "161",
    "172",
    "180",
    "222",
    "251",
    "294",
    "313",
    "320",
    "341",
    "411",
    "475",
    "481",
    "492",
    "511",
    "513",
    "522",
    "541",
    "570",
    "591",
    "599",
]
LANDLINE_FORMATS = [  # (area, rest) -> text; rest has 9 - len(area) digits
    lambda a, r: f"0{a}{r}",
    lambda a, r: f"0{a}-{r}",
    lambda a, r: f"0{a} {r[:3]} {r[3:]}",
    lambda a, r: f"(0{a}) {r[:3]} {r[3:5]} {r[5:]}",
    lambda a, r: f"0{a}-{r[:3]} {r[3:5]} {r[5:]}",
    lambda a, r: f"0{a} {pairs(r)}",
    lambda a, r: f"+31 {a} {r}",
    lambda a, r: f"+31 (0){a} {r}",
    lambda a, r: f"0031{a}{r}",
]


def digit_strings(length):
    return st.text("0123456789", min_size=length, max_size=length)


@settings(BASE, max_examples=200)
@given(filler, before, digit_strings(8), st.sampled_from(MOBILE_FORMATS), after, filler)
def test_generated_mobile_numbers_never_survive(head, pre, rest, fmt, post, tail):
    result = redact(f"{head}{pre}{fmt(rest)}{post}{tail}")
    assert "6" + rest not in digits_of(result)
    assert "[TELEFOON]" in result


@st.composite
def landlines(draw):
    area = draw(st.sampled_from(TWO_DIGIT_AREAS + THREE_DIGIT_AREAS))
    return area, draw(digit_strings(9 - len(area)))


@settings(BASE, max_examples=200)
@given(filler, before, landlines(), st.sampled_from(LANDLINE_FORMATS), after, filler)
def test_generated_landline_numbers_never_survive(head, pre, number, fmt, post, tail):
    area, rest = number
    result = redact(f"{head}{pre}{fmt(area, rest)}{post}{tail}")
    assert area + rest not in digits_of(result)
    assert "[TELEFOON]" in result


@settings(BASE, max_examples=150)
@given(
    filler,
    st.sampled_from([" ", ": ", " (", " <", "\n"]),
    st.emails(),
    st.sampled_from([" ", ".", ") ", "> ", ", "]),
    filler,
)
def test_generated_emails_never_survive(head, pre, email, post, tail):
    result = redact(f"{head}{pre}{email}{post}{tail}")
    assert email not in result
    assert "[E-MAIL]" in result


@settings(BASE, max_examples=300)
@given(st.text())
def test_any_text_is_redacted_without_error_and_idempotently(text):
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once


# Domain vocabulary without personal data: any sentence built from it stays as it is.
NEUTRAL_WORDS = [
    "het",
    "kind",
    "is",
    "9",
    "jaar",
    "groep",
    "7",
    "stap",
    "5",
    "van",
    "de",
    "meldcode",
    "Veilig",
    "Thuis",
    "bel",
    "0800-2000",
    "112",
    "in",
    "2019",
    "Zwolle",
    # Towns as a whole: alone, "Haag" and "Bergen" are surnames that deduce redacts.
    "Den Haag",
    "Bergen op Zoom",
    "op",
    "naar",
    "verhuisd",
    "moeder",
    "vader",
    "school",
    "leerling",
    "zorgen",
    "over",
    "gemeld",
    "bij",
    "afwegingskader",
    "12",
    "om",
    "14:30",
    "uur",
    "1.250",
    "euro",
    "24/7",
    "Ik",
    "ik",
    "bezorgd",
    "bang",
    "leerkracht",
    "Wijkteam",
    "GGD",
    "Stap",
    "Groep",
    ",",
    ".",
    "?",
    "-",
    "(",
    ")",
]


@settings(BASE, max_examples=200)
@given(st.lists(st.sampled_from(NEUTRAL_WORDS), max_size=15).map(" ".join))
def test_sentences_without_personal_data_stay_unchanged(sentence):
    assert redact(sentence) == sentence


# Pieces of personal data and prose glued together in any order, with and
# without spaces, to find matches that only appear after a first replacement.
PIECES = [
    "0612345678",
    "123456782",
    "NL91ABNA0417164300",
    "jan@x.nl",
    "1234 AB",
    "12",
    "a",
    "Kerkstraat",
    "12-03-2015",
    "heet",
    "Jan",
    "de",
    "Vries",
    "ik ben",
    "+31",
    "0800-2000",
    "@",
    ".",
    "-",
    "(",
    ")",
    "06",
    "maart",
    "2015",
    "Naam:",
    "van",
    " ",
    "\n",
]


@settings(BASE, max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_glued_personal_data_is_redacted_idempotently(text):
    once = redact(text)
    assert redact(once) == once


nested = st.recursive(
    st.none()
    | st.integers()
    | st.booleans()
    | st.text(max_size=20)
    | st.sampled_from(["0612345678", "ik heet Sem", "BSN 123456782", "jan@x.nl"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=15,
)


def expected_redaction(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: expected_redaction(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(expected_redaction(v) for v in value)
    return value


@settings(BASE, max_examples=150)
@given(nested)
def test_redact_value_redacts_every_string_and_keeps_the_shape(value):
    original = copy.deepcopy(value)
    result = redact_value(value)
    assert result == expected_redaction(value)
    assert value == original  # the input is not modified
    if isinstance(value, (dict, list)):
        assert result is not value
