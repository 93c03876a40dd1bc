"""One running assistant for every end-to-end test (a pytest plugin, loaded by
tests/conftest.py).

Starting Rasa (loading the model) takes about a minute on 2 cores, so the REST,
Teams, Slack, web widget, robustness and restart tests share ONE action server
plus Rasa server, started once per test session with every channel on: REST,
the web widget, Teams against local stubs of Microsoft's services and Slack
against a stub of the Slack Web API (the stubs start first). Its Rasa server
runs with `--debug`, so the privacy checks read debug logs. It stores
conversations in PostgreSQL and locks them in Redis (harness/services.py, started
in the background with the action server), so the scale-out test adds only a
second server next to it (server B) instead of starting two; read the stored
conversations with `assistant.stored_events(sender)` / `assistant.stored_text()`.

Adding an end-to-end test:

    pytestmark = pytest.mark.integration

    def test_something(assistant):
        sender = f"mijn-test-{uuid.uuid4().hex}"  # your own conversation
        reply = assistant.say(sender, "de ouders weigeren hulp")

Rules, because every test sees the same servers and tracker store:
- use your own sender / conversation / thread ids (a uuid), never a fixed one;
- do not change the assistant's settings; a test that needs other settings
  calls the channel or guard code in-process (see test_robustness.py) or, when
  that cannot work, explains why it needs a Rasa start of its own;
- stopping the action server is allowed when the test starts it again in a
  `finally`; the Rasa server is restarted only once, by tests/test_restart.py
  (marker `restarts_assistant`: such tests run last).

A test that must start Rasa servers of its own (the scale-out test's server B)
carries the marker `own_rasa_servers` and runs after the others. Every Rasa start of the
session is counted (harness.servers.rasa_starts); the
session prints the count and fails when it exceeds MAX_RASA_STARTS.
"""

import shutil
import tempfile
import threading
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Dict, Optional

import pytest

from harness import servers

# The shared assistant, its one restart and the scale-out test's server B.
MAX_RASA_STARTS = 3
RESTART_MARKER = "restarts_assistant"
OWN_RASA_MARKER = "own_rasa_servers"

SLACK_SECRET = "e2e-ondertekengeheim"
# Messages per minute in one conversation; no other test comes near it.
RATE_LIMIT_PER_CONVERSATION = 30
SLACK_TOKEN = "xoxb-e2e-test"
LOCK_KEY_PREFIX = "meldcodetest"
# Waiting for the lock (the scale-out test holds it) counts towards the reply time.
REPLY_TIMEOUT_SECONDS = str(servers.REQUEST_TIMEOUT_SECONDS)


