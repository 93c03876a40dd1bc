"""Progress lines with the elapsed time, so a long run shows where it is."""

import sys
import time
from typing import Optional, TextIO


class Progress:
    def __init__(self, total_steps: int, stream: Optional[TextIO] = None):
        self.total_steps = total_steps
        self.step_number = 0
        self.started = time.monotonic()
        self.stream = stream or sys.stdout

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def _line(self, text: str) -> None:
        minutes, seconds = divmod(int(self.elapsed()), 60)
        print(f"[{minutes:02d}:{seconds:02d}] {text}", file=self.stream, flush=True)

    def step(self, label: str) -> None:
        """A new phase: `[mm:ss] (3/9) label`."""
        self.step_number += 1
        self._line(f"({self.step_number}/{self.total_steps}) {label}")

    def note(self, text: str) -> None:
        self._line(f"      {text}")

    def bar(self, label: str, done: int, total: int, width: int = 30) -> None:
        """A text bar, printed at most every tenth (a log file stays readable)."""
        tenth = max(1, total // 10)
        if done % tenth and done != total:
            return
        filled = width * done // max(1, total)
        self._line(f"      {label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")


class TurnCounter:
    """Feeds the progress bar from the load functions' per-turn callback."""

    def __init__(self, progress: "Progress", label: str, total: int):
        self.progress, self.label, self.total, self.done = progress, label, total, 0

    def __call__(self) -> None:
        self.done += 1
        self.progress.bar(self.label, self.done, self.total)
