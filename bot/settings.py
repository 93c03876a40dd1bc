"""Loads `.env` once, before Rasa reads credentials.yml and endpoints.yml.

Order of precedence: the real environment, then `.env` in the project root,
then the defaults below. Every make target and the CLI go through here.
"""

import logging
import os
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Git ignores this folder: conversations never end up in the repository.
LOCAL_DATA_DIR = PROJECT_ROOT / "data" / "local"
DEFAULT_RETENTION_DAYS = 30
DEFAULT_REPLY_TIMEOUT_SECONDS = 8.0

DEFAULTS = {
    "ACTION_SERVER_PORT": "5055",
    "RASA_PORT": "5005",
    # One Rasa process keeps its conversation locks in memory; several need Redis.
    "LOCK_STORE_TYPE": "in_memory",
    "SANIC_WORKERS": "1",
    # Rasa's telemetry would try to reach the internet.
    "RASA_TELEMETRY_ENABLED": "false",
    # The web widget only serves files (messages take the REST channel): on
    # unless .env says WEBCHAT_ENABLED=false.
    "WEBCHAT_ENABLED": "true",
}


# Library deprecation notices bury the messages a user needs to see.
QUIET_WARNINGS = (
    "ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning"
)


_QUIET_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def quiet_library_warnings() -> None:
    os.environ.setdefault("PYTHONWARNINGS", QUIET_WARNINGS)  # for child processes
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")  # Rasa 3.6 pins SQLAlchemy 1.4
    # Libraries add their own filters after ours, so drop these at display time.
    show = warnings.showwarning
    if getattr(show, "quiet", False):
        return

    def show_unless_deprecation(message, category, *args, **kwargs):
        if not issubclass(category, _QUIET_CATEGORIES):
            show(message, category, *args, **kwargs)

    show_unless_deprecation.quiet = True
    warnings.showwarning = show_unless_deprecation


