"""Who may hear of what: each notice kind needs the read permission of what it tells, and the
purchase it is about must be in the recipient's scope (procurement/permissions.py decides both).
A vendor therefore hears only of its own SBOMs and of agreements sent to it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import NotificationKind, Role
from procurement.models import ApiToken, NotificationSubscription, Purchase
from procurement.permissions import Action, Principal, can, scope_purchases

K = NotificationKind
NEEDS: dict[str, Action] = {
    K.REVIEW_CASE_CHANGED: Action.READ_REVIEWS,
    K.REVIEW_DEADLINE_NEAR: Action.READ_REVIEWS,
    K.REVIEW_DEADLINE_PASSED: Action.READ_REVIEWS,
    K.SBOM_UPLOADED: Action.READ_SBOMS,
    K.SBOM_REFUSED: Action.READ_SBOMS,
    K.ADVISORY_HIT: Action.READ_SCREENING,
    # Supervision of the provider is the operator's internal record, as in agreements.reads.
    K.OBLIGATION_DUE: Action.READ_INTERNAL_FIELDS,
    K.OBLIGATION_FAILED: Action.READ_INTERNAL_FIELDS,
    K.AGREEMENT_SENT: Action.READ_AGREEMENTS,
    K.AGREEMENT_SIGNED: Action.READ_AGREEMENTS,
    # The service's own trouble: only those who run it (admins) hear of it.
    K.JOB_FAILED: Action.MANAGE_OPERATORS,
}
# Kinds that are not subscribed to but addressed to one subscription (no purchase behind them).
ADDRESSED = frozenset({"digest", "test"})


def kinds_for(role: Role) -> list[NotificationKind]:
    """The kinds a role may subscribe to at all."""
    probe = Principal(role=role, name="probe")
    return [k for k in NotificationKind if can(probe, NEEDS[k])]


def principal_of(sub: NotificationSubscription, token: ApiToken | None) -> Principal | None:
    """The reader a subscription delivers to: its token's principal, or for an operator-level
    subscription its role within the operator. None when the token is gone or revoked."""
    if sub.token_id is not None:
        if token is None or token.revoked_at is not None:
            return None
        return Principal(
            role=token.role,
            name=token.name,
            token_id=token.id,
            operator_id=token.operator_id,
            vendor_id=token.vendor_id,
        )
    if sub.role is None or sub.operator_id is None:
        return None
    return Principal(role=sub.role, name=sub.name, operator_id=sub.operator_id)


async def may_hear(
    session: AsyncSession,
    principal: Principal,
    kind: str,
    purchase_id: int | None,
    operator_id: int | None,
    seen: dict[tuple[Principal, int], bool] | None = None,
) -> bool:
    """Whether ``principal`` may be told of an event of ``kind`` about this purchase. ``seen``
    remembers purchase visibility across the events of one fan-out batch."""
    if kind in ADDRESSED:
        return True
    action = NEEDS.get(kind)
    if action is None or not can(principal, action):
        return False
    if principal.is_admin:
        # An admin of one operator hears of that operator's failed jobs and of unscoped ones.
        return not (
            kind == K.JOB_FAILED
            and principal.operator_id is not None
            and operator_id is not None
            and operator_id != principal.operator_id
        )
    if purchase_id is None:
        return (
            operator_id is not None
            and operator_id == principal.operator_id
            and (principal.role is not Role.VENDOR)
        )
    if seen is not None and (principal, purchase_id) in seen:
        return seen[(principal, purchase_id)]
    visible = scope_purchases(select(Purchase.id).where(Purchase.id == purchase_id), principal)
    answer = await session.scalar(visible) is not None
    if seen is not None:
        seen[(principal, purchase_id)] = answer
    return answer
