"""An SQL tracker store that redacts personal data before anything is stored.

The NLU and the dialogue see the original message in memory; what reaches the
database (SQLite by default, PostgreSQL through the same settings) has BSNs,
phone numbers, e-mail addresses, addresses, IBANs, dates and person names
replaced by placeholders. Slot values such as `plaats` are kept: a place name
is not personal data and the answer needs it after a restart.

Rasa's own SQLTrackerStore.save does the writing; this class only hands it a
copy of the tracker whose events serialise redacted (`stored_event`, the one
step to override). The first save also starts the daily purge of old
sessions in the server (bot.privacy.retention).
"""

import asyncio
import copy
import json
import logging
from collections import deque
from functools import lru_cache
from typing import Any, Dict, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings
from bot.privacy import names
from bot.privacy.redact import redact, redact_value
from bot.privacy.retention import purge_every_day

logger = logging.getLogger(__name__)


# Events that hold only names of actions, loops and policies, never text a
# user typed: stored as they are, unless one has `action_text` or metadata
# other than the model's ids (then it is redacted like any other event).
TEXT_FREE_METADATA = frozenset({"model_id", "assistant_id"})
TEXT_FREE_EVENTS = frozenset(
    {
        "action",
        "session_started",
        "active_loop",
        "restart",
        "rewind",
        "undo",
        "reset_slots",
        "pause",
        "resume",
        "followup",
        "loop_interrupted",
        "action_execution_rejected",
    }
)
BOT_TEXTS_REMEMBERED = 2048


@lru_cache(maxsize=BOT_TEXTS_REMEMBERED)
def redact_bot_text(text: str) -> str:
    """The assistant's own texts repeat (the same answers and buttons): each is
    redacted once per process. They come from the content files and are still
    redacted, in case one ever holds what a user typed."""
    return redact(text)


class RedactedEvent:
    """Stands in for an event in Rasa's save: same type, redacted `as_dict`.

    Only the events Rasa actually writes are redacted (as_dict is called for
    those alone), so a long conversation costs no more per turn than a short one.
    """

    def __init__(self, event: Event) -> None:
        self.event = event
        self.type_name = event.type_name

    def as_dict(self) -> Dict[str, Any]:
        data = self.event.as_dict()
        kind = data.get("event")
        if (
            kind in TEXT_FREE_EVENTS
            and not data.get("action_text")
            and set(data.get("metadata") or {}) <= TEXT_FREE_METADATA
        ):
            return data
        return redact_value(data, redact_bot_text if kind == "bot" else redact)


def _write_ahead_log(dbapi_connection, _record) -> None:
    # WAL: a commit appends to the log instead of rewriting the journal, and
    # readers do not block the writer; NORMAL syncs at checkpoints, not per turn.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_engine(url: Any) -> sa.engine.Engine:
    """SQLite with one kept connection (SQLAlchemy 1.4 opens a new one for every
    save and retrieve) in WAL mode. The pool hands a connection to one user at a
    time, so sharing it with another thread is safe."""
    engine = sa.create_engine(
        url,
        poolclass=sa.pool.QueuePool,
        pool_size=1,
        max_overflow=2,
        connect_args={"check_same_thread": False},
    )
    sa.event.listen(engine, "connect", _write_ahead_log)
    return engine


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain=None, host: Optional[str] = None, event_broker=None, **kwargs: Any):
        # endpoints.yml names only the class; the connection comes from .env.
        connection = {**settings.tracker_db(), **kwargs}
        if host:
            connection["host"] = host
        # No event broker: events would leave the store unredacted.
        super().__init__(domain=domain, event_broker=None, **connection)
        if self.engine.dialect.name == "sqlite":
            self.engine.dispose()
            self.engine = sqlite_engine(self.engine.url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._purge_task: Optional[asyncio.Task] = None
        # Names are redacted by deduce: without it nothing could be stored safely,
        # so a missing or broken install stops the start here, with its reason.
        names.load()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """SQLTrackerStore._retrieve, reading only the `data` column instead of whole
        rows as ORM objects (a third of reading a long conversation, docs/benchmarks.md)."""
        with self.session_scope() as session:
            query = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            )
            rows = query.with_entities(self.SQLEvent.data).all()
        events = [json.loads(data) for (data,) in rows]
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def stored_event(self, event: Event) -> Any:
        """What Rasa's save serialises for `event`: a redacted stand-in."""
        return RedactedEvent(event)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's own save, of a copy of `tracker` whose events are redacted."""
        self._start_daily_purge()
        stored = copy.copy(tracker)  # shallow: the live tracker keeps its own events
        stored.events = deque(self.stored_event(event) for event in tracker.events)
        await super().save(stored)

    def _start_daily_purge(self) -> None:
        if self._purge_task is None:
            self._purge_task = asyncio.get_running_loop().create_task(purge_every_day())
