"""Passwords are kept as Argon2id hashes and checked in constant shape."""

from __future__ import annotations

from procurement.registry import passwords
from procurement.registry.messages import TEMPLATES
from procurement.texts import english


def test_a_hash_is_argon2id_and_verifies_only_its_password() -> None:
    # given a hashed password
    stored = passwords.hash_password("correct horse battery")
    # then the hash names Argon2id with RFC 9106's low-memory parameters and holds no password
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "correct horse battery" not in stored
    # and it verifies its own password and nothing else
    assert passwords.verify_password(stored, "correct horse battery") is True
    assert passwords.verify_password(stored, "correct horse batterY") is False
    assert passwords.verify_password(stored, "") is False
    assert passwords.needs_rehash(stored) is False


def test_the_same_password_hashes_differently_each_time() -> None:
    first = passwords.hash_password("correct horse battery")
    second = passwords.hash_password("correct horse battery")
    assert first != second  # a random salt each time


def test_no_stored_hash_or_a_broken_one_never_verifies() -> None:
    # an unknown login is checked against a decoy, which no password matches
    assert passwords.verify_password(None, "correct horse battery") is False
    assert passwords.verify_password("not a hash", "correct horse battery") is False


def test_an_overlong_password_is_refused_without_hashing() -> None:
    stored = passwords.hash_password("x" * 256)
    assert passwords.verify_password(stored, "x" * 256) is True
    assert passwords.verify_password(stored, "x" * 257) is False


def test_new_passwords_must_be_12_to_256_characters() -> None:
    short, long = passwords.password_problem("short"), passwords.password_problem("x" * 257)
    assert short is not None and english(short, TEMPLATES) == "must be at least 12 characters"
    assert long is not None and english(long, TEMPLATES) == "must be at most 256 characters"
    assert passwords.password_problem("twelve chars") is None


def test_generated_passwords_are_long_and_different() -> None:
    generated = {passwords.generate_password() for _ in range(20)}
    assert len(generated) == 20
    assert {len(p) for p in generated} == {20}
    assert all(passwords.password_problem(p) is None for p in generated)
