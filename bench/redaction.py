"""Speed of redaction (bot.privacy.redact) per message, on the PII test set's sentences.

Every stored event and every log line passes redact(); deduce adds a lookup
per message. Target: p95 <= 5 ms per message. The first call (deduce loads
its lookup structures) is measured apart, as `load_s`.
"""

import time
from pathlib import Path
from typing import Dict, List

import yaml

from bench.stats import percentile

TESTSET = Path(__file__).resolve().parent.parent / "tests" / "privacy" / "pii_testset.yml"
ROUNDS = 5
MAX_P95_MS = 5.0


def sentences(path: Path = TESTSET) -> List[str]:
    """The texts of the PII test set (data only: the bench imports no test code)."""
    return [item["tekst"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def measure(texts: List[str], rounds: int = ROUNDS) -> Dict:
    from bot.privacy.redact import redact

    started = time.perf_counter()
    redact("Eerste bericht van Jesse van Dijk")  # loads deduce
    load_s = time.perf_counter() - started
    timings = []
    for _ in range(rounds):
        for text in texts:
            begin = time.perf_counter()
            redact(text)
            timings.append((time.perf_counter() - begin) * 1000)
    return {
        "messages": len(timings),
        "load_s": round(load_s, 2),
        "p50_ms": round(percentile(timings, 50), 3),
        "p95_ms": round(percentile(timings, 95), 3),
        "max_ms": round(max(timings), 3),
    }


if __name__ == "__main__":
    print(measure(sentences()))
