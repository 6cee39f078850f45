"""Log lines as ``time level logger message key=value…``: the fields passed in ``extra`` are kept
apart from the message, so that a log collector can filter on them. Ids and counts only: no name,
e-mail, phone or free text of a person ever goes in a log line."""

from __future__ import annotations

import logging

# Attributes every LogRecord has: anything else on a record came from ``extra``.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        if not fields:
            return line
        rendered = " ".join(f"{key}={_value(value)}" for key, value in sorted(fields.items()))
        first, newline, rest = line.partition("\n")  # keep a traceback below the fields
        return f"{first} {rendered}{newline}{rest}"


def _value(value) -> str:
    text = str(value)
    return f'"{text}"' if not text or any(c in text for c in ' ="') else text
