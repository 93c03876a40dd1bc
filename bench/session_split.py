"""Experiment for issue 14: is the session's length what makes turn 100 slow?

The growth conversation of `make bench` (bench/growth.py), sent twice per
round to our server: once as one session, once with a new Rasa session every
SPLIT_EVERY turns. The new session is started the way Rasa 3.6 allows from
outside: the message `/session_start` (Rasa runs `action_session_start`, the
case slots are carried over: `carry_over_slots_to_new_session` in domain.yml).
That message is sent between turns, outside the timing. One conversation
first warms the server up (its first turns would otherwise decide turn 1).

Not part of `make bench`; run: `make bench-session-split`. Writes
results/session-split.json and prints the p95 per checkpoint.
"""

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from bench import growth
from bench.conversations import OURS
from bench.load import Recorder, converse, session, webhook
from bench.run import EXISTING_MODEL, RESULTS_DIR, bad_replies
from bench.servers import running_ours

SPLIT_EVERY = 20
ROUNDS = 4


async def _start_session(client, url: str, sender: str) -> None:
    async with client.post(url, json={"sender": sender, "message": "/session_start"}) as reply:
        await reply.read()


def measure(url: str, rounds: int, turns: int) -> Dict[str, Dict]:
    conversation = growth.long_conversation(OURS, turns)
    latencies: Dict[str, List[List[float]]] = {"one_session": [], "split": []}
    errors = {name: 0 for name in latencies}

    async def one(client, name: str) -> None:
        recorder = Recorder()

        async def after_turn(sender: str, number: int) -> None:
            if name == "split" and number % SPLIT_EVERY == 0:
                await _start_session(client, webhook(url), sender)

        await converse(client, webhook(url), conversation, recorder, bad_replies(), after_turn)
        latencies[name].append(recorder.latencies)
        errors[name] += recorder.errors
        print(f"  {name}: {len(recorder.latencies)} beurten, {recorder.errors} zonder antwoord")

    async def run() -> None:
        async with session() as client:
            print("opwarmen: een gesprek van 100 beurten, niet geteld", flush=True)
            await converse(client, webhook(url), conversation, Recorder(), bad_replies())
            for number in range(rounds):
                print(f"ronde {number + 1} van {rounds}", flush=True)
                for name in (
                    ("one_session", "split") if number % 2 == 0 else ("split", "one_session")
                ):
                    await one(client, name)

    asyncio.run(run())
    return {
        name: {**growth.summarise(found, growth.CHECKPOINTS), "errors": errors[name]}
        for name, found in latencies.items()
    }


def main() -> int:
    if not EXISTING_MODEL.exists():
        print("Geen model in models/: eerst 'make train'.", file=sys.stderr)
        return 1
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="session-split-") as work:
        # SESSION_TURNS=0: the server itself never splits (bot/session_split.py),
        # so "one session" stays one session and the experiment splits by hand.
        with running_ours(
            Path(work) / "ours", EXISTING_MODEL, extra_env={"SESSION_TURNS": "0"}
        ) as (assistant,):
            print(f"server draait ({round(time.monotonic() - started)} s)", flush=True)
            result = measure(assistant.url, ROUNDS, growth.GROWTH_TURNS)
    result["split_every_turns"] = SPLIT_EVERY
    result["rounds"] = ROUNDS
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "session-split.json").write_text(json.dumps(result, indent=2) + "\n")
    for name in ("one_session", "split"):
        print(
            f"{name}: p95 ms per beurt {result[name]['p95_ms_at_turn']}, "
            f"beurt 100 / beurt 1 = {result[name]['last_over_first']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
