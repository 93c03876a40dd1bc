"""The Microsoft Teams channel: /webhooks/teams/webhook.

Every request must carry a valid Bot Connector token (auth.JwtValidator),
else 401/403 and nothing reaches the NLU. A message is answered with 200 at
once and processed in the background; the replies are posted to the Bot
Connector service as answers to the user's activity. Why in the background:
Teams sends the activity again when the bot has not answered within about 15
seconds, and a slow turn (NLU, action server, several replies, each its own
HTTP call) would then be handled twice. Rasa's lock store keeps the turns of
one conversation in order.
"""

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Optional, Set
from urllib.parse import quote

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import handle_message, webhook_blueprint
from bot.channels.teams.auth import (
    HTTP_TIMEOUT_SECONDS,
    REMOTE_ERRORS,
    JwtValidator,
    TeamsAuthError,
    TeamsConfigError,
    TokenProvider,
    check_tenant,
)
from bot.channels.teams.render import incoming_text, reply_activity, sender_id
from bot.reminders import TEAMS_REFERENCE_KEY
from bot.reminders.scheduler import ReminderScheduler
from bot.reminders.store import ReminderStore
from bot.reminders.wording import due_message
from bot.settings import reminder_poll_seconds

logger = logging.getLogger(__name__)

CHANNEL_NAME = "teams"
MAX_BODY_BYTES = 256 * 1024


@dataclass(frozen=True)
class Reference:
    """Where a reply goes: the user's activity in its conversation."""

    service_url: str
    conversation_id: str
    activity_id: str
    bot: Dict[str, str]
    user_id: str

    @classmethod
    def of(cls, activity: Dict[str, Any]) -> "Reference":
        bot = activity.get("recipient") or {}
        return cls(
            service_url=str(activity.get("serviceUrl", "")).rstrip("/"),
            conversation_id=str((activity.get("conversation") or {}).get("id", "")),
            activity_id=str(activity.get("id", "")),
            # The bot's own account; the user's display name is never copied.
            bot={k: str(bot[k]) for k in ("id", "name") if k in bot},
            user_id=str((activity.get("from") or {}).get("id", "")),
        )

    def for_reminder(self) -> Dict[str, Any]:
        """What a proactive reminder needs later: no activity, no text, no names."""
        return {
            "service_url": self.service_url,
            "conversation_id": self.conversation_id,
            "bot": self.bot,
            "user_id": self.user_id,
        }

    @classmethod
    def from_reminder(cls, stored: Dict[str, Any]) -> "Reference":
        """A reference for a new message in the conversation (no reply to an activity)."""
        return cls(
            service_url=str(stored["service_url"]),
            conversation_id=str(stored["conversation_id"]),
            activity_id="",
            bot={k: str(v) for k, v in (stored.get("bot") or {}).items()},
            user_id=str(stored["user_id"]),
        )

    @property
    def url(self) -> str:
        base = (
            f"{self.service_url}/v3/conversations/{quote(self.conversation_id, safe='')}/activities"
        )
        return f"{base}/{quote(self.activity_id, safe='')}" if self.activity_id else base


