"""Retention on a real PostgreSQL: old sessions deleted, the table rewritten (VACUUM FULL)."""

import asyncio
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy.retention import purge
from bot.privacy.tracker_store import RedactingSQLTrackerStore
from harness.services import postgres_server
from tests.conftest import PROJECT_ROOT
from tests.test_privacy_store import DAY, session

pytestmark = pytest.mark.integration


def test_old_sessions_go_and_postgresql_rewrites_the_table(tmp_path, monkeypatch):
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    with postgres_server(tmp_path) as database:
        for key, value in database.items():
            monkeypatch.setenv(key, value)
        store = RedactingSQLTrackerStore(domain=domain)
        now = time.time()
        old = session("pg", "oude zaak", domain, now - 45 * DAY)
        events = old + session("pg", "nieuwe zaak", domain, now - DAY, slots=[("fase", "gemeld")])
        asyncio.run(store.save(DialogueStateTracker.from_events("pg", events, domain.slots)))
        with store.engine.connect() as db:
            before = db.execute(sa.text("select pg_relation_filenode('events')")).scalar()

        result = purge(30)

        assert (result.conversations, result.sessions, result.events) == (0, 1, len(old))
        with store.engine.connect() as db:
            texts = [row[0] for row in db.execute(sa.text("select data from events"))]
            after = db.execute(sa.text("select pg_relation_filenode('events')")).scalar()
        assert not any("oude zaak" in text for text in texts)
        assert any("nieuwe zaak" in text for text in texts)
        assert after != before  # VACUUM FULL wrote a new file without the deleted rows
        restored = asyncio.run(store.retrieve("pg"))
        assert restored.get_slot("fase") == "gemeld"
        store.engine.dispose()
