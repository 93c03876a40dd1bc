"""Timed training of our model and of the `rasa init` reference assistant.

Each training gets its own empty Rasa cache (RASA_CACHE_DIRECTORY) and
`--force`, so the time is a cold training and not a cache hit.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

from bench.progress import Progress
from harness.servers import PROJECT_ROOT

TRAINING_TIMEOUT_SECONDS = 12 * 60
HEARTBEAT_SECONDS = 30


def _env(cache_dir: Path) -> Dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(cache_dir)}


def run_timed(
    command: List[str],
    cwd: Path,
    env: Dict[str, str],
    log: Path,
    progress: Optional[Progress],
    label: str,
) -> float:
    """Runs a command to its end and returns its wall time; output goes to `log`."""
    started = time.monotonic()
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        next_beat = started + HEARTBEAT_SECONDS
        while process.poll() is None:
            now = time.monotonic()
            if now - started > TRAINING_TIMEOUT_SECONDS:
                process.kill()
                process.wait()
                raise TimeoutError(f"{label}: na {TRAINING_TIMEOUT_SECONDS} s gestopt; zie {log}")
            if progress and now >= next_beat:
                progress.note(f"{label}: {int(now - started)} s bezig ...")
                next_beat += HEARTBEAT_SECONDS
            time.sleep(1)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{label} mislukt (code {process.returncode}):\n{tail}")
    return time.monotonic() - started


def model_file(folder: Path) -> Path:
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"geen model in {folder}")
    return models[-1]


def size_mb(path: Path) -> float:
    return round(path.stat().st_size / 1024**2, 1)


def train_ours(work_dir: Path, progress: Optional[Progress] = None) -> Dict:
    """`python -m bot rasa train` (as `make train`) into a temporary folder."""
    out = work_dir / "models"
    seconds = run_timed(
        [
            sys.executable,
            "-m",
            "bot",
            "rasa",
            "train",
            "--force",
            "--fixed-model-name",
            "meldcode",
            "--out",
            str(out),
        ],
        PROJECT_ROOT,
        _env(work_dir / "rasa-cache"),
        work_dir / "train-ours.log",
        progress,
        "training meldcode",
    )
    model = model_file(out)
    return {"seconds": round(seconds, 1), "model": str(model), "size_mb": size_mb(model)}


def train_reference(project: Path, progress: Optional[Progress] = None) -> Dict:
    """`rasa init --no-prompt`: scaffolds the default assistant and trains it."""
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    seconds = run_timed(
        [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(project)],
        project,
        _env(project.parent / "rasa-cache-reference"),
        project.parent / "train-reference.log",
        progress,
        "training rasa init",
    )
    model = model_file(project / "models")
    return {
        "seconds": round(seconds, 1),
        "model": str(model),
        "size_mb": size_mb(model),
        "project": str(project),
    }


def cached_reference(project: Path) -> Optional[Dict]:
    """A reference assistant from an earlier run (--quick only)."""
    try:
        model = model_file(project / "models")
    except FileNotFoundError:
        return None
    return {
        "seconds": None,
        "model": str(model),
        "size_mb": size_mb(model),
        "project": str(project),
        "cached": True,
    }
