"""Loads `.env` once, before Rasa reads credentials.yml and endpoints.yml.

Order of precedence: the real environment, then `.env` in the project root,
then the defaults below. Every make target and the CLI go through here.
"""

import os
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


def load_environment(env_file: Optional[Path] = None) -> None:
    load_dotenv(env_file or PROJECT_ROOT / ".env", override=False)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if not os.environ.get("ACTION_SERVER_URL"):
        port = os.environ["ACTION_SERVER_PORT"]
        os.environ["ACTION_SERVER_URL"] = f"http://localhost:{port}/webhook"