def new_sender(prefix: str) -> str:
    """A conversation id no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex}"


class SharedAssistant:
    """The stubs, the intranet pages and the assistant of the session.

    Launched when collection is done, in a background thread: tests that need
    no assistant (NLU quality, spaCy training; they run first) use the other
    core while Rasa loads its model.
    """

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self._stack = ExitStack()
        self._thread: Optional[threading.Thread] = None
        self._error: Optional[BaseException] = None

    def launch(self) -> None:
        from tests.intranet_page import IntranetPage
        from tests.slack_stub import SlackStub
        from tests.teams_stubs import TeamsStubs

        # The stubs first: the channels talk to them from the start.
        self.teams = self._stack.enter_context(TeamsStubs())
        self.slack = self._stack.enter_context(SlackStub())
        allowed, other = IntranetPage(), IntranetPage()
        self._stack.callback(other.close)
        self._stack.callback(allowed.close)
        self.intranets = (allowed, other)
        settings = {
            **self.teams.env(),
            "SLACK_BOT_TOKEN": SLACK_TOKEN,
            "SLACK_SIGNING_SECRET": SLACK_SECRET,
            "SLACK_API_URL": self.slack.url,
            "SLACK_CHANNEL": "",
            "WEBCHAT_ENABLED": "true",
            # Teams reminders: looked for every second, so a due one comes at once.
            "HERINNERING_POLL_SECONDS": "1",
            # tests/test_robustness.py sends more than this in one conversation.
            "RATE_LIMIT_PER_CONVERSATION": str(RATE_LIMIT_PER_CONVERSATION),
        }
        # Only the allowed intranet is in CORS_ORIGINS (what `python -m bot serve` passes as --cors).
        arguments = ["--debug", "--cors", allowed.origin]
        self.assistant = servers.Assistant(self.log_dir, settings, arguments)
        self._stack.callback(self.assistant.stop_all)
        self._thread = threading.Thread(target=self._start, daemon=True)
        self._thread.start()

    def _start(self) -> None:
        from tests.intranet_page import intranet_page

        try:
            # The database first: the action server keeps Teams reminders in the
            # same database as Rasa's tracker store, so both need its settings.
            self.assistant.env.update(self._start_services())
            self.assistant.start_actions()
            self.assistant.start_rasa()
        except BaseException as error:  # noqa: BLE001 - raised again in ready()
            self._error = error
            return
        page = intranet_page(f"{self.assistant.url}/webhooks/webchat/widget.js")
        for intranet in self.intranets:
            intranet.body = page

    def _start_services(self) -> Dict[str, str]:
        from harness.services import postgres_server, redis_server

        database = self._stack.enter_context(postgres_server(self.log_dir))
        lock_store = self._stack.enter_context(redis_server(self.log_dir))
        # Closed in reverse order: the servers stop before their services do.
        self._stack.callback(self.assistant.stop_all)
        return {
            **database,
            **lock_store,
            "LOCK_STORE_KEY_PREFIX": LOCK_KEY_PREFIX,
            "REPLY_TIMEOUT_SECONDS": REPLY_TIMEOUT_SECONDS,
        }

    def ready(self) -> servers.Assistant:
        """The assistant, once its servers are up."""
        self._thread.join()
        if self._error is not None:
            raise RuntimeError(
                f"de gedeelde assistent startte niet (logs: {self.log_dir})"
            ) from self._error
        return self.assistant

    def close(self, keep_logs: bool) -> None:
        """Stops everything; the logs stay only when a test failed."""
        if self._thread is not None:
            self._thread.join()  # it may still be entering services into the stack
        self._stack.close()
        if not keep_logs:
            shutil.rmtree(self.log_dir, ignore_errors=True)


_SHARED = pytest.StashKey[SharedAssistant]()


def uses_assistant(item) -> bool:
    return "assistant" in getattr(item, "fixturenames", ())


def _shared(config) -> SharedAssistant:
    if _SHARED not in config.stash:  # asked for outside the collected tests
        config.stash[_SHARED] = SharedAssistant(Path(tempfile.mkdtemp(prefix="meldcode-e2e-")))
        config.stash[_SHARED].launch()
    return config.stash[_SHARED]


@pytest.fixture(scope="session")
def assistant(request) -> servers.Assistant:
    """The shared, running assistant (harness.servers.Assistant) with all channels on."""
    return _shared(request.config).ready()


@pytest.fixture(scope="session")
def teams_stubs(assistant, request):
    """Local stand-ins for Microsoft's services (tests/teams_stubs.py)."""
    return _shared(request.config).teams


@pytest.fixture(scope="session")
def slack_stub(assistant, request):
    """The stub of the Slack Web API (tests/slack_stub.py)."""
    return _shared(request.config).slack


@pytest.fixture(scope="session")
def intranets(assistant, request):
    """Two pages on other origins: the first is allowed by CORS, the second not."""
    return _shared(request.config).intranets


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium and chromium-driver, installed on a fresh machine."""
    from tests.browser import ensure_chromium

    ensure_chromium()


@pytest.fixture(scope="session")
def driver(chromium, tmp_path_factory):
    """One headless browser for the widget tests; each test opens a fresh page."""
    from tests.browser import new_driver

    browser = new_driver(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.quit()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{RESTART_MARKER}: restarts the shared assistant's Rasa server; runs last"
    )
    config.addinivalue_line(
        "markers", f"{OWN_RASA_MARKER}: starts Rasa servers of its own; runs after the others"
    )


def run_order(item) -> int:
    """First what needs no assistant (it runs while the assistant loads), then
    the tests on the shared assistant, its restart, and tests with own servers
    (never three models loading at once on 2 cores)."""
    if item.get_closest_marker(OWN_RASA_MARKER):
        return 3
    if item.get_closest_marker(RESTART_MARKER):
        return 2
    return 1 if uses_assistant(item) else 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    items.sort(key=run_order)  # stable: file order within each group


def pytest_collection_finish(session):
    if session.config.option.collectonly or not any(map(uses_assistant, session.items)):
        return
    _shared(session.config)


def pytest_terminal_summary(terminalreporter):
    starts = servers.rasa_starts()
    if starts:
        too_many = starts > MAX_RASA_STARTS
        terminalreporter.write_line(
            f"Rasa-servers gestart in deze run: {starts} (maximum {MAX_RASA_STARTS})"
            + (": te veel, gebruik de fixture `assistant`" if too_many else ""),
            red=too_many,
        )


def pytest_sessionfinish(session, exitstatus):
    shared = session.config.stash.get(_SHARED, None)
    if shared is not None:
        shared.close(keep_logs=exitstatus != 0)
        if exitstatus != 0:
            print(f"\nLogs van de gedeelde assistent: {shared.log_dir}")
    if servers.rasa_starts() > MAX_RASA_STARTS and exitstatus == 0:
        # A new test started its own Rasa: use the shared `assistant` fixture.
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
