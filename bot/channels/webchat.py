"""The intranet web widget: serves its static files and a demo page.

The widget (plain JavaScript and CSS, no build step, no CDN) talks to the
hardened REST channel, /webhooks/rest/webhook, so every message takes the same
safe path (bot.channels.guard). This channel only serves files:

    /webhooks/webchat/            demo page (an intranet page with the widget)
    /webhooks/webchat/widget.js   the widget, with its Dutch texts in front
    /webhooks/webchat/widget.css  its style sheet

An intranet page embeds it with one tag (its origin must be in CORS_ORIGINS):
    <script src="https://assistent.intern/webhooks/webchat/widget.js" defer></script>
Only the files named in FILES are served: no path from a request ever reaches
the file system.
"""

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

import yaml
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "webchat_static"
TEXTS_FILE = Path(__file__).resolve().parent.parent / "content" / "webwidget.yml"
URL_PATH = "/webhooks/webchat/"

# name in the URL -> (file in STATIC_DIR, content type)
FILES: Dict[str, Tuple[str, str]] = {
    "": ("index.html", "text/html; charset=utf-8"),
    "index.html": ("index.html", "text/html; charset=utf-8"),
    "widget.js": ("widget.js", "application/javascript; charset=utf-8"),
    "widget.css": ("widget.css", "text/css; charset=utf-8"),
    "demo.css": ("demo.css", "text/css; charset=utf-8"),
}

# Keys the widget uses; a missing or empty one stops the start (see load_texts).
TEXT_KEYS = (
    "regio_label",
    "open_knop",
    "titel",
    "sluiten",
    "nieuw_gesprek",
    "welkom",
    "privacy",
    "gesprek_label",
    "invoer_label",
    "invoer_hint",
    "verstuur",
    "bezig",
    "afzender_u",
    "afzender_assistent",
    "stappen_label",
    "stappen_uitleg",
    "bron",
    "offline",
    "opnieuw_versturen",
    "weer_online",
    "fout",
    "nieuw_gesprek_gestart",
    "agenda_download",
    "vt_regio_kop",
    "verslag_kop",
    "kopieer",
    "gekopieerd",
    "kopieer_mislukt",
)

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Files change with a new version of the assistant; revalidate after 5 min.
    "Cache-Control": "public, max-age=300",
}
# Only the demo page gets a CSP; intranet pages set their own.
DEMO_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class WebchatTextError(Exception):
    """The widget text file is missing a text; the message names it."""


@lru_cache(maxsize=4)
def load_texts(path: Path = TEXTS_FILE) -> Dict[str, str]:
    """The widget's Dutch texts, checked once: every key of TEXT_KEYS, non-empty."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise WebchatTextError(f"{path}: niet te lezen ({type(error).__name__})") from error
    if not isinstance(raw, dict):
        raise WebchatTextError(f"{path}: verwacht een lijst met teksten (sleutel: tekst)")
    texts = {}
    for key in TEXT_KEYS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise WebchatTextError(f"{path}: tekst '{key}' ontbreekt of is leeg")
        texts[key] = " ".join(value.split())
    return texts


def widget_script(texts: Dict[str, str]) -> bytes:
    """widget.js with its texts in front, so the widget needs one request only."""
    # json.dumps escapes quotes; "<" is escaped too in case a page inlines it.
    data = json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")
    code = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    return f"window.MeldcodeWidgetTeksten = {data};\n{code}".encode()


def static_file(name: str, texts: Dict[str, str]) -> Optional[Tuple[bytes, str]]:
    """Body and content type of a known file; None for any other name."""
    known = FILES.get(name)
    if known is None:
        return None
    filename, content_type = known
    if filename == "widget.js":
        return widget_script(texts), content_type
    return (STATIC_DIR / filename).read_bytes(), content_type


def demo_url(app: Any) -> str:
    state = app.state
    host = state.host if state.host not in (None, "0.0.0.0", "::") else "localhost"
    scheme = "https" if state.ssl is not None else "http"
    return f"{scheme}://{host}:{state.port}{URL_PATH}"


class WebchatInput(InputChannel):
    """Serves the widget; its messages go through the REST channel."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    def __init__(self, texts_file: Path = TEXTS_FILE) -> None:
        texts = load_texts(texts_file)  # fails at start, not on first visit
        # The widget tells the truth: the server keeps a redacted copy this long.
        days = str(settings.retention_days())
        self.texts = {**texts, "privacy": texts["privacy"].replace("{dagen}", days)}

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "InputChannel":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_widget", __name__)

        @webchat.listener("after_server_start")
        async def announce(app, _loop) -> None:
            # Printed, not only logged: `make run` users look for this line.
            print(f"Webwidget (demopagina): {demo_url(app)}", flush=True)

        @webchat.route("/", methods=["GET"])
        async def demo(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):
                # The page loads widget.js relative to its own address.
                return response.redirect(request.path + "/", headers=dict(HEADERS))
            return self._serve("")

        @webchat.route("/<name:str>", methods=["GET"])
        async def files(request: Request, name: str) -> HTTPResponse:
            return self._serve(name)

        return webchat

    def _serve(self, name: str) -> HTTPResponse:
        found = static_file(name, self.texts)
        if found is None:
            return response.text("Niet gevonden.", status=404, headers=dict(HEADERS))
        body, content_type = found
        headers = dict(HEADERS)
        if content_type.startswith("text/html"):
            headers["Content-Security-Policy"] = DEMO_CSP
        return response.raw(body, content_type=content_type, headers=headers)
