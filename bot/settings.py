"""Loads `.env` once, before Rasa reads credentials.yml and endpoints.yml.

Order of precedence: the real environment, then `.env` in the project root,
then the defaults below. Every make target and the CLI go through here.
"""

import os
import warnings
from pathlib import Path
from typing import Optional

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "ACTION_SERVER_PORT": "5055",
    "RASA_PORT": "5005",
    # Rasa's telemetry would try to reach the internet.
    "RASA_TELEMETRY_ENABLED": "false",
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
