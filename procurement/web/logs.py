"""Logging of the served app: the configured level for every logger (uvicorn's included), text or
JSON lines, and no secret in any line.

Secrets reach logs in two ways: a token in a URL's query string (``?access_token=...``, which
uvicorn's access log prints whole) and values in a message. :class:`RedactSecrets` masks both on
every handler. SQL parameters, which carry row data, are never logged (the engine hides them and
``sqlalchemy.engine`` logs at WARNING unless the level is DEBUG).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

import orjson

REDACTED = "[redacted]"
# Query parameters whose value is a credential, however a client spells them.
_SECRET_PARAMETER = re.compile(
    r"(?i)([?&](?:access_token|token|api_key|apikey|key|secret|password|sign|signature)=)[^&\s\"']*"
)
# The service's own token format, wherever it appears (a header echoed into a message, a URL path).
_TOKEN = re.compile(r"prt_[A-Za-z0-9_\-]{8,}")


def redact(text: str) -> str:
    # Both patterns need a literal: most lines (every access line without a query string) have
    # neither, and skip two regular-expression passes that would change nothing.
    if "=" not in text and "prt_" not in text:
        return text
    return _TOKEN.sub("prt_" + REDACTED, _SECRET_PARAMETER.sub(r"\1" + REDACTED, text))


class RedactSecrets(logging.Filter):
    """Mask credentials in a record's message and its arguments (uvicorn's access log passes the
    path with its query string as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry).decode()


def log_config(level: str, *, json_lines: bool = False) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn.run: every logger at ``level``, SQL at WARNING
    (DEBUG shows statements, still without parameters), each line redacted."""
    formatter: dict[str, Any] = (
        {"()": JsonLines}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    # Access lines keep uvicorn's own text form (and go to stdout, as uvicorn sends them).
    access: dict[str, Any] = (
        {"()": JsonLines}
        if json_lines
        else {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
            "use_colors": False,
        }
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactSecrets}},
        "formatters": {"line": formatter, "access": access},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["redact"],
            },
            "access": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "access",
                "filters": ["redact"],
            },
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
            "sqlalchemy.engine": {"level": "INFO" if level == "DEBUG" else "WARNING"},
        },
    }
