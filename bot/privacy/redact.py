"""Replaces Dutch personal data in free text by placeholders.

Users describe suspected child abuse, so a message can hold a BSN, phone
numbers, an address or the names of a child and its parents. Every text is
passed through `redact` before it is stored or logged.

Numbers, e-mail, addresses and dates: regular expressions plus small checks
(elfproef, IBAN mod-97), compiled once at import. They lean towards redacting
too much, but leave ordinary sentences, place names and the public numbers the
assistant itself mentions (0800-2000, 112) alone.

Person names: the Dutch de-identification library `deduce` (bot.privacy.names,
loaded on first use), plus the pattern for names after an introduction ("ik
heet", "mevrouw"), which also catches names deduce does not know. The figures
per kind are in docs/privacy.md (tests/privacy/pii_testset.yml).
"""

import re
from re import Match, Pattern
from typing import Any, Callable, List, Tuple, Union

from bot.privacy import names

PLACEHOLDERS = {
    "bsn": "[BSN]",
    "telefoon": "[TELEFOON]",
    "email": "[E-MAIL]",
    "postcode": "[POSTCODE]",
    "adres": "[ADRES]",
    "iban": "[IBAN]",
    "datum": "[DATUM]",
    "naam": "[NAAM]",
}
# Returned when redaction itself fails: better to lose a message than to log it.
REDACTION_FAILED = "[TEKST VERWIJDERD]"

# A replacement can expose a new match next to it (an IBAN glued to a phone
# number only starts at a word boundary once the number is a placeholder), so
# the rules run again until nothing changes; that makes redact() idempotent.
_MAX_PASSES = 4

# --- Shared building blocks --------------------------------------------------

_LETTER = r"[^\W\d_]"
# Spaces inside one item; no-break spaces come along when text is copy-pasted.
_SP = r"[ \t\xa0\u202f]"
# Upper-case letters including accented Latin ones (Ö, Ç, Ş), for names and streets.
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_CAPITALISED = rf"[{_UPPER}]{_LETTER}*(?:[-'’]{_LETTER}+)*"
# House number with an optional addition: 12, 3a, 12A, 112-2, 7/1.
_HOUSE_NUMBER = r"[1-9][0-9]{0,4}(?:[A-Za-z]{1,2}|[-/][0-9A-Za-z]{1,4})?(?![0-9])"


def _digits_only(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


# --- E-mail ------------------------------------------------------------------

# Local part: any RFC "atext" character or dot. It may only start where no such
# character precedes, so a long run of them is scanned once (no quadratic work).
_EMAIL_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(
    rf"(?<!{_EMAIL_LOCAL}){_EMAIL_LOCAL}+"
    # Domain ends in a letter TLD or a punycode one (xn--p1ai).
    rf"@[\w-]+(?:\.[\w-]+)*\.(?:(?i:xn--)[\w-]+|{_LETTER}{{2,}})(?![\w-])"
)


# --- IBAN --------------------------------------------------------------------

# Country code, check digits, then 11-30 characters, compact or in groups of four.
_IBAN = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}"
    rf"(?:{_SP}?[0-9A-Za-z]{{4}}){{2,7}}(?:{_SP}?[0-9A-Za-z]{{1,3}})?(?![0-9A-Za-z])"
)
# A Dutch IBAN is distinctive enough to redact even with a typo in it.
_DUTCH_IBAN = re.compile(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}")


def _is_iban(candidate: str) -> bool:
    compact = re.sub(_SP, "", candidate).upper()
    if _DUTCH_IBAN.fullmatch(compact):
        return True
    if not 15 <= len(compact) <= 34:
        return False
    # ISO 13616: move the first four characters to the end, letters become 10..35.
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _iban(match: Match) -> str:
    # The pattern may have swallowed a following four-character word
    # ("BE68 5390 0754 7034 HIER"), so retry without trailing groups.
    found = match.group(0)
    ends = [len(found)] + [space.start() for space in re.finditer(_SP, found)][::-1]
    for end in ends:
        if _is_iban(found[:end]):
            return PLACEHOLDERS["iban"] + found[end:]
    return found


# --- Dates -------------------------------------------------------------------

_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
# Full names before their abbreviations, so "januari" is not cut to "jan".
_MONTH_NAME = (
    r"(?i:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober"
    r"|november|december|jan|febr|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec)"
)
# Only full dates: "12 maart" without a year is how people talk about an
# incident, not a date of birth.
_DATE = re.compile(
    rf"(?<![0-9]){_DAY}([-/.]){_MONTH}\1{_YEAR}(?![0-9])"
    rf"|(?<![0-9]){_YEAR}([-/.]){_MONTH}\2{_DAY}(?![0-9])"
    rf"|(?<![0-9]){_DAY}(?:{_SP}+|-){_MONTH_NAME}(?!{_LETTER})\.?(?:{_SP}+|-){_YEAR}(?![0-9])"
)


