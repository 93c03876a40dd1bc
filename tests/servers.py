"""Starts the real action server and Rasa server on free loopback ports."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 240
REQUEST_TIMEOUT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(url: str, payload: Optional[dict] = None, timeout: float = REQUEST_TIMEOUT_SECONDS):
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopte (code {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    raise TimeoutError(f"{url} kwam niet op binnen {START_TIMEOUT_SECONDS}s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Assistant:
    """A running action server plus Rasa server; `say` talks over REST."""

    def __init__(self, rasa_port: int, action_port: int):
        self.rasa_port = rasa_port
        self.action_port = action_port
        self.url = f"http://127.0.0.1:{rasa_port}"

    def say(self, sender: str, text: str) -> List[Dict]:
        return http_json(f"{self.url}/webhooks/rest/webhook", {"sender": sender, "message": text})


def start_process(args: List[str], env: Dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
    )


@contextmanager
def running_assistant(log_dir: Path, extra_env: Optional[Dict[str, str]] = None) -> Iterator[Assistant]:
    rasa_port, action_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "RASA_TELEMETRY_ENABLED": "false",
        **(extra_env or {}),
    }
    action_log, rasa_log = log_dir / "actions.log", log_dir / "rasa.log"
    actions = start_process(["actions", "--port", str(action_port)], env, action_log)
    rasa = start_process(
        ["rasa", "run", "--model", "models", "--endpoints", "endpoints.yml",
         "--credentials", "credentials.yml", "--port", str(rasa_port), "--interface", "127.0.0.1"],
        env, rasa_log,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, action_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield Assistant(rasa_port, action_port)
    finally:
        stop(rasa)
        stop(actions)
