"""Sends due reminders of one channel, exactly once, also with several processes.

The state lives in the table (bot.reminders.store), not in memory, so a
restart loses nothing: the next round finds the reminders that came due in
the meantime. Each reminder is claimed atomically before it is sent; a
failed send is retried later with a growing wait, and given up after
MAX_ATTEMPTS. The clock is passed in, so tests need no real time.
"""

import asyncio
import logging
import time
from typing import Awaitable, Callable, Optional

from bot.reminders.store import Reminder, ReminderStore

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 60 * 60
MAX_ATTEMPTS = 8
# A claim older than this belongs to a process that died while sending.
CLAIM_TIMEOUT_SECONDS = 10 * 60
POLL_SECONDS = 30

Send = Callable[[Reminder], Awaitable[bool]]


def retry_delay(attempts: int) -> float:
    """Wait before the next try after `attempts` failed sends: 1, 2, 4 ... minutes, at most 1 hour."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


class ReminderScheduler:
    def __init__(
        self,
        store: ReminderStore,
        channel: str,
        send: Send,
        clock: Callable[[], float] = time.time,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.store, self.channel, self.send = store, channel, send
        self.clock, self.poll_seconds = clock, poll_seconds
        self._task: Optional[asyncio.Task] = None

    async def _db(self, function, *args):
        # The database calls block; keep them off the server's event loop.
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    async def run_once(self) -> int:
        """Sends what is due now; the number of reminders delivered."""
        now = self.clock()
        await self._db(self.store.release_stale_claims, now - CLAIM_TIMEOUT_SECONDS)
        delivered = 0
        for reminder in await self._db(self.store.due, self.channel, now):
            if not await self._db(self.store.claim, reminder.id, now):
                continue  # another process has it
            if await self._deliver(reminder):
                delivered += 1
        return delivered

    async def _deliver(self, reminder: Reminder) -> bool:
        try:
            sent = await self.send(reminder)
        except Exception as error:  # noqa: BLE001 - one broken send must not stop the others
            logger.error("Herinnering niet verstuurd (%s).", type(error).__name__)
            sent = False
        if sent:
            await self._db(self.store.delete, reminder.id)
            return True
        attempts = reminder.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            logger.error("Herinnering %s na %d pogingen opgegeven.", reminder.id, attempts)
            await self._db(self.store.delete, reminder.id)
        else:
            retry_at = self.clock() + retry_delay(attempts)
            await self._db(self.store.retry_later, reminder.id, retry_at)
        return False

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as error:  # noqa: BLE001 - the database may be back next round
                logger.error("Herinneringen: ronde mislukt (%s).", type(error).__name__)
            await asyncio.sleep(self.poll_seconds)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
