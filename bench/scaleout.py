"""Throughput of one Rasa server against two behind round-robin per user.

Both Rasa servers share a PostgreSQL tracker store, a Redis lock store and one
action server. PostgreSQL and Redis come from tests/services.py (branch
`scale`): context managers that start them on loopback and yield env dicts.
"""

from pathlib import Path
from typing import Dict, List

import yaml

from bench.conversations import OURS, turns_in
from bench import load
from bench.progress import Progress, TurnCounter
from bench.servers import running_ours
from bench.settings import Settings
from tests.servers import PROJECT_ROOT


def endpoints_with_lock_store(work: Path) -> Path:
    """endpoints.yml plus a Redis lock store (read from REDIS_* in the environment),
    unless the project's file already has a lock store."""
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints.setdefault("lock_store", {
        "type": "redis", "url": "${REDIS_HOST}", "port": "${REDIS_PORT}", "db": 1,
    })
    path = work / "endpoints-scale.yml"
    path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return path


def measure(progress: Progress, work: Path, model: Path, settings: Settings,
            bad: List[str]) -> Dict:
    try:
        from tests import services
    except ImportError:
        return {"skipped": "tests/services.py ontbreekt (branch `scale` nog niet samengevoegd)."}
    with services.postgres_server(work / "postgres") as pg_env, \
            services.redis_server(work / "redis") as redis_env:
        env = {**pg_env, **redis_env}
        endpoints = endpoints_with_lock_store(work)
        with running_ours(work / "scale", model, 2, env, endpoints=endpoints) as assistants:
            urls = [a.url for a in assistants]
            targets = [load.Target("rasa_1", urls[:1], OURS, bad),
                       load.Target("rasa_2", urls, OURS, bad)]
            progress.note("opwarmen ...")
            load.warm_up(targets[1:])
            total = 2 * turns_in(OURS, settings.users, settings.conversations_per_user)
            results = load.concurrent(
                targets, settings.users, settings.conversations_per_user, rounds=2,
                on_turn=TurnCounter(progress, f"{settings.users} gebruikers, 1 en 2 servers", total))
            for name, run in results.items():
                progress.note(f"{name}: {run['summary']['turns_per_s']} beurten/s")
    return results
