"""Teams activities in and out: user text from an activity, replies as activities.

In: Teams puts `<at>Bot</at>` in channel messages (and `<at>Name</at>` for
other people). All mentions are removed, so neither the bot's name nor a
colleague's name reaches the NLU or the tracker store. A button click comes
back with `value.payload`.

Out: a message with steps (`vervolgstappen` payload) becomes an Adaptive Card
(version 1.4, the highest Teams renders everywhere) with a title, the numbered
steps each with "Bron: ...", and the closing line; a message with buttons a
card with Action.Submit (messageBack) buttons; other text a plain message.
Text goes into RichTextBlock/TextRun (no Markdown) and plain messages are sent
with textFormat "plain", so nothing in a text is read as markup. Every card
has the readable text as fallback (`fallbackText`, `summary`).
"""

import html
import re
from typing import Any, Dict, List, Optional

from bot.contract import PAYLOAD_TYPE
from bot.render import SOURCE_LABEL, steps_text
from bot.verslag import PAYLOAD_TYPE as NOTE_TYPE

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
MAX_SUMMARY_CHARS = 100

_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


def strip_mentions(text: str, entities: Optional[List[Any]] = None) -> str:
    """The text without any `<at>…</at>` mention, HTML entities decoded."""
    for entity in entities or []:
        # The entity names the exact mention text; remove it even if it is odd markup.
        if isinstance(entity, dict) and entity.get("type") == "mention":
            mention = entity.get("text")
            if isinstance(mention, str) and mention:
                text = text.replace(mention, " ")
    text = _MENTION.sub(" ", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def incoming_text(activity: Dict[str, Any]) -> str:
    """What the user said or clicked; "" when there is nothing."""
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("payload"), str):
        return value["payload"]
    text = activity.get("text")
    return strip_mentions(text, activity.get("entities")) if isinstance(text, str) else ""


def sender_id(activity: Dict[str, Any], tenant_id: str) -> str:
    """`teams:<tenant>:<id>`: the prefix keeps other channels out of Teams
    conversations (bot.channels.sessions). Pseudonymous ids only: in a personal
    chat the user's AAD object id (or Teams id), in a channel or group chat the
    conversation (thread), because the bot answers there for everyone. Never
    the display name."""
    conversation = activity.get("conversation") or {}
    sender = activity.get("from") or {}
    if conversation.get("conversationType") in ("channel", "groupChat") and conversation.get("id"):
        own = str(conversation["id"])
    else:
        own = str(sender.get("aadObjectId") or sender.get("id") or conversation.get("id") or "")
    return f"teams:{tenant_id}:{own}"


def _run(text: str, **style: Any) -> Dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def _paragraphs(text: str, **style: Any) -> List[Dict[str, Any]]:
    return [_run(line, **style) for line in text.splitlines() if line.strip()]


def _button(button: Dict[str, Any]) -> Dict[str, Any]:
    title = str(button.get("title", ""))
    return {
        "type": "Action.Submit",
        "title": title,
        # messageBack: the chat shows the title as the user's message, the bot gets `value`.
        "data": {
            "payload": str(button.get("payload", "")),
            "msteams": {"type": "messageBack", "displayText": title},
        },
    }


def _card(body: List[Dict[str, Any]], text: str, buttons: List[Dict[str, Any]]) -> Dict[str, Any]:
    card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": text,
        "body": body,
    }
    if buttons:
        card["actions"] = [_button(b) for b in buttons]
    return card


def steps_card(
    text: str, payload: Dict[str, Any], buttons: Optional[List[Dict[str, Any]]] = None
) -> Dict[str, Any]:
    """The `vervolgstappen` payload as a card: title, numbered steps with source,
    closing line, all from the payload's own fields; `text` is only the fallback."""
    steps = [s for s in payload.get("stappen", []) if isinstance(s, dict)]
    title = str(payload.get("titel") or "").strip()
    closing = str(payload.get("afsluiting") or "").strip()
    body = [_run(title, weight="Bolder", size="Medium")] if title else []
    for number, step in enumerate(steps, 1):
        body.append(
            {
                "type": "ColumnSet",
                "spacing": "Medium",
                "columns": [
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [_run(f"{number}.", weight="Bolder")],
                    },
                    {
                        "type": "Column",
                        "width": "stretch",
                        "items": [
                            _run(str(step.get("tekst", ""))),
                            _run(
                                f"{SOURCE_LABEL}: {step.get('bron', '')}",
                                isSubtle=True,
                                size="Small",
                            ),
                        ],
                    },
                ],
            }
        )
    region = str(payload.get("regio_tekst") or "").strip()
    if region:
        # A move: the Veilig Thuis-regio (CBS), set apart under the steps.
        body.append(
            {
                "type": "Container",
                "style": "emphasis",
                "spacing": "Medium",
                "items": _paragraphs(region),
            }
        )
    if closing:
        body.append({**_run(closing, isSubtle=True), "spacing": "Medium", "separator": True})
    return _card(body, text, buttons or [])


def note_card(payload: Dict[str, Any]) -> Dict[str, Any]:
    """The note for the dossier: its first line as the heading, every line kept."""
    lines = payload["tekst"].splitlines()
    body = [_run(lines[0], weight="Bolder", size="Medium")] if lines else []
    # TextRuns show text as it is (no Markdown), so "- [ ]" stays a checkbox line.
    body += [{**_run(line), "spacing": "None"} for line in lines[1:] if line.strip()]
    return _card(body, payload["tekst"], [])


def _summary(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= MAX_SUMMARY_CHARS else first[: MAX_SUMMARY_CHARS - 1] + "…"


def _with_card(card: Dict[str, Any], text: str) -> Dict[str, Any]:
    return {
        "type": "message",
        "summary": _summary(text),
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card}],
    }


def reply_activity(message: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """One Rasa bot message as a Teams message activity; None when it has nothing to show.

    `custom` payloads other than `vervolgstappen` (the exercise case) repeat
    what the text and buttons already say, so they add nothing in Teams.
    """
    text = str(message.get("text") or "")
    buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict)]
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("type") == PAYLOAD_TYPE:
        text = text or steps_text(custom)
        return _with_card(steps_card(text, custom, buttons), text)
    if isinstance(custom, dict) and custom.get("type") == NOTE_TYPE:
        if isinstance(custom.get("tekst"), str) and custom["tekst"].strip():
            return _with_card(note_card(custom), custom["tekst"])
    if buttons:
        return _with_card(_card(_paragraphs(text), text, buttons), text)
    if text.strip():
        return {"type": "message", "text": text, "textFormat": "plain"}
    return None
