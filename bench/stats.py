"""Pure helpers for latency figures."""

import math
from typing import Dict, Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(latencies_s: Sequence[float], wall_s: float, errors: int = 0) -> Dict:
    """p50/p95/max in milliseconds and turns per second over the wall time."""
    return {
        "turns": len(latencies_s),
        "errors": errors,
        "p50_ms": round(percentile(latencies_s, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies_s, 95) * 1000, 1),
        "max_ms": round(max(latencies_s) * 1000, 1),
        "wall_s": round(wall_s, 2),
        "turns_per_s": round(len(latencies_s) / wall_s, 2) if wall_s > 0 else 0.0,
    }
