"""Growth: does a turn get slower as one conversation gets longer?

One user sends one long conversation (GROWTH_TURNS turns, no restart in it),
alternating between the assistants conversation by conversation, a few times.
The latency "at turn N" is the p95 over turns N-2..N+2 of all those
conversations (turn 1: turns 1-3), so a single slow turn does not decide it.

For ours, also the size of the request Rasa sends to the action server at
those turns: built by RemoteAction's own code (with bot/rasa_patches.py, as in
the server) from the conversation as the tracker store holds it.
"""

import asyncio
import json
import time
from typing import Callable, Dict, List, Optional, Sequence

from bench.conversations import Conversation
from bench.load import Recorder, Target, converse, session, webhook
from bench.stats import percentile

GROWTH_TURNS = 100
CHECKPOINTS = (1, 10, 50, 100)
WINDOW = 2  # turns either side of a checkpoint
# Texts that end or reset a conversation are left out: the point is its length.
RESETS = ("opnieuw beginnen", "stop oefenen", "ik wil oefenen", "2")


def long_conversation(conversations: Sequence[Conversation], turns: int) -> Conversation:
    """The conversations' texts one after another, repeated up to `turns` turns."""
    texts = [t for c in conversations for t in c if t not in RESETS]
    return [texts[i % len(texts)] for i in range(turns)]


def window(turn: int, turns: int) -> range:
    """The 1-based turns whose latencies count for `turn`."""
    first = max(1, turn - WINDOW) if turn > 1 else 1
    last = min(turns, turn + WINDOW) if turn > 1 else min(turns, 3)
    return range(first, last + 1)


def p95_at(per_conversation: List[List[float]], turn: int) -> Optional[float]:
    """p95 (ms) over the window around `turn` of every conversation."""
    values = [
        latencies[t - 1]
        for latencies in per_conversation
        for t in window(turn, len(latencies))
        if t <= len(latencies)
    ]
    return round(percentile(values, 95) * 1000, 1) if values else None


def summarise(per_conversation: List[List[float]], checkpoints: Sequence[int]) -> Dict:
    turns = min((len(c) for c in per_conversation), default=0)
    at = {str(t): p95_at(per_conversation, t) for t in checkpoints if t <= turns}
    first, last = at.get(str(checkpoints[0])), at.get(str(max(int(k) for k in at) if at else 0))
    return {
        "conversations": len(per_conversation),
        "turns": turns,
        "p95_ms_at_turn": at,
        "last_over_first": round(last / first, 3) if first and last else None,
    }


def request_bytes(events: List[Dict], sender: str, domain) -> int:
    """Bytes of the JSON body RemoteAction posts for these stored events, built by
    Rasa's own code with the project's patches installed, as in the server."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import rasa_patches

    rasa_patches.install()
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    current = events[starts[-1] - 1 :] if starts and starts[-1] > 0 else events
    tracker = DialogueStateTracker.from_dict(sender, current, domain.slots)
    body = RemoteAction("action_stappen_zorgen", None)._action_call_format(tracker, domain)
    return len(json.dumps(body).encode("utf-8"))


def measure(
    targets: List[Target],
    rounds: int,
    turns: int = GROWTH_TURNS,
    request_size: Optional[Callable[[str], int]] = None,
    on_turn: Optional[Callable[[], None]] = None,
) -> Dict[str, Dict]:
    """`rounds` long conversations per target, alternating; `request_size(sender)`
    is called for ours after each checkpoint turn of the first round."""
    per_target: Dict[str, List[List[float]]] = {t.name: [] for t in targets}
    sizes: Dict[str, int] = {}

    async def one(client, target: Target, conversation: Conversation, measure_size: bool) -> None:
        recorder = Recorder(on_turn=on_turn)
        checkpoints = set(CHECKPOINTS) if measure_size and request_size else set()

        async def after_turn(sender: str, number: int) -> None:
            if number in checkpoints:
                sizes[str(number)] = await asyncio.to_thread(request_size, sender)

        await converse(
            client, webhook(target.urls[0]), conversation, recorder, target.bad_texts, after_turn
        )
        per_target[target.name].append(recorder.latencies)

    async def run() -> None:
        async with session() as client:
            for number in range(rounds):
                for target in targets:
                    conversation = long_conversation(target.conversations, turns)
                    await one(client, target, conversation, number == 0 and target.name == "ours")

    started = time.monotonic()
    asyncio.run(run())
    result = {name: summarise(latencies, CHECKPOINTS) for name, latencies in per_target.items()}
    if sizes:
        result["ours"]["request_bytes_at_turn"] = sizes
    for summary in result.values():
        summary["seconds"] = round(time.monotonic() - started, 1)
    return result
