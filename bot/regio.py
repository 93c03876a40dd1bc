"""Which Veilig Thuis-regio a Dutch place belongs to (CBS tables in bot/content/regio/).

Every gemeente and woonplaats name is indexed under a normalised key (lower
case, no accents, no apostrophes or hyphens, with and without a province
suffix such as "(Z.)" or "Gld"), plus a few well-known other names (Den Haag,
Den Bosch). A name that points to two gemeenten is ambiguous and is never
resolved by guessing: a wrong region is worse than none.
"""

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Optional, Tuple

import yaml

REGIO_DIR = Path(__file__).resolve().parent / "content" / "regio"
GEMEENTE_FILE = REGIO_DIR / "gemeente_veiligthuisregio_2025.csv"
WOONPLAATS_FILE = REGIO_DIR / "woonplaats_gemeente_2024.csv"
NAMES_FILE = REGIO_DIR / "namen.yml"

# Province markers CBS adds to tell places of the same name apart.
_PROVINCE_SUFFIXES = {
    "l", "lb", "nb", "ac", "gld", "gd", "gn", "gr", "nh", "zh", "ca", "o", "ov", "z", "u", "fr",
    "dr", "fl", "ut", "ze",
}  # fmt: skip
# A token: an optional leading apostrophe ('s, 't) and letters or digits.
_TOKEN = re.compile(r"['’‘`]?[^\W_]+", re.UNICODE)
_QUALIFIED = re.compile(r"^(?P<naam>.+?)\s*\(gemeente (?P<gemeente>.+)\)\s*$", re.IGNORECASE)
_GEMEENTE = re.compile(r"^gemeente\s+(?P<gemeente>.+?)\s*$", re.IGNORECASE)
MAX_NAME_TOKENS = 6
SUGGESTION_CUTOFF = 0.8
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Gemeente:
    code: str
    name: str
    vt_code: str
    vt_regio: str


@dataclass(frozen=True)
class Place:
    """One meaning of a name: a place (woonplaats or gemeente) in one gemeente."""

    name: str
    gemeente: Gemeente
    is_gemeente: bool  # the name is the gemeente's own name

    @property
    def name_in_sentence(self) -> str:
        """The name to say: the gemeente's own spelling when it is the gemeente."""
        return self.gemeente.name if self.is_gemeente else self.name

    @property
    def label(self) -> str:
        """Unique, and resolves back to this place: "Velp (gemeente Rheden)", "gemeente Ede"."""
        if self.is_gemeente:
            return f"gemeente {self.gemeente.name}"
        return f"{self.name} (gemeente {self.gemeente.name})"

    @property
    def slot_value(self) -> str:
        """The shortest name that resolves back to this place ("Zwolle", not "gemeente Zwolle")."""
        if gazetteer().lookup(self.name_in_sentence).place == self:
            return self.name_in_sentence
        return self.label

    def as_payload(self) -> Dict[str, str]:
        return {
            "plaats": self.name_in_sentence,
            "gemeente": self.gemeente.name,
            "vt_code": self.gemeente.vt_code,
            "vt_regio": self.gemeente.vt_regio,
        }


@dataclass(frozen=True)
class Lookup:
    """Result of a lookup: exactly one of place, options (ambiguous) or suggestions."""

    place: Optional[Place] = None
    options: Tuple[Place, ...] = ()  # same name in several gemeenten
    suggestions: Tuple[Place, ...] = ()  # close spellings of an unknown name


def normalise_token(token: str) -> str:
    token = unicodedata.normalize("NFKD", token)
    token = "".join(c for c in token if not unicodedata.combining(c))
    return re.sub(r"['’‘`]", "", token).lower()