class Connector:
    """Posts activities to the Bot Connector service with the bot's token."""

    def __init__(self, tokens: TokenProvider) -> None:
        self.tokens = tokens

    async def reply(self, reference: Reference, activity: Dict[str, Any]) -> bool:
        body = {
            **activity,
            "from": reference.bot,
            "recipient": {"id": reference.user_id},
            "conversation": {"id": reference.conversation_id},
        }
        if reference.activity_id:
            body["replyToId"] = reference.activity_id
        for attempt in (1, 2):
            try:
                status = await self._post(reference.url, body)
            except REMOTE_ERRORS as error:
                logger.error("Teams: antwoord niet verstuurd (%s).", type(error).__name__)
                return False
            if status == 401 and attempt == 1:
                self.tokens.invalidate()  # revoked or rotated secret: one fresh token
                continue
            if 200 <= status < 300:
                return True
            logger.error("Teams: Bot Connector antwoordde HTTP %s.", status)
            return False
        return False

    async def _post(self, url: str, body: Dict[str, Any]) -> int:
        token = await self.tokens.token()
        timeout = aiohttp.ClientTimeout(total=HTTP_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.post(
                url, json=body, headers={"Authorization": f"Bearer {token}"}
            ) as reply:
                return reply.status


class TeamsOutput(OutputChannel):
    """Sends each bot message as one Teams activity (card or plain text)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def __init__(self, connector: Connector, reference: Reference) -> None:
        self.connector = connector
        self.reference = reference

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        activity = reply_activity(message)
        if activity is not None:
            await self.connector.reply(self.reference, activity)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


def teams_reminder_scheduler(connector: Connector, store: Optional[ReminderStore] = None):
    """The scheduler that posts due Teams reminders as proactive messages."""

    async def send(reminder) -> bool:
        activity = reply_activity(due_message(reminder.situation_id))
        reference = Reference.from_reminder(reminder.reference)
        return activity is not None and await connector.reply(reference, activity)

    return ReminderScheduler(
        store or ReminderStore(), CHANNEL_NAME, send, poll_seconds=reminder_poll_seconds()
    )


def _status(code: int, reason: str = "") -> HTTPResponse:
    return response.json({"error": reason} if reason else {}, status=code)


class TeamsInput(InputChannel):
    """Teams through an Azure Bot (single tenant). Settings: see docs/teams.md."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        for key, variable in (
            ("app_id", "TEAMS_APP_ID"),
            ("app_password", "TEAMS_APP_PASSWORD"),
            ("tenant_id", "TEAMS_TENANT_ID"),
        ):
            if not str(credentials.get(key) or "").strip():
                raise TeamsConfigError(f"Microsoft Teams: {variable} ontbreekt.")
        return cls(
            app_id=str(credentials["app_id"]).strip(),
            app_password=str(credentials["app_password"]),
            tenant_id=str(credentials["tenant_id"]),
            login_url=str(credentials.get("login_url") or ""),
            openid_metadata_url=str(credentials.get("openid_metadata_url") or ""),
        )

    def __init__(
        self,
        app_id: str,
        app_password: str,
        tenant_id: str,
        login_url: str = "",
        openid_metadata_url: str = "",
    ) -> None:
        self.tenant_id = check_tenant(tenant_id).lower()
        self.validator = JwtValidator(app_id, openid_metadata_url)
        self.connector = Connector(TokenProvider(app_id, app_password, tenant_id, login_url))
        self._tasks: Set[asyncio.Task] = set()  # keeps running turns from being collected
        self.reminders: Optional[ReminderScheduler] = None

    def is_own_tenant(self, activity: Dict[str, Any]) -> bool:
        """Only Teams (not Web Chat, Direct Line, ...) and only the organisation's own
        tenant: the tenant id must be present and equal TEAMS_TENANT_ID."""
        tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        return (
            activity.get("channelId") == "msteams"
            and isinstance(tenant, str)
            and tenant.lower() == self.tenant_id
        )

    async def process(
        self, activity: Dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        reference = Reference.of(activity)
        output = TeamsOutput(self.connector, reference)
        try:
            await handle_message(
                incoming_text(activity),
                sender_id(activity, self.tenant_id),
                output,
                on_new_message,
                CHANNEL_NAME,
                # The action server stores it when the user asks for a reminder.
                metadata={TEAMS_REFERENCE_KEY: reference.for_reminder()},
            )
        except Exception as error:  # noqa: BLE001 - a background task has no caller to tell
            logger.error("Teams: bericht niet verwerkt (%s).", type(error).__name__)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def receive(request: Request) -> HTTPResponse:
            raw = request.body or b""
            if len(raw) > MAX_BODY_BYTES:
                return _status(413)
            if not request.headers.get("authorization"):
                return _status(401, "Authorization ontbreekt.")
            try:
                activity = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return _status(400, "Geen geldige JSON.")
            if not isinstance(activity, dict):
                return _status(400, "Geen activity.")
            try:
                await self.validator.validate(
                    request.headers.get("authorization"),
                    activity.get("serviceUrl"),
                    activity.get("channelId"),
                )
            except TeamsAuthError as error:
                logger.warning("Teams: verzoek geweigerd: %s.", error.reason)
                return _status(error.status)
            if not self.is_own_tenant(activity):
                logger.warning("Teams: verzoek geweigerd: ander kanaal of andere tenant.")
                return _status(403, "Alleen Microsoft Teams van de eigen organisatie.")
            if activity.get("type") != "message":
                return _status(200)  # conversation updates, reactions: nothing to say
            task = asyncio.get_running_loop().create_task(self.process(activity, on_new_message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return _status(200)

        blueprint = webhook_blueprint("teams_webhook", receive)
        # Due reminders are sent from the Rasa server, which holds the bot's token.
        blueprint.listener("after_server_start")(self._start_reminders)
        blueprint.listener("before_server_stop")(self._stop_reminders)
        return blueprint

    async def _start_reminders(self, app: Any, loop: Any) -> None:
        try:
            self.reminders = teams_reminder_scheduler(self.connector)
        except Exception as error:  # noqa: BLE001 - answering must work without the table
            logger.error("Teams: herinneringen niet gestart (%s).", type(error).__name__)
            return
        self.reminders.start()

    async def _stop_reminders(self, app: Any, loop: Any) -> None:
        if self.reminders is not None:
            await self.reminders.stop()