# --- Postcode ----------------------------------------------------------------

# 1234 AB: first digit 1-9, upper-case letters (so "1234 ab" in prose is left),
# and no SA/SD/SS, which PostNL does not issue; not after a dash ("0800-2000 VT").
# A house number after it belongs to it.
_POSTCODE = re.compile(
    rf"(?<![0-9A-Za-z-])[1-9][0-9]{{3}}{_SP}?(?!S[ADS])[A-Z]{{2}}(?![0-9A-Za-z])"
    rf"(?:{_SP}+{_HOUSE_NUMBER})?"
)


# --- Phone numbers -----------------------------------------------------------

# Between digits: a space, dot or slash, or a dash with optional spaces.
_SEP = rf"(?:{_SP}|[./]|{_SP}?-{_SP}?)"


def _spaced_digits(count: int) -> str:
    """`count` digits, each pair optionally separated by one separator."""
    return rf"[0-9](?:{_SEP}?[0-9]){{{count - 1}}}"


_PHONE = re.compile(
    # Not glued to a word or number ("DE00 3704 ..." is a foreign IBAN shape).
    r"(?<![0-9A-Za-z+])(?:"
    # +31 / 0031, optionally "(0)" or a superfluous 0, then 9 digits.
    rf"(?:\+|00)31(?:{_SP}|[.-])?(?:\(0\)(?:{_SP}|[.-])?|0)?[1-9](?:{_SEP}?[0-9]){{8}}"
    # Area code in brackets: (06) 12345678, (020) 123 45 67, (0513) 123456.
    rf"|\(0[0-9]\)(?:{_SP}|-)?{_spaced_digits(8)}"
    rf"|\(0[0-9]{{2}}\)(?:{_SP}|-)?{_spaced_digits(7)}"
    rf"|\(0[0-9]{{3}}\)(?:{_SP}|-)?{_spaced_digits(6)}"
    # National format: 0 plus 9 digits in any grouping; never 00 (international).
    rf"|0[1-9](?:{_SEP}?[0-9]){{8}}"
    # Other countries: + and 8 to 14 digits.
    rf"|\+[1-9](?:{_SEP}?[0-9]){{7,13}}"
    r")(?![0-9])"
)
# Free (0800) and paid (0900/0906/0909) lines are public, like 0800-2000.
_SERVICE_PREFIXES = ("800", "900", "906", "909")


