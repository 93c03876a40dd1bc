"""The test harness itself: the benchmark stands apart from the tests, and
every Rasa start is counted (the budget of tests/shared_assistant.py)."""

import ast
import asyncio
from pathlib import Path

from harness import servers
from harness.servers import PROJECT_ROOT


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_benchmark_or_harness_module_imports_the_tests():
    sources = sorted((PROJECT_ROOT / "bench").glob("*.py"))
    sources += sorted((PROJECT_ROOT / "harness").glob("*.py"))
    assert len(sources) > 5
    offenders = {
        f"{path.parent.name}/{path.name}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module == "tests" or module.startswith("tests.")
    }
    assert offenders == set()


class FinishedProcess:
    returncode = 0

    def poll(self):
        return 0


def test_every_rasa_start_and_restart_is_counted(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(
        servers.Assistant,
        "_start",
        lambda self, args, log: started.append(args) or FinishedProcess(),
    )
    monkeypatch.setattr(servers, "wait_until_up", lambda *args, **kwargs: None)
    # Restored afterwards: the session's count holds real starts only.
    monkeypatch.setattr(servers, "_rasa_starts", 0)
    before = servers.rasa_starts()
    assistant = servers.Assistant(tmp_path)
    assistant.start_rasa()
    assistant.restart_rasa()
    assert servers.rasa_starts() - before == 2
    assert assistant.rasa_starts == 2
    assert [args[:2] for args in started] == [["rasa", "run"], ["rasa", "run"]]
    assistant.start_actions()  # an action server is no Rasa start
    assert servers.rasa_starts() - before == 2


def test_the_tracker_store_is_read_in_write_order_and_whole(tmp_path, domain):
    """What the privacy and scale-out checks read: Rasa's own tables, written
    by the redacting store (SQLite here; the shared assistant uses PostgreSQL)."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.privacy.tracker_store import RedactingSQLTrackerStore
    from harness.tracker_db import stored_events, stored_text

    db = tmp_path / "tracker.db"
    rasa_domain = Domain.from_dict(domain)
    store = RedactingSQLTrackerStore(domain=rasa_domain, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker("gesprek-1", rasa_domain.slots)
    tracker.update(UserUttered("eerste bericht"))
    tracker.update(SlotSet("plaats", "Zwolle"))
    tracker.update(UserUttered("bel 06-12345678"))
    asyncio.run(store.save(tracker))
    env = {"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB": str(db)}
    events = stored_events(env, "gesprek-1")
    assert [(e["event"], e.get("text") or e.get("value")) for e in events][-3:] == [
        ("user", "eerste bericht"),
        ("slot", "Zwolle"),
        ("user", events[-1]["text"]),
    ]
    assert "06-12345678" not in events[-1]["text"]  # redacted before it was written
    assert stored_events(env, "ander-gesprek") == []
    everything = stored_text(env)
    assert "gesprek-1" in everything and "Zwolle" in everything
    assert "06-12345678" not in everything
