"""Fixtures for action tests: domain, tracker factory, dispatcher (as in rasa-demo).

End-to-end tests use the one running assistant of the session: the fixture
`assistant` in tests/shared_assistant.py (how to add a test: its docstring).
"""

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The shared running assistant for end-to-end tests: fixture `assistant`.
pytest_plugins = ["tests.shared_assistant"]


def yaml_variant(source: Path, tmp_path: Path, change) -> Path:
    """A changed copy of a YAML data file, for tests of broken content."""
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    intent: str = "zorgen_blijven",
    entities: Optional[List[Dict[str, Any]]] = None,
    text: str = "",
    active_loop: Optional[str] = None,
    extracted: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker after one user message; `extracted` are the slot candidates
    that Rasa appends (as SlotSet events) before a form validation runs."""
    all_slots = {
        "fase": None,
        "plaats": None,
        "gemeld_bij_vt": None,
        "situatie": None,
        "vorige_plaats": None,
        "vorige_plaats_gevraagd": None,
        "plaats_opties": None,
        "besproken_situaties": None,
        "requested_slot": None,
    }
    all_slots.update(slots or {})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
    }
    extracted = extracted or {}
    all_slots.update(extracted)
    events = [{"event": "user", "text": text, "parse_data": latest}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in extracted.items()]
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture
def tracker_factory():
    return make_tracker