def _is_service_number(digits: str) -> bool:
    for prefix in ("0031", "31", "0"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    if digits.startswith("0"):  # the "(0)" in +31 (0)800 ...
        digits = digits[1:]
    return digits.startswith(_SERVICE_PREFIXES)


def _phone(match: Match) -> str:
    if _is_service_number(_digits_only(match.group(0))):
        return match.group(0)
    return PLACEHOLDERS["telefoon"]


# --- BSN ---------------------------------------------------------------------

# 123456782, 1234.56.782, 123 456 782, 123-456-782 (one separator throughout);
# not part of a longer number or a decimal amount.
_BSN = re.compile(
    r"(?<![0-9])(?<![0-9][.,])"
    r"(?:[0-9]{9}"
    r"|[0-9]{4}([ .\xa0\u202f])[0-9]{2}\1[0-9]{3}"
    r"|[0-9]{3}([ .\xa0\u202f-])[0-9]{3}\2[0-9]{3})"
    r"(?![0-9])(?![.,][0-9])"
)


def _is_valid_bsn(digits: str) -> bool:
    """The elfproef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11, not all zeros."""
    if len(digits) != 9 or set(digits) == {"0"}:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 == 0


def _bsn(match: Match) -> str:
    # A 9-digit number that fails the elfproef is a file or order number.
    if _is_valid_bsn(_digits_only(match.group(0))):
        return PLACEHOLDERS["bsn"]
    return match.group(0)


# --- Street address ----------------------------------------------------------

_STREET_SUFFIXES = (
    "straat",
    "laan",
    "weg",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "hof",
    "pad",
    "steeg",
    "dreef",
    "markt",
    "park",
    "ring",
    "baan",
    "veld",
    "burg",
    "wal",
)
# "-ring" after a vowel is a noun ("Vergadering 3", "Verklaring 2"), not a street.
_SUFFIX = "|".join(r"(?<![aeiouy])ring" if s == "ring" else s for s in _STREET_SUFFIXES)
_STREET_WORD = (
    rf"(?:(?:'s-)?[{_UPPER}](?:{_LETTER}|[-'’](?={_LETTER}))*(?:{_SUFFIX})"
    rf"|{'|'.join(s.capitalize() for s in _STREET_SUFFIXES)})(?!{_LETTER})"
)
# Words that start a sentence before a street name but are not part of it.
_NOT_IN_STREET = (
    r"(?:Op|In|Aan|Bij|Naar|Via|Langs|Het|De|Ik|Wij|We|Zij|Hij|Ze|Om|Uit|Tot|En|Of|Adres)"
)
# Streets without a suffix are caught after these words: "Lange Voorhout 3a".
_STREET_ADJECTIVE = r"(?:Lange|Korte|Oude|Nieuwe|Hoge|Lage|Grote|Kleine|Sint|Eerste|Tweede|Derde)"
# "in Barneveld 3 jaar": a place name followed by a count, not an address.
_COUNTED = (
    r"(?:jaar|jaren|maand|maanden|week|weken|dag|dagen|uur|minuten|keer|kind|kinderen"
    r"|leerlingen|meldingen|km|kilometer|procent|euro)"
)
_ADDRESS = re.compile(
    rf"(?<![\w'’-])"
    rf"(?:(?:(?!{_NOT_IN_STREET}{_SP}){_CAPITALISED}{_SP}+)?{_STREET_WORD}"
    rf"|{_STREET_ADJECTIVE}{_SP}+{_CAPITALISED})"
    rf"{_SP}+(?:(?i:nr\.?|nummer){_SP}*)?{_HOUSE_NUMBER}"
    rf"(?!{_SP}+{_COUNTED}(?!{_LETTER}))"
)


# --- Names -------------------------------------------------------------------

# Words that introduce a name. "ik ben" is included; what follows it is
# filtered by _NOT_A_NAME ("Ik ben Leerkracht", "ik ben Bezorgd").
_NAME_TRIGGER = (
    rf"(?i:naam{_SP}+is|(?:voor|achter|roep)?naam{_SP}*:|ik{_SP}+ben|heet|heten|genaamd|genoemd"
    rf"|meneer|mevrouw|mevr\.|mw\.|dhr\.|de{_SP}+heer|juf|meester)"
)
_PARTICLE = (
    r"(?:van|de|der|den|het|'t|ten|ter|te|el|al|la|le|du|da|di|dos|das|del|von|bin|ibn|op|in)"
)
# Surname that starts with a capitalised particle: "De Vries", "Van der Berg".
_LEADING_PARTICLE = (
    rf"(?:Van|De|Den|Der|Ter|Ten|Te|El|Al|La|Le|Da|Di|Du|Von)(?:{_SP}+(?:de|der|den|het|'t))?"
)
_NAME = re.compile(
    rf"(?<!{_LETTER}){_NAME_TRIGGER}(?:(?<=[:.]){_SP}*|{_SP}+)"
    rf"(?P<name>(?:{_LEADING_PARTICLE}{_SP}+)?{_CAPITALISED}"
    # Up to two more capitalised words, with tussenvoegsels in between.
    rf"(?:{_SP}+(?:(?i:{_PARTICLE}){_SP}+){{0,3}}{_CAPITALISED}){{0,2}})"
)
_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "'t",
    "ten",
    "ter",
    "te",
    "el",
    "al",
    "la",
    "le",
    "du",
    "da",
    "di",
    "dos",
    "das",
    "del",
    "von",
    "bin",
    "ibn",
    "op",
    "in",
}
# Capitalised words after a trigger that are roles, feelings or organisations.
_NOT_A_NAME = {
    # function words and feelings
    "een",
    "ik",
    "jij",
    "hij",
    "zij",
    "wij",
    "we",
    "ze",
    "u",
    "niet",
    "geen",
    "ook",
    "nog",
    "wel",
    "er",
    "hier",
    "daar",
    "nu",
    "zelf",
    "dus",
    "echt",
    "erg",
    "heel",
    "bang",
    "bezorgd",
    "benieuwd",
    "blij",
    "boos",
    "verdrietig",
    "onzeker",
    "bezig",
    "klaar",
    "nieuw",
    "werkzaam",
    "betrokken",
    "vandaag",
    "gisteren",
    "morgen",
    # roles of the professionals who use the assistant
    "leerkracht",
    "docent",
    "leraar",
    "lerares",
    "juf",
    "meester",
    "mentor",
    "intern",
    "interne",
    "begeleider",
    "ib'er",
    "ib-er",
    "zorgcoördinator",
    "zorgcoordinator",
    "coördinator",
    "coordinator",
    "aandachtsfunctionaris",
    "huisarts",
    "arts",
    "jeugdarts",
    "kinderarts",
    "verpleegkundige",
    "jeugdverpleegkundige",
    "wijkverpleegkundige",
    "verloskundige",
    "kraamverzorgster",
    "tandarts",
    "psycholoog",
    "orthopedagoog",
    "pedagoog",
    "therapeut",
    "maatschappelijk",
    "schoolmaatschappelijk",
    "werker",
    "hulpverlener",
    "jeugdhulpverlener",
    "jeugdconsulent",
    "consulent",
    "gezinscoach",
    "coach",
    "wijkagent",
    "agent",
    "politie",
    "medewerker",
    "directeur",
    "schoolleider",
    "teamleider",
    "leidinggevende",
    "manager",
    "pedagogisch",
    "leidster",
    "leider",
    "pm'er",
    "gastouder",
    "oppas",
    "trainer",
    "vrijwilliger",
    "stagiair",
    "stagiaire",
    "student",
    # family roles and organisations
    "moeder",
    "vader",
    "ouder",
    "oma",
    "opa",
    "tante",
    "oom",
    "buurvrouw",
    "buurman",
    "veilig",
    "thuis",
    "ggd",
    "jeugdzorg",
    "wijkteam",
    # nationalities ("ik ben Nederlander")
    "nederlander",
    "nederlands",
    "nederlandse",
    "marokkaans",
    "turks",
    "surinaams",
    "pools",
}


