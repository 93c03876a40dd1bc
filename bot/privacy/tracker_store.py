"""An SQL tracker store that redacts personal data before anything is stored.

The NLU and the dialogue see the original message in memory; what reaches the
database (SQLite by default, PostgreSQL through the same settings) has BSNs,
phone numbers, e-mail addresses, addresses, IBANs, dates and introduced names
replaced by placeholders. Slot values such as `plaats` are kept: a place name
is not personal data and the answer needs it after a restart.
"""

import json
import logging
from typing import Any, Dict, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import settings
from bot.privacy.redact import redact_value

logger = logging.getLogger(__name__)


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain=None, host: Optional[str] = None, event_broker=None, **kwargs: Any):
        # endpoints.yml names only the class; the connection comes from .env.
        connection = {**settings.tracker_db(), **kwargs}
        if host:
            connection["host"] = host
        super().__init__(domain=domain, event_broker=event_broker, **connection)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """As SQLTrackerStore.save, with every event redacted before it is written.

        Events are not streamed to an event broker: they would leave unredacted.
        """
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data: Dict[str, Any] = redact_value(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {})
                        .get("intent", {})
                        .get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
