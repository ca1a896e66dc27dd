"""Domain errors with stable codes.

Services raise these; the GraphQL layer turns :class:`InputError` into payload ``errors`` and
:class:`PermissionDenied` into a top-level ``FORBIDDEN`` error. Anything else is unexpected and
is masked to clients.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from procurement.texts import Text, english


class ErrorCode(StrEnum):
    """Stable machine-readable codes; clients switch on these, so never rename one."""

    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    INVALID_STATE = "INVALID_STATE"
    TOO_LARGE = "TOO_LARGE"
    CONFLICT = "CONFLICT"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field. ``field`` is a dotted path such as ``value.amount``."""

    field: str | None
    message: str
    code: ErrorCode
    # ``message`` as a message id and parameters (e.g. procurement/input_messages.py), so the
    # console can say it in Chinese; None where only the English exists.
    text: Text | None = dataclasses.field(default=None, compare=False)  # `field` is taken

    @classmethod
    def said(
        cls, field: str | None, text: Text, code: ErrorCode, templates: Mapping[str, str]
    ) -> FieldError:
        """An error whose message is ``text`` of the catalog ``templates``, in English."""
        return cls(field, english(text, templates), code, text)


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class InputError(DomainError):
    """The caller's input is wrong; carries every field problem found, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        if not errors:
            raise ValueError("InputError needs at least one FieldError")
        self.errors = errors
        super().__init__("; ".join(f"{e.field or '(input)'}: {e.message}" for e in errors))

    @classmethod
    def single(cls, field: str | None, message: str, code: ErrorCode) -> InputError:
        return cls([FieldError(field, message, code)])


class NotFound(InputError):
    """A referenced object does not exist, or the caller may not see it (indistinguishable)."""

    def __init__(self, field: str | None, what: str, ident: object) -> None:
        # Imported here: input_messages is the catalog of the checks that raise these errors.
        from procurement.input_messages import TEMPLATES, object_name

        ident_param = ident if isinstance(ident, int) else str(ident)
        text = Text("input.not_found", {"what": object_name(what), "id": ident_param})
        super().__init__([FieldError.said(field, text, ErrorCode.NOT_FOUND, TEMPLATES)])


class PermissionDenied(DomainError):
    """The caller's role may not do this at all."""

    def __init__(self, message: str = "not allowed for your role") -> None:
        super().__init__(message)
        self.message = message


class Unauthenticated(DomainError):
    """No valid credentials were presented. The message tells a missing token from one that
    was sent but is not valid, so a person knows whether to add a header or get a new token."""

    MISSING = "authentication required: send 'Authorization: Bearer <token>'"
    INVALID = (
        "the token sent is not valid: it is mistyped, revoked or unknown here; "
        "ask an administrator for a new one"
    )

    status = 401

    def __init__(self, message: str = MISSING) -> None:
        super().__init__(message)
        self.message = message


class CsrfRefused(Unauthenticated):
    """A request signed in by the console's cookie came without its page's CSRF token: another
    site may have sent it in the person's name."""

    status = 403
    MESSAGE = (
        "a request signed in with the console's cookie must carry its page's CSRF token "
        "(header X-CSRF-Token)"
    )

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)
