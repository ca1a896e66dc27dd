"""People's passwords: Argon2id hashes (argon2-cffi, RFC 9106's low-memory profile), never the
password itself; a generated password for the first administrator.

Pure: no database. Verifying costs tens of milliseconds on purpose, which also makes guessing
over the network slow.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from procurement.texts import Text

MIN_LENGTH = 12
MAX_LENGTH = 256  # hashing a megabyte "password" is a cheap way to tie up a worker
_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
# Verified against when the login is unknown, so that the answer takes as long either way.
_DECOY = _HASHER.hash(secrets.token_urlsafe(16))


def password_problem(password: str) -> Text | None:
    """Why a new password is refused (a message of procurement/registry/messages.py), or None."""
    if len(password) < MIN_LENGTH:
        return Text("registry.password.short", {"min": MIN_LENGTH})
    if len(password) > MAX_LENGTH:
        return Text("registry.password.long", {"max": MAX_LENGTH})
    return None


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash is checked against a decoy (same cost)."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored_hash or _DECOY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored_hash)


def generate_password() -> str:
    """A random password of about 120 bits, for the first administrator (shown once)."""
    return secrets.token_urlsafe(15)
