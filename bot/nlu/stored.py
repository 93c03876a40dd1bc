"""A trained scikit-learn object stored with the Rasa model (joblib)."""

from pathlib import Path
from typing import Any, Optional

import joblib
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def store(model_storage: ModelStorage, resource: Resource, filename: str, obj: Any) -> None:
    with model_storage.write_to(resource) as directory:
        joblib.dump(obj, Path(directory) / filename)


def read(model_storage: ModelStorage, resource: Resource, filename: str) -> Optional[Any]:
    """The stored object, or None when training stored nothing (no data)."""
    try:
        with model_storage.read_from(resource) as directory:
            return joblib.load(Path(directory) / filename)
    except (ValueError, FileNotFoundError):
        return None
