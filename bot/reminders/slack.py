"""Slack reminders through Slack's own scheduled messages.

Slack stores and sends them (chat.scheduleMessage, up to 120 days ahead);
the assistant keeps nothing. The scheduled text starts with a mention of the
user, which Slack shows as a notification and which lets the assistant list
and cancel only that user's reminders (chat.scheduledMessages.list,
chat.deleteScheduledMessage).
"""

import asyncio
import logging
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
_ERRORS = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


@dataclass(frozen=True)
class ScheduledReminder:
    id: str
    post_at: int
    situation_id: Optional[str]


def _mention(user: str) -> str:
    return f"<@{user}>"


def scheduled_message(user: str, situation_id: str) -> Dict[str, Any]:
    """Text and blocks of the due message, as the Slack channel lays out an answer."""
    message = due_message(situation_id)
    steps = slack_blocks.steps_message(message["text"], message["custom"])
    buttons = slack_blocks.buttons_message(load_wording().question, message["buttons"])
    return {
        "text": f"{_mention(user)} {steps['text']}",
        "blocks": [slack_blocks.section(_mention(user))]
        + steps.get("blocks", [])
        + buttons["blocks"],
    }


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
        self, channel: str, thread_ts: Optional[str], user: str, situation_id: str, post_at: float
    ) -> Optional[str]:
        """Slack's id of the scheduled message, or None when Slack refused it."""
        arguments = {"channel": channel, "post_at": int(post_at)}
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        try:
            answer = await self.client.chat_scheduleMessage(
                **arguments, **scheduled_message(user, situation_id)
            )
        except _ERRORS as error:
            logger.error("Slack: herinnering niet gepland (%s).", _reason(error))
            return None
        return answer.get("scheduled_message_id")

    async def list(self, channel: str, user: str) -> Optional[List[ScheduledReminder]]:
        """This user's reminders in this channel; None when Slack cannot be asked."""
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
            if str(item.get("text") or "").startswith(_mention(user))
        ]
        return sorted(found, key=lambda r: r.post_at)

    async def cancel(self, channel: str, user: str, reminder_id: str) -> Optional[bool]:
        """True when deleted; False when it is not this user's; None when Slack failed."""
        own = await self.list(channel, user)
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
