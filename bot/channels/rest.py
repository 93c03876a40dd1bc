"""Rasa's REST channel, hardened: bad requests get a 4xx, every turn gets a reply.

The body must be a JSON object with a text `sender` and a text `message`;
anything else is refused with 400 (too large: 413), never a 500. The message
itself goes through `bot.channels.guard`, like every other channel.
"""

import json
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import handle_message, webhook_blueprint

MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128


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
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return _error(413, f"Het verzoek is groter dan {MAX_BODY_BYTES} bytes.")
            try:
                body = parse_body(request.body or b"")
            except ValueError as error:
                return _error(400, str(error))
            collector = CollectingOutputChannel()
            await handle_message(
                body["message"],
                body["sender"],
                collector,
                on_new_message,
                self.name(),
                body["metadata"],
            )
            return response.json(collector.messages)

        return webhook_blueprint("safe_rest_webhook", receive)
