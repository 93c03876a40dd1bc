"""Redacts personal data in every log record of the process.

A log-record factory, not a handler filter: Rasa replaces handlers when it
configures logging, but every record, from every library, passes the factory.

Rasa's structured logs (structlog) arrive as one JSON string whose renderer
escapes non-ASCII letters and no-break spaces ("Zo\u00eb", "06\u00a012345678"),
which hides them from the patterns: such a line is parsed, every field is
redacted, and it is written again. DEBUG logging shows every message and slot
(redacted) and is not for production (docs/privacy.md).
"""

import json
import logging
import re

from bot.privacy.redact import redact, redact_value

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def redact_message(message: str) -> str:
    """`message` redacted; a JSON log line field by field, escapes undone first."""
    stripped = message.strip()
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(stripped)
        except ValueError:
            pass
        else:
            return json.dumps(redact_value(data), ensure_ascii=False)
    # JSON cut off or embedded in text: undo the escapes so the patterns see the letters.
    message = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), message)
    return redact(message)


_installed = False


def install_log_redaction() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            record.msg, record.args = redact_message(record.getMessage()), ()
            if record.exc_info:
                # The handler would format the traceback later, unredacted.
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        except Exception:  # noqa: BLE001 - a broken log call must not leak or crash
            record.msg, record.args = "[logregel verwijderd]", ()
        return record

    logging.setLogRecordFactory(redacting_record)
