"""Bot Framework authentication for the Teams channel, without blocking the event loop.

- `TokenProvider`: the bot's own access token for the Bot Connector service,
  fetched with client credentials from the bot's own tenant (single-tenant
  bots; Rasa's connector only knows the multi-tenant `botframework.com` tenant),
  cached until shortly before it expires, one refresh at a time.
- `JwtValidator`: checks the token that the Bot Connector sends with every
  activity: RS256 signature with a key from the Bot Framework OpenID metadata,
  issuer, audience (our app id), validity, the key's channel endorsement and
  the `serviceurl` claim. Single-tenant bots receive the same tokens: the
  Bot Connector always signs with the botframework.com keys.

Reference: learn.microsoft.com, "Authentication with the Bot Connector API".
"""

import asyncio
import json
import logging
import re
import time
from typing import Any, Callable, Dict, Optional

import aiohttp
import jwt

logger = logging.getLogger(__name__)

# What a call to a Microsoft service can raise: network, timeout, or an answer
# that is not the JSON we expect. Every such call catches exactly these.
REMOTE_ERRORS = (
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
    ValueError,
    KeyError,
    TypeError,
)

DEFAULT_LOGIN_URL = "https://login.microsoftonline.com"
DEFAULT_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"

HTTP_TIMEOUT_SECONDS = 10.0
# Renew this long before the token expires: a reply must never go out with a
# token that expires on the way.
TOKEN_RENEW_MARGIN_SECONDS = 300.0
# Microsoft's documented clock skew for the validity of inbound tokens.
LEEWAY_SECONDS = 300
# The signing keys change rarely; Microsoft's SDKs keep them for days.
KEYS_TTL_SECONDS = 24 * 3600.0
# An unknown key id triggers a refresh, but not more often than this, so that
# forged tokens with random key ids cannot make us hammer the key endpoint.
KEYS_MIN_REFRESH_SECONDS = 300.0
# Microsoft signs with RS256; its SDKs accept these three.
ALGORITHMS = ["RS256", "RS384", "RS512"]
# The claim with the Bot Connector's address. Microsoft's SDKs read "serviceurl";
# the REST documentation writes "serviceUrl".
SERVICE_URL_CLAIMS = ("serviceurl", "serviceUrl")
# A tenant is a GUID or a domain name; it goes into a URL.
# Only a GUID: a domain name cannot be compared with the tenant id in an activity.
_TENANT = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


