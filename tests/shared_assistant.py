"""One running assistant for every end-to-end test (a pytest plugin, loaded by
tests/conftest.py).

Starting Rasa (loading the model) takes about a minute on 2 cores, so the REST,
Teams, Slack, web widget, robustness and restart tests share ONE action server
plus Rasa server, started once per test session with every channel on: REST,
the web widget, Teams against local stubs of Microsoft's services and Slack
against a stub of the Slack Web API (the stubs start first). Its Rasa server
runs with `--debug`, so the privacy checks read debug logs.

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

Every Rasa start of the session is counted (harness.servers.rasa_starts); the
session prints the count and fails when it exceeds MAX_RASA_STARTS.
"""

import uuid

import pytest

from harness import servers

# The shared assistant, its one restart and the scale-out test's two servers.
MAX_RASA_STARTS = 4
RESTART_MARKER = "restarts_assistant"

SLACK_SECRET = "e2e-ondertekengeheim"
SLACK_TOKEN = "xoxb-e2e-test"


def new_sender(prefix: str) -> str:
    """A conversation id no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex}"


@pytest.fixture(scope="session")
def teams_stubs():
    from tests.teams_stubs import TeamsStubs

    with TeamsStubs() as running:
        yield running


@pytest.fixture(scope="session")
def slack_stub():
    from tests.slack_stub import SlackStub

    with SlackStub() as stub:
        yield stub


@pytest.fixture(scope="session")
def intranets():
    """Two pages on other origins: the first is allowed by CORS, the second not."""
    from tests.intranet_page import IntranetPage

    allowed, other = IntranetPage(), IntranetPage()
    yield allowed, other
    allowed.close()
    other.close()


@pytest.fixture(scope="session")
def assistant(teams_stubs, slack_stub, intranets, tmp_path_factory):
    """The shared, running assistant (harness.servers.Assistant) with all channels on."""
    from tests.intranet_page import intranet_page

    allowed, other = intranets
    settings = {
        **teams_stubs.env(),
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_URL": slack_stub.url,
        "SLACK_CHANNEL": "",
        "WEBCHAT_ENABLED": "true",
    }
    # Only the allowed intranet is in CORS_ORIGINS (what `make serve` passes as --cors).
    arguments = ["--debug", "--cors", allowed.origin]
    log_dir = tmp_path_factory.mktemp("assistant")
    with servers.running_assistant(log_dir, settings, arguments) as running:
        allowed.body = other.body = intranet_page(f"{running.url}/webhooks/webchat/widget.js")
        yield running


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


def pytest_collection_modifyitems(session, config, items):
    """A restart must not happen in the middle of the other tests."""
    items.sort(key=lambda item: item.get_closest_marker(RESTART_MARKER) is not None)


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
    if servers.rasa_starts() > MAX_RASA_STARTS and exitstatus == 0:
        # A new test started its own Rasa: use the shared `assistant` fixture.
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
