"""Reminders in their own table of the tracker database (SQLite or PostgreSQL).

A row holds the channel, the conversation reference the channel needs to post
(opaque JSON: service address and ids, never the user's text), the Rasa
conversation id (to list and cancel), the situation id, the due time and the
delivery state. Several Rasa processes can share the table: a reminder is
claimed with one atomic UPDATE ... WHERE state = 'pending' before it is sent,
so only one process sends it.
"""

import json
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from bot import settings

TABLE_NAME = "herinneringen"
PENDING = "pending"
SENDING = "sending"

_metadata = sa.MetaData()
reminders_table = sa.Table(
    TABLE_NAME,
    _metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("situatie", sa.String(64), nullable=False),
    sa.Column("due_at", sa.Float, nullable=False, index=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("state", sa.String(16), nullable=False, default=PENDING),
    # When a process claimed it; a claim older than the timeout was lost in a crash.
    sa.Column("claimed_at", sa.Float, nullable=True),
)


@dataclass(frozen=True)
class Reminder:
    id: str
    channel: str
    conversation_id: str
    reference: Dict[str, Any]
    situation_id: str
    due_at: float
    created_at: float
    attempts: int
    state: str


def _reminder(row: Any) -> Reminder:
    return Reminder(
        id=row.id,
        channel=row.channel,
        conversation_id=row.conversation_id,
        reference=json.loads(row.reference),
        situation_id=row.situatie,
        due_at=row.due_at,
        created_at=row.created_at,
        attempts=row.attempts,
        state=row.state,
    )


def tracker_db_url() -> str:
    """The tracker store's database (bot.settings), where the reminders table lives."""
    connection = {**settings.tracker_db(), "login_db": None}
    return str(SQLTrackerStore.get_db_url(**connection))


class ReminderStore:
    def __init__(self, url: Optional[str] = None) -> None:
        self.engine = sa.create_engine(url or tracker_db_url())
        self._table_ready = False

    def _ready(self) -> sa.engine.Engine:
        """The engine, once the table exists (made on first use, not at start:
        Rasa may still be creating the database)."""
        if not self._table_ready:
            try:
                _metadata.create_all(self.engine)  # only creates what is missing
            except sa.exc.DBAPIError:
                # Another process created it at the same moment; fine if it is there now.
                if not sa.inspect(self.engine).has_table(TABLE_NAME):
                    raise
            self._table_ready = True
        return self.engine

    def add(
        self,
        channel: str,
        conversation_id: str,
        reference: Dict[str, Any],
        situation_id: str,
        due_at: float,
        now: float,
    ) -> str:
        reminder_id = str(uuid.uuid4())
        with self._ready().begin() as connection:
            connection.execute(
                reminders_table.insert().values(
                    id=reminder_id,
                    channel=channel,
                    conversation_id=conversation_id,
                    reference=json.dumps(reference, sort_keys=True),
                    situatie=situation_id,
                    due_at=due_at,
                    created_at=now,
                    attempts=0,
                    state=PENDING,
                )
            )
        return reminder_id

    def for_conversation(self, channel: str, conversation_id: str) -> List[Reminder]:
        query = (
            reminders_table.select()
            .where(reminders_table.c.channel == channel)
            .where(reminders_table.c.conversation_id == conversation_id)
            .order_by(reminders_table.c.due_at)
        )
        with self._ready().connect() as connection:
            return [_reminder(row) for row in connection.execute(query)]

    def cancel(self, reminder_id: str, channel: str, conversation_id: str) -> bool:
        """Deletes a reminder of this conversation only; False when there is none."""
        with self._ready().begin() as connection:
            deleted = connection.execute(
                reminders_table.delete()
                .where(reminders_table.c.id == reminder_id)
                .where(reminders_table.c.channel == channel)
                .where(reminders_table.c.conversation_id == conversation_id)
            ).rowcount
        return deleted == 1

    def due(self, channel: str, now: float, limit: int = 50) -> List[Reminder]:
        """Pending reminders whose (retry) time has come, oldest first."""
        query = (
            reminders_table.select()
            .where(reminders_table.c.channel == channel)
            .where(reminders_table.c.state == PENDING)
            .where(reminders_table.c.due_at <= now)
            .order_by(reminders_table.c.due_at)
            .limit(limit)
        )
        with self._ready().connect() as connection:
            return [_reminder(row) for row in connection.execute(query)]

    def claim(self, reminder_id: str, now: float) -> bool:
        """True for exactly one caller: the row moves from pending to sending atomically."""
        with self._ready().begin() as connection:
            claimed = connection.execute(
                reminders_table.update()
                .where(reminders_table.c.id == reminder_id)
                .where(reminders_table.c.state == PENDING)
                .where(reminders_table.c.due_at <= now)
                .values(state=SENDING, claimed_at=now)
            ).rowcount
        return claimed == 1

    def delete(self, reminder_id: str) -> None:
        with self._ready().begin() as connection:
            connection.execute(reminders_table.delete().where(reminders_table.c.id == reminder_id))

    def retry_later(self, reminder_id: str, retry_at: float) -> None:
        """Back to pending with one more attempt, due again at `retry_at`."""
        with self._ready().begin() as connection:
            connection.execute(
                reminders_table.update()
                .where(reminders_table.c.id == reminder_id)
                .values(
                    state=PENDING,
                    due_at=retry_at,
                    attempts=reminders_table.c.attempts + 1,
                    claimed_at=None,
                )
            )

    def release_stale_claims(self, older_than: float) -> int:
        """Claims of a process that died while sending go back to pending."""
        with self._ready().begin() as connection:
            return connection.execute(
                reminders_table.update()
                .where(reminders_table.c.state == SENDING)
                .where(reminders_table.c.claimed_at < older_than)
                .values(state=PENDING, claimed_at=None)
            ).rowcount

    def purge(self, older_than: float) -> int:
        """Deletes reminders that were due before `older_than` and never delivered."""
        with self._ready().begin() as connection:
            return connection.execute(
                reminders_table.delete().where(reminders_table.c.due_at < older_than)
            ).rowcount

    def dispose(self) -> None:
        self.engine.dispose()


def purge_reminders(older_than: float, url: Optional[str] = None) -> int:
    """For the retention purge: removes reminders due before `older_than` (epoch)."""
    store = ReminderStore(url)
    try:
        return store.purge(older_than)
    finally:
        store.dispose()