def _name_length(name: str) -> int:
    """How many characters of `name` are the actual name; 0 when it is no name."""
    end = 0
    for token in re.finditer(rf"(?:(?!{_SP})\S)+", name):
        word = token.group(0)
        lowered = word.lower()
        # Stop at a role or feeling, and at all-capital words (IB, GGD).
        if lowered in _NOT_A_NAME or not any(c.islower() for c in word):
            break
        # A name ends at a real name word, never at a tussenvoegsel.
        if lowered not in _PARTICLES:
            end = token.end()
    return end


def _name(match: Match) -> str:
    name = match.group("name")
    length = _name_length(name)
    if length == 0:
        return match.group(0)
    start = match.start("name") - match.start()
    return match.group(0)[:start] + PLACEHOLDERS["naam"] + name[length:]


# --- Putting it together -----------------------------------------------------

# Order matters: e-mail and IBAN contain digits that the number rules would
# cut up; dates before phone/BSN; phone before BSN so "+31 612345678" is a
# phone number; names last, after every digit is gone.
# A plain placeholder where every match is personal data; a function where a
# match still has to pass a check (checksum, elfproef, service number, ...).
_RULES: List[Tuple[Pattern, Union[str, Callable[[Match], str]]]] = [
    (_EMAIL, PLACEHOLDERS["email"]),
    (_IBAN, _iban),
    (_DATE, PLACEHOLDERS["datum"]),
    (_POSTCODE, PLACEHOLDERS["postcode"]),
    (_PHONE, _phone),
    (_BSN, _bsn),
    (_ADDRESS, PLACEHOLDERS["adres"]),
    (_NAME, _name),
]


def _redact_once(text: str) -> str:
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text


def redact_patterns(text: str) -> str:
    """Only the pattern rules (no deduce): numbers, e-mail, addresses, dates, introduced names."""
    for _ in range(_MAX_PASSES):
        redacted = _redact_once(text)
        if redacted == text:
            break
        text = redacted
    return text


_OTHER_PLACEHOLDERS = [p for kind, p in PLACEHOLDERS.items() if kind != "naam"]


def redact(text: str) -> str:
    """`text` with personal data replaced by PLACEHOLDERS; other input unchanged."""
    if not isinstance(text, str):
        return text
    try:
        text = redact_patterns(text)
        if names.is_loading():
            return text  # deduce's own log lines while it loads: no user text
        # Names last: every number and address is a placeholder by then.
        return names.replace_names(text, PLACEHOLDERS["naam"], keep=_OTHER_PLACEHOLDERS)
    except Exception:  # fail closed: a bug here must not leak the text into a log
        return REDACTION_FAILED


def redact_value(value: Any, text: Callable[[str], str] = redact) -> Any:
    """A copy of `value` with every str inside dicts, lists and tuples redacted
    (by `text`, normally `redact`).

    Dict keys are left alone (they are field names); other types are returned
    as they are.
    """
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict):
        return {key: redact_value(item, text) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_value(item, text) for item in value]
    if isinstance(value, tuple):
        return tuple(redact_value(item, text) for item in value)
    return value
