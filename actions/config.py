"""The one place where the action server reads its environment."""

import os
from pathlib import Path
from typing import Optional

ENV_CONTENT_FILE = "MELDCODE_CONTENT_FILE"


def content_file() -> Optional[Path]:
    """Another content file (for a test or an organisation's own wording)."""
    value = os.environ.get(ENV_CONTENT_FILE, "").strip()
    return Path(value) if value else None


ENV_EXERCISE_FILE = "MELDCODE_OEFEN_FILE"


def exercise_file() -> Optional[Path]:
    """Another exercise (scenario) file, for a trainer's own cases."""
    value = os.environ.get(ENV_EXERCISE_FILE, "").strip()
    return Path(value) if value else None