def tokens(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, normalised token) for every word of a text."""
    return [(m.start(), m.end(), normalise_token(m.group())) for m in _TOKEN.finditer(text)]


def name_key(name: str) -> str:
    return " ".join(token for _, _, token in tokens(name))


def _keys_of(name: str) -> Iterator[str]:
    key = name_key(name)
    yield key
    base = name_key(re.sub(r"\([^)]*\)", " ", name))
    if base and base != key:
        yield base
    words = base.split(" ")
    if len(words) > 1 and words[-1] in _PROVINCE_SUFFIXES:
        yield " ".join(words[:-1])


@dataclass(frozen=True)
class Gazetteer:
    gemeenten: Dict[str, Gemeente]  # by code
    index: Dict[str, Tuple[Place, ...]]  # normalised key -> places, one per gemeente
    common_words: FrozenSet[str] = frozenset()  # keys that are also ordinary words
    never_in_text: FrozenSet[str] = frozenset()  # keys never read as a place in a sentence

    def lookup(self, name: str) -> Lookup:
        """Resolves a name as a user may type it; never guesses between gemeenten."""
        if not isinstance(name, str) or not name.strip():
            return Lookup()
        gemeente = _GEMEENTE.match(name.strip())
        if gemeente:
            key = name_key(gemeente.group("gemeente"))
            places = [p for p in self.index.get(key, ()) if p.is_gemeente]
            if len(places) == 1:
                return Lookup(place=places[0])
        qualified = _QUALIFIED.match(name.strip())
        if qualified:
            gemeente_key = name_key(qualified.group("gemeente"))
            places = [
                p
                for p in self.index.get(name_key(qualified.group("naam")), ())
                if name_key(p.gemeente.name) == gemeente_key
            ]
            return Lookup(place=places[0]) if len(places) == 1 else Lookup()
        places = self.index.get(name_key(name), ())
        if len(places) == 1:
            return Lookup(place=places[0])
        if places:
            return Lookup(options=places)
        return Lookup(suggestions=self.suggest(name))

    def suggest(self, name: str) -> Tuple[Place, ...]:
        key = name_key(name)
        if len(key) < 3:
            return ()
        close = difflib.get_close_matches(
            key, self.index, n=MAX_SUGGESTIONS, cutoff=SUGGESTION_CUTOFF
        )
        found: List[Place] = []
        for match in close:
            for place in self.index[match]:
                if place not in found:
                    found.append(place)
        return tuple(found[:MAX_SUGGESTIONS])

    def find_in_text(self, text: str) -> List[Tuple[int, int, Tuple[Place, ...]]]:
        """Every known name in a text, longest first, as (start, end, places).

        Callers decide which matches count (see bot.nlu.plaats_gazetteer).
        """
        words = tokens(text)
        found = []
        index = 0
        while index < len(words):
            for size in range(min(MAX_NAME_TOKENS, len(words) - index), 0, -1):
                key = " ".join(token for _, _, token in words[index : index + size])
                if key in self.index and key not in self.never_in_text:
                    found.append((words[index][0], words[index + size - 1][1], self.index[key]))
                    index += size
                    break
            else:
                index += 1
        return found


def _read_csv(path: Path) -> List[Dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _add(index: Dict[str, Dict[str, Place]], key: str, place: Place) -> None:
    by_gemeente = index.setdefault(key, {})
    known = by_gemeente.get(place.gemeente.code)
    # One meaning per gemeente; the gemeente's own name wins over a woonplaats.
    if known is None or (place.is_gemeente and not known.is_gemeente):
        by_gemeente[place.gemeente.code] = place


def build_gazetteer(
    gemeente_file: Path = GEMEENTE_FILE,
    woonplaats_file: Path = WOONPLAATS_FILE,
    names_file: Path = NAMES_FILE,
) -> Gazetteer:
    gemeenten = {
        row["gemeentecode"]: Gemeente(
            row["gemeentecode"], row["gemeentenaam"], row["vt_code"], row["vt_regio"]
        )
        for row in _read_csv(gemeente_file)
    }
    index: Dict[str, Dict[str, Place]] = {}
    for gemeente in gemeenten.values():
        for key in _keys_of(gemeente.name):
            _add(index, key, Place(gemeente.name, gemeente, is_gemeente=True))
    for row in _read_csv(woonplaats_file):
        gemeente = gemeenten[row["gemeentecode"]]
        own_name = name_key(row["woonplaats"]) in set(_keys_of(gemeente.name))
        for key in _keys_of(row["woonplaats"]):
            _add(index, key, Place(row["woonplaats"], gemeente, is_gemeente=own_name))
    by_name = {g.name: g for g in gemeenten.values()}
    names = yaml.safe_load(names_file.read_text(encoding="utf-8"))
    aliases = names["andere_namen"]
    for alias, gemeente_naam in aliases.items():
        _add(index, name_key(alias), Place(alias, by_name[gemeente_naam], is_gemeente=False))
    return Gazetteer(
        gemeenten=gemeenten,
        index={key: tuple(places.values()) for key, places in index.items()},
        common_words=frozenset(name_key(w) for w in names["ook_gewone_woorden"]),
        never_in_text=frozenset(name_key(w) for w in names["nooit_in_tekst"]),
    )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The tables, read once per process (lazily, not at import)."""
    return build_gazetteer()


def lookup(name: str) -> Lookup:
    return gazetteer().lookup(name)
