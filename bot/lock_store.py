"""The conversation lock store from .env: in memory or Redis.

Rasa locks a conversation while it handles a message, so that two messages of
the same conversation never run at the same time. In memory that holds only
within one process; several Rasa processes or Sanic workers need the locks in
Redis (LOCK_STORE_TYPE=redis). endpoints.yml names this class only, because
Rasa's ${VAR} expansion fails on unset variables and would put the Redis
password in a YAML file.
"""

import logging
from contextlib import contextmanager
from typing import Any, Iterator, Optional

from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)

from bot import settings

logger = logging.getLogger(__name__)

# A change of a lock takes a few milliseconds; the mutex expires by itself
# when a server dies while holding it.
MUTEX_SECONDS = 5
MUTEX_WAIT_SECONDS = 10
MUTEX_POLL_SECONDS = 0.01


class SerialisedRedisLockStore(RedisLockStore):
    """Rasa's RedisLockStore with every change of a lock made one at a time.

    Rasa reads a conversation's lock, changes it and writes it back in three
    steps. Two servers doing that at the same moment overwrite each other's
    ticket, so both answer the same conversation at once or one fails
    (RasaHQ/rasa#9213; Rasa Open Source 3.6 has no fix). Here every change
    holds a short per-conversation mutex in the same Redis.
    """

    def __init__(self, key_prefix: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(key_prefix=key_prefix, **kwargs)
        # Our own namespace, built from our own setting: Rasa's lock keys start
        # with "lock:" or "<prefix>:lock:", so no conversation id reaches it.
        self.mutex_namespace = "lockmutex:" + (f"{key_prefix}:" if key_prefix else "")

    def _mutex(self, conversation_id: str):
        return self.red.lock(
            self.mutex_namespace + conversation_id,
            timeout=MUTEX_SECONDS,
            sleep=MUTEX_POLL_SECONDS,
            blocking_timeout=MUTEX_WAIT_SECONDS,
        )

    @contextmanager
    def _changing(self, conversation_id: str) -> Iterator[None]:
        mutex = self._mutex(conversation_id)
        if not mutex.acquire():
            raise LockError(f"Lock of conversation '{conversation_id}' stays busy.")
        try:
            yield
        finally:
            mutex.release()

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._changing(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._changing(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._changing(conversation_id):
            super().finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock when nobody waits, in one step:
        otherwise a ticket issued in between would be deleted with the lock."""
        with self._changing(conversation_id):
            lock = self.get_lock(conversation_id)
            if lock is None:
                return
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                self.save_lock(lock)
            else:
                self.delete_lock(conversation_id)


def create_lock_store() -> LockStore:
    if settings.lock_store_type() == "redis":
        connection = settings.redis_lock_store()
        logger.info(
            "Lock store: Redis op %s:%s (database %s).",
            connection["host"],
            connection["port"],
            connection["db"],
        )
        return SerialisedRedisLockStore(**connection)
    return InMemoryLockStore()


class EnvLockStore(LockStore):
    """Rasa creates a custom lock store as `Class(endpoint_config=...)`; this
    class hands back the store that .env asks for."""

    def __new__(cls, endpoint_config: Optional[Any] = None, **kwargs: Any) -> LockStore:
        return create_lock_store()
