"""Log lines never carry a secret, honour the configured level, and can be JSON (issue 11: the
access log printed ?access_token= in full, and PROCUREMENT_LOG_LEVEL was ignored)."""

from __future__ import annotations

import json
import logging

import pytest

from procurement.db import create_engine
from procurement.settings import ConfigError, load_settings
from procurement.web.logs import JsonLines, RedactSecrets, log_config, redact

TOKEN = "prt_D2u_X-dLGrY2Du8frZEkh3ZmCzPdeeKkMYdO193UV58"


def access_record(path: str) -> logging.LogRecord:
    """A record shaped as uvicorn's access logger makes it."""
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200), None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/graphql?access_token={TOKEN}&q=1", "/graphql?access_token=[redacted]&q=1"),
        ("/hook?sign=abc%2B&timestamp=1", "/hook?sign=[redacted]&timestamp=1"),
        ("/x?Password=hunter2", "/x?Password=[redacted]"),
        (f"Authorization: Bearer {TOKEN}", "Authorization: Bearer prt_[redacted]"),
        ("/graphql?query={me{role}}", "/graphql?query={me{role}}"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_an_access_line_with_a_token_in_the_query_is_redacted() -> None:
    record = access_record(f"/graphql?access_token={TOKEN}")
    assert RedactSecrets().filter(record) is True
    assert record.getMessage() == (
        '127.0.0.1:5000 - "GET /graphql?access_token=[redacted] HTTP/1.1" 200'
    )
    assert TOKEN not in record.getMessage()


def test_json_lines_carry_level_logger_and_the_redacted_message() -> None:
    record = access_record(f"/x?token={TOKEN}")
    RedactSecrets().filter(record)
    line = json.loads(JsonLines().format(record))
    assert (line["level"], line["logger"]) == ("INFO", "uvicorn.access")
    assert line["message"] == '127.0.0.1:5000 - "GET /x?token=[redacted] HTTP/1.1" 200'
    assert line["time"].endswith("+00:00")


def test_the_configured_level_reaches_uvicorn_and_sql_stays_quiet() -> None:
    config = log_config("WARNING")
    assert config["loggers"]["uvicorn.access"]["level"] == "WARNING"
    assert config["loggers"]["uvicorn"]["level"] == "WARNING"
    assert config["root"]["level"] == "WARNING"
    assert config["loggers"]["sqlalchemy.engine"]["level"] == "WARNING"
    assert log_config("INFO")["loggers"]["sqlalchemy.engine"]["level"] == "WARNING"
    assert log_config("DEBUG")["loggers"]["sqlalchemy.engine"]["level"] == "INFO"
    assert config["handlers"]["stderr"]["filters"] == ["redact"]
    assert config["handlers"]["access"]["filters"] == ["redact"]


def test_json_format_is_a_setting_and_a_bad_one_is_refused() -> None:
    assert load_settings({"PROCUREMENT_LOG_FORMAT": "JSON"}).log_format == "json"
    assert load_settings({}).log_format == "text"
    with pytest.raises(ConfigError, match="PROCUREMENT_LOG_FORMAT='xml' must be text or json"):
        load_settings({"PROCUREMENT_LOG_FORMAT": "xml"})


def test_the_engine_never_puts_parameters_in_logs_or_errors() -> None:
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    assert engine.sync_engine.hide_parameters is True


def test_a_line_with_no_parameter_and_no_token_skips_the_patterns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given both patterns, counted
    from procurement.web import logs

    used: list[str] = []

    class Counted:
        def __init__(self, name: str, pattern: object) -> None:
            self.name, self.pattern = name, pattern

        def sub(self, *args: object) -> str:
            used.append(self.name)
            return self.pattern.sub(*args)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(logs, "_TOKEN", Counted("token", logs._TOKEN))
    monkeypatch.setattr(logs, "_SECRET_PARAMETER", Counted("parameter", logs._SECRET_PARAMETER))
    # when a plain access path, then a path with a query, are redacted
    plain = redact("/graphql")
    query = redact(f"/x?token={TOKEN}")
    # then the plain one ran no pattern and the other ran both
    assert (plain, query) == ("/graphql", "/x?token=[redacted]")
    assert used == ["parameter", "token"]
