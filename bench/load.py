"""Closed-loop load over the REST webhook: each simulated user sends its
conversation turn by turn, waiting for each reply (no think time), so the
figures show what the server can do, not how fast people type.
"""

import asyncio
import time
import uuid
from typing import Callable, Dict, List, Optional, Sequence

import aiohttp

from bench.conversations import Conversation, turns_in
from bench.stats import latency_summary

REQUEST_TIMEOUT_SECONDS = 30


def webhook(base_url: str) -> str:
    return f"{base_url}/webhooks/rest/webhook"


def reply_failed(status: int, body, bad_texts: Sequence[str]) -> bool:
    """No answer, or the safe message the channel sends when the bot did not answer."""
    if status != 200 or not isinstance(body, list) or not body:
        return True
    texts = " ".join(str(m.get("text") or "") for m in body if isinstance(m, dict))
    return any(bad and bad in texts for bad in bad_texts)


class Recorder:
    def __init__(self, total: int, on_turn: Optional[Callable[[int, int], None]]):
        self.latencies: List[float] = []
        self.errors = 0
        self.total = total
        self.on_turn = on_turn

    def add(self, seconds: float, failed: bool) -> None:
        self.latencies.append(seconds)
        self.errors += int(failed)
        if self.on_turn:
            self.on_turn(len(self.latencies), self.total)


async def _user(session: aiohttp.ClientSession, url: str, conversations: List[Conversation],
                offset: int, per_user: int, recorder: Recorder, bad_texts: Sequence[str]) -> None:
    for k in range(per_user):
        sender = f"bench-{uuid.uuid4().hex[:16]}"
        for text in conversations[(offset + k) % len(conversations)]:
            started = time.perf_counter()
            failed = True
            try:
                async with session.post(url, json={"sender": sender, "message": text}) as reply:
                    body = await reply.json(content_type=None)
                    failed = reply_failed(reply.status, body, bad_texts)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            recorder.add(time.perf_counter() - started, failed)


async def _run(base_urls: Sequence[str], conversations: List[Conversation], users: int,
               per_user: int, bad_texts: Sequence[str], on_turn) -> Dict:
    recorder = Recorder(turns_in(conversations, users, per_user), on_turn)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=0)  # one connection per user, as real clients
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        # Round-robin per user: with two servers, user i always talks to server i % 2.
        await asyncio.gather(*(
            _user(session, webhook(base_urls[user % len(base_urls)]), conversations, user,
                  per_user, recorder, bad_texts)
            for user in range(users)))
        wall = time.perf_counter() - started
    summary = latency_summary(recorder.latencies, wall, recorder.errors)
    summary.update({"users": users, "conversations_per_user": per_user, "servers": len(base_urls)})
    return {"summary": summary, "latencies_s": [round(x, 4) for x in recorder.latencies]}


def run_load(base_urls: Sequence[str], conversations: List[Conversation], users: int,
             per_user: int, bad_texts: Sequence[str] = (), on_turn=None) -> Dict:
    return asyncio.run(_run(base_urls, conversations, users, per_user, bad_texts, on_turn))


def warm_up(base_urls: Sequence[str], conversations: List[Conversation],
            bad_texts: Sequence[str] = ()) -> Dict:
    """Every conversation once per server: loads lazy parts (TensorFlow graphs,
    connections) before anything is measured."""
    return run_load(base_urls, conversations, users=len(base_urls),
                    per_user=len(conversations), bad_texts=bad_texts)["summary"]
