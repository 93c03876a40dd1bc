"""Loads `.env` once, before Rasa reads credentials.yml and endpoints.yml.

Order of precedence: the real environment, then `.env` in the project root,
then the defaults below. Every make target and the CLI go through here.
"""

import os
import warnings
from pathlib import Path
from typing import Any, Dict, Optional

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Git ignores this folder: conversations never end up in the repository.
LOCAL_DATA_DIR = PROJECT_ROOT / "data" / "local"
DEFAULT_RETENTION_DAYS = 30

DEFAULTS = {
    "ACTION_SERVER_PORT": "5055",
    "RASA_PORT": "5005",
    # Rasa's telemetry would try to reach the internet.
    "RASA_TELEMETRY_ENABLED": "false",
    # The web widget only serves files (messages take the REST channel): on
    # unless .env says WEBCHAT_ENABLED=false.
    "WEBCHAT_ENABLED": "true",
}


# Library deprecation notices bury the messages a user needs to see.
QUIET_WARNINGS = "ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning"


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


def load_environment(env_file: Optional[Path] = None) -> None:
    quiet_library_warnings()
    load_dotenv(env_file or PROJECT_ROOT / ".env", override=False)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if not os.environ.get("ACTION_SERVER_URL"):
        port = os.environ["ACTION_SERVER_PORT"]
        os.environ["ACTION_SERVER_URL"] = f"http://localhost:{port}/webhook"


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
