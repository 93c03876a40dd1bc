"""The conversation lock store from .env: in memory or Redis.

Rasa locks a conversation while it handles a message, so that two messages of
the same conversation never run at the same time. In memory that holds only
within one process; several Rasa processes or Sanic workers need the locks in
Redis (LOCK_STORE_TYPE=redis). endpoints.yml names this class only, because
Rasa's ${VAR} expansion fails on unset variables and would put the Redis
password in a YAML file.
"""

import logging
from typing import Any, Optional

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from bot import settings

logger = logging.getLogger(__name__)


def create_lock_store() -> LockStore:
    if settings.lock_store_type() == "redis":
        connection = settings.redis_lock_store()
        logger.info("Lock store: Redis op %s:%s (database %s).",
                    connection["host"], connection["port"], connection["db"])
        return RedisLockStore(**connection)
    return InMemoryLockStore()


class EnvLockStore(LockStore):
    """Rasa creates a custom lock store as `Class(endpoint_config=...)`; this
    class hands back Rasa's own store that .env asks for."""

    def __new__(cls, endpoint_config: Optional[Any] = None, **kwargs: Any) -> LockStore:
        return create_lock_store()
