"""Starts the real action server and Rasa server on free loopback ports.

Loading the model makes a Rasa start the slowest part of the tests (about a
minute on 2 cores), so every start in this process is counted: `rasa_starts()`.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Busy shared machines may need more: MELDCODE_TEST_START_TIMEOUT=600.
START_TIMEOUT_SECONDS = int(os.environ.get("MELDCODE_TEST_START_TIMEOUT", "240"))
REQUEST_TIMEOUT_SECONDS = 60
TEST_SESSION_SECRET = "test-" + "0123456789abcdef" * 3
_SESSIONS: Dict[str, str] = {}
# Tests send in parallel: one session per name, also when threads ask at once.
_SESSIONS_LOCK = threading.Lock()

_rasa_starts = 0


def rasa_starts() -> int:
    """How many Rasa servers this process started so far (restarts included)."""
    return _rasa_starts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(url: str, payload: Optional[dict] = None, timeout: float = REQUEST_TIMEOUT_SECONDS):
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def post_json(url: str, payload: dict, timeout: float = REQUEST_TIMEOUT_SECONDS):
    """(status, body) of a POST, also for 4xx answers."""
    try:
        return 200, http_json(url, payload, timeout)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode("utf-8") or "null")


def wait_until_up(
    url: str, process: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT_SECONDS
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server stopte (code {process.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    raise TimeoutError(f"{url} kwam niet op binnen {timeout}s:\n{log.read_text()[-3000:]}")


def stop(process: Optional[subprocess.Popen]) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Assistant:
    """An action server plus a Rasa server, each with its own log file.

    The conversations are stored in `tracker_db` (a SQLite file of the test).
    """

    def __init__(
        self,
        log_dir: Path,
        extra_env: Optional[Dict[str, str]] = None,
        rasa_args: Optional[List[str]] = None,
    ):
        self.log_dir = log_dir
        self.rasa_port, self.action_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.tracker_db = log_dir / "tracker.db"
        self.rasa_args = rasa_args or []
        self.env = {
            **os.environ,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "RASA_TELEMETRY_ENABLED": "false",
            "TRACKER_DB_DIALECT": "sqlite",
            "TRACKER_DB": str(self.tracker_db),
            # Shared by replicas, so a session from one server is valid on the other.
            "WEB_SESSION_SECRET": TEST_SESSION_SECRET,
            # Every test talks from 127.0.0.1; tests/test_security.py sets its own limits.
            "RATE_LIMIT_PER_ADDRESS": "0",
            "RATE_LIMIT_PER_CONVERSATION": "0",
            **(extra_env or {}),
        }
        # Shared by all assistants of the test run: replicas serve the same conversations.
        self.sessions = _SESSIONS
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None
        self.rasa_starts = 0
        self.start_timeout = START_TIMEOUT_SECONDS

    def _start(self, args: List[str], log: Path) -> subprocess.Popen:
        handle = log.open("a")
        return subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )

    @property
    def action_log(self) -> Path:
        return self.log_dir / "actions.log"

    @property
    def rasa_log(self) -> Path:
        return self.log_dir / "rasa.log"

    def start_actions(self) -> None:
        self.actions = self._start(["actions", "--port", str(self.action_port)], self.action_log)
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.actions, self.action_log)

    def start(self) -> None:
        self.start_actions()
        self.start_rasa()

    def start_rasa(self) -> None:
        global _rasa_starts
        _rasa_starts += 1
        self.rasa_starts += 1
        self.rasa = self._start(
            [
                "rasa",
                "run",
                "--model",
                "models",
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "--port",
                str(self.rasa_port),
                "--interface",
                "127.0.0.1",
                *self.rasa_args,
            ],
            self.rasa_log,
        )
        wait_until_up(f"{self.url}/", self.rasa, self.rasa_log, self.start_timeout)

    def restart_rasa(self) -> None:
        stop(self.rasa)
        self.start_rasa()

    def stop_all(self) -> None:
        stop(self.rasa)
        stop(self.actions)

    def session(self, name: str) -> str:
        """The signed sender for the test's conversation `name`, issued once by the server."""
        with _SESSIONS_LOCK:
            if name not in self.sessions:
                reply = http_json(f"{self.url}/webhooks/rest/session", {})
                self.sessions[name] = reply["sender"]
            return self.sessions[name]

    def conversation_id(self, name: str) -> str:
        """The id under which the server stores the conversation `name` (web:<session>)."""
        return "web:" + self.session(name).split(".")[2]

    def say(self, sender: str, text: str) -> List[Dict]:
        """One message in the conversation `sender` (a test's own name for it)."""
        return http_json(
            f"{self.url}/webhooks/rest/webhook", {"sender": self.session(sender), "message": text}
        )


@contextmanager
def running_assistant(
    log_dir: Path, extra_env: Optional[Dict[str, str]] = None, rasa_args: Optional[List[str]] = None
) -> Iterator[Assistant]:
    assistant = Assistant(log_dir, extra_env, rasa_args)
    try:
        assistant.start_actions()
        assistant.start_rasa()
        yield assistant
    finally:
        assistant.stop_all()


@contextmanager
def running_assistants(
    log_dir: Path,
    count: int,
    extra_env: Optional[Dict[str, str]] = None,
    rasa_args: Optional[List[str]] = None,
    env_each: Optional[List[Dict[str, str]]] = None,
) -> Iterator[List[Assistant]]:
    """`count` assistants, each with its own action server, started in parallel.

    With a shared tracker store and lock store in `extra_env` (harness/services.py)
    they serve the same conversations, as replicas do in production.
    `env_each[i]` adds settings for assistant i only.
    """
    assistants = []
    for number in range(count):
        folder = log_dir / f"assistent-{number + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        own_env = (env_each or [{}] * count)[number]
        assistant = Assistant(folder, {**(extra_env or {}), **own_env}, rasa_args)
        # They load their models at the same time on the same cores.
        assistant.start_timeout = START_TIMEOUT_SECONDS * count
        assistants.append(assistant)
    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            for started in [pool.submit(assistant.start) for assistant in assistants]:
                started.result()
        yield assistants
    finally:
        for assistant in assistants:
            assistant.stop_all()
