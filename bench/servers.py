"""The servers under load: ours through harness/servers.py (the same start as the
end-to-end tests), the reference as plain `rasa run` in its own project."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from harness.servers import Assistant, free_port, stop, wait_until_up

# Servers load TensorFlow; two at once on a busy 2-core machine can take minutes.
START_TIMEOUT_SECONDS = 600


def ours(
    log_dir: Path,
    model: Path,
    extra_env: Optional[Dict[str, str]] = None,
    endpoints: Optional[Path] = None,
) -> Assistant:
    # Later --model/--endpoints win over the defaults that Assistant passes.
    args = ["--model", str(model)] + (["--endpoints", str(endpoints)] if endpoints else [])
    assistant = Assistant(log_dir, extra_env, rasa_args=args)
    assistant.start_timeout = START_TIMEOUT_SECONDS
    return assistant


@contextmanager
def running_ours(
    log_dir: Path,
    model: Path,
    rasa_count: int = 1,
    extra_env: Optional[Dict[str, str]] = None,
    endpoints: Optional[Path] = None,
) -> Iterator[List[Assistant]]:
    """One action server and `rasa_count` Rasa servers that all use it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    first = ours(log_dir / "rasa-1", model, extra_env, endpoints)
    shared = {**(extra_env or {}), "ACTION_SERVER_URL": first.env["ACTION_SERVER_URL"]}
    assistants = [first] + [
        ours(log_dir / f"rasa-{n}", model, shared, endpoints) for n in range(2, rasa_count + 1)
    ]
    for assistant in assistants:
        assistant.log_dir.mkdir(exist_ok=True)
    try:
        first.start_actions()
        # In parallel: each start is mostly one busy Python thread.
        with ThreadPoolExecutor(max_workers=rasa_count) as pool:
            list(pool.map(lambda assistant: assistant.start_rasa(), assistants))
        yield assistants
    finally:
        for assistant in reversed(assistants):
            assistant.stop_all()


class ReferenceServer:
    """`rasa run` of the `rasa init` project: no action server, trackers in memory."""

    def __init__(
        self, project: Path, model: Path, log: Path, extra_env: Optional[Dict[str, str]] = None
    ):
        self.project, self.model, self.log = project, model, log
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Optional[subprocess.Popen] = None

    def launch(self) -> None:
        """Starts the process without waiting, so it loads while ours starts."""
        handle = self.log.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--model",
                str(self.model),
                "--port",
                str(self.port),
                "--interface",
                "127.0.0.1",
            ],
            cwd=self.project,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **self.extra_env},
            stdout=handle,
            stderr=subprocess.STDOUT,
        )

    def wait(self) -> None:
        wait_until_up(f"{self.url}/", self.process, self.log, START_TIMEOUT_SECONDS)

    def stop(self) -> None:
        stop(self.process)


@contextmanager
def launched_reference(
    project: Path, model: Path, log: Path, extra_env: Optional[Dict[str, str]] = None
) -> Iterator[ReferenceServer]:
    """Launched, not yet up: call wait() before using it."""
    server = ReferenceServer(project, model, log, extra_env)
    try:
        server.launch()
        yield server
    finally:
        server.stop()
