"""The same safe handling of a user's message for every channel.

REST, the web widget, Teams and Slack all pass the text through `handle_message`:
- control characters are removed; an empty or very long message gets a short
  Dutch answer without reaching the NLU;
- more than RATE_LIMIT_PER_CONVERSATION messages a minute in one conversation
  get a short Dutch answer without the NLU (REST answers it with status 429);
- when the action server is down, too slow or fails, the user gets a Dutch
  message that points to Veilig Thuis. A message refused because the action
  server is down is not processed, so the case continues where it was.
"""

import asyncio
import logging
import time
import unicodedata
from typing import Any, Awaitable, Callable, Dict, Optional
from urllib.parse import urlsplit

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.channels import rate_limit
from bot.content import load_protocol

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
# handle_message's outcome when the conversation sent too many messages.
RATE_LIMITED = "rate_limited"
HANDLED = "handled"
HEALTH_TIMEOUT_SECONDS = 2.0
# Keep line breaks and tabs; drop other control characters (C0, C1, DEL).
_KEEP = {"\n", "\t"}


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) != "Cc").strip()


def reply_timeout() -> float:
    return settings.reply_timeout_seconds()


# How long a successful /health answer is trusted. A probe connection that
# stays open meanwhile shows the action server still runs: when its process
# stops, the connection closes and the next message asks /health again.
HEALTH_REMEMBERED_SECONDS = 3.0

_health: Dict[str, Any] = {
    "loop": None,
    "session": None,
    "probe": None,
    "probe_url": None,
    "up_until": 0.0,
}


def _health_session() -> aiohttp.ClientSession:
    """One session (and kept-alive connection) for the server's event loop; a new
    session per message opened a new connection every time (docs/benchmarks.md)."""
    loop = asyncio.get_running_loop()
    session = _health["session"]
    if _health["loop"] is not loop or session is None or session.closed:
        timeout = aiohttp.ClientTimeout(total=HEALTH_TIMEOUT_SECONDS)
        session = aiohttp.ClientSession(timeout=timeout)
        _health.update(loop=loop, session=session, probe=None, up_until=0.0)
    return session


def _remembered_up(health_url: str) -> bool:
    """A recent /health of this URL said up and the probe connection is still open."""
    probe = _health["probe"]
    if probe is None or _health["probe_url"] != health_url:
        return False
    if time.monotonic() >= _health["up_until"]:
        return False
    reader, writer = probe
    return not (reader.at_eof() or writer.is_closing())


async def _open_probe(health_url: str) -> None:
    """Replaces the probe connection; without one nothing is remembered."""
    forget_health()
    parts = urlsplit(health_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        probe = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, port), HEALTH_TIMEOUT_SECONDS
        )
    except (OSError, asyncio.TimeoutError):
        return
    _health.update(
        probe=probe, probe_url=health_url, up_until=time.monotonic() + HEALTH_REMEMBERED_SECONDS
    )


def forget_health() -> None:
    """The next message asks /health again."""
    probe = _health["probe"]
    if probe is not None:
        probe[1].close()
    _health.update(probe=None, up_until=0.0)


async def action_server_up() -> bool:
    """Checked before each message: with the action server down, Rasa would log the
    failure and go on, and the user would get follow-up buttons without steps.
    A successful answer is remembered for HEALTH_REMEMBERED_SECONDS."""
    url = settings.action_server_url()
    if not url:
        return True
    health = url.rsplit("/webhook", 1)[0] + "/health"
    session = _health_session()
    if _remembered_up(health):
        return True
    try:
        async with session.get(health) as reply:
            up = reply.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
        up = False
    if up:
        await _open_probe(health)
    else:
        forget_health()
    return up


def webhook_blueprint(
    name: str, receive: Callable[[Request], Awaitable[HTTPResponse]]
) -> Blueprint:
    """The two routes every channel has: GET / for health checks (load
    balancers, Kubernetes probes) and POST /webhook for the channel's messages."""
    webhook = Blueprint(name, __name__)

    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    webhook.add_route(health, "/", methods=["GET"])
    webhook.add_route(receive, "/webhook", methods=["POST"])
    return webhook


class CountingOutput(OutputChannel):
    """Passes every reply on to the channel's own output and counts them, so
    that a turn that produced nothing still gets the safe message."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # noqa: D102 - responses per channel keep working
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


async def handle_message(
    text: str,
    sender_id: str,
    output: OutputChannel,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    input_channel: str,
    metadata: Optional[Dict[str, Any]] = None,
) -> str:
    """Runs one turn; every path sends the user at least one message.

    Returns RATE_LIMITED when the conversation is over its limit, else HANDLED."""
    texts = load_protocol().channel_texts
    if not rate_limit.limiter("conversation").allow(sender_id):
        await output.send_text_message(sender_id, texts["te_veel"])
        return RATE_LIMITED
    text = clean_text(text)
    if not text:
        await output.send_text_message(sender_id, texts["leeg"])
        return HANDLED
    if len(text) > MAX_MESSAGE_CHARS:
        await output.send_text_message(sender_id, texts["te_lang"])
        return HANDLED
    if not await action_server_up():
        logger.error("Actieserver niet bereikbaar; veilige melding gestuurd.")
        await output.send_text_message(sender_id, texts["geen_antwoord"])
        return HANDLED
    counting = CountingOutput(output)
    message = UserMessage(text, counting, sender_id, input_channel=input_channel, metadata=metadata)
    try:
        await asyncio.wait_for(on_new_message(message), timeout=reply_timeout())
    except asyncio.TimeoutError:
        logger.error("Geen antwoord binnen %s s; veilige melding gestuurd.", reply_timeout())
    except Exception as error:  # noqa: BLE001 - the user always gets an answer
        logger.error("Bericht niet verwerkt: %s", type(error).__name__)
    if counting.sent == 0:
        await output.send_text_message(sender_id, texts["geen_antwoord"])
    return HANDLED
