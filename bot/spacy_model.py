"""Installs and loads the Dutch spaCy model `nl_core_news_sm` 3.4.0.

Order of sources, for install and for loading:
1. `MELDCODE_SPACY_MODEL_WHEEL`: a local wheel file, or a folder that holds
   one (intranets without internet);
2. spaCy's official release wheel on GitHub;
3. neither reachable: the assistant goes on with a tokenizer-only Dutch
   pipeline (`spacy.blank("nl")`) and says once, clearly, what is missing.
`MELDCODE_SPACY_MODEL` overrides what is loaded (a package name or a path to a
pipeline folder); tests use it for a small pipeline they build on disk.
"""

import logging
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from bot import settings

logger = logging.getLogger(__name__)

MODEL_NAME = "nl_core_news_sm"
MODEL_VERSION = "3.4.0"
OFFICIAL_WHEEL_URL = (
    "https://github.com/explosion/spacy-models/releases/download/"
    f"{MODEL_NAME}-{MODEL_VERSION}/{MODEL_NAME}-{MODEL_VERSION}-py3-none-any.whl"
)
ENV_MODEL = "MELDCODE_SPACY_MODEL"
ENV_WHEEL = "MELDCODE_SPACY_MODEL_WHEEL"
BLANK_MODEL_NAME = "blank:nl"
# Short: a closed network should not hold up `make run` for minutes.
DOWNLOAD_TIMEOUT_SECONDS = 15

MISSING_MODEL_MESSAGE = (
    f"LET OP: het Nederlandse spaCy-model {MODEL_NAME} {MODEL_VERSION} is niet "
    "geïnstalleerd. De assistent werkt met alleen een Nederlandse tokenizer: "
    "lemma's, woordsoorten (POS) en named entities (plaatsnamen via spaCy) ontbreken. "
    f"Installeren: zet {ENV_WHEEL}=/pad/naar/{MODEL_NAME}-{MODEL_VERSION}-py3-none-any.whl "
    "(of een map met dat bestand) en voer 'make spacy-model' uit."
)


def configured_model() -> str:
    return settings.text_setting(ENV_MODEL) or MODEL_NAME


def load_pipeline(name: Optional[str] = None, disable: Tuple[str, ...] = ("parser",)):
    """(nlp, name, is_full_model): the configured pipeline, else blank Dutch."""
    import spacy

    name = name or configured_model()
    try:
        nlp = spacy.load(name, disable=list(disable))
        return nlp, name, True
    except (OSError, ImportError) as error:
        logger.debug("spaCy model %s not loadable: %s", name, error)
    announce_missing_model()
    return spacy.blank("nl"), BLANK_MODEL_NAME, False


_announced = False


def announce_missing_model() -> None:
    """Prints the one line about the missing model, once per process."""
    global _announced
    if not _announced:
        _announced = True
        print(MISSING_MODEL_MESSAGE, file=sys.stderr, flush=True)


def model_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec(MODEL_NAME) is not None


def local_wheel(value: str) -> Optional[Path]:
    """The wheel named by the variable: a file, or the newest match in a folder."""
    path = Path(value).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        wheels = sorted(path.glob(f"{MODEL_NAME}-{MODEL_VERSION}*.whl"))
        return wheels[-1] if wheels else None
    return None


def _pip_install(target: str, extra: List[str]) -> bool:
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", *extra, target]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        logger.info("pip could not install %s: %s", target, result.stderr.strip()[-300:])
    return result.returncode == 0


def install(quiet: bool = False) -> bool:
    """Installs the model if missing; True when it is installed afterwards."""
    say = (lambda _msg: None) if quiet else (lambda msg: print(msg, flush=True))
    if model_installed():
        say(f"spaCy-model {MODEL_NAME} is al geïnstalleerd.")
        return True
    wheel_setting = settings.text_setting(ENV_WHEEL)
    if wheel_setting:
        wheel = local_wheel(wheel_setting)
        if wheel is None:
            say(f"{ENV_WHEEL}={wheel_setting}: geen {MODEL_NAME}-{MODEL_VERSION} wheel gevonden.")
        else:
            say(f"spaCy-model installeren uit {wheel} ...")
            if _pip_install(str(wheel), ["--no-index"]):
                say(f"spaCy-model {MODEL_NAME} {MODEL_VERSION} geïnstalleerd.")
                return True
    say(f"spaCy-model {MODEL_NAME} {MODEL_VERSION} downloaden van de officiële release ...")
    if _pip_install(
        OFFICIAL_WHEEL_URL, ["--timeout", str(DOWNLOAD_TIMEOUT_SECONDS), "--retries", "0"]
    ):
        say(f"spaCy-model {MODEL_NAME} {MODEL_VERSION} geïnstalleerd.")
        return True
    print(MISSING_MODEL_MESSAGE, flush=True)
    return False
