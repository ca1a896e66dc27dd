"""Session secrets are stored only as hashes; CSRF tokens are tied to their session."""

from __future__ import annotations

import hashlib
import hmac

from procurement.registry import session_secrets as s


def test_a_session_secret_is_random_and_stored_as_its_sha256() -> None:
    first, second = s.new_session_secret(), s.new_session_secret()
    assert first != second
    assert first.startswith("prs_") and len(first) == 4 + 43
    assert s.is_session_secret(first)
    assert s.hash_session_secret(first) == hashlib.sha256(first.encode()).hexdigest()


def test_only_our_secrets_are_looked_up() -> None:
    assert not s.is_session_secret("prt_" + "a" * 43)  # an API token is not a session
    assert not s.is_session_secret("prs_short")
    assert not s.is_session_secret("prs_" + "a" * 200)


def test_the_csrf_token_is_the_hmac_of_the_session_secret() -> None:
    # given a session secret
    secret = "prs_" + "a" * 43
    # then its CSRF token is fixed for it, and an HMAC keyed with it
    expected = hmac.new(secret.encode(), b"procurement console form", hashlib.sha256).hexdigest()
    assert s.csrf_token(secret) == expected
    assert s.csrf_matches(secret, expected) is True


def test_a_csrf_token_of_another_session_or_none_is_refused() -> None:
    mine, theirs = s.new_session_secret(), s.new_session_secret()
    assert s.csrf_matches(mine, s.csrf_token(theirs)) is False
    assert s.csrf_matches(mine, None) is False
    assert s.csrf_matches(mine, "") is False
    assert s.csrf_matches(mine, s.csrf_token(mine)[:-1]) is False


def test_the_sign_in_nonce_must_come_back_in_both_cookie_and_form() -> None:
    nonce = s.new_form_nonce()
    assert s.nonce_matches(nonce, nonce) is True
    assert s.nonce_matches(nonce, s.new_form_nonce()) is False
    assert s.nonce_matches(None, nonce) is False
    assert s.nonce_matches(nonce, None) is False
    assert s.nonce_matches("", "") is False
