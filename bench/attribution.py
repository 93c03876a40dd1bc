"""Experiment for issue 14: where does the time of one turn go, ours against
the reference?

The servers start as in `make bench` (bench/servers.py), with one addition:
bench/timing_hook.py, loaded through a `sitecustomize.py` on PYTHONPATH that
only this experiment sets, times the parts of every message inside Rasa and
the action handler inside the action server. Optionally a third server: ours
with Rasa's InMemoryTrackerStore instead of the redacted SQLite store (an
endpoints file of this experiment only), to measure the store directly.

One user, the conversations of the one-user latency measurement of
`make bench` (FULL.single_conversations of them per round), alternating
between the servers conversation by conversation, the order of the servers
reversed every round; every conversation once per server first as warm-up.
After each turn the timing lines the servers wrote for it are read, so each
turn gets its own parts (bench/breakdown.py).

Not part of `make bench`; run: `make bench-attribution` (~6 min; add
`--no-in-memory` for two servers). Writes results/attribution.json.
"""

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

from bench import breakdown, timing_hook
from bench.conversations import OURS, REFERENCE
from bench.load import Recorder, Target, converse, pick, session, webhook
from bench.run import EXISTING_MODEL, REFERENCE_CACHE, RESULTS_DIR, bad_replies
from bench.servers import launched_reference, running_ours
from bench.settings import FULL

ROUNDS = 3
IN_MEMORY_ENDPOINTS = """\
action_endpoint:
  url: ${ACTION_SERVER_URL}
lock_store:
  type: bot.lock_store.EnvLockStore
"""


def hook_env(work: Path) -> Dict[str, str]:
    """Environment that loads the timing hook in every server started with it."""
    folder, timings = work / "hook", work / "timings"
    folder.mkdir()
    timings.mkdir()
    shutil.copy(timing_hook.__file__, folder / "meldcode_timing_hook.py")
    (folder / "sitecustomize.py").write_text(
        "import meldcode_timing_hook\n\nmeldcode_timing_hook.install()\n"
    )
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path, timing_hook.ENV: str(timings)}


