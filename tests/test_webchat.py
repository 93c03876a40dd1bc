"""The web widget channel (bot/channels/webchat.py): files, texts, switch.

Fast: a real Sanic server with only the widget's blueprint, no model.
The widget itself is tested in a real browser: tests/test_webchat_browser.py.
"""

import http.client
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.channels import webchat
from bot.channels.registry import ChannelConfigError, select
from bot.channels.webchat import (
    FILES,
    TEXT_KEYS,
    WebchatInput,
    WebchatTextError,
    load_texts,
    static_file,
)
from bot.settings import DEFAULTS
from harness.servers import free_port, stop, wait_until_up
from tests.conftest import PROJECT_ROOT, yaml_variant

WIDGET_KEY = "bot.channels.webchat.WebchatInput"


def test_every_widget_text_is_present_and_dutch_texts_reach_the_script():
    texts = load_texts()
    assert set(texts) == set(TEXT_KEYS)
    assert "0800-2000" in texts["offline"]
    script = static_file("widget.js", texts)[0].decode("utf-8")
    prefix = "window.MeldcodeWidgetTeksten = "
    assert script.startswith(prefix)
    assert json.loads(script[len(prefix) : script.index(";\n")]) == texts


def test_a_missing_text_stops_the_start_and_names_the_key(tmp_path):
    broken = yaml_variant(webchat.TEXTS_FILE, tmp_path, lambda raw: raw.pop("offline"))
    with pytest.raises(WebchatTextError, match="'offline'"):
        WebchatInput(texts_file=broken)


def test_markup_in_a_text_cannot_close_a_script_tag(tmp_path):
    def change(raw):
        raw["titel"] = "</script><script>alert(1)</script>"

    texts = load_texts(yaml_variant(webchat.TEXTS_FILE, tmp_path, change))
    script = static_file("widget.js", texts)[0].decode("utf-8")
    assert "</script>" not in script.split("\n", 1)[0]


@pytest.mark.parametrize(
    "name",
    [
        "webchat.py",
        "../webchat.py",
        "..",
        ".",
        "Widget.js",
        "widget.js.map",
        "index.html/",
        "/etc/passwd",
    ],
)
def test_only_the_listed_files_are_served(name):
    assert static_file(name, load_texts()) is None


def test_credentials_yml_has_the_widget_and_the_switch_turns_it_on_and_off(monkeypatch):
    sections = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert WIDGET_KEY in sections
    monkeypatch.setenv("WEBCHAT_ENABLED", "true")
    assert WIDGET_KEY in select(sections)
    monkeypatch.setenv("WEBCHAT_ENABLED", "false")
    assert WIDGET_KEY not in select(sections)


def test_the_widget_needs_no_other_setting(monkeypatch):
    monkeypatch.setenv("WEBCHAT_ENABLED", "ja")
    try:
        select({WIDGET_KEY: None})
    except ChannelConfigError as error:  # pragma: no cover - the assertion explains
        pytest.fail(f"de webwidget vraagt een instelling: {error}")


def test_the_widget_is_on_by_default():
    # .env (or the environment) can still say WEBCHAT_ENABLED=false.
    assert DEFAULTS["WEBCHAT_ENABLED"] == "true"


# ---- over HTTP -------------------------------------------------------------

# Its own process: Sanic 21 rewrites its methods once per process (TouchUp), so a
# second app in the same test run (tests/test_teams.py starts one) would fail.
SERVER = """
import sys
from sanic import Sanic
from bot.channels.webchat import WebchatInput
app = Sanic("webchat_files_test")
app.blueprint(WebchatInput().blueprint(on_new_message=None), url_prefix="/webhooks/webchat")
app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
"""


def get_raw(port, path):
    """GET with the path exactly as written (no clean-up of ../ or %2f)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        reply = connection.getresponse()
        return reply.status, reply.headers, reply.read()  # headers: case-insensitive
    finally:
        connection.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    paths = [
        "/webhooks/webchat/",
        "/webhooks/webchat",
        "/webhooks/webchat/index.html",
        "/webhooks/webchat/widget.js",
        "/webhooks/webchat/widget.css",
        "/webhooks/webchat/demo.css",
        "/webhooks/webchat/webchat.py",
        "/webhooks/webchat/..%2fwebchat.py",
        "/webhooks/webchat/%2e%2e/%2e%2e/credentials.yml",
        "/webhooks/webchat/../../credentials.yml",
        "/webhooks/webchat/webchat_static%2fwidget.js",
    ]
    port = free_port()
    log = tmp_path_factory.mktemp("webchat-files") / "server.log"
    with log.open("w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)],
            cwd=PROJECT_ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/webhooks/webchat/widget.css", server, log)
        return {path: get_raw(port, path) for path in paths}
    finally:
        stop(server)


@pytest.mark.parametrize("name", [name for name in FILES if name])
def test_each_file_is_served_with_its_type(served, name):
    status, headers, body = served[f"/webhooks/webchat/{name}"]
    assert status == 200
    assert headers["Content-Type"] == FILES[name][1]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body


def test_the_demo_page_loads_the_widget_with_a_strict_policy(served):
    status, headers, body = served["/webhooks/webchat/"]
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<script src="widget.js" defer' in body.decode("utf-8")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_the_address_without_slash_redirects_so_relative_files_load(served):
    status, headers, _ = served["/webhooks/webchat"]
    assert status in (301, 302, 307, 308)
    assert headers["Location"] == "/webhooks/webchat/"


@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/webchat/webchat.py",
        "/webhooks/webchat/..%2fwebchat.py",
        "/webhooks/webchat/%2e%2e/%2e%2e/credentials.yml",
        "/webhooks/webchat/../../credentials.yml",
        "/webhooks/webchat/webchat_static%2fwidget.js",
    ],
)
def test_other_paths_are_refused(served, path):
    status, _, body = served[path]
    assert status == 404
    assert b"bot.channels" not in body and b"import" not in body


def test_the_static_folder_holds_what_the_channel_serves():
    for filename, _ in FILES.values():
        assert (webchat.STATIC_DIR / filename).is_file(), filename
    assert Path(webchat.STATIC_DIR).resolve().parent == Path(webchat.__file__).resolve().parent


def test_the_privacy_text_tells_how_long_the_server_keeps_a_copy(monkeypatch):
    from bot.channels.webchat import WebchatInput

    monkeypatch.setenv("RETENTION_DAYS", "14")
    privacy = WebchatInput().texts["privacy"]
    assert "14 dagen" in privacy and "{dagen}" not in privacy
    assert "alleen in dit tabblad bewaard" not in privacy  # no longer the whole truth
    script = webchat.widget_script(WebchatInput().texts).decode()
    assert "14 dagen" in script
