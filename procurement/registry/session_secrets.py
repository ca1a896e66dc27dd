"""The secrets of console sessions and the CSRF tokens derived from them.

Pure: no database. The cookie carries a random secret; the database keeps only its SHA-256, so a
stolen copy of the database signs nobody in. A form's CSRF token is an HMAC of a fixed label
keyed with the session secret: tied to the session, never stored, and unknowable to a page of
another site (it cannot read the HttpOnly cookie).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SESSION_PREFIX = "prs_"
_CSRF_LABEL = b"procurement console form"


def new_session_secret() -> str:
    return SESSION_PREFIX + secrets.token_urlsafe(32)


def is_session_secret(value: str) -> bool:
    return value.startswith(SESSION_PREFIX) and 20 < len(value) <= 100


def hash_session_secret(secret: str) -> str:
    # 256 random bits: a plain SHA-256 is enough (nothing to stretch).
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token(session_secret: str) -> str:
    return hmac.new(session_secret.encode(), _CSRF_LABEL, hashlib.sha256).hexdigest()


def csrf_matches(session_secret: str, presented: str | None) -> bool:
    """Constant-time comparison of a presented CSRF token with the session's."""
    if not presented:
        return False
    return hmac.compare_digest(csrf_token(session_secret), presented)


def new_form_nonce() -> str:
    """For the sign-in form, shown before any session exists: the same value goes into a cookie
    and into the form, and a post must bring both (a page of another site cannot read the
    cookie to copy it into its form)."""
    return secrets.token_urlsafe(24)


def nonce_matches(cookie: str | None, presented: str | None) -> bool:
    if not cookie or not presented:
        return False
    return hmac.compare_digest(cookie.encode(), presented.encode())
