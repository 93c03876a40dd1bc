"""Slack: Rasa's Slack connector, with the safe message path and readable steps.

Built on rasa.core.channels.slack (signature check, credentials, SlackBot's
posting). What this class adds or changes:
- one conversation per direct message and per channel thread, with an id that
  no other channel can make: `slack:<team>:<dm channel>` and
  `slack:<team>:<channel>:<thread>`. What someone told the assistant in a DM
  never reaches a channel thread, and a REST client cannot reach either;
- the signing secret is mandatory (Rasa too) and a request with a missing, bad
  or more than 5 minutes old signature gets 401 with the reason in the log;
- the user's text goes through bot.channels.guard, in a background task, so
  Slack gets its answer within its 3 seconds and never needs to retry;
- an event handled once is never answered again (Slack's retries, and the
  `message` plus `app_mention` that one message in a channel can cause), also
  when the retry reaches another server process (Redis, LOCK_STORE_TYPE=redis);
- replies go into the thread of the user's message (`use_threads`);
- the `vervolgstappen` payload becomes a numbered Block Kit list, buttons
  become Block Kit buttons; other custom payloads are not posted raw;
- SLACK_API_URL can point the Web API client elsewhere (a stub in the tests).
The URL stays Rasa's: /webhooks/slack/webhook, for events and button clicks.
No message text and no profile names are logged or kept; Slack user ids are.
"""

import asyncio
import json
import logging
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, Optional
from urllib.parse import urlparse

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels import slack_blocks
from bot.channels.guard import handle_message, webhook_blueprint

logger = logging.getLogger(__name__)
# slack_sdk logs request bodies (the bot's answers) at debug level.
_api_logger = logging.getLogger(__name__ + ".api")
_api_logger.setLevel(logging.WARNING)

DEFAULT_API_URL = "https://slack.com/api/"
API_TIMEOUT_SECONDS = 10
MAX_BODY_BYTES = 256 * 1024
SIGNATURE_MAX_AGE_SECONDS = 5 * 60  # as Rasa and Slack
# Slack retries an event up to 3 times within about 5 minutes.
RETRY_WINDOW_SECONDS = 15 * 60
# Message events with these subtypes are what a person typed; others (joins,
# edits, deletions, bot posts) are not questions for the assistant.
USER_SUBTYPES = {None, "thread_broadcast", "file_share"}


def api_url(value: Optional[str]) -> str:
    """SLACK_API_URL, or Slack's own Web API when it is empty."""
    value = (value or "").strip()
    if not value:
        return DEFAULT_API_URL
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidConfigException(
            f"SLACK_API_URL moet een http(s)-adres zijn, zoals {DEFAULT_API_URL} (of leeg)."
        )
    return value if value.endswith("/") else value + "/"


def signature_problem(headers: Any, now: float) -> str:
    """Why a request failed the signature check, for the log (never the body)."""
    signature = headers.get("X-Slack-Signature")
    timestamp = headers.get("X-Slack-Request-Timestamp")
    if not signature or not timestamp:
        return "handtekening of tijdstempel ontbreekt"
    try:
        age = abs(now - int(timestamp))
    except ValueError:
        return "tijdstempel is geen getal"
    if age > SIGNATURE_MAX_AGE_SECONDS:
        return "tijdstempel wijkt meer dan 5 minuten af (oud verzoek, of loopt de klok van de server gelijk?)"
    return "handtekening klopt niet (klopt SLACK_SIGNING_SECRET?)"


