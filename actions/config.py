"""The one place where the action server reads its environment."""

import os
from pathlib import Path
from typing import Optional

ENV_CONTENT_FILE = "MELDCODE_CONTENT_FILE"


def content_file() -> Optional[Path]:
    """Another content file (for a test or an organisation's own wording)."""
    value = os.environ.get(ENV_CONTENT_FILE, "").strip()
    return Path(value) if value else None
