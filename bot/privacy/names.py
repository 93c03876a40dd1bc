"""Person names found by `deduce`, the Dutch de-identification library (UMC Utrecht).

Only deduce's name annotators and name lookup lists are used: first names,
surnames, prefixes ("meneer", "mw."), interfixes ("van der") and initials,
with its whitelist of common Dutch words and medical terms. Streets, places
and institutions are left out on purpose: their lookup lists take about
1.2 GB and 90 s to build, and the assistant needs place names (the `plaats`
slot). Numbers, e-mail, addresses and dates stay with the validated patterns
in bot.privacy.redact.

Deduce is loaded on first use (never at import): its lookup structures are
built once into data/local/deduce-<version> (about 3 s, a few MB) and read
from there afterwards (about 1 s).
"""

import json
import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, List, Optional, Tuple

import yaml

from bot import settings

# deduce's tag for a person after its PersonAnnotationConverter.
PERSON_TAGS = ("persoon", "patient")
# The name annotators of deduce's base config, minus `patient_name` (it needs
# the patient's own name as metadata, which this assistant never has).
SKIPPED_ANNOTATORS = ("patient_name",)
NAME_LISTS = ("names/", "whitelist/")
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
PLACES_FILE = PROJECT_ROOT / "data" / "nlu" / "lookup_plaatsen.yml"

_lock = threading.RLock()
_state: dict = {"deduce": None, "loading_thread": None}


class NamesUnavailable(RuntimeError):
    """deduce is missing or broken; the message says what to do."""


def _import_deduce() -> Any:
    """`deduce`, imported without letting it configure logging.

    deduce 3.0.3 calls logging.basicConfig(stdout, DEBUG) at import, which
    would print every library's debug lines (with user text) to stdout.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import deduce
    except ImportError as error:
        raise NamesUnavailable(
            "Het pakket deduce ontbreekt. Installeer de pakketten opnieuw: make install."
        ) from error
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return deduce


def _lookup_folder(deduce: Any) -> Path:
    """deduce's lookup lists for names, with empty lists for the rest, in data/local."""
    folder = settings.LOCAL_DATA_DIR / f"deduce-{deduce.__version__}"
    if (folder / "src").is_dir():
        return folder
    from deduce.data.lookup.src import all_lists

    source = Path(deduce.__file__).parent / "data" / "lookup" / "src"
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Built in a private folder and renamed, so two processes never see half a copy.
    building = Path(tempfile.mkdtemp(prefix=".deduce-", dir=folder.parent))
    for name in all_lists:
        target = building / "src" / name
        if name.startswith(NAME_LISTS):
            shutil.copytree(source / name, target)
        else:
            target.mkdir(parents=True)
            (target / "items.txt").write_text("", encoding="utf-8")
    # Its cache is built here too, so no process ever reads a half-written one.
    _deduce_at(deduce, building)
    try:
        os.rename(building, folder)
    except OSError:  # another process was first
        shutil.rmtree(building, ignore_errors=True)
    return folder


def _names_config(deduce: Any) -> dict:
    """deduce's base config with only the annotators of the `names` group."""
    base_file = Path(deduce.__file__).parent.parent / "base_config.json"
    config = json.loads(base_file.read_text(encoding="utf-8"))
    config["annotators"] = {
        name: annotator
        for name, annotator in config["annotators"].items()
        if annotator.get("group") == "names" and name not in SKIPPED_ANNOTATORS
    }
    return config


def _deduce_at(deduce: Any, folder: Path) -> Any:
    """A Deduce with the name annotators, its lookup lists and cache in `folder`."""
    root = logging.getLogger()
    level = root.level
    try:
        return deduce.Deduce(
            load_base_config=False,
            config=_names_config(deduce),
            lookup_data_path=folder,
            cache_path=folder,
        )
    finally:
        root.setLevel(level)  # deduce logs at INFO while it builds


def _build() -> Any:
    deduce = _import_deduce()
    return _deduce_at(deduce, _lookup_folder(deduce))


def load() -> Any:
    """The name-only Deduce of this process, built on first use."""
    if _state["deduce"] is None:
        with _lock:
            if _state["deduce"] is None:
                _state["loading_thread"] = threading.get_ident()
                try:
                    _state["deduce"] = _build()
                finally:
                    _state["loading_thread"] = None
    return _state["deduce"]


def is_loading() -> bool:
    """True in the thread that builds deduce right now: the log lines deduce
    writes while loading hold no user text. Other threads wait for it."""
    return _state["loading_thread"] == threading.get_ident()


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "el", "al", "la", "le", "da"}
_TITLES = {"meneer", "mevrouw", "mevr", "mw", "dhr", "juf", "meester", "dokter", "heer"}


def _person_spans(text: str) -> List[Tuple[int, int]]:
    document = load().deidentify(text)
    return [
        (a.start_char, a.end_char)
        for a in document.annotations
        if any(a.tag.startswith(tag) for tag in PERSON_TAGS)
    ]


