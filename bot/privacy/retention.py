"""Forgets conversations after RETENTION_DAYS, also when someone keeps using the assistant.

A conversation is a row of sessions (Rasa starts a new one after 60 minutes of
silence). Every session whose last event is older than the retention period
is deleted, also in a conversation that is still in use; the latest session
stays whole while it is recent, so a running conversation keeps working. Its
first events are the case slots Rasa carried over from the session before
(fase, plaats, gemeld_bij_vt, situatie: no free text); what users typed in
older sessions is gone (docs/privacy.md).

Deleted rows must not stay readable in the database file: SQLite overwrites
them (secure_delete) and shrinks the file (VACUUM); PostgreSQL rewrites the
table (VACUUM FULL). The server runs this every PURGE_INTERVAL_HOURS (24) by
itself, together with the reminders that were due before the same cutoff
(bot.reminders.store); `make purge` runs it once. Only counts are logged.
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from bot import settings

logger = logging.getLogger(__name__)

SECONDS_PER_DAY = 24 * 60 * 60
SESSION_STARTED = "session_started"  # Rasa's SessionStarted.type_name
_DELETE_BATCH = 500


@dataclass
class PurgeResult:
    conversations: int = 0  # conversations removed completely
    sessions: int = 0  # old sessions removed (whole conversations included)
    events: int = 0


def old_sessions(rows: List[tuple], cutoff: float) -> Dict[str, List[List[int]]]:
    """Per sender: the event ids of each session whose last event is before `cutoff`.

    `rows` are (sender_id, id, type_name, timestamp), ordered by sender and id.
    """
    by_sender: Dict[str, List[List[tuple]]] = {}
    for sender, event_id, type_name, timestamp in rows:
        sessions = by_sender.setdefault(sender, [[]])
        if type_name == SESSION_STARTED and sessions[-1]:
            # action_session_start comes just before session_started: it opens the session.
            last = sessions[-1]
            opener = [last.pop()] if last and last[-1][2] == "action" else []
            sessions.append(opener)
        sessions[-1].append((event_id, timestamp or 0.0, type_name))
    old: Dict[str, List[List[int]]] = {}
    for sender, sessions in by_sender.items():
        expired = [
            [event_id for event_id, _, _ in session]
            for session in sessions
            if session and max(t for _, t, _ in session) < cutoff
        ]
        if expired:
            old[sender] = expired
    return old


def _reclaim_space(engine: sa.engine.Engine) -> None:
    """Deleted rows must not stay readable in the database files."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "sqlite":
            connection.execute(sa.text("VACUUM"))
            # The tracker store writes ahead (WAL): empty that log file too.
            connection.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        elif engine.dialect.name == "postgresql":
            connection.execute(sa.text("VACUUM FULL events"))


def purge(days: int, now: Optional[float] = None) -> PurgeResult:
    """Removes every session older than `days` days from the tracker store."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    connection = {**settings.tracker_db(), "login_db": None}  # the conversations' own db
    engine = sa.create_engine(SQLTrackerStore.get_db_url(**connection))
    if engine.dialect.name == "sqlite":
        # Deleted content is overwritten with zeros, not only marked free.
        sa.event.listen(
            engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA secure_delete = ON")
        )
    result = PurgeResult()
    try:
        if not sa.inspect(engine).has_table("events"):
            return result
        events = sa.table(
            "events",
            sa.column("id"),
            sa.column("sender_id"),
            sa.column("type_name"),
            sa.column("timestamp"),
        )
        with engine.begin() as db:
            rows = db.execute(
                sa.select(
                    events.c.sender_id, events.c.id, events.c.type_name, events.c.timestamp
                ).order_by(events.c.sender_id, events.c.id)
            ).all()
            counts: Dict[str, int] = {}
            for sender, _, _, _ in rows:
                counts[sender] = counts.get(sender, 0) + 1
            old = old_sessions([tuple(row) for row in rows], cutoff)
            for sender, sessions in old.items():
                ids = [event_id for session in sessions for event_id in session]
                result.sessions += len(sessions)
                for start in range(0, len(ids), _DELETE_BATCH):
                    batch = ids[start : start + _DELETE_BATCH]
                    result.events += db.execute(
                        sa.delete(events).where(events.c.id.in_(batch))
                    ).rowcount
                if len(ids) == counts[sender]:
                    result.conversations += 1
        if result.events:
            _reclaim_space(engine)
        return result
    finally:
        engine.dispose()


def purge_with_reminders(days: int, now: Optional[float] = None) -> Tuple[PurgeResult, int]:
    """The conversations' purge, and reminders that were due before the same cutoff."""
    from bot.reminders.store import purge_reminders  # the reminders' own table

    moment = now if now is not None else time.time()
    done = purge(days, now=moment)
    return done, purge_reminders(moment - days * SECONDS_PER_DAY)


async def purge_every_day(first_delay_seconds: float = 60.0) -> None:
    """The server's own daily purge (PURGE_INTERVAL_HOURS, 0 = off: use an external timer)."""
    hours = settings.purge_interval_hours()
    if hours <= 0:
        return
    await asyncio.sleep(first_delay_seconds)
    while True:
        try:
            done, reminders = await asyncio.get_running_loop().run_in_executor(
                None, purge_with_reminders, settings.retention_days()
            )
            logger.info(
                "Bewaartermijn: verwijderd: gesprekken %s, sessies %s, events %s, "
                "herinneringen %s.",
                done.conversations,
                done.sessions,
                done.events,
                reminders,
            )
        except Exception as error:  # noqa: BLE001 - the next run tries again
            logger.error("Bewaartermijn: opschonen mislukt (%s).", type(error).__name__)
        await asyncio.sleep(hours * 3600)
