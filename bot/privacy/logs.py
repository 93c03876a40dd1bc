"""Redacts personal data in every log record of the process.

A log-record factory, not a handler filter: Rasa replaces handlers when it
configures logging, but every record, from every library, passes the factory.
"""

import logging

from bot.privacy.redact import redact

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
            record.msg, record.args = redact(record.getMessage()), ()
            if record.exc_info:
                # The handler would format the traceback later, unredacted.
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        except Exception:  # noqa: BLE001 - a broken log call must not leak or crash
            record.msg, record.args = "[logregel verwijderd]", ()
        return record

    logging.setLogRecordFactory(redacting_record)
