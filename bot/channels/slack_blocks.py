"""The assistant's answers as Slack messages (Block Kit with mrkdwn).

Every message has a plain `text` as well: Slack shows it in notifications and
screen readers read it instead of the blocks. All wording comes from the
answer itself (bot.render, content files); this module only lays it out.

Slack reads `&`, `<` and `>` as markup in mrkdwn, so every text is escaped.
Texts are cut to Slack's limits so that a long answer never makes Slack
refuse the whole message.
"""

import re
from typing import Any, Dict, List, Optional

from bot.contract import PAYLOAD_TYPE
from bot.render import SOURCE_LABEL, steps_text
from bot.verslag import PAYLOAD_TYPE as NOTE_TYPE

SECTION_MAX_CHARS = 3000
TEXT_MAX_CHARS = 4000
BUTTON_TITLE_MAX_CHARS = 75
BUTTONS_PER_BLOCK = 25
MAX_BLOCKS = 50
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def mrkdwn(text: str, limit: int = SECTION_MAX_CHARS) -> str:
    """Escaped text of at most `limit` characters; an escape is never cut in half."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    pieces, size = [], 0
    for ch in text:
        piece = _ESCAPES.get(ch, ch)
        if size + len(piece) > limit - 1:
            break
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces) + "…"


def _plain(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> Dict[str, Any]:
    """`text` must already be mrkdwn (escaped)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> Dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def is_steps_payload(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and payload.get("type") == PAYLOAD_TYPE
        and isinstance(payload.get("stappen"), list)
    )


def _fallback(text: str, payload: Dict[str, Any]) -> str:
    return mrkdwn(text.strip() or steps_text(payload), TEXT_MAX_CHARS)


def steps_message(text: str, payload: Dict[str, Any]) -> Dict[str, Any]:
    """The `vervolgstappen` payload as a numbered list, each step with its source.

    Title and closing line come from the payload (`titel`, `afsluiting`); `text`,
    the readable answer that came with it, is only the message's plain `text`.
    """
    steps = [s for s in payload["stappen"] if isinstance(s, dict)]
    title = str(payload.get("titel") or "").strip()
    closing = str(payload.get("afsluiting") or "").strip()
    blocks: List[Dict[str, Any]] = []
    if title:
        blocks.append(section(f"*{mrkdwn(title, 300)}*"))
    for number, step in enumerate(steps, 1):
        blocks.append(
            section(f"*{number}.* " + mrkdwn(str(step.get("tekst", "")), SECTION_MAX_CHARS - 10))
        )
        blocks.append(context(f"{SOURCE_LABEL}: " + mrkdwn(str(step.get("bron", "")), 2000)))
    region = str(payload.get("regio_tekst") or "").strip()
    if region:
        # A move: the Veilig Thuis-regio (CBS) as a quote under the steps.
        blocks.append(section("\n".join("> " + mrkdwn(line, 500) for line in region.splitlines())))
    if closing:
        blocks.append({"type": "divider"})
        blocks.append(section(mrkdwn(closing)))
    message: Dict[str, Any] = {"text": _fallback(text, payload)}
    if len(blocks) <= MAX_BLOCKS:
        message["blocks"] = blocks
    return message


def buttons_message(text: str, buttons: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Text with Block Kit buttons; a click comes back as a `block_actions`
    payload whose value is the button's Rasa payload."""
    blocks: List[Dict[str, Any]] = [section(mrkdwn(text))] if text.strip() else []
    elements = [
        {
            "type": "button",
            "action_id": f"knop_{index}",  # unique within the message, as Slack requires
            "text": {
                "type": "plain_text",
                "text": _plain(str(button.get("title", "")), BUTTON_TITLE_MAX_CHARS),
            },
            "value": str(button.get("payload", "")),
        }
        for index, button in enumerate(buttons)
    ]
    for start in range(0, len(elements), BUTTONS_PER_BLOCK):
        blocks.append({"type": "actions", "elements": elements[start : start + BUTTONS_PER_BLOCK]})
    titles = ", ".join(str(b.get("title", "")) for b in buttons)
    return {
        "text": mrkdwn(f"{text.strip()}\n({titles})" if text.strip() else titles, TEXT_MAX_CHARS),
        "blocks": blocks[:MAX_BLOCKS],
    }


def chosen_message(blocks: List[Dict[str, Any]], choice: str) -> Dict[str, Any]:
    """A message with buttons after a click: the buttons make way for the
    choice, so the thread shows what was chosen and nobody clicks twice."""
    kept = [b for b in blocks if isinstance(b, dict) and b.get("type") != "actions"]
    kept.append(context("U koos: *" + mrkdwn(choice, 200) + "*"))
    text = " ".join(
        b["text"]["text"]
        for b in kept
        if b.get("type") == "section" and isinstance(b.get("text"), dict) and "text" in b["text"]
    )
    return {
        "text": (text + "\n" if text else "") + "U koos: " + mrkdwn(choice, 200),
        "blocks": kept[:MAX_BLOCKS],
    }


def text_message(text: str) -> Dict[str, Any]:
    return {"text": mrkdwn(text.strip(), TEXT_MAX_CHARS)}


_SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def _markup_to_text(match: "re.Match") -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith(("@", "!")):
        return ""  # mentions of people, @here, user groups: ids, no help to the NLU
    if target.startswith("#"):
        return f"#{label}" if label else ""
    return label or target


def user_text(text: Optional[str]) -> str:
    """A Slack message as the user typed it: mentions removed, links as their
    label, Slack's escapes undone."""
    text = _SLACK_MARKUP.sub(_markup_to_text, text or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def is_note_payload(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and payload.get("type") == NOTE_TYPE
        and isinstance(payload.get("tekst"), str)
    )


# A code block keeps the note's lines as they are, so it copies cleanly.
NOTE_CHUNK_CHARS = SECTION_MAX_CHARS - 10


def note_message(payload: Dict[str, Any]) -> Dict[str, Any]:
    """The note for the dossier in code blocks of whole lines (a section holds 3000 characters)."""
    chunks, current = [], ""
    for line in escape(payload["tekst"]).splitlines():
        line = line[:NOTE_CHUNK_CHARS]
        if current and len(current) + len(line) + 1 > NOTE_CHUNK_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    blocks = [section(f"```{chunk}```") for chunk in chunks][:MAX_BLOCKS]
    return {"text": mrkdwn(payload["tekst"], TEXT_MAX_CHARS), "blocks": blocks}
