"""Slack reminders through Slack's own scheduled messages.

Slack stores and sends them (chat.scheduleMessage, up to 120 days ahead);
the assistant keeps nothing. A reminder goes to the conversation it was set
in: the direct message, or the channel thread. It names no user. Each DM and
each channel thread is its own conversation, so a conversation lists and
cancels only its own reminders (chat.scheduledMessages.list,
chat.deleteScheduledMessage): in a DM those without a thread tag; in a
channel thread only those whose text ends with the thread's tag (Slack's list gives
the text but not the thread). The tag is the thread's message timestamp.
"""

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import settings
from bot.channels import slack_blocks
from bot.reminders.wording import ReminderWording, due_message, load_wording

logger = logging.getLogger(__name__)
API_TIMEOUT_SECONDS = 10
_ANY_THREAD_TAG = re.compile(r" \[\d+\.\d+\]$")
_ERRORS = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


@dataclass(frozen=True)
class ScheduledReminder:
    id: str
    post_at: int
    situation_id: Optional[str]


def thread_tag(thread_ts: str) -> str:
    """Marks a scheduled text as belonging to one channel thread."""
    return f"[{thread_ts}]"


def scheduled_message(situation_id: str, thread_ts: Optional[str] = None) -> Dict[str, Any]:
    """Text and blocks of the due message, as the Slack channel lays out an answer."""
    message = due_message(situation_id)
    steps = slack_blocks.steps_message(message["text"], message["custom"])
    buttons = slack_blocks.buttons_message(load_wording().question, message["buttons"])
    text = steps["text"] + (f" {thread_tag(thread_ts)}" if thread_ts else "")
    return {"text": text, "blocks": steps.get("blocks", []) + buttons["blocks"]}


def _in_conversation(text: str, thread_ts: Optional[str]) -> bool:
    """A thread's own tag; without a thread (a DM) only texts without any tag."""
    if thread_ts:
        return text.endswith(thread_tag(thread_ts))
    return _ANY_THREAD_TAG.search(text) is None


def _situation_of(text: str, wording: ReminderWording) -> Optional[str]:
    """Which situation a scheduled text is about (Slack returns only the text)."""
    for situation_id, situation in wording.situations.items():
        if situation.subject in text:
            return situation_id
    return None


class SlackReminders:
    def __init__(self, client: Optional[AsyncWebClient] = None) -> None:
        if client is None:
            from bot.channels.slack import api_url

            client = AsyncWebClient(
                settings.slack_bot_token(),
                base_url=api_url(settings.slack_api_url()),
                timeout=API_TIMEOUT_SECONDS,
                logger=_api_logger(),
            )
        self.client = client

    async def schedule(
        self, channel: str, thread_ts: Optional[str], situation_id: str, post_at: float
    ) -> Optional[str]:
        """Slack's id of the scheduled message, or None when Slack refused it."""
        arguments = {"channel": channel, "post_at": int(post_at)}
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        try:
            answer = await self.client.chat_scheduleMessage(
                **arguments, **scheduled_message(situation_id, thread_ts)
            )
        except _ERRORS as error:
            logger.error("Slack: herinnering niet gepland (%s).", _reason(error))
            return None
        return answer.get("scheduled_message_id")

    async def list(
        self, channel: str, thread_ts: Optional[str]
    ) -> Optional[List[ScheduledReminder]]:
        """This conversation's reminders (DM, or channel thread); None when Slack failed."""
        try:
            answer = await self.client.chat_scheduledMessages_list(channel=channel)
        except _ERRORS as error:
            logger.error("Slack: herinneringen niet opgehaald (%s).", _reason(error))
            return None
        wording = load_wording()
        found = [
            ScheduledReminder(
                id=str(item.get("id")),
                post_at=int(item.get("post_at") or 0),
                situation_id=_situation_of(str(item.get("text") or ""), wording),
            )
            for item in answer.get("scheduled_messages") or []
            if _in_conversation(str(item.get("text") or ""), thread_ts)
        ]
        return sorted(found, key=lambda r: r.post_at)

    async def cancel(
        self, channel: str, thread_ts: Optional[str], reminder_id: str
    ) -> Optional[bool]:
        """True when deleted; False when not this conversation's; None when Slack failed."""
        own = await self.list(channel, thread_ts)
        if own is None:
            return None
        if reminder_id not in {r.id for r in own}:
            return False
        try:
            await self.client.chat_deleteScheduledMessage(
                channel=channel, scheduled_message_id=reminder_id
            )
        except _ERRORS as error:
            logger.error("Slack: herinnering niet geannuleerd (%s).", _reason(error))
            return None
        return True


def _api_logger() -> logging.Logger:
    # slack_sdk logs request bodies at debug level: keep them out, as the Slack channel does.
    api_logger = logging.getLogger(__name__ + ".api")
    api_logger.setLevel(logging.WARNING)
    return api_logger


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str((error.response or {}).get("error", "onbekende fout"))
    return type(error).__name__