def _capitalised(text: str) -> Tuple[str, List[Tuple[int, int]]]:
    """`text` with lower-case words that could be names capitalised (same length),
    and where those words are. Common Dutch words (deduce's whitelist) stay."""
    whitelist = load().lookup_structs["whitelist"]
    chars, changed = list(text), []
    for word in _WORD.finditer(text):
        value = word.group(0)
        if not value.islower() or len(value) < 2 or value in _PARTICLES:
            continue
        if word.start() > 0 and not text[word.start() - 1].isspace():
            continue  # part of a longer token: "gesprek(ken)", "e-mail"
        if value in whitelist and value not in _TITLES:
            continue
        chars[word.start()] = value[0].upper()
        changed.append((word.start(), word.end()))
    return "".join(chars), changed


def _is_first_name(word: str) -> bool:
    return load().lookup_structs["first_name"].longest_matching_prefix([word]) is not None


def _lower_case_spans(text: str) -> List[Tuple[int, int]]:
    """Names typed in lower case ("jesse van dijk", "meneer jansen"): deduce only
    sees capitals, so it reads a capitalised copy. A span counts only when it
    starts with a known first name or follows a title, so ordinary lower-case
    words that happen to be surnames stay."""
    copy, changed = _capitalised(text)
    # Only worth a second deduce pass when a lower-case word could start a name.
    starts = [copy[a:b] for a, b in changed]
    if not any(w.lower() in _TITLES or _is_first_name(w) for w in starts):
        return []
    lowered = {start for start, _ in changed}
    spans = []
    for start, end in _person_spans(copy):
        words = list(_WORD.finditer(copy[start:end]))
        if not words or not any(start + w.start() in lowered for w in words):
            continue
        first = words[0].group(0)
        if first.lower() in _TITLES or _is_first_name(first):
            spans.append((start, end))
    return spans


def name_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of every person name deduce finds in `text`, in order."""
    return sorted(set(_person_spans(text)) | set(_lower_case_spans(text)))


# Words of this domain that deduce may take for (part of) a name: "Stap 2",
# "Groep 7", "Wijkteam Stap". They are cut from the edges of a name. The words
# of the assistant's own texts count too (_assistant_words).
DOMAIN_WORDS = {
    "stap",
    "groep",
    "fase",
    "klas",
    "week",
    "wijkteam",
    "veilig",
    "thuis",
    "jeugdhulp",
    "meldcode",
    "ggd",
    "cjg",
    "bron",
}
_places: dict = {}
# The assistant's own wording (no person names in these files): a word it uses
# itself, such as "Bron", "Vink" or "Pas" at the start of a sentence, is no name.
ASSISTANT_TEXT_FILES = (
    PROJECT_ROOT / "bot" / "content" / "vervolgstappen.yml",
    PROJECT_ROOT / "bot" / "content" / "webwidget.yml",
    PROJECT_ROOT / "domain.yml",
)
_vocabulary: dict = {}


def _assistant_words() -> set:
    if "words" not in _vocabulary:
        words = set(DOMAIN_WORDS)
        for path in ASSISTANT_TEXT_FILES:
            text = path.read_text(encoding="utf-8")
            words |= {w.lower() for w in _WORD.findall(text)}
        _vocabulary["words"] = words
    return _vocabulary["words"]


def _place_names() -> set:
    """Dutch towns from the assistant's own place list (data/nlu/lookup_plaatsen.yml)."""
    if "names" not in _places:
        raw = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
        examples = raw["nlu"][0]["examples"]
        _places["names"] = {
            line.strip()[2:].strip().lower()
            for line in examples.splitlines()
            if line.strip().startswith("- ")
        }
    return _places["names"]


def _is_place(text: str, start: int, end: int) -> bool:
    """The span is (part of) a town: "Emmen", "Den Haag", "Bergen op Zoom"."""
    places = _place_names()
    before = text[:start].split()
    candidates = [text[start:end]] + ([f"{before[-1]} {text[start:end]}"] if before else [])
    for candidate in candidates:
        lowered = candidate.strip().lower()
        if lowered in places:
            return True
        rest = text[start:].lower()
        # The span starts a town of several words ("Bergen" in "Bergen op Zoom").
        if any(p.startswith(lowered + " ") and rest.startswith(p) for p in places):
            return True
    return False


def _without_domain_words(text: str, start: int, end: int) -> Tuple[int, int]:
    """The span without the assistant's own words at its edges; (start, start)
    when none is left."""
    words = list(_WORD.finditer(text, start, end))
    own = _assistant_words()
    kept = list(words)
    while kept and kept[0].group(0).lower() in own:
        kept.pop(0)
    while kept and kept[-1].group(0).lower() in own:
        kept.pop()
    if not kept:
        return start, start
    # Keep what deduce took around the words (an initial's dot, "J. de Vries").
    new_start = start if kept[0] is words[0] else kept[0].start()
    new_end = end if kept[-1] is words[-1] else kept[-1].end()
    return new_start, new_end


def replace_names(text: str, placeholder: str, keep: Optional[List[str]] = None) -> str:
    """`text` with each name replaced by `placeholder`; spans inside `keep`
    (placeholders of other kinds) are left alone."""
    keep = keep or []
    result, position = [], 0
    for start, end in name_spans(text):
        if start < position or any(k in text[start:end] for k in keep):
            continue
        start, end = _without_domain_words(text, start, end)
        if start >= end or _is_place(text, start, end):
            continue  # "naar Emmen": a town the `plaats` slot needs, not a person
        result.append(text[position:start])
        result.append(placeholder)
        position = end
    result.append(text[position:])
    return "".join(result)
