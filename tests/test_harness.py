"""The test harness itself: the benchmark stands apart from the tests, and
every Rasa start is counted (the budget of tests/shared_assistant.py)."""

import ast
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
