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
import logging
from collections import deque
from typing import Any, Dict, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings
from bot.privacy import names
from bot.privacy.redact import redact_value
from bot.privacy.retention import purge_every_day

logger = logging.getLogger(__name__)


class RedactedEvent:
    """Stands in for an event in Rasa's save: same type, redacted `as_dict`.

    Only the events Rasa actually writes are redacted (as_dict is called for
    those alone), so a long conversation costs no more per turn than a short one.
    """

    def __init__(self, event: Event) -> None:
        self.event = event
        self.type_name = event.type_name

    def as_dict(self) -> Dict[str, Any]:
        return redact_value(self.event.as_dict())


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain=None, host: Optional[str] = None, event_broker=None, **kwargs: Any):
        # endpoints.yml names only the class; the connection comes from .env.
        connection = {**settings.tracker_db(), **kwargs}
        if host:
            connection["host"] = host
        # No event broker: events would leave the store unredacted.
        super().__init__(domain=domain, event_broker=None, **connection)
        self._purge_task: Optional[asyncio.Task] = None
        # Names are redacted by deduce: without it nothing could be stored safely,
        # so a missing or broken install stops the start here, with its reason.
        names.load()

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
