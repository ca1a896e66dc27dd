"""The English templates of the registry's refusals (accounts, tokens, operators, vendors,
purchases), by stable message id (pure).

A refusal carries its id and parameters (``FieldError.text``) beside the English the API returns;
the console renders them through its Chinese catalog (see procurement/texts.py).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

from procurement.errors import ErrorCode, FieldError
from procurement.input_messages import TEMPLATES as INPUT
from procurement.texts import N_, Text

TEMPLATES: Mapping[str, str] = {
    # the roles a refusal names, as the English names them (their stored values)
    "registry.role.admin": N_("admin"),
    "registry.role.procurement": N_("procurement"),
    "registry.role.vendor": N_("vendor"),
    "registry.role.legal": N_("legal"),
    "registry.role.reviewer": N_("reviewer"),
    "registry.role.auditor": N_("auditor"),
    # what a role is bound to (actions/binding.py), for accounts and for tokens
    "registry.binding.vendor_required.account": N_("a vendor account must be bound to a vendor"),
    "registry.binding.vendor_required.token": N_("a vendor token must be bound to a vendor"),
    "registry.binding.vendor_only.account": N_("only vendor accounts are bound to a vendor"),
    "registry.binding.vendor_only.token": N_("only vendor tokens are bound to a vendor"),
    "registry.binding.operator_required.account": N_("a {role} account must belong to an operator"),
    "registry.binding.operator_required.token": N_("a {role} token must belong to an operator"),
    "registry.binding.admin.account": N_("admin accounts see every operator; give no operator"),
    "registry.binding.admin.token": N_("admin tokens see every operator; give no operator"),
    "registry.not_found.operator": N_("operator {id} not found"),
    "registry.not_found.vendor": N_("vendor {id} not found"),
    "registry.not_found.account": N_("account {id} not found"),
    "registry.not_found.cii_system": N_("CII system {id} not found for this operator"),
    # accounts and tokens (actions/accounts.py, tokens.py, passwords.py)
    "registry.account.login": N_(
        "2 to 80 characters: letters, digits, '.', '_', '@' or '-', starting with a letter or digit"
    ),
    "registry.account.login_taken": N_("the login '{login}' is taken"),
    "registry.account.identity_taken": N_("another account has this identity"),
    "registry.password.short": N_("must be at least {min} characters"),
    "registry.password.long": N_("must be at most {max} characters"),
    "registry.token.name_taken": N_("this account already has a live token named '{name}'"),
    "registry.token.lifetime": N_("must be between 0 (never expires) and {max} days"),
    # operators (actions/operators.py; their CII identification: procurement/identification.py)
    "registry.operator.system_twice": N_("'{name}' is listed twice"),
    "registry.operator.credit_code_taken": N_("an operator with credit code {code} exists"),
    "registry.operator.not_cii": N_("is given but isCiiOperator is false"),
    "registry.operator.reference_alone": N_(
        "is given without ciiIdentifiedOn or ciiEndedOn: a reference names a notification"
    ),
    # vendors and purchases (actions/vendors.py, purchases.py, investigation.py)
    "registry.no_changes": N_("no changes given"),
    "registry.vendor.unknown_field": N_("is not a vendor field"),
    "registry.purchase.boolean": N_("must be true or false"),
    "registry.purchase.person_in_charge": N_(
        "name the directly responsible person in charge (role PERSON_IN_CHARGE)"
    ),
    "registry.purchase.subjects_without_pi": N_("is given but handlesPersonalInformation is false"),
    "registry.purchase.unchangeable": N_("cannot be changed"),
    "registry.purchase.cancelled": N_("the purchase is cancelled"),
    "registry.purchase.already_cancelled": N_("the purchase is already cancelled"),
    "registry.purchase.before_contract": N_("{day} is before the contract date {contract}"),
    "registry.purchase.future": N_("{day} is in the future"),
    "registry.investigation.future": N_("{day} is after today ({today})"),
    "registry.investigation.before_contract": N_(
        "{day} is before the contract date {contract}: there was nothing to investigate"
    ),
    "registry.investigation.not_marked": N_("the purchase is not marked as under investigation"),
}

# What the domain's errors may name: its own ids and the input checks' (procurement/validation.py).
ERRORS: Mapping[str, str] = ChainMap(dict(TEMPLATES), dict(INPUT))


def said(field: str | None, text: Text, code: ErrorCode = ErrorCode.INVALID) -> FieldError:
    """A FieldError saying ``text`` (an id of :data:`ERRORS`), its English as the message."""
    return FieldError.said(field, text, code, ERRORS)


def role(value: str) -> Text:
    """A role as the refusals name it (its stored value in English)."""
    return Text(f"registry.role.{value}", {})