class RecentEvents:
    """Keys of the events handled in the last RETRY_WINDOW_SECONDS, per process."""

    def seen_before(self, key: str) -> bool:
        return self.seen(key)

    def __init__(
        self,
        window: float = RETRY_WINDOW_SECONDS,
        max_size: int = 10000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window, self.max_size, self.clock = window, max_size, clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def seen(self, key: str) -> bool:
        """True when `key` came before; otherwise remembers it."""
        now = self.clock()
        while self._seen and next(iter(self._seen.values())) < now - self.window:
            self._seen.popitem(last=False)
        if key in self._seen:
            return True
        self._seen[key] = now
        while len(self._seen) > self.max_size:
            self._seen.popitem(last=False)
        return False


class SharedRecentEvents:
    """Keys of handled events in Redis, shared by every server process: a retry
    that reaches another replica is not answered twice. When Redis cannot be
    reached, this process's own memory decides (and the log says so)."""

    def __init__(self, client: Any, prefix: str, window: float = RETRY_WINDOW_SECONDS) -> None:
        self.client, self.prefix, self.window = client, prefix, window
        self.local = RecentEvents(window)

    def seen_before(self, key: str) -> bool:
        local = self.local.seen(key)
        try:
            first = self.client.set(self.prefix + key, b"1", nx=True, ex=int(self.window))
        except Exception as error:  # noqa: BLE001 - any Redis failure: fall back to memory
            logger.warning(
                "Slack: Redis niet bereikbaar (%s); dubbel-check per proces.", type(error).__name__
            )
            return local
        return not first


def recent_events() -> Any:
    """Shared through Redis with LOCK_STORE_TYPE=redis, else in this process."""
    from bot import settings

    if settings.lock_store_type() != "redis":
        return RecentEvents()
    import redis

    config = settings.redis_lock_store()
    client = redis.Redis(
        host=config["host"],
        port=config["port"],
        db=config["db"],
        password=config["password"],
        ssl=config["use_ssl"],
        socket_timeout=2,
        socket_connect_timeout=2,
    )
    return SharedRecentEvents(client, f"{config['key_prefix'] or ''}slackevent:")


def is_direct_message(event: Dict[str, Any]) -> bool:
    return event.get("channel_type") == "im" or str(event.get("channel") or "").startswith("D")


def conversation_id(team: str, channel: str, thread: Optional[str], direct: bool) -> str:
    """One conversation per direct message and per channel thread."""
    if direct or not thread:
        return f"slack:{team}:{channel}"
    return f"slack:{team}:{channel}:{thread}"


def is_user_message(body: Dict[str, Any]) -> bool:
    """A `message` or `app_mention` with text, not from a bot."""
    event = body.get("event") or {}
    return (
        event.get("type") in ("message", "app_mention")
        and bool(event.get("text"))
        and not event.get("bot_id")
    )


def button_value(payload: Dict[str, Any]) -> Optional[str]:
    """The value of a clicked button; None for other components and link buttons."""
    actions = payload.get("actions") or []
    if not actions or not isinstance(actions[0], dict) or actions[0].get("type") != "button":
        return None
    value = actions[0].get("value")
    return value if isinstance(value, str) else None


def event_metadata(body: Dict[str, Any]) -> Dict[str, Any]:
    """Where to answer an Events API message; `users` are the bot's own ids,
    whose mentions are removed from the text (as in Rasa)."""
    event = body.get("event") or {}
    authorizations = body.get("authorizations") or []
    users = body.get("authed_users") or [
        a.get("user_id") for a in authorizations[:1] if isinstance(a, dict)
    ]
    return {
        "out_channel": event.get("channel"),
        "thread_id": event.get("thread_ts") or event.get("ts"),
        "users": [u for u in users if u],
        "team": body.get("team_id") or event.get("team") or "",
        "direct": is_direct_message(event),
    }


def action_metadata(payload: Dict[str, Any]) -> Dict[str, Any]:
    """Where to answer a button click: the thread of the message with the button."""
    message = payload.get("message") or {}
    container = payload.get("container") or {}
    user = (payload.get("user") or {}).get("id")
    channel = (payload.get("channel") or {}).get("id") or container.get("channel_id")
    return {
        "out_channel": channel,
        "thread_id": message.get("thread_ts")
        or container.get("thread_ts")
        or message.get("ts")
        or container.get("message_ts"),
        "users": [user] if user else [],
        "team": (payload.get("team") or {}).get("id")
        or (payload.get("user") or {}).get("team_id")
        or "",
        "direct": str(channel or "").startswith("D"),
    }


def _choice(payload: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The clicked button's title and the message it sits in, if Slack sent them."""
    message = payload.get("message") or {}
    title = ((payload["actions"][0].get("text") or {}).get("text") or "").strip()
    if not (title and message.get("ts") and isinstance(message.get("blocks"), list)):
        return None
    return {"ts": message["ts"], "blocks": message["blocks"], "choice": title}


class SlackOutput(SlackBot):
    """Rasa's SlackBot, posting Block Kit messages to SLACK_API_URL."""

    def __init__(
        self,
        token: str,
        slack_channel: Optional[str] = None,
        thread_id: Optional[str] = None,
        proxy: Optional[str] = None,
        base_url: str = DEFAULT_API_URL,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(
            token, base_url=base_url, proxy=proxy, timeout=API_TIMEOUT_SECONDS, logger=_api_logger
        )

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        # `as_user` only works for classic apps, `type` is no postMessage argument.
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        try:
            await self.client.chat_postMessage(channel=channel, **kwargs)
        except SlackApiError as error:
            logger.error(
                "Slack weigert het bericht: %s (zie docs/slack.md, Troubleshooting).",
                (error.response or {}).get("error", "onbekende fout"),
            )
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.error("Slack Web API niet bereikbaar: %s.", type(error).__name__)

    async def show_choice(self, channel: str, ts: str, blocks: list, choice: str) -> None:
        """Replaces the buttons of the bot's message `ts` by the choice made."""
        try:
            await self.client.chat_update(
                channel=channel, ts=ts, **slack_blocks.chosen_message(blocks, choice)
            )
        except SlackApiError as error:
            logger.error(
                "Slack weigert de wijziging: %s.",
                (error.response or {}).get("error", "onbekende fout"),
            )
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.error("Slack Web API niet bereikbaar: %s.", type(error).__name__)

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        custom = message.get("custom")
        if slack_blocks.is_steps_payload(custom) and not message.get("buttons"):
            # Text and payload are one answer: one Slack message, the list with its title.
            await self._post_message(
                self.slack_channel or recipient_id,
                **slack_blocks.steps_message(message.get("text") or "", custom),
            )
            return
        if slack_blocks.is_note_payload(custom) and not message.get("buttons"):
            # The note for the dossier: one message that copies cleanly.
            await self._post_message(
                self.slack_channel or recipient_id, **slack_blocks.note_message(custom)
            )
            return
        await super().send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._post_message(
            self.slack_channel or recipient_id, **slack_blocks.text_message(text)
        )

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list, **kwargs: Any
    ) -> None:
        await self._post_message(
            self.slack_channel or recipient_id, **slack_blocks.buttons_message(text or "", buttons)
        )

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list, **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        if slack_blocks.is_steps_payload(json_message):
            await self._post_message(
                self.slack_channel or recipient_id, **slack_blocks.steps_message("", json_message)
            )
        else:
            # E.g. `oefencasus`: its text and buttons came in the same message already.
            logger.debug("Payload %r niet naar Slack gestuurd.", json_message.get("type"))


class SlackInput(RasaSlackInput):
    """credentials.yml section `bot.channels.slack.SlackInput` (see docs/slack.md)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = DEFAULT_API_URL
        self.recent: Any = None  # made on first use: Redis is not asked at start
        self.turns: set = set()  # references, so running turns are not collected

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_url = api_url((credentials or {}).get("api_url"))
        return channel

    def get_output_channel(
        self, channel: Optional[str] = None, thread_id: Optional[str] = None
    ) -> OutputChannel:
        return SlackOutput(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        return webhook_blueprint("slack_webhook", receive)

    async def receive(self, request: Request, on_new_message: Callable) -> HTTPResponse:
        """Checks the signature, then answers Slack at once; the turn runs after."""
        if len(request.body or b"") > MAX_BODY_BYTES:
            return response.text("Verzoek te groot.", status=413)
        if not self.is_request_from_slack_authentic(request):
            logger.warning(
                "Slack-verzoek geweigerd: %s.", signature_problem(request.headers, time.time())
            )
            return response.text("Geen geldige Slack-handtekening.", status=401)
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        try:
            if content_type == "application/json":
                return self._receive_event(json.loads(request.body), on_new_message)
            if content_type == "application/x-www-form-urlencoded":
                return self._receive_action(
                    json.loads(request.form.get("payload") or ""), on_new_message
                )
        except (ValueError, TypeError, AttributeError):
            return response.text("Geen geldig Slack-verzoek.", status=400)
        return response.text("Geen geldig Slack-verzoek.", status=400)

    def _receive_event(self, body: Dict[str, Any], on_new_message: Callable) -> HTTPResponse:
        if body.get("type") == "url_verification":
            return response.text(str(body.get("challenge", "")), content_type="text/plain")
        event = body.get("event") or {}
        if (
            not is_user_message(body)
            or event.get("subtype") not in USER_SUBTYPES
            or not event.get("user")
        ):
            return response.text("")
        metadata = event_metadata(body)
        supported = (
            metadata["direct"]
            or event.get("type") == "app_mention"
            or (self.slack_channel and metadata["out_channel"] == self.slack_channel)
        )
        if not supported or not metadata["team"] or not metadata["out_channel"]:
            return response.text("")
        if self.recent is None:
            self.recent = recent_events()
        key = f"{metadata['team']}:{metadata['out_channel']}:{event.get('ts') or body.get('event_id')}"
        if self.recent.seen_before(key):
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        # user_text removes mentions (the bot's own and others), as Rasa does.
        text = slack_blocks.user_text(event["text"])
        self._start_turn(text, metadata, on_new_message)
        return response.text("")

    def _receive_action(self, payload: Dict[str, Any], on_new_message: Callable) -> HTTPResponse:
        user = (payload.get("user") or {}).get("id")
        value = button_value(payload)
        if payload.get("type") != "block_actions" or not user or value is None:
            return response.text("")  # link buttons and other components: nothing to do
        metadata = action_metadata(payload)
        if not metadata["team"] or not metadata["out_channel"]:
            return response.text("")
        self._start_turn(value, metadata, on_new_message, choice=_choice(payload))
        return response.text("")

    def _start_turn(
        self,
        text: str,
        metadata: Dict[str, Any],
        on_new_message: Callable,
        choice: Optional[Dict[str, Any]] = None,
    ) -> None:
        thread_id = metadata.get("thread_id") if self.use_threads else None
        output = self.get_output_channel(metadata.get("out_channel"), thread_id)
        sender_id = conversation_id(
            metadata["team"], metadata["out_channel"], metadata.get("thread_id"), metadata["direct"]
        )
        # Only where to answer is kept with the message; the user list is not needed.
        where = {k: metadata.get(k) for k in ("out_channel", "thread_id")}
        task = asyncio.create_task(
            self._turn(text, sender_id, output, on_new_message, where, choice)
        )
        self.turns.add(task)
        task.add_done_callback(self.turns.discard)

    async def _turn(
        self,
        text: str,
        sender_id: str,
        output: OutputChannel,
        on_new_message: Callable,
        metadata: Dict[str, Any],
        choice: Optional[Dict[str, Any]] = None,
    ) -> None:
        try:
            if choice and isinstance(output, SlackOutput):
                await output.show_choice(metadata.get("out_channel"), **choice)
            await handle_message(text, sender_id, output, on_new_message, self.name(), metadata)
        except Exception as error:  # noqa: BLE001 - a background task has no caller to tell
            logger.error("Slack-bericht niet verwerkt: %s.", type(error).__name__)
