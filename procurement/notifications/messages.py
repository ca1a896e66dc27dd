"""The English templates of the refusals of notification subscriptions, by stable message id
(pure). A refusal carries its id and parameters (``FieldError.text``) beside the English the API
returns; the console renders them through its Chinese catalog (see procurement/texts.py). The
notices themselves are written in both languages by procurement/notifications/texts.py.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

from procurement.errors import ErrorCode, FieldError
from procurement.input_messages import TEMPLATES as INPUT
from procurement.texts import N_, Text

TEMPLATES: Mapping[str, str] = {
    "notifications.error.warn_days": N_("must be at most {max}"),
    "notifications.error.no_kind": N_("choose at least one kind"),
    "notifications.error.url": N_("'{value}' is not an http(s) URL"),
    "notifications.error.kind_for_role": N_("role '{role}' may not receive {kind} notices"),
    "notifications.error.team_vendor": N_(
        "a team address reads as an operator's role, not a vendor"
    ),
    "notifications.error.operator": N_("operator {id} not found"),
    "notifications.error.owner": N_(
        "only an API token can own a subscription; give operatorId and role"
    ),
    "notifications.error.paused": N_("the subscription is paused; activate it first"),
    # the roles a refusal names, as the English names them (their stored values)
    "notifications.role.admin": N_("admin"),
    "notifications.role.procurement": N_("procurement"),
    "notifications.role.vendor": N_("vendor"),
    "notifications.role.legal": N_("legal"),
    "notifications.role.reviewer": N_("reviewer"),
    "notifications.role.auditor": N_("auditor"),
}

# What the domain's errors may name: its own ids and the input checks' (procurement/validation.py).
ERRORS: Mapping[str, str] = ChainMap(dict(TEMPLATES), dict(INPUT))


def said(field: str | None, text: Text, code: ErrorCode = ErrorCode.INVALID) -> FieldError:
    """A FieldError saying ``text`` (an id of :data:`ERRORS`), its English as the message."""
    return FieldError.said(field, text, code, ERRORS)
