"""Local stand-ins for Microsoft's side of Teams, on loopback.

One aiohttp app in a thread serves:
- the token endpoint   POST /{tenant}/oauth2/v2.0/token   (TEAMS_LOGIN_URL = url)
- OpenID metadata      GET  /openid                       (TEAMS_OPENID_METADATA_URL)
- the signing keys     GET  /keys  (JWKS with `endorsements`, like login.botframework.com)
- the Bot Connector    POST /v3/conversations/{id}/activities[/{activity id}]
It records every request, and `sign` makes Bot Connector tokens with its RSA key.
"""

import asyncio
import json
import threading
import time
import uuid
from typing import Any, Callable, Dict, List, Optional

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.channels.teams.auth import BOT_FRAMEWORK_ISSUER

APP_ID = "00000000-1111-2222-3333-444444444444"
TENANT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
APP_PASSWORD = "stub-geheim"
KEY_ID = "stub-key-1"
WAIT_SECONDS = 90


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str, endorsements: List[str]) -> Dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "endorsements": endorsements}


class TeamsStubs:
    def __init__(self, token_lifetime: int = 3600) -> None:
        self.key = new_key()
        self.token_lifetime = token_lifetime
        self.token_requests: List[Dict[str, Any]] = []
        self.key_requests = 0
        self.activities: List[Dict[str, Any]] = []  # {"path", "authorization", "body"}
        self.connector_status = 200
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.url = ""

    # --- the stubbed services ---

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({"tenant": request.match_info["tenant"], **form})
        if form.get("client_secret") != APP_PASSWORD or form.get("client_id") != APP_ID:
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "access_token": f"stub-token-{len(self.token_requests)}",
            }
        )

    async def _openid(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": BOT_FRAMEWORK_ISSUER,
                "jwks_uri": f"{self.url}/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.key_requests += 1
        return web.json_response({"keys": [public_jwk(self.key, KEY_ID, ["msteams"])]})

    async def _connector(self, request: web.Request) -> web.Response:
        self.activities.append(
            {
                "path": request.raw_path,
                "authorization": request.headers.get("Authorization"),
                "body": await request.json(),
            }
        )
        return web.json_response({"id": uuid.uuid4().hex}, status=self.connector_status)

    # --- lifecycle ---

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/openid", self._openid)
        app.router.add_get("/keys", self._keys)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._connector)
        app.router.add_post(
            "/v3/conversations/{conversation}/activities/{activity}", self._connector
        )
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> "TeamsStubs":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)
        return self

    def __exit__(self, *exc) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/openid"

    def env(self) -> Dict[str, str]:
        """The settings that point the assistant at these stubs."""
        return {
            "TEAMS_APP_ID": APP_ID,
            "TEAMS_APP_PASSWORD": APP_PASSWORD,
            "TEAMS_TENANT_ID": TENANT_ID,
            "TEAMS_LOGIN_URL": self.url,
            "TEAMS_OPENID_METADATA_URL": self.metadata_url,
        }

    # --- helpers for tests ---

    def sign(
        self, key: Optional[rsa.RSAPrivateKey] = None, kid: str = KEY_ID, **claims: Any
    ) -> str:
        """A Bot Connector token; claims override the valid defaults (None drops one)."""
        now = int(time.time())
        body = {
            "iss": BOT_FRAMEWORK_ISSUER,
            "aud": APP_ID,
            "nbf": now - 10,
            "iat": now - 10,
            "exp": now + 3600,
            "serviceurl": self.url,
        }
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": kid})

    def wait_for(self, condition: Callable[[List[Dict[str, Any]]], bool]) -> List[Dict[str, Any]]:
        """The recorded activities once `condition` holds (the bot answers in the background)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            snapshot = list(self.activities)
            if condition(snapshot):
                return snapshot
            time.sleep(0.2)
        raise AssertionError(
            f"de Bot Connector-stub kreeg niet het verwachte antwoord: {self.activities}"
        )


def channel_message(
    stubs: TeamsStubs, text: str, conversation_id: str, **extra: Any
) -> Dict[str, Any]:
    """A Teams channel message as the Bot Connector posts it, mention included."""
    return {
        "type": "message",
        "id": f"1700000000{uuid.uuid4().int % 1000:03d}",
        "timestamp": "2026-11-28T20:00:00.000Z",
        "serviceUrl": stubs.url,
        "channelId": "msteams",
        "from": {
            "id": "29:1a2b3c",
            "name": "Jan Jansen",
            "aadObjectId": "0f0f0f0f-1111-2222-3333-444444444444",
        },
        "conversation": {
            "id": conversation_id,
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": TENANT_ID,
        },
        "recipient": {"id": f"28:{APP_ID}", "name": "Meldcode"},
        "textFormat": "plain",
        "text": text,
        "entities": [
            {
                "type": "mention",
                "text": "<at>Meldcode</at>",
                "mentioned": {"id": f"28:{APP_ID}", "name": "Meldcode"},
            }
        ],
        "channelData": {"tenant": {"id": TENANT_ID}, "teamsChannelId": "19:kanaal@thread.tacv2"},
        **extra,
    }
