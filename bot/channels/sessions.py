"""Server-issued, signed conversation ids for the web widget and REST clients.

Rasa finds a conversation by its id alone, whatever the channel. So a REST
client never chooses its own id: it asks `POST /webhooks/rest/session` for one
and sends that value as `sender`. The value is `web.<issued>.<random>.<hmac>`;
the conversation is stored as `web:<random>` (the signature is not stored).
Without the secret nobody can make a valid value, so a REST request cannot
reach a Slack (`slack:`), Teams (`teams:`) or another web conversation.

The secret is WEB_SESSION_SECRET from .env; without it one is generated on
first use and kept in data/local (git-ignored), readable by its owner only.
"""

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from bot import settings

PREFIX = "web"
SECRET_FILE_NAME = "web-session-secret"
MIN_SECRET_CHARS = settings.MIN_SESSION_SECRET_CHARS
_SIGNATURE_HEX_CHARS = 32


class SessionRefused(Exception):
    """A sender that is not a valid session; `status` is 401 or 403, `text_key`
    names the Dutch message in the `kanaal` texts of the content file."""

    def __init__(self, status: int, text_key: str) -> None:
        super().__init__(text_key)
        self.status = status
        self.text_key = text_key


def _secret_file() -> Path:
    return settings.LOCAL_DATA_DIR / SECRET_FILE_NAME


def load_secret() -> bytes:
    """WEB_SESSION_SECRET, or the generated one in data/local (made on first use)."""
    configured = settings.web_session_secret()
    if configured:
        return configured.encode("utf-8")
    path = _secret_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting at once keep one secret, not two.
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(secrets.token_hex(32))
    value = path.read_text(encoding="utf-8").strip()
    if len(value) < MIN_SECRET_CHARS:
        raise settings.SettingsError(f"{path} bevat geen geldig geheim; verwijder het bestand.")
    return value.encode("utf-8")


@dataclass
class SessionSigner:
    secret: bytes
    max_age: int
    clock: Callable[[], float] = time.time

    @classmethod
    def from_settings(cls) -> "SessionSigner":
        return cls(load_secret(), settings.web_session_max_age_seconds())

    def _signature(self, issued: str, session: str) -> str:
        message = f"{PREFIX}.{issued}.{session}".encode("ascii")
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:_SIGNATURE_HEX_CHARS]

    def issue(self) -> str:
        """A new signed sender value for a new conversation."""
        issued, session = str(int(self.clock())), secrets.token_urlsafe(18)
        return f"{PREFIX}.{issued}.{session}.{self._signature(issued, session)}"

    def conversation_id(self, sender: str) -> str:
        """The stored conversation id of a signed sender; SessionRefused otherwise."""
        parts = sender.split(".")
        if len(parts) != 4 or parts[0] != PREFIX or not parts[1].isdigit():
            raise SessionRefused(401, "sessie_ontbreekt")
        _, issued, session, signature = parts
        if not hmac.compare_digest(signature, self._signature(issued, session)):
            raise SessionRefused(403, "sessie_onjuist")
        if self.clock() - int(issued) > self.max_age:
            raise SessionRefused(401, "sessie_verlopen")
        return f"{PREFIX}:{session}"


_signer: Optional[SessionSigner] = None


def signer() -> SessionSigner:
    """The process's signer, made on first use (never at import)."""
    global _signer
    if _signer is None:
        _signer = SessionSigner.from_settings()
    return _signer
