"""Rate limits on the public webhooks: per conversation and per client address.

A sliding window of one minute, kept in the memory of the process (each
replica counts for itself, so the real limit is the setting times the number
of processes). Enough to stop one script or one stuck client from flooding
the NLU; a reverse proxy can add a global limit (docs/deploy.md).
"""

import time
from collections import OrderedDict, deque
from typing import Callable, Deque, Dict

from bot import settings

WINDOW_SECONDS = 60.0
# Keys kept at most; the least recently used go first (a flood of new keys
# cannot grow the memory).
MAX_KEYS = 50_000


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: OrderedDict[str, Deque[float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        """Counts a request for `key`; False when it is over the limit (0 = no limit)."""
        if self.limit <= 0:
            return True
        now = self.clock()
        hits = self._hits.pop(key, None) or deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        self._hits[key] = hits
        while len(self._hits) > MAX_KEYS:
            self._hits.popitem(last=False)
        return allowed


_limiters: Dict[str, RateLimiter] = {}


def limiter(kind: str) -> RateLimiter:
    """The process's limiter for `conversation` or `address`, made on first use."""
    if kind not in _limiters:
        _limiters[kind] = RateLimiter(settings.rate_limit(kind))
    return _limiters[kind]


def client_address(request) -> str:
    """The client's address; behind a reverse proxy Sanic takes it from the
    forwarding headers only when SANIC_PROXIES_COUNT or SANIC_REAL_IP_HEADER is set."""
    return request.remote_addr or request.ip or "onbekend"