class TeamsAuthError(Exception):
    """An inbound request is not from the Bot Connector. `status` is the HTTP answer."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class TeamsConfigError(ValueError):
    """A Teams setting is unusable; the message names the variable."""


def check_tenant(tenant_id: str) -> str:
    tenant_id = (tenant_id or "").strip()
    if not _TENANT.match(tenant_id):
        raise TeamsConfigError(
            "TEAMS_TENANT_ID moet de tenant-id (Directory ID) van uw organisatie zijn: een GUID "
            "zoals 72f988bf-86f1-41af-91ab-2d7cd011db47, geen domeinnaam. U vindt hem in "
            "Azure Portal > Microsoft Entra ID > Overzicht."
        )
    return tenant_id


async def _fetch_json(session: aiohttp.ClientSession, method: str, url: str, **kwargs) -> Dict:
    async with session.request(method, url, **kwargs) as reply:
        if reply.status != 200:
            raise aiohttp.ClientResponseError(reply.request_info, (), status=reply.status)
        body = json.loads(await reply.text())
        if not isinstance(body, dict):
            raise ValueError("antwoord is geen JSON-object")
        return body


def _timeout() -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=HTTP_TIMEOUT_SECONDS)


class TokenProvider:
    """The bot's access token for the Bot Connector service, cached."""

    def __init__(
        self,
        app_id: str,
        app_password: str,
        tenant_id: str,
        login_url: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app_id = app_id
        self.app_password = app_password
        base = (login_url or DEFAULT_LOGIN_URL).rstrip("/")
        self.url = f"{base}/{check_tenant(tenant_id)}/oauth2/v2.0/token"
        self._clock = clock
        self._token: Optional[str] = None
        self._renew_at = 0.0
        self._lock: Optional[asyncio.Lock] = None  # made inside the server's event loop

    def invalidate(self) -> None:
        """After a 401 from the Bot Connector: the next call fetches a new token."""
        self._token = None

    async def token(self) -> str:
        if self._token and self._clock() < self._renew_at:
            return self._token
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            # Others waited for the same refresh; the first one did it.
            if self._token and self._clock() < self._renew_at:
                return self._token
            self._token, lifetime = await self._fetch()
            margin = min(TOKEN_RENEW_MARGIN_SECONDS, lifetime / 2)
            self._renew_at = self._clock() + lifetime - margin
            return self._token

    async def _fetch(self):
        form = {
            "grant_type": "client_credentials",
            "client_id": self.app_id,
            "client_secret": self.app_password,
            "scope": BOT_FRAMEWORK_SCOPE,
        }
        try:
            async with aiohttp.ClientSession(timeout=_timeout()) as session:
                body = await _fetch_json(session, "POST", self.url, data=form)
            token, lifetime = body["access_token"], float(body["expires_in"])
        except REMOTE_ERRORS as error:
            # The status says enough (401: wrong secret, 400: wrong tenant or app id).
            status = getattr(error, "status", None)
            logger.error(
                "Teams: geen token van het Microsoft-loginendpoint (%s%s).",
                type(error).__name__,
                f", HTTP {status}" if status else "",
            )
            raise
        if not isinstance(token, str) or not token or lifetime <= 0:
            raise ValueError("onbruikbaar token-antwoord")
        return token, lifetime


class JwtValidator:
    """Validates the Authorization header of requests from the Bot Connector."""

    def __init__(
        self,
        app_id: str,
        metadata_url: str = "",
        issuer: str = BOT_FRAMEWORK_ISSUER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app_id = app_id
        self.metadata_url = metadata_url or DEFAULT_OPENID_METADATA_URL
        self.issuer = issuer
        self._clock = clock
        self._keys: Dict[str, Dict[str, Any]] = {}
        self._fetched_at: Optional[float] = None
        self._lock: Optional[asyncio.Lock] = None

    async def validate(
        self, authorization: Optional[str], service_url: Any, channel_id: Any
    ) -> Dict[str, Any]:
        """The token's claims; TeamsAuthError (401 or 403) when anything is off."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise TeamsAuthError("geen Bearer-token", status=401)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TeamsAuthError("token onleesbaar", status=401) from error
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS:
            raise TeamsAuthError("verkeerd algoritme")
        key = await self._key(str(header.get("kid", "")))
        endorsements = key.get("endorsements")
        if isinstance(endorsements, list) and channel_id not in endorsements:
            raise TeamsAuthError("sleutel niet bekrachtigd voor dit kanaal")
        try:
            claims = jwt.decode(
                token,
                jwt.PyJWK(key, algorithm=algorithm).key,
                algorithms=[algorithm],
                audience=self.app_id,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise TeamsAuthError(f"token ongeldig ({type(error).__name__})") from error
        claimed = next((claims[c] for c in SERVICE_URL_CLAIMS if claims.get(c)), "")
        # The activity body is not signed: only the claim proves where replies may go.
        if (
            not isinstance(service_url, str)
            or not isinstance(claimed, str)
            or not claimed
            or claimed.rstrip("/") != service_url.rstrip("/")
        ):
            raise TeamsAuthError("serviceUrl klopt niet met het token")
        return claims

    async def _key(self, kid: str) -> Dict[str, Any]:
        now = self._clock()
        stale = self._fetched_at is None or now - self._fetched_at > KEYS_TTL_SECONDS
        may_refresh = self._fetched_at is None or now - self._fetched_at > KEYS_MIN_REFRESH_SECONDS
        if stale or (kid not in self._keys and may_refresh):
            await self._refresh()
        if kid not in self._keys:
            raise TeamsAuthError("onbekende sleutel")
        return self._keys[kid]

    async def _refresh(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        started = self._clock()
        async with self._lock:
            if self._fetched_at is not None and self._fetched_at >= started:
                return  # refreshed while we waited
            try:
                async with aiohttp.ClientSession(timeout=_timeout()) as session:
                    metadata = await _fetch_json(session, "GET", self.metadata_url)
                    jwks = await _fetch_json(session, "GET", str(metadata["jwks_uri"]))
                keys = {
                    str(k["kid"]): k
                    for k in jwks["keys"]
                    if isinstance(k, dict) and k.get("kty") == "RSA" and "kid" in k
                }
            except REMOTE_ERRORS as error:
                logger.error(
                    "Teams: sleutels van de Bot Framework niet opgehaald (%s).",
                    type(error).__name__,
                )
                if self._keys:
                    # Keep the old keys (Microsoft rotates slowly); try again later.
                    self._fetched_at = self._clock() - KEYS_TTL_SECONDS + KEYS_MIN_REFRESH_SECONDS
                    return
                raise TeamsAuthError("sleutels niet beschikbaar", status=503) from error
            self._keys, self._fetched_at = keys, self._clock()
