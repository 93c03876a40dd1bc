"""The note for the dossier: built from situation ids and step ids only.

Nothing the user typed can reach it (no place, no free text), so it can never
carry a name. The situations come from the slot `besproken_situaties`.
"""

from datetime import date
from typing import Any, Dict, Iterable, List

from bot.content import Protocol
from bot.context_content import ContextTexts
from bot.render import SOURCE_LABEL, fill, select_steps

PAYLOAD_TYPE = "verslag"


def note_text(
    protocol: Protocol, texts: ContextTexts, situations: Iterable[str], today: date, reported: bool
) -> str:
    known = [s for s in situations if s in protocol.situations]
    # No blank lines: Rasa would split the text into several messages there.
    lines = [fill(texts.note["titel"], datum=today.strftime("%d-%m-%Y"))]
    if known:
        lines.append(texts.note["situaties_kop"])
        for situation_id in known:
            title = protocol.situations[situation_id].title.split(". ")[0].rstrip(":.")
            lines.append(f"- {title}")
            for step in select_steps(protocol, situation_id, reported):
                lines.append(f"  - {step.text} ({SOURCE_LABEL}: {step.source})")
    else:
        lines.append(texts.note["geen_situaties"])
    lines.append(texts.note["vastleggen_kop"])
    lines += [f"- [ ] {text} ({SOURCE_LABEL}: {source})" for text, source in texts.record_checklist]
    lines.append(texts.note["slot"])
    return "\n".join(lines)


def note_payload(text: str, situations: Iterable[str]) -> Dict[str, Any]:
    return {"type": PAYLOAD_TYPE, "tekst": text, "situaties": list(situations)}


def add_situation(known: List[str], situation_id: str) -> List[str]:
    """The list slot, with this situation once, in the order discussed."""
    known = [s for s in (known or []) if isinstance(s, str)]
    return known if situation_id in known else known + [situation_id]
