"""Configuration from environment variables, read once and validated.

Every variable is named ``PROCUREMENT_*`` and documented in README.md. A bad value fails at start
with a :class:`ConfigError` that names the variable, never later in a request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./procurement.db"
DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# The two readings of Review Measures Art. 15 (procurement.reviews.pauses.PauseReading values).
PAUSE_REQUEST_DAY_VALUES = ("counted", "excluded")
MAX_SBOM_COMPONENTS_VARIABLE = "PROCUREMENT_MAX_SBOM_COMPONENTS"
DEFAULT_SBOM_ASYNC_BYTES = 32 * 1024 * 1024


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    max_upload_bytes: int
    max_query_depth: int
    max_query_complexity: int
    max_query_tokens: int
    max_query_fields: int
    max_query_aliases: int
    max_page_size: int
    log_level: str
    log_format: str = "text"  # or "json": one JSON object per line
    # Notifications (issue 12): how often the dispatcher polls its outbox, and the hour (China
    # time) from which the daily digests go out.
    notification_poll_seconds: int = 10
    notification_digest_hour: int = 8
    # Notifications (procurement/notifications/channels): no SMTP host means no email channel.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_from: str | None = None
    smtp_ca_file: str | None = None
    notification_timeout_seconds: int = 10
    # Review Measures Art. 15: whether the day the office asks for materials still counts (see
    # procurement.reviews.pauses); "counted" unless PROCUREMENT_PAUSE_REQUEST_DAY=excluded.
    pause_request_day: str = "counted"
    # Console sessions: signed out after this long without a request, and after this long anyway.
    session_idle_minutes: int = 60
    session_max_hours: int = 12
    # API tokens: a verified token is kept this many seconds per process (0: looked up on every
    # request); a revocation in another process takes effect within this time.
    token_cache_seconds: int = 5
    # OpenID Connect sign-in: off unless an issuer is set.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_claim: str = "email"
    # SBOMs with more components (SPDX: packages) are refused, a JSON one before it is parsed.
    max_sbom_components: int = 500_000
    # SBOM documents larger than this (bytes, uncompressed) are stored and ingested by a job.
    sbom_async_bytes: int = DEFAULT_SBOM_ASYNC_BYTES
    # Finished background jobs, and uploads whose job never succeeded, are deleted this many days
    # after they finished (arrived): the tables would otherwise grow with every notification.
    job_retention_days: int = 30
    # GraphQL operations executing at once per server process (0: no limit); the others wait
    # their turn for at most graphql_queue_seconds, then get a 503 (schema/core/turns.py).
    graphql_concurrency: int = 4
    graphql_queue_seconds: int = 30

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalise_database_url(raw: str, variable: str = "PROCUREMENT_DATABASE_URL") -> str:
    """Accept the usual spellings and pin the async driver the app needs."""
    url = raw.strip()
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("postgresql+asyncpg://"):
        return url
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    if url.startswith("sqlite+aiosqlite:///"):
        return url
    raise ConfigError(
        f"{variable}={raw!r} is not supported: use sqlite:///path/to/file.db or "
        "postgresql://user:password@host:port/dbname"
    )


def _int(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name}={value} is out of range ({minimum}..{maximum})")
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE | _FALSE:
        return value in _TRUE
    raise ConfigError(f"{name}={raw!r} must be one of true, false, 1, 0, yes, no, on, off")


def _optional(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name)
    return raw.strip() if raw is not None and raw.strip() else None


@dataclass(frozen=True, slots=True)
class _Smtp:
    host: str | None
    port: int
    username: str | None
    password: str | None
    starttls: bool
    sender: str | None
    ca_file: str | None


def _smtp(env: Mapping[str, str]) -> _Smtp:
    """The SMTP relay for email notifications; every rule names the variable it checks."""
    host = _optional(env, "PROCUREMENT_SMTP_HOST")
    username = _optional(env, "PROCUREMENT_SMTP_USERNAME")
    password = env.get("PROCUREMENT_SMTP_PASSWORD") or None  # spaces may belong to a password
    starttls = _bool(env, "PROCUREMENT_SMTP_STARTTLS", True)
    sender = _optional(env, "PROCUREMENT_SMTP_FROM")
    ca_file = _optional(env, "PROCUREMENT_SMTP_CA_FILE")
    port = _int(env, "PROCUREMENT_SMTP_PORT", 587, 1, 65535)
    if (username is None) != (password is None):
        raise ConfigError(
            "PROCUREMENT_SMTP_USERNAME and PROCUREMENT_SMTP_PASSWORD must be set together"
        )
    if host is None:
        return _Smtp(None, port, username, password, starttls, sender, ca_file)
    if sender is None:
        raise ConfigError("PROCUREMENT_SMTP_FROM is required when PROCUREMENT_SMTP_HOST is set")
    address = parseaddr(sender)[1]
    if "@" not in address or address.startswith("@") or address.endswith("@"):
        raise ConfigError(f"PROCUREMENT_SMTP_FROM={sender!r} is not an email address")
    if username is not None and not starttls and host not in _LOOPBACK:
        # The password would cross the network in clear text.
        raise ConfigError(
            "PROCUREMENT_SMTP_STARTTLS=false with PROCUREMENT_SMTP_USERNAME would send the "
            f"password to {host} unencrypted: turn STARTTLS on"
        )
    if ca_file is not None and not Path(ca_file).expanduser().is_file():
        raise ConfigError(f"PROCUREMENT_SMTP_CA_FILE={ca_file!r} is not a readable file")
    return _Smtp(host, port, username, password, starttls, sender, ca_file)


@dataclass(frozen=True, slots=True)
class _Oidc:
    issuer: str | None
    client_id: str | None
    client_secret: str | None
    claim: str


def _oidc(env: Mapping[str, str]) -> _Oidc:
    """OpenID Connect sign-in; every rule names the variable it checks."""
    issuer = _optional(env, "PROCUREMENT_OIDC_ISSUER")
    client_id = _optional(env, "PROCUREMENT_OIDC_CLIENT_ID")
    secret = env.get("PROCUREMENT_OIDC_CLIENT_SECRET") or None
    claim = (_optional(env, "PROCUREMENT_OIDC_CLAIM") or "email").lower()
    if claim not in ("email", "sub", "preferred_username"):
        raise ConfigError(
            f"PROCUREMENT_OIDC_CLAIM={claim!r} must be email, sub or preferred_username"
        )
    if issuer is None:
        return _Oidc(None, client_id, secret, claim)
    if client_id is None:
        raise ConfigError(
            "PROCUREMENT_OIDC_CLIENT_ID is required when PROCUREMENT_OIDC_ISSUER is set"
        )
    parsed = urlsplit(issuer)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise ConfigError(f"PROCUREMENT_OIDC_ISSUER={issuer!r} is not an http(s) URL")
    if parsed.scheme == "http" and parsed.hostname not in _LOOPBACK:
        # The provider's keys and tokens would cross the network unprotected.
        raise ConfigError(
            f"PROCUREMENT_OIDC_ISSUER={issuer!r} must use https (http only on loopback)"
        )
    return _Oidc(issuer.rstrip("/"), client_id, secret, claim)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the configuration; raise ConfigError naming the bad variable."""
    env = os.environ if env is None else env
    database_url = normalise_database_url(env.get("PROCUREMENT_DATABASE_URL", DEFAULT_DATABASE_URL))
    if database_url.startswith("sqlite+aiosqlite:///"):
        path = database_url[len("sqlite+aiosqlite:///") :]
        if path.startswith("file:"):  # a SQLite URI filename, e.g. file:/data/p.db?mode=ro&uri=true
            path = path[len("file:") :].split("?", 1)[0]
        if path and path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise ConfigError(
                    f"PROCUREMENT_DATABASE_URL points into {parent}, which is not a directory"
                )
    log_level = env.get("PROCUREMENT_LOG_LEVEL", "INFO").strip().upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(
            f"PROCUREMENT_LOG_LEVEL={log_level!r} must be one of DEBUG, INFO, WARNING, ERROR"
        )
    smtp = _smtp(env)
    oidc = _oidc(env)
    log_format = env.get("PROCUREMENT_LOG_FORMAT", "text").strip().lower()
    if log_format not in {"text", "json"}:
        raise ConfigError(f"PROCUREMENT_LOG_FORMAT={log_format!r} must be text or json")
    pause_request_day = env.get("PROCUREMENT_PAUSE_REQUEST_DAY", "counted").strip().lower()
    if pause_request_day not in PAUSE_REQUEST_DAY_VALUES:
        raise ConfigError(
            f"PROCUREMENT_PAUSE_REQUEST_DAY={pause_request_day!r} must be one of "
            + ", ".join(PAUSE_REQUEST_DAY_VALUES)
        )
    return Settings(
        log_format=log_format,
        database_url=database_url,
        max_upload_bytes=_int(
            env, "PROCUREMENT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, 1024, 2**34
        ),
        max_query_depth=_int(env, "PROCUREMENT_MAX_QUERY_DEPTH", 12, 2, 100),
        max_query_complexity=_int(env, "PROCUREMENT_MAX_QUERY_COMPLEXITY", 50_000, 10, 10**7),
        max_query_tokens=_int(env, "PROCUREMENT_MAX_QUERY_TOKENS", 2_000, 100, 10**6),
        max_query_fields=_int(env, "PROCUREMENT_MAX_QUERY_FIELDS", 250, 10, 10**5),
        max_query_aliases=_int(env, "PROCUREMENT_MAX_QUERY_ALIASES", 100, 1, 10**5),
        max_page_size=_int(env, "PROCUREMENT_MAX_PAGE_SIZE", 100, 1, 1000),
        log_level=log_level,
        notification_poll_seconds=_int(env, "PROCUREMENT_NOTIFICATION_POLL_SECONDS", 10, 1, 3600),
        notification_digest_hour=_int(env, "PROCUREMENT_NOTIFICATION_DIGEST_HOUR", 8, 0, 23),
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_username=smtp.username,
        smtp_password=smtp.password,
        smtp_starttls=smtp.starttls,
        smtp_from=smtp.sender,
        smtp_ca_file=smtp.ca_file,
        notification_timeout_seconds=_int(
            env, "PROCUREMENT_NOTIFICATION_TIMEOUT_SECONDS", 10, 1, 300
        ),
        pause_request_day=pause_request_day,
        session_idle_minutes=_int(env, "PROCUREMENT_SESSION_IDLE_MINUTES", 60, 1, 7 * 24 * 60),
        session_max_hours=_int(env, "PROCUREMENT_SESSION_MAX_HOURS", 12, 1, 24 * 30),
        token_cache_seconds=_int(env, "PROCUREMENT_TOKEN_CACHE_SECONDS", 5, 0, 60),
        oidc_issuer=oidc.issuer,
        oidc_client_id=oidc.client_id,
        oidc_client_secret=oidc.client_secret,
        oidc_claim=oidc.claim,
        max_sbom_components=_int(env, MAX_SBOM_COMPONENTS_VARIABLE, 500_000, 1, 10**8),
        sbom_async_bytes=_int(
            env, "PROCUREMENT_SBOM_ASYNC_BYTES", DEFAULT_SBOM_ASYNC_BYTES, 1, 2**34
        ),
        job_retention_days=_int(env, "PROCUREMENT_JOB_RETENTION_DAYS", 30, 1, 3650),
        graphql_concurrency=_int(env, "PROCUREMENT_GRAPHQL_CONCURRENCY", 4, 0, 1000),
        graphql_queue_seconds=_int(env, "PROCUREMENT_GRAPHQL_QUEUE_SECONDS", 30, 1, 3600),
    )
