"""An SQL tracker store that redacts personal data before anything is stored.

The NLU and the dialogue see the original message in memory; what reaches the
database (SQLite by default, PostgreSQL through the same settings) has BSNs,
phone numbers, e-mail addresses, addresses, IBANs, dates and person names
replaced by placeholders. Slot values such as `plaats` are kept: a place name
is not personal data and the answer needs it after a restart.

The save writes exactly the rows Rasa's own SQLTrackerStore.save would write
for the redacted events (`stored_event`, the one step to override), with less
work per turn (tests/test_privacy_store.py compares the two). The first save also starts the daily purge of old
sessions in the server (bot.privacy.retention).
"""

import asyncio
import itertools
import json
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, Optional

import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

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
CONFIG_FILE = Path(__file__).resolve().parents[2] / "config.yml"
# Rasa's message ids (uuid4 hex): no personal data, and not a phone number.
_MESSAGE_ID = re.compile(r"[0-9a-f]{32}")


@lru_cache(maxsize=1)
def pipeline_names() -> FrozenSet[str]:
    """The names of the NLU components (they sign entities as `extractor`) and
    of Rasa's event types (the `event` field)."""
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8")) or {}
    names_ = {str(part.get("name", "")) for part in config.get("pipeline") or []}
    events = {getattr(kind, "type_name", "") for kind in all_subclasses(Event)}
    return frozenset(names_ | {name.rsplit(".", 1)[-1] for name in names_} | events) - {""}


def own_names(domain: Any) -> FrozenSet[str]:
    """Names the assistant itself puts into a parse result (intents, entities,
    slots, actions, components): no personal data, so not worth the ~0.06 ms
    of deduce each (a user event holds some 25 of them)."""
    if domain is None:
        return pipeline_names()
    return frozenset(
        {*domain.intents, *domain.entities, *(slot.name for slot in domain.slots)}
        | set(domain.user_actions)
        | set(domain.responses)
        | pipeline_names()
    )


def redact_except(keep: FrozenSet[str]) -> Callable[[str], str]:
    """`redact`, leaving the assistant's own names and message ids as they are;
    a text that occurs twice in one event (`text` and `parse_data.text`) is
    redacted once. Nothing is remembered beyond the one event."""
    done: Dict[str, str] = {}

    def text(value: str) -> str:
        if value in keep or _MESSAGE_ID.fullmatch(value):
            return value
        if value not in done:
            done[value] = redact(value)
        return done[value]

    return text


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

    def __init__(self, event: Event, keep: FrozenSet[str] = frozenset()) -> None:
        self.event = event
        self.type_name = event.type_name
        self.keep = keep

    def as_dict(self) -> Dict[str, Any]:
        data = self.event.as_dict()
        kind = data.get("event")
        if (
            kind in TEXT_FREE_EVENTS
            and not data.get("action_text")
            and set(data.get("metadata") or {}) <= TEXT_FREE_METADATA
        ):
            return data
        return redact_value(data, redact_bot_text if kind == "bot" else redact_except(self.keep))


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
        return RedactedEvent(event, self._own_names())

    def _own_names(self) -> FrozenSet[str]:
        # Rasa sets `domain` after construction (when the agent loads).
        if getattr(self, "_names_of", None) is not self.domain:
            self._names_of, self._names = self.domain, own_names(self.domain)
        return self._names

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQLTrackerStore.save, with the events redacted (`stored_event`):
        the same rows, but counted with one COUNT instead of counting a sorted
        subquery, and inserted in one statement instead of one ORM object each
        (docs/benchmarks.md, issue 14). There is no event broker to stream to."""
        self._start_daily_purge()
        with self.session_scope() as session:
            stored = (
                self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
                .order_by(None)
                .with_entities(sa.func.count(self.SQLEvent.id))
                .scalar()
            )
            rows = [
                self._row(tracker.sender_id, event)
                for event in itertools.islice(tracker.events, stored, None)
            ]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    def _row(self, sender_id: str, event: Event) -> Dict[str, Any]:
        """The columns Rasa's save writes for one event."""
        data = self.stored_event(event).as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _start_daily_purge(self) -> None:
        if self._purge_task is None:
            self._purge_task = asyncio.get_running_loop().create_task(purge_every_day())