class Tail:
    """The lines the servers appended to their timing files since the last call."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.offsets: Dict[Path, int] = {}

    def new_records(self) -> List[list]:
        records = []
        for path in sorted(self.folder.glob("*.jsonl")):
            with path.open("rb") as handle:
                handle.seek(self.offsets.get(path, 0))
                data = handle.read()
            complete = data[: data.rfind(b"\n") + 1]
            self.offsets[path] = self.offsets.get(path, 0) + len(complete)
            records += [json.loads(line) for line in complete.decode("utf-8").splitlines()]
        return records


def make_turn(latency_ms: float, records: List[list]) -> Dict:
    totals = breakdown.sums(records)
    return {
        "total": round(latency_ms, 3),
        "parts": breakdown.turn_parts(latency_ms, records),
        "calls": breakdown.counts(records),
        "nodes": {k[5:]: round(v, 3) for k, v in totals.items() if k.startswith("node:")},
    }


def measure(targets: List[Target], tail: Tail, rounds: int, conversations: int) -> Dict:
    turns: Dict[str, List[Dict]] = {t.name: [] for t in targets}
    problems = {t.name: {"failed": 0, "untimed": 0} for t in targets}

    async def one(client, target: Target, conversation) -> None:
        recorder = Recorder()

        async def after_turn(_sender: str, _number: int) -> None:
            records = tail.new_records()
            try:
                turns[target.name].append(make_turn(recorder.latencies[-1] * 1000, records))
            except ValueError:
                problems[target.name]["untimed"] += 1

        await converse(
            client, webhook(target.urls[0]), conversation, recorder, target.bad_texts, after_turn
        )
        problems[target.name]["failed"] += recorder.errors

    async def run() -> None:
        async with session() as client:
            print("opwarmen: elk gesprek een keer per server, niet geteld", flush=True)
            for target in targets:
                for conversation in target.conversations:
                    await converse(
                        client, webhook(target.urls[0]), conversation, Recorder(), target.bad_texts
                    )
            tail.new_records()
            for number in range(rounds):
                print(f"ronde {number + 1} van {rounds}", flush=True)
                order = targets if number % 2 == 0 else list(reversed(targets))
                for index in range(conversations):
                    for target in order:
                        await one(client, target, pick(target.conversations, index))

    asyncio.run(run())
    return {"turns": turns, "problems": problems}


def analyse(turns: Dict[str, List[Dict]]) -> Dict:
    summary = {name: breakdown.summarise(found) for name, found in turns.items()}
    ours, ref = summary["ours"], summary["reference"]
    ref_store = ref["retrieve"]["mean_ms"] + ref["save_write"]["mean_ms"]
    store = ("retrieve", "save_redaction", "save_write")
    transport = ("action_transport",)
    result = {
        "summary": summary,
        "calls_per_turn": {name: breakdown.mean_calls(found) for name, found in turns.items()},
        "gap": breakdown.gap(ours, ref),
        "ours_p95_computed_ms": {
            "measured": ours["total"]["p95_ms"],
            "without_action_transport": breakdown.p95_without(turns["ours"], transport),
            "without_action_server": breakdown.p95_without(
                turns["ours"], transport + ("action_handler",)
            ),
            "store_as_reference": breakdown.p95_without(turns["ours"], store, ref_store),
            "without_transport_store_as_reference": breakdown.p95_without(
                turns["ours"], transport + store, ref_store
            ),
        },
        "nodes_mean_ms": {name: breakdown.node_means(found) for name, found in turns.items()},
    }
    result["reference_p95_ms"] = ref["total"]["p95_ms"]
    return result


def print_table(result: Dict) -> None:
    for line in breakdown.markdown_table(result["summary"], result["gap"]):
        print(line)
    ref = result["reference_p95_ms"]
    for name, value in result["ours_p95_computed_ms"].items():
        print(f"ours p95 {name}: {value} ms = {round(value / ref, 3)} x reference")
    if "ours_memory" in result["summary"]:
        value = result["summary"]["ours_memory"]["total"]["p95_ms"]
        print(f"ours with InMemoryTrackerStore, measured: p95 {value} ms = {value / ref:.3f} x")
    print("calls per turn:", result["calls_per_turn"])


def reference_assistant() -> Optional[Dict]:
    from bench import training

    found = training.cached_reference(REFERENCE_CACHE)
    if found is None:
        print("referentie trainen (rasa init, eenmalig in results/bench-cache)", flush=True)
        found = training.train_reference(REFERENCE_CACHE)
    return found


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-in-memory", action="store_true", help="two servers, not three")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    if not EXISTING_MODEL.exists():
        print("Geen model in models/: eerst 'make train'.", file=sys.stderr)
        return 1
    reference = reference_assistant()
    started = time.monotonic()
    load_before = list(os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="attribution-") as folder:
        work = Path(folder)
        env = hook_env(work)
        memory_endpoints = work / "endpoints-in-memory.yml"
        memory_endpoints.write_text(IN_MEMORY_ENDPOINTS)
        with (
            launched_reference(
                Path(reference["project"]), Path(reference["model"]), work / "ref.log", env
            ) as ref_server,
            running_ours(work / "ours", EXISTING_MODEL, extra_env=env) as (ours,),
            _maybe_memory(work, env, memory_endpoints, not args.no_in_memory) as memory,
        ):
            ref_server.wait()
            print(f"servers draaien ({round(time.monotonic() - started)} s)", flush=True)
            targets = [
                Target("ours", [ours.url], OURS, bad_replies()),
                Target("reference", [ref_server.url], REFERENCE),
            ]
            if memory is not None:
                targets.append(Target("ours_memory", [memory.url], OURS, bad_replies()))
            found = measure(targets, Tail(work / "timings"), args.rounds, FULL.single_conversations)
    result = analyse(found["turns"])
    result.update(
        problems=found["problems"],
        rounds=args.rounds,
        conversations_per_round=FULL.single_conversations,
        load_average={"before": load_before, "after": list(os.getloadavg())},
        seconds=round(time.monotonic() - started, 1),
        turns=found["turns"],
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "attribution.json").write_text(json.dumps(result, indent=1) + "\n")
    print_table(result)
    print("problemen:", found["problems"], "load average:", result["load_average"])
    return 0


def _maybe_memory(work: Path, env: Dict[str, str], endpoints: Path, wanted: bool):
    from contextlib import contextmanager

    @contextmanager
    def started():
        if not wanted:
            yield None
            return
        memory_dir = work / "ours-memory"
        with running_ours(memory_dir, EXISTING_MODEL, extra_env=env, endpoints=endpoints) as (
            assistant,
        ):
            yield assistant

    return started()


if __name__ == "__main__":
    sys.exit(main())
