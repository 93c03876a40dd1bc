"""The machine a run was measured on, and resident memory of server processes.

Reads /proc (Linux), so no extra package is needed.
"""

import os
import platform
from pathlib import Path
from typing import Dict, List, Optional


def _proc_value(path: Path, key: str) -> Optional[str]:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def cpu_model() -> str:
    return _proc_value(Path("/proc/cpuinfo"), "model name") or platform.processor() or "onbekend"


def ram_gb() -> float:
    total_kb = _proc_value(Path("/proc/meminfo"), "MemTotal")
    return round(int(total_kb.split()[0]) / 1024**2, 1) if total_kb else 0.0


def load_average() -> List[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def spacy_model_present() -> bool:
    from bot import spacy_model  # the assistant's own check

    return spacy_model.model_installed()


def describe() -> Dict:
    import rasa

    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "ram_gb": ram_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "load_average_at_start": load_average(),
        "nl_core_news_sm": spacy_model_present(),
    }


def process_tree(pid: int) -> List[int]:
    """The process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def _kb(pid: int, key: str) -> int:
    value = _proc_value(Path(f"/proc/{pid}/status"), key)
    return int(value.split()[0]) if value else 0


def memory_mb(pid: int) -> Dict[str, float]:
    """Resident memory now (VmRSS) and at its peak (VmHWM), summed over the tree."""
    pids = process_tree(pid)
    return {
        "rss_mb": round(sum(_kb(p, "VmRSS:") for p in pids) / 1024, 1),
        "peak_rss_mb": round(sum(_kb(p, "VmHWM:") for p in pids) / 1024, 1),
        "processes": len(pids),
    }
