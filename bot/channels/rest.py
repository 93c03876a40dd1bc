"""Rasa's REST channel, hardened: bad requests get a 4xx, every turn gets a reply.

Two routes for clients (the web widget, an intranet portal):
- POST /webhooks/rest/session answers {"sender": "<signed id>"}: a new
  conversation, issued and signed by this server (bot.channels.sessions);
- POST /webhooks/rest/webhook with {"sender": <that value>, "message": "..."}.
A sender this server did not sign is refused with 401/403, so a REST client
can never read or change a Slack, Teams or other web conversation.

The body must be a JSON object with a text `sender` and a text `message`;
anything else is refused with 400 (too large: 413), never a 500. `metadata`
is not passed on: it would be stored as sent. Too many requests per minute
from one address or in one conversation get 429. The message itself goes
through `bot.channels.guard`, like every other channel.
"""

import json
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import rate_limit, sessions
from bot.channels.guard import RATE_LIMITED, handle_message, webhook_blueprint
from bot.content import load_protocol

MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def _texts() -> Dict[str, str]:
    return load_protocol().channel_texts


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
    # Metadata is checked for shape only and then dropped: Rasa would store it as sent.
    return {"sender": sender, "message": message}


class SafeRestInput(RestInput):
    """Same URL as Rasa's REST channel: /webhooks/rest/webhook."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        async def new_session(request: Request) -> HTTPResponse:
            return await self.new_session(request)

        # Sanic marks each handler with its blueprint: a function, not a bound method.
        blueprint = webhook_blueprint("safe_rest_webhook", receive)
        blueprint.add_route(new_session, "/session", methods=["POST"])
        return blueprint

    async def new_session(self, request: Request) -> HTTPResponse:
        """POST /webhooks/rest/session: a new conversation, signed by this server."""
        if not rate_limit.limiter("address").allow(rate_limit.client_address(request)):
            return _error(429, _texts()["te_veel"])
        return response.json({"sender": sessions.signer().issue()})

    async def receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """POST /webhooks/rest/webhook: one message in a signed conversation."""
        if len(request.body or b"") > MAX_BODY_BYTES:
            return _error(413, f"Het verzoek is groter dan {MAX_BODY_BYTES} bytes.")
        if not rate_limit.limiter("address").allow(rate_limit.client_address(request)):
            return _error(429, _texts()["te_veel"])
        try:
            body = parse_body(request.body or b"")
        except ValueError as error:
            return _error(400, str(error))
        try:
            conversation = sessions.signer().conversation_id(body["sender"])
        except sessions.SessionRefused as refused:
            return _error(refused.status, _texts()[refused.text_key])
        collector = CollectingOutputChannel()
        outcome = await handle_message(
            body["message"], conversation, collector, on_new_message, self.name()
        )
        status = 429 if outcome == RATE_LIMITED else 200
        return response.json(collector.messages, status=status)