def quiet_tensorflow() -> None:
    """TensorFlow's own messages (CUDA and TensorRT not found, type-inference
    dumps, "Executor start aborting") bury the assistant's lines. Off unless
    MELDCODE_TF_LOG is on or TF_CPP_MIN_LOG_LEVEL is set. Must run before
    TensorFlow is imported; the environment carries it to child processes."""
    if flag("MELDCODE_TF_LOG"):
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    for name in ("tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.ERROR)


def load_environment(env_file: Optional[Path] = None) -> None:
    quiet_library_warnings()
    load_dotenv(env_file or PROJECT_ROOT / ".env", override=False)
    quiet_tensorflow()
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if not os.environ.get("ACTION_SERVER_URL"):
        port = os.environ["ACTION_SERVER_PORT"]
        os.environ["ACTION_SERVER_URL"] = f"http://localhost:{port}/webhook"
    limit_sanic_workers()
    limit_request_size()


# Largest request body Sanic reads; Slack and Teams send at most 256 KB.
DEFAULT_MAX_REQUEST_BYTES = 300_000


def limit_request_size() -> None:
    """Sanic reads a body of up to 100 MB into memory before a channel can check
    it; MAX_REQUEST_BYTES (Sanic reads SANIC_REQUEST_MAX_SIZE when Rasa makes
    its app) refuses a larger one with 413 before it is read."""
    value = os.environ.get("MAX_REQUEST_BYTES", "").strip()
    try:
        limit = int(value) if value else DEFAULT_MAX_REQUEST_BYTES
    except ValueError:
        limit = 0
    if limit < 1:
        print(
            f"LET OP: MAX_REQUEST_BYTES={value} is geen positief getal; "
            f"{DEFAULT_MAX_REQUEST_BYTES} wordt gebruikt.",
            file=sys.stderr,
        )
        limit = DEFAULT_MAX_REQUEST_BYTES
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(limit)


LOCK_STORE_TYPES = ("in_memory", "redis")
DEFAULT_REDIS_PORT = 6379
DEFAULT_REDIS_DB = 1
TRUE_WORDS = ("1", "true", "ja", "aan", "yes", "on")
FALSE_WORDS = ("0", "false", "nee", "uit", "no", "off")
ENV_CONTENT_FILE = "MELDCODE_CONTENT_FILE"
ENV_EXERCISE_FILE = "MELDCODE_OEFEN_FILE"


class SettingsError(ValueError):
    """A setting in .env that cannot work; the message says what to change."""


def parse_flag(name: str, value: Optional[str], default: bool = False) -> bool:
    """A yes/no setting: true/false, ja/nee, aan/uit, 1/0, yes/no, on/off (any case);
    empty gives `default`; anything else is a SettingsError."""
    word = (value or "").strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(
        f"{name}={value!r} is geen ja/nee-waarde. Gebruik true of false "
        "(ook goed: ja/nee, aan/uit, 1/0, yes/no, on/off)."
    )


def flag(name: str, default: bool = False) -> bool:
    """The yes/no setting `name` from the environment (see parse_flag)."""
    return parse_flag(name, os.environ.get(name), default)


def _project_file(name: str) -> Optional[Path]:
    """A file named by setting `name`; a relative path is taken from the project root."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def content_file() -> Optional[Path]:
    """Another protocol content file (a test, or an organisation's own wording)."""
    return _project_file(ENV_CONTENT_FILE)


def exercise_file() -> Optional[Path]:
    """Another file with exercise cases, for a trainer's own cases."""
    return _project_file(ENV_EXERCISE_FILE)


def lock_store_type() -> str:
    value = os.environ.get("LOCK_STORE_TYPE", "").strip().lower() or "in_memory"
    if value not in LOCK_STORE_TYPES:
        raise SettingsError(f"LOCK_STORE_TYPE={value!r} bestaat niet; kies in_memory of redis.")
    return value


def redis_lock_store() -> Dict[str, Any]:
    """Arguments of Rasa's RedisLockStore; the password comes only from the environment."""
    port = os.environ.get("REDIS_PORT", "").strip()
    db = os.environ.get("REDIS_DB", "").strip()
    return {
        "host": os.environ.get("REDIS_HOST", "").strip() or "localhost",
        "port": int(port) if port else DEFAULT_REDIS_PORT,
        "db": int(db) if db else DEFAULT_REDIS_DB,
        "password": os.environ.get("REDIS_PASSWORD") or None,
        "use_ssl": flag("REDIS_USE_SSL"),
        # Lets several assistants share one Redis; Rasa accepts letters and digits only.
        "key_prefix": os.environ.get("LOCK_STORE_KEY_PREFIX", "").strip() or None,
    }


def limit_sanic_workers() -> None:
    """Several Sanic workers only with the Redis lock store.

    Rasa's own check lets any custom lock store class through, also ours when
    it keeps the locks in memory; then two workers could answer the same
    conversation at once and lose events. So it is checked here.
    """
    wanted = os.environ.get("SANIC_WORKERS", "").strip() or "1"
    try:
        workers = int(wanted)
    except ValueError:
        workers = 0
    try:
        redis = lock_store_type() == "redis"
    except SettingsError:
        redis = False  # the lock store itself reports the wrong value
    if workers == 1 or (workers > 1 and redis):
        return
    if workers < 1:
        reason = "Dit moet een heel getal van 1 of meer zijn."
    else:
        reason = (
            "Meerdere workers werken alleen met LOCK_STORE_TYPE=redis. Met in_memory kan "
            "één gesprek in twee workers tegelijk lopen, en dan raken berichten kwijt."
        )
    print(f"LET OP: SANIC_WORKERS={wanted} wordt 1. {reason}", file=sys.stderr)
    os.environ["SANIC_WORKERS"] = "1"


def tracker_db() -> Dict[str, Any]:
    """Connection settings of the tracker store (SQLite by default, or PostgreSQL)."""
    dialect = os.environ.get("TRACKER_DB_DIALECT", "").strip() or "sqlite"
    db = os.environ.get("TRACKER_DB", "").strip()
    if dialect == "sqlite":
        path = Path(db) if db else LOCAL_DATA_DIR / "tracker.db"
        path = path if path.is_absolute() else PROJECT_ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"dialect": "sqlite", "db": str(path)}
    port = os.environ.get("TRACKER_DB_PORT", "").strip()
    return {
        "dialect": dialect,
        "db": db or "rasa",
        "host": os.environ.get("TRACKER_DB_HOST", "").strip() or "localhost",
        "port": int(port) if port else None,
        "username": os.environ.get("TRACKER_DB_USER", "").strip() or None,
        "password": os.environ.get("TRACKER_DB_PASSWORD") or None,
        # A database to log in to first, so that Rasa can create `db` itself.
        "login_db": os.environ.get("TRACKER_DB_LOGIN_DB", "").strip() or None,
    }


def retention_days() -> int:
    value = os.environ.get("RETENTION_DAYS", "").strip()
    return int(value) if value else DEFAULT_RETENTION_DAYS


def reply_timeout_seconds() -> float:
    """After this, a channel answers with a safe message instead of waiting on."""
    value = os.environ.get("REPLY_TIMEOUT_SECONDS", "").strip()
    return float(value) if value else DEFAULT_REPLY_TIMEOUT_SECONDS


def action_server_url() -> str:
    return os.environ.get("ACTION_SERVER_URL", "").strip()


MIN_API_TOKEN_CHARS = 32


def rasa_api_token() -> Optional[str]:
    """The token of Rasa's HTTP API; None keeps the API off. SettingsError when
    it is shorter than MIN_API_TOKEN_CHARS."""
    token = os.environ.get("RASA_API_TOKEN", "").strip()
    if token and len(token) < MIN_API_TOKEN_CHARS:
        raise SettingsError(
            f"RASA_API_TOKEN is te kort ({len(token)} tekens); gebruik minstens "
            f"{MIN_API_TOKEN_CHARS} willekeurige tekens, bijvoorbeeld de uitvoer van "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
        )
    return token or None


DEFAULT_SESSION_TURNS = 10


def session_turns() -> int:
    """After this many messages in one Rasa session, the next message at a rest
    point starts a new session (bot/session_split.py); 0 = never."""
    value = os.environ.get("SESSION_TURNS", "").strip()
    return int(value) if value else DEFAULT_SESSION_TURNS


DEFAULT_PURGE_INTERVAL_HOURS = 24.0
DEFAULT_WEB_SESSION_MAX_AGE_HOURS = 24.0
DEFAULT_RATE_LIMITS = {"conversation": 30, "address": 120}
MIN_SESSION_SECRET_CHARS = 32


def purge_interval_hours() -> float:
    """How often the server deletes old sessions by itself; 0 = never (external timer)."""
    value = os.environ.get("PURGE_INTERVAL_HOURS", "").strip()
    return float(value) if value else DEFAULT_PURGE_INTERVAL_HOURS


def web_session_secret() -> Optional[str]:
    """WEB_SESSION_SECRET, at least MIN_SESSION_SECRET_CHARS; None when unset."""
    value = os.environ.get("WEB_SESSION_SECRET", "").strip()
    if value and len(value) < MIN_SESSION_SECRET_CHARS:
        raise SettingsError(
            f"WEB_SESSION_SECRET moet minstens {MIN_SESSION_SECRET_CHARS} tekens lang zijn."
        )
    return value or None


def web_session_max_age_seconds() -> int:
    value = os.environ.get("WEB_SESSION_MAX_AGE_HOURS", "").strip()
    return int(3600 * (float(value) if value else DEFAULT_WEB_SESSION_MAX_AGE_HOURS))


def rate_limit(kind: str) -> int:
    """Requests per minute per `conversation` or per client `address`; 0 = no limit."""
    name = {"conversation": "RATE_LIMIT_PER_CONVERSATION", "address": "RATE_LIMIT_PER_ADDRESS"}
    value = os.environ.get(name[kind], "").strip()
    return int(value) if value else DEFAULT_RATE_LIMITS[kind]


def cors_origins() -> List[str]:
    return os.environ.get("CORS_ORIGINS", "").replace(",", " ").split()


def action_server_port() -> int:
    return int(os.environ.get("ACTION_SERVER_PORT", "").strip() or DEFAULTS["ACTION_SERVER_PORT"])


def rasa_port() -> int:
    return int(os.environ.get("RASA_PORT", "").strip() or DEFAULTS["RASA_PORT"])


def text_setting(name: str) -> str:
    """A free-text setting (spaCy model, wheel, Teams app id); "" when unset."""
    return os.environ.get(name, "").strip()


def slack_bot_token() -> str:
    """Slack's bot token; the action server needs it to schedule reminders."""
    return os.environ.get("SLACK_BOT_TOKEN", "").strip()


def slack_api_url() -> str:
    """SLACK_API_URL as written (bot.channels.slack.api_url checks it)."""
    return os.environ.get("SLACK_API_URL", "").strip()


DEFAULT_REMINDER_POLL_SECONDS = 30.0


def reminder_poll_seconds() -> float:
    """How often the Rasa server looks for due Teams reminders (HERINNERING_POLL_SECONDS)."""
    value = os.environ.get("HERINNERING_POLL_SECONDS", "").strip()
    return float(value) if value else DEFAULT_REMINDER_POLL_SECONDS


# The organisation's own contacts (docs/organisation.md). All optional; empty
# settings keep the general texts.
ORGANISATION_VARIABLES = (
    "AANDACHTSFUNCTIONARIS_ROL",
    "AANDACHTSFUNCTIONARIS_TELEFOON",
    "AANDACHTSFUNCTIONARIS_KANAAL",
    "MELDCODE_ORGANISATIE_URL",
)
MAX_ORGANISATION_TEXT = 80
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
_PLAIN_TEXT = re.compile(r"^[^<>{}\[\]\\`*_|\n\r\t]+$")
_URL = re.compile(r"^https://[^\s<>\"'{}|\\^`]+$")


@dataclass(frozen=True)
class OrganisationContacts:
    role: str = ""
    phone: str = ""
    channel: str = ""
    meldcode_url: str = ""

    @property
    def empty(self) -> bool:
        return not (self.role or self.phone or self.channel or self.meldcode_url)


def organisation_contacts() -> OrganisationContacts:
    """The organisation's contacts from .env, checked; SettingsError names what to fix."""
    values = {name: os.environ.get(name, "").strip() for name in ORGANISATION_VARIABLES}
    problems = []
    for name in ORGANISATION_VARIABLES[:3]:
        value = values[name]
        if value and (len(value) > MAX_ORGANISATION_TEXT or not _PLAIN_TEXT.match(value)):
            problems.append(
                f"{name}: gewone tekst van hoogstens {MAX_ORGANISATION_TEXT} tekens, "
                "zonder tekens als < > { } [ ] * _ |."
            )
    phone = values["AANDACHTSFUNCTIONARIS_TELEFOON"]
    if phone and not _PHONE.match(phone):
        problems.append(
            "AANDACHTSFUNCTIONARIS_TELEFOON: alleen cijfers, spaties, streepjes en een + "
            "vooraan, bijvoorbeeld 030-1234567."
        )
    url = values["MELDCODE_ORGANISATIE_URL"]
    if url and (len(url) > 300 or not _URL.match(url)):
        problems.append(
            "MELDCODE_ORGANISATIE_URL: een volledig adres dat begint met https://, "
            "bijvoorbeeld https://intranet.example.nl/meldcode."
        )
    if (phone or values["AANDACHTSFUNCTIONARIS_KANAAL"]) and not values[
        "AANDACHTSFUNCTIONARIS_ROL"
    ]:
        problems.append(
            "AANDACHTSFUNCTIONARIS_ROL ontbreekt: zeg wie het telefoonnummer of kanaal is, "
            "bijvoorbeeld 'de aandachtsfunctionaris kindermishandeling'."
        )
    if problems:
        raise SettingsError(
            "Instellingen van uw organisatie kloppen niet:\n- " + "\n- ".join(problems)
        )
    return OrganisationContacts(
        role=values["AANDACHTSFUNCTIONARIS_ROL"],
        phone=phone,
        channel=values["AANDACHTSFUNCTIONARIS_KANAAL"],
        meldcode_url=url,
    )
