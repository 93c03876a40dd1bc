"""Deletes conversations whose last event is older than the retention period."""

import time
from typing import Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from bot import settings

SECONDS_PER_DAY = 24 * 60 * 60


def purge(days: int, now: Optional[float] = None) -> Tuple[int, int]:
    """(conversations, events) removed from the tracker store."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    connection = {**settings.tracker_db(), "login_db": None}  # the conversations' own db
    engine = sa.create_engine(SQLTrackerStore.get_db_url(**connection))
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0, 0
        events = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))
        old = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with engine.begin() as connection:
            senders = [row[0] for row in connection.execute(old)]
            if not senders:
                return 0, 0
            removed = connection.execute(
                sa.delete(events).where(events.c.sender_id.in_(senders))
            ).rowcount
        return len(senders), removed
    finally:
        engine.dispose()
