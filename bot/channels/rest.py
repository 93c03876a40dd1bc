"""Rasa's REST channel, hardened: bad requests get a 4xx, every turn gets a reply.

- The body must be a JSON object with a text `sender` and a text `message`;
  anything else is refused with 400 (too large: 413), never a 500.
- Control characters are removed; an empty or very long message gets a short
  Dutch answer without reaching the NLU.
- When the assistant does not answer in time or answers nothing (for example
  because the action server is down), the user gets a Dutch message that points
  to Veilig Thuis. The conversation itself is kept, so it continues where it was.
"""

import asyncio
import json
import logging
import os
import unicodedata
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.content import load_protocol

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128
DEFAULT_REPLY_TIMEOUT_SECONDS = 8.0
HEALTH_TIMEOUT_SECONDS = 2.0
# Keep line breaks and tabs; drop other control characters (C0, C1, DEL).
_KEEP = {"\n", "\t"}


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) != "Cc").strip()


def reply_timeout() -> float:
    value = os.environ.get("REPLY_TIMEOUT_SECONDS", "").strip()
    return float(value) if value else DEFAULT_REPLY_TIMEOUT_SECONDS


_health: Dict[str, Any] = {"loop": None, "session": None}


def _health_session() -> aiohttp.ClientSession:
    """One session (and kept-alive connection) for the server's event loop; a new
    session per message opened a new connection every time (docs/benchmarks.md)."""
    loop = asyncio.get_running_loop()
    session = _health["session"]
    if _health["loop"] is not loop or session is None or session.closed:
        timeout = aiohttp.ClientTimeout(total=HEALTH_TIMEOUT_SECONDS)
        session = aiohttp.ClientSession(timeout=timeout)
        _health.update(loop=loop, session=session)
    return session


async def action_server_up() -> bool:
    """Asked before each message: with the action server down, Rasa would log the
    failure and go on, and the user would get follow-up buttons without steps."""
    url = os.environ.get("ACTION_SERVER_URL", "")
    if not url:
        return True
    health = url.rsplit("/webhook", 1)[0] + "/health"
    try:
        async with _health_session().get(health) as reply:
            return reply.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
        return False


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def parse_body(raw: bytes) -> Dict[str, Any]:
    """The validated request body; ValueError with a Dutch reason otherwise."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("De body is geen geldige JSON in UTF-8.") from error
    if not isinstance(body, dict):
        raise ValueError("De body moet een JSON-object zijn.")
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
        raise ValueError(f"'sender' moet tekst zijn van 1 tot {MAX_SENDER_CHARS} tekens.")
    if not isinstance(message, str):
        raise ValueError("'message' moet tekst zijn.")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise ValueError("'metadata' moet een JSON-object zijn.")
    return {"sender": sender, "message": message, "metadata": metadata}


class SafeRestInput(RestInput):
    """Same URL as Rasa's REST channel: /webhooks/rest/webhook."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safe_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return _error(413, f"Het verzoek is groter dan {MAX_BODY_BYTES} bytes.")
            try:
                body = parse_body(request.body or b"")
            except ValueError as error:
                return _error(400, str(error))
            texts = load_protocol().kanaal
            text = clean_text(body["message"])
            recipient = body["sender"]
            if not text:
                return response.json(_reply(recipient, texts["leeg"]))
            if len(text) > MAX_MESSAGE_CHARS:
                return response.json(_reply(recipient, texts["te_lang"]))
            if not await action_server_up():
                # The message is not handled at all, so the case stays as it was.
                logger.error("Actieserver niet bereikbaar; veilige melding gestuurd.")
                return response.json(_reply(recipient, texts["geen_antwoord"]))
            collector = CollectingOutputChannel()
            message = UserMessage(text, collector, recipient, input_channel=self.name(),
                                  metadata=body["metadata"])
            try:
                await asyncio.wait_for(on_new_message(message), timeout=reply_timeout())
            except asyncio.TimeoutError:
                logger.error("Geen antwoord binnen %s s; veilige melding gestuurd.", reply_timeout())
            except Exception as error:  # noqa: BLE001 - the user always gets an answer
                logger.error("Bericht niet verwerkt: %s", type(error).__name__)
            return response.json(collector.messages or _reply(recipient, texts["geen_antwoord"]))

        return webhook


def _reply(recipient: str, text: str) -> List[Dict[str, Optional[str]]]:
    return [{"recipient_id": recipient, "text": text}]
