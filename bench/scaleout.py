"""Throughput of one Rasa server against two behind round-robin per user.

Both Rasa servers share a PostgreSQL tracker store, a Redis lock store and one
action server. PostgreSQL and Redis come from harness/services.py (branch
`scale`): context managers that start them on loopback and yield env dicts.
"""

from pathlib import Path
from typing import Dict, List

from bench import load
from bench.conversations import OURS, turns_in
from bench.progress import Progress, TurnCounter
from bench.servers import running_ours
from bench.settings import Settings


def measure(
    progress: Progress, work: Path, model: Path, settings: Settings, bad: List[str]
) -> Dict:
    try:
        return _measure(progress, work, model, settings, bad)
    except (RuntimeError, TimeoutError, OSError) as error:
        # Without PostgreSQL or Redis the rest of the report still stands.
        first_line = (
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        progress.note(f"schaalmeting overgeslagen: {first_line}")
        return {"skipped": first_line}


def _measure(
    progress: Progress, work: Path, model: Path, settings: Settings, bad: List[str]
) -> Dict:
    from harness import services

    with (
        services.postgres_server(work / "postgres") as pg_env,
        services.redis_server(work / "redis") as redis_env,
    ):
        env = {**pg_env, **redis_env}
        # endpoints.yml reads the lock store from the environment (LOCK_STORE_TYPE=redis).
        with running_ours(work / "scale", model, 2, env) as assistants:
            urls = [a.url for a in assistants]
            targets = [
                load.Target("rasa_1", urls[:1], OURS, bad),
                load.Target("rasa_2", urls, OURS, bad),
            ]
            progress.note("opwarmen ...")
            load.warm_up(targets[1:])
            total = 2 * turns_in(OURS, settings.users, settings.conversations_per_user)
            results = load.concurrent(
                targets,
                settings.users,
                settings.conversations_per_user,
                rounds=2,
                on_turn=TurnCounter(
                    progress, f"{settings.users} gebruikers, 1 en 2 servers", total
                ),
            )
            for name, run in results.items():
                progress.note(f"{name}: {run['summary']['turns_per_s']} beurten/s")
    return results
