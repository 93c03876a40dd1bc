"""Closed-loop load over the REST webhook: each simulated user sends its
conversation turn by turn, waiting for each reply (no think time), so the
figures show what the server can do, not how fast people type.

On a shared machine the background load changes from minute to minute, so the
assistants are measured in turns: one user alternates between them conversation
by conversation, and concurrent users run in alternating rounds.
"""

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Dict, List, Optional, Sequence

import aiohttp

from bench.conversations import Conversation
from bench.stats import latency_summary

REQUEST_TIMEOUT_SECONDS = 30


@dataclass
class Target:
    """An assistant under load: its server URL(s) and its conversations."""

    name: str
    urls: List[str]
    conversations: List[Conversation]
    bad_texts: Sequence[str] = ()


@dataclass
class Recorder:
    latencies: List[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    on_turn: Optional[Callable[[], None]] = None

    def add(self, seconds: float, failed: bool) -> None:
        self.latencies.append(seconds)
        self.errors += int(failed)
        if self.on_turn:
            self.on_turn()

    def result(self, **info) -> Dict:
        summary = latency_summary(self.latencies, self.wall, self.errors)
        summary.update(info)
        return {"summary": summary, "latencies_s": [round(x, 4) for x in self.latencies]}


def webhook(base_url: str) -> str:
    return f"{base_url}/webhooks/rest/webhook"


def reply_failed(status: int, body, bad_texts: Sequence[str]) -> bool:
    """No answer, or the safe message the channel sends when the bot did not answer."""
    if status != 200 or not isinstance(body, list) or not body:
        return True
    texts = " ".join(str(m.get("text") or "") for m in body if isinstance(m, dict))
    return any(bad and bad in texts for bad in bad_texts)


def session() -> aiohttp.ClientSession:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    return aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0))


async def new_sender(client: aiohttp.ClientSession, url: str) -> str:
    """A new conversation: ours issues and signs its id (POST .../session); the
    reference (Rasa's own REST channel) has no such route and takes any id."""
    try:
        async with client.post(url.rsplit("/webhook", 1)[0] + "/session") as reply:
            if reply.status == 200:
                sender = (await reply.json(content_type=None)).get("sender")
                if isinstance(sender, str) and sender:
                    return sender
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, AttributeError):
        pass
    return f"bench-{uuid.uuid4().hex[:16]}"


async def converse(
    client: aiohttp.ClientSession,
    url: str,
    conversation: Conversation,
    recorder: Recorder,
    bad_texts: Sequence[str],
    after_turn: Optional[Callable[[str, int], Awaitable[None]]] = None,
) -> None:
    """`after_turn(sender, turn number)` runs between turns, outside the timing."""
    sender = await new_sender(client, url)
    for number, text in enumerate(conversation, start=1):
        started = time.perf_counter()
        failed = True
        try:
            async with client.post(url, json={"sender": sender, "message": text}) as reply:
                body = await reply.json(content_type=None)
                failed = reply_failed(reply.status, body, bad_texts)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            pass
        recorder.add(time.perf_counter() - started, failed)
        if after_turn:
            await after_turn(sender, number)


def pick(conversations: List[Conversation], index: int) -> Conversation:
    return conversations[index % len(conversations)]


async def _users(target: Target, users: int, per_user: int, start: int, recorder: Recorder) -> None:
    async def user(number: int) -> None:
        # Round-robin per user: with two servers, user i always talks to server i % 2.
        url = webhook(target.urls[number % len(target.urls)])
        for k in range(per_user):
            conversation = pick(target.conversations, number + start + k)
            await converse(client, url, conversation, recorder, target.bad_texts)

    async with session() as client:
        started = time.perf_counter()
        await asyncio.gather(*(user(n) for n in range(users)))
        recorder.wall += time.perf_counter() - started


def concurrent(
    targets: List[Target],
    users: int,
    per_user: int,
    rounds: int = 2,
    on_turn: Optional[Callable[[], None]] = None,
) -> Dict[str, Dict]:
    """`users` at once on each target; the targets take turns in `rounds` rounds.
    Throughput is all turns over the summed wall time of the target's rounds."""
    recorders = {t.name: Recorder(on_turn=on_turn) for t in targets}
    per_round = [per_user // rounds + (1 if r < per_user % rounds else 0) for r in range(rounds)]
    start = 0
    for count in per_round:
        for target in targets:
            asyncio.run(_users(target, users, count, start, recorders[target.name]))
        start += count
    return {
        t.name: recorders[t.name].result(
            users=users, conversations_per_user=per_user, servers=len(t.urls)
        )
        for t in targets
    }


def one_user(
    targets: List[Target], conversations: int, on_turn: Optional[Callable[[], None]] = None
) -> Dict[str, Dict]:
    """One user, alternating between the targets conversation by conversation."""
    recorders = {t.name: Recorder(on_turn=on_turn) for t in targets}

    async def run() -> None:
        async with session() as client:
            for index in range(conversations):
                for target in targets:
                    recorder = recorders[target.name]
                    started = time.perf_counter()
                    await converse(
                        client,
                        webhook(target.urls[0]),
                        pick(target.conversations, index),
                        recorder,
                        target.bad_texts,
                    )
                    recorder.wall += time.perf_counter() - started

    asyncio.run(run())
    return {
        t.name: recorders[t.name].result(users=1, conversations_per_user=conversations, servers=1)
        for t in targets
    }


def warm_up(targets: List[Target]) -> None:
    """Every conversation once on every server, not measured: loads lazy parts
    (TensorFlow graphs, connections) first."""
    for target in targets:
        for url in target.urls:
            one_user(
                [Target(target.name, [url], target.conversations, target.bad_texts)],
                len(target.conversations),
            )
